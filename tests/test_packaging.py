"""Build the wheels of setup/ and check what pip would install.

The build runs with --no-build-isolation so it is fast and needs no network:
setuptools, wheel and manifestoo-core come from requirements-test.txt.
"""

import email.parser
import re
import shutil
import subprocess
import sys
import zipfile

import pytest

META_NAME = "odoo_addons_techdept"
# An addon is 18.0.x.y.z, plus .N commits since the version bump; the
# metapackage is 18.0.<date>.N.
ADDON_VERSION = r"18\.0\.\d+\.\d+\.\d+(\.\d+)?"
META_VERSION = r"18\.0\.\d{8}\.\d+"
REQUIREMENT_NAME_RE = re.compile(r"^[A-Za-z0-9._-]+")


def _metadata(wheel):
    with zipfile.ZipFile(wheel) as zf:
        (name,) = [n for n in zf.namelist() if n.endswith(".dist-info/METADATA")]
        return email.parser.HeaderParser().parsestr(zf.read(name).decode())


def _required_names(metadata):
    return {
        REQUIREMENT_NAME_RE.match(r).group(0).lower().replace("_", "-")
        for r in metadata.get_all("Requires-Dist", [])
    }


@pytest.fixture(scope="session")
def wheels(repo, addons, tmp_path_factory):
    """Wheels of every addon and of the metapackage, built from a copy of setup/.

    The copy keeps pip's in-place build/ and *.egg-info out of the work tree;
    its addons/ link sends the symlinks (and git, for versions) to the real tree.
    """
    tmp = tmp_path_factory.mktemp("packaging")
    shutil.copytree(
        repo / "setup",
        tmp / "setup",
        symlinks=True,
        ignore=shutil.ignore_patterns("build", "dist", "*.egg-info", "__pycache__"),
    )
    (tmp / "addons").symlink_to(repo / "addons")
    out = tmp / "wheels"
    projects = [str(tmp / "setup" / a) for a in addons] + [
        str(tmp / "setup" / "_metapackage")
    ]
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
        + ["--quiet", "--wheel-dir", str(out), *projects],
        check=True,
    )
    return {w.name: w for w in out.glob("*.whl")}


def _wheel_of(wheels, dist_name, version):
    pattern = re.compile(rf"^{dist_name}-{version}-py3-none-any\.whl$")
    found = [w for name, w in wheels.items() if pattern.match(name)]
    assert len(found) == 1, f"no single {dist_name} wheel in {sorted(wheels)}"
    return found[0]


def test_setup_is_up_to_date(repo):
    result = subprocess.run(
        [sys.executable, str(repo / "setup" / "make_setup.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_setup_links_to_the_addon(repo, addon):
    link = repo / "setup" / addon / "odoo" / "addons" / addon
    assert link.is_symlink()
    assert link.resolve() == (repo / "addons" / addon).resolve()


def test_addon_wheel(wheels, addon, manifest, addons):
    wheel = _wheel_of(wheels, f"odoo_addon_{addon}", ADDON_VERSION)
    prefix = f"odoo/addons/{addon}/"
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
    expected = ["__init__.py", "__manifest__.py"]
    expected += manifest.get("data", []) + manifest.get("demo", [])
    missing = [f for f in expected if prefix + f not in names]
    assert not missing, f"missing from {wheel.name}: {missing}"
    strays = [
        n
        for n in names
        if not (n.startswith(prefix) or ".dist-info/" in n)
        or "__pycache__" in n
        or n.endswith(".pyc")
    ]
    assert not strays
    metadata = _metadata(wheel)
    assert metadata["Name"].replace("_", "-") == f"odoo-addon-{addon}".replace("_", "-")
    requires = _required_names(metadata)
    assert "odoo" in requires
    suite_deps = {d for d in manifest["depends"] if d in addons}
    assert {f"odoo-addon-{d}".replace("_", "-") for d in suite_deps} <= requires


def test_metapackage_wheel(wheels, addons):
    wheel = _wheel_of(wheels, META_NAME, META_VERSION)
    with zipfile.ZipFile(wheel) as zf:
        assert all(".dist-info/" in n for n in zf.namelist())
    expected = {f"odoo-addon-{a}".replace("_", "-") for a in addons}
    assert _required_names(_metadata(wheel)) == expected
