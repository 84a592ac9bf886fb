"""The load test's files without running them (scripts/loadtest.sh runs
Locust, in a virtual environment of its own, for minutes): the locustfile
plays every demo login, each with work it has a method for, the documents
of categories that exist; the script is valid shell; the README gives the
command and its last figures."""

import ast
import re
import subprocess
from pathlib import Path

import pytest
from lxml import etree

REPO = Path(__file__).resolve().parent.parent
LOCUSTFILE = REPO / "scripts" / "loadtest" / "locustfile.py"


@pytest.fixture(scope="module")
def locustfile():
    return ast.parse(LOCUSTFILE.read_text())


def constant(tree, name):
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise AssertionError(f"the locustfile defines no {name}")


def demo_logins():
    tree = etree.parse(str(REPO / "addons/techdept_org/demo/techdept_org_demo.xml"))
    return [
        el.text
        for el in tree.iterfind(".//record[@model='res.users']/field[@name='login']")
    ]


def test_every_demo_login_works(locustfile):
    staff = constant(locustfile, "STAFF")
    assert sorted(staff) == sorted(demo_logins())
    assert sorted(constant(locustfile, "WORK")) == sorted(staff)


def test_each_action_has_its_method(locustfile):
    (staff_class,) = [
        node
        for node in locustfile.body
        if isinstance(node, ast.ClassDef) and node.name == "Staff"
    ]
    methods = {n.name for n in staff_class.body if isinstance(n, ast.FunctionDef)}
    work = constant(locustfile, "WORK")
    for login, actions in work.items():
        for action, weight in actions.items():
            assert f"do_{action}" in methods, (login, action)
            assert isinstance(weight, int) and weight > 0, (login, action)
    # A month's mix: every kind of work is done by someone.
    done = {action for actions in work.values() for action in actions}
    kinds = {name[3:] for name in methods if name.startswith("do_")}
    assert done == kinds


def test_uploaders_write_documents_of_existing_categories(locustfile):
    source = (REPO / "addons/techdept_org/models/techdept_document.py").read_text()
    block = re.search(r"DOCUMENT_CATEGORIES = (\[.*?\])\n", source, re.DOTALL)
    categories = {code for code, _label in ast.literal_eval(block[1])}
    category = constant(locustfile, "CATEGORY")
    work = constant(locustfile, "WORK")
    uploaders = {login for login, actions in work.items() if "upload" in actions}
    assert uploaders == set(category)
    assert set(category.values()) <= categories


def test_locustfile_compiles_and_script_parses():
    compile(LOCUSTFILE.read_text(), str(LOCUSTFILE), "exec")
    script = REPO / "scripts" / "loadtest.sh"
    assert script.stat().st_mode & 0o111, "scripts/loadtest.sh is not executable"
    subprocess.run(["bash", "-n", str(script)], check=True)
    pins = (REPO / "scripts" / "loadtest" / "requirements.txt").read_text()
    assert re.search(r"^locust==\d", pins, re.MULTILINE)


def test_readme_gives_the_command_and_figures():
    readme = (REPO / "README.md").read_text()
    start = readme.index("./scripts/loadtest.sh")
    text = readme[start : start + 6000]
    assert "p95" in text and re.search(r"\d+(\.\d+)? requests/s", text), (
        "README.md gives no measured figures after the load test's command"
    )
