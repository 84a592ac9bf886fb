"""Checks on the addons' files that need no Odoo server."""

import ast
import configparser
import csv
import re
from collections import Counter

import polib
import pytest
from lxml import etree

VERSION_RE = re.compile(r"^18\.0\.\d+\.\d+\.\d+$")
LICENSES = {
    "LGPL-3": "GNU LESSER GENERAL PUBLIC LICENSE",
    "AGPL-3": "GNU AFFERO GENERAL PUBLIC LICENSE",
}
# Folders whose classes are models that need access rules (see STYLE.md layout).
MODEL_DIRS = ("models", "wizard", "report")
# %s, %d, %(name)s, {name}, {}; "%%" is a literal percent sign.
PLACEHOLDER_RE = re.compile(r"%\(\w+\)[sdfr]|%[sdfr]|\{\w*\}")


# --- manifests ---------------------------------------------------------------


def test_manifest_is_a_python_literal(addon_dir):
    source = (addon_dir / "__manifest__.py").read_text()
    assert isinstance(ast.literal_eval(source), dict)


def test_manifest_keys(manifest):
    assert isinstance(manifest.get("name"), str) and manifest["name"].strip()
    assert VERSION_RE.match(manifest.get("version", "")), manifest.get("version")
    assert manifest.get("license") in LICENSES
    assert isinstance(manifest.get("author"), str) and manifest["author"].strip()
    assert isinstance(manifest.get("depends"), list)
    assert all(isinstance(d, str) for d in manifest["depends"])
    assert manifest.get("installable") is True


def test_one_license_for_the_suite(repo, manifests):
    licenses = {m.get("license") for m in manifests.values()}
    assert len(licenses) == 1, f"addons disagree on the license: {licenses}"
    (license_,) = licenses
    assert LICENSES[license_] in (repo / "LICENSE").read_text().upper()


def test_manifest_files_exist(addon_dir, manifest):
    missing = [
        f
        for key in ("data", "demo")
        for f in manifest.get(key, [])
        if not (addon_dir / f).is_file()
    ]
    assert not missing


def test_readme_description(addon_dir):
    readme = addon_dir / "readme" / "DESCRIPTION.md"
    assert readme.is_file() and readme.read_text().strip()


# --- XML ---------------------------------------------------------------------


def _pre18_syntax(root):
    """Yield (line, problem) for view syntax that Odoo 18 no longer accepts."""
    for el in root.iter(etree.Element):
        if el.tag == "tree":
            yield el.sourceline, "<tree> (use <list>)"
        for attr in ("attrs", "states"):
            if attr in el.attrib:
                yield el.sourceline, f'{attr}="…" (use invisible/readonly/required)'
        if "oe_chatter" in el.get("class", "").split():
            yield el.sourceline, "oe_chatter (use <chatter/>)"
        if el.get("t-name") == "kanban-box":
            yield el.sourceline, 't-name="kanban-box" (use "card")'
        if el.tag == "field" and el.get("name") == "view_mode":
            if "tree" in (el.text or "").replace(" ", "").split(","):
                yield el.sourceline, "view_mode tree (use list)"


def test_xml_parses(xml_file):
    etree.parse(str(xml_file))


def test_xml_has_no_pre18_syntax(xml_file):
    problems = list(_pre18_syntax(etree.parse(str(xml_file)).getroot()))
    assert not problems, "\n".join(f"line {n}: {p}" for n, p in problems)


# --- security ----------------------------------------------------------------


def _base_names(node):
    return {
        b.attr if isinstance(b, ast.Attribute) else getattr(b, "id", "")
        for b in node.bases
    }


def _class_attr(node, name):
    for stmt in node.body:
        if isinstance(stmt, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in stmt.targets
        ):
            try:
                return ast.literal_eval(stmt.value)
            except ValueError:
                return None
    return None


def _new_models(addon_dir):
    """Models this addon creates, abstract ones left out (they have no table)."""
    for folder in MODEL_DIRS:
        for path in sorted((addon_dir / folder).glob("*.py")):
            for node in ast.walk(ast.parse(path.read_text())):
                if not isinstance(node, ast.ClassDef):
                    continue
                name = _class_attr(node, "_name")
                inherit = _class_attr(node, "_inherit") or []
                if isinstance(inherit, str):
                    inherit = [inherit]
                if (
                    isinstance(name, str)
                    and name not in inherit
                    and "AbstractModel" not in _base_names(node)
                ):
                    yield name


def test_every_model_has_access_rules(addon_dir):
    models = set(_new_models(addon_dir))
    if not models:
        pytest.skip("the addon creates no model")
    csv_path = addon_dir / "security" / "ir.model.access.csv"
    assert csv_path.is_file()
    with csv_path.open(newline="") as f:
        # "module.model_x" and "model_x" name the same model.
        covered = {row["model_id:id"].split(".")[-1] for row in csv.DictReader(f)}
    missing = sorted(m for m in models if "model_" + m.replace(".", "_") not in covered)
    assert not missing, f"no line in ir.model.access.csv for {missing}"


# --- translations ------------------------------------------------------------


def _zh_cn(addon_dir):
    path = addon_dir / "i18n" / "zh_CN.po"
    assert path.is_file(), f"{path} is missing"
    return polib.pofile(str(path))


def _translated(entry):
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def test_zh_cn_is_complete(addon_dir):
    # polib keeps the header apart, so every entry here needs a translation.
    empty = [
        e.msgid for e in _zh_cn(addon_dir) if not e.obsolete and not _translated(e)
    ]
    assert not empty, f"{len(empty)} untranslated, first: {empty[:5]}"


def _placeholders(text):
    return Counter(PLACEHOLDER_RE.findall(text.replace("%%", "")))


def test_zh_cn_keeps_placeholders(addon_dir):
    wrong = [
        (e.msgid, e.msgstr)
        for e in _zh_cn(addon_dir)
        if not e.obsolete
        and e.msgstr
        and _placeholders(e.msgid) != _placeholders(e.msgstr)
    ]
    assert not wrong, "placeholders differ:\n" + "\n".join(map(repr, wrong))


# --- tooling -----------------------------------------------------------------


def _pylintrc(path):
    config = configparser.ConfigParser()
    config.read(path)
    enabled = {m.strip() for m in config["MESSAGES CONTROL"]["enable"].split(",")}
    return dict(config["ODOOLINT"]), enabled - {""}


def test_pylintrc_contains_the_mandatory_checks(repo):
    """.pylintrc (advisory) must report everything .pylintrc-mandatory blocks."""
    mandatory_options, mandatory = _pylintrc(repo / ".pylintrc-mandatory")
    options, enabled = _pylintrc(repo / ".pylintrc")
    assert options == mandatory_options
    assert mandatory <= enabled, sorted(mandatory - enabled)


def test_benchmark_measures_each_row(repo):
    """scripts/benchmark.py: each row of its table has its measure, and each
    measure its row (the script needs Odoo only to run them)."""
    tree = ast.parse((repo / "scripts" / "benchmark.py").read_text())
    rows = next(
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and node.targets[0].id == "ROWS"
    )
    keys = [ast.literal_eval(row)[0] for row in rows.elts]
    bench = next(
        node
        for node in tree.body
        if isinstance(node, ast.ClassDef) and node.name == "Bench"
    )
    measures = {
        node.name.removeprefix("row_")
        for node in bench.body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("row_")
    }
    assert len(keys) == len(set(keys))
    assert set(keys) == measures
