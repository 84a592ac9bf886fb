"""Suite-level fixtures: the repository and the addons found under addons/.

These tests read files only and none of them imports Odoo, except the
upgrade check of test_upgrade.py (marked ``upgrade``), which runs Odoo through
scripts/upgrade-check.sh. An addon is any directory of addons/ holding a
__manifest__.py, so a new addon is checked as soon as it exists. A test that
takes an ``addon`` argument runs once per addon; one that takes ``xml_file``
runs once per XML file of the addons.
"""

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ADDONS_DIR = REPO / "addons"


def discover_addons():
    """Names of the addons under addons/, sorted."""
    if not ADDONS_DIR.is_dir():
        return []
    return sorted(
        d.name for d in ADDONS_DIR.iterdir() if (d / "__manifest__.py").is_file()
    )


def read_manifest(addon):
    return ast.literal_eval((ADDONS_DIR / addon / "__manifest__.py").read_text())


def pytest_generate_tests(metafunc):
    if "addon" in metafunc.fixturenames:
        metafunc.parametrize("addon", discover_addons())
    if "xml_file" in metafunc.fixturenames:
        files = sorted(
            p for a in discover_addons() for p in (ADDONS_DIR / a).rglob("*.xml")
        )
        metafunc.parametrize(
            "xml_file", files, ids=[str(p.relative_to(ADDONS_DIR)) for p in files]
        )


@pytest.fixture(scope="session")
def repo():
    return REPO


@pytest.fixture(scope="session")
def addons():
    return discover_addons()


@pytest.fixture(scope="session")
def manifests(addons):
    return {a: read_manifest(a) for a in addons}


@pytest.fixture
def addon_dir(addon):
    return ADDONS_DIR / addon


@pytest.fixture
def manifest(addon):
    return read_manifest(addon)
