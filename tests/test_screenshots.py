"""scripts/screenshots.py without a browser: its list of shots against the
addons and the demo data, and the README's screenshots against the list."""

import importlib.util
import os
import re
import struct
import zlib
from pathlib import Path

import pytest
from lxml import etree

REPO = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u4e00-\u9fff]")
IMAGE_RE = re.compile(r"!\[[^\]]*\]\((docs/screenshots/[^)\s]+)\)")


@pytest.fixture(scope="module")
def shots_module():
    spec = importlib.util.spec_from_file_location(
        "screenshots", REPO / "scripts" / "screenshots.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def readme():
    return (REPO / "README.md").read_text()


def _xml_records(root):
    """(module, xml id) -> element of every record of the XML files under root."""
    found = {}
    for path in root.rglob("*.xml"):
        module = path.relative_to(root).parts[0]
        try:
            tree = etree.parse(str(path))
        except etree.XMLSyntaxError:
            continue
        for el in tree.iter("record", "menuitem", "template"):
            xmlid = el.get("id", "")
            key = tuple(xmlid.split(".", 1)) if "." in xmlid else (module, xmlid)
            found.setdefault(key, el)
    return found


@pytest.fixture(scope="module")
def suite_records():
    return _xml_records(REPO / "addons")


def _demo_logins():
    tree = etree.parse(str(REPO / "addons/techdept_org/demo/techdept_org_demo.xml"))
    return {
        el.text
        for el in tree.iterfind(".//record[@model='res.users']/field[@name='login']")
    }


def test_shot_names_are_unique_file_names(shots_module):
    names = [s.name for s in shots_module.SHOTS]
    assert len(names) == len(set(names))
    for name in names:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name), name


def test_each_shot_is_a_page_or_a_report(shots_module):
    for shot in shots_module.SHOTS:
        assert bool(shot.path) != bool(shot.report), shot.name
        if shot.path:
            assert shot.path.startswith("/odoo"), shot.name
            # A record to open is found first; one found is opened.
            assert ("{id}" in shot.path) == bool(shot.record), shot.name
            assert shot.size == (shots_module.WIDTH, shots_module.HEIGHT)
        else:
            assert shot.record and not shot.ready, shot.name
            assert shot.size is None
        for selector in shot.ready:
            assert isinstance(selector, str) and selector.strip(), shot.name
        if shot.record:
            model, domain = shot.record
            assert re.fullmatch(r"[a-z_]+(\.[a-z_]+)+", model), shot.name
            assert all(len(term) == 3 for term in domain), shot.name


def test_shots_log_in_as_demo_staff(shots_module):
    logins = _demo_logins()
    assert "director" in logins
    for shot in shots_module.SHOTS:
        assert shot.login in logins, f"{shot.name}: no demo user {shot.login}"


def test_captions_in_chinese_and_english(shots_module):
    for shot in shots_module.SHOTS:
        assert CJK.search(shot.caption_zh), shot.name
        assert shot.caption_en.isascii() and shot.caption_en.strip(), shot.name


def test_actions_and_reports_exist(shots_module, suite_records):
    odoo_path = os.environ.get("ODOO_PATH")
    odoo_records = _xml_records(Path(odoo_path) / "addons") if odoo_path else None
    for shot in shots_module.SHOTS:
        action = re.match(r"/odoo/action-([\w.]+)", shot.path)
        if action:
            key = tuple(action.group(1).split(".", 1))
            if key[0].startswith("techdept_"):
                el = suite_records.get(key)
                assert el is not None and el.get("model") == "ir.actions.act_window"
            elif odoo_records is not None:
                assert key in odoo_records, f"{shot.name}: no action {key}"
        if shot.report:
            names = {
                el.findtext("field[@name='report_name']")
                for el in suite_records.values()
                if el.get("model") == "ir.actions.report"
            }
            assert shot.report in names, f"{shot.name}: no report {shot.report}"


def _png(width, height):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def test_png_size_reads_the_header(shots_module):
    assert shots_module.png_size(_png(7, 3)) == (7, 3)
    assert shots_module.png_size(b"GIF89a" + bytes(30)) is None
    assert shots_module.png_size(_png(7, 3)[:12] + b"IDAT" + bytes(8)) is None


def test_log_problems_respect_the_allow_list(shots_module, tmp_path):
    log = tmp_path / "odoo.log"
    log.write_text(
        "2026-01-05 10:00:00,000 1 INFO db odoo.modules.loading: loading\n"
        "2026-01-05 10:00:01,000 1 WARNING db odoo.http: accepted noise\n"
        "2026-01-05 10:00:02,000 1 ERROR db odoo.http: a real error\n"
        "a traceback line that says WARNING\n"
    )
    allowlist = tmp_path / "allow.txt"
    allowlist.write_text("# why\nodoo\\.http: accepted noise\n\n")
    problems = shots_module.log_problems(log, allowlist)
    assert len(problems) == 1 and "a real error" in problems[0]


def test_reuse_db_names_the_database(shots_module):
    common = ["--python", "p", "--odoo-bin", "o", "--addons-path", "a", "--addons", "x"]
    assert shots_module.parse_args(common).db == shots_module.DEFAULT_DB
    args = shots_module.parse_args(common + ["--reuse-db", "demo"])
    assert (args.db, args.reuse_db) == ("demo", "demo")
    with pytest.raises(SystemExit):
        shots_module.parse_args(common + ["--only", "no-such-shot"])


def test_readme_shows_every_shot_with_its_captions(shots_module, readme):
    images = IMAGE_RE.findall(readme)
    expected = [f"docs/screenshots/{s.filename}" for s in shots_module.SHOTS]
    assert sorted(images) == sorted(expected)
    for shot in shots_module.SHOTS:
        assert shot.caption_zh in readme and shot.caption_en in readme, shot.name
    assert "./scripts/screenshots.sh" in readme


def test_readme_screenshots_are_real_pngs_of_their_size(shots_module, readme):
    by_file = {f"docs/screenshots/{s.filename}": s for s in shots_module.SHOTS}
    for image in IMAGE_RE.findall(readme):
        data = (REPO / image).read_bytes()
        size = shots_module.png_size(data)
        assert size, f"{image} is not a PNG"
        assert len(data) <= shots_module.MAX_BYTES, f"{image}: {len(data)} bytes"
        shot = by_file[image]
        if shot.size:
            assert size == shot.size, image
        else:
            # A portrait page, its longer side as the script renders it.
            assert size[1] == shots_module.PDF_PAGE_SIDE > size[0] > 0, image


def test_no_stray_screenshot(shots_module):
    files = {p.name for p in (REPO / "docs" / "screenshots").glob("*")}
    assert files == {s.filename for s in shots_module.SHOTS}
