"""docker-compose.yml and docker/odoo-run.sh, checked without Docker."""

import os
import subprocess

import pytest
import yaml


@pytest.fixture(scope="module")
def compose(repo):
    return yaml.safe_load((repo / "docker-compose.yml").read_text())


def test_compose_services(compose):
    services = compose["services"]
    assert services["db"]["healthcheck"]
    assert services["odoo"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert "8069:8069" in services["odoo"]["ports"]
    assert "./addons:/mnt/extra-addons:ro" in services["odoo"]["volumes"]
    assert services["test"]["profiles"] == ["test"]


def test_compose_names_no_addon(compose, addons):
    """The addon list defaults to discovery, so adding an addon needs no edit."""
    for service in compose["services"].values():
        assert service.get("environment", {}).get("TECHDEPT_ADDONS", "") in (
            "",
            "${TECHDEPT_ADDONS:-}",
        )
        assert not set(addons) & set(" ".join(service.get("command", [])).split())


@pytest.fixture
def run_script(repo, tmp_path):
    """Run odoo-run.sh with the image's entrypoint and dropdb replaced by echo."""
    for tool in ("entrypoint", "dropdb"):
        stub = tmp_path / tool
        stub.write_text(f'#!/bin/sh\necho {tool} "$@"\n')
        stub.chmod(0o755)

    def run(mode, addons=""):
        env = dict(
            os.environ,
            PATH=f"{tmp_path}:{os.environ['PATH']}",
            ODOO_ENTRYPOINT=str(tmp_path / "entrypoint"),
            TECHDEPT_ADDONS_DIR=str(repo / "addons"),
            TECHDEPT_ADDONS=addons,
            TECHDEPT_DB="techdept",
            TECHDEPT_TEST_DB="techdept_test",
            HOST="db",
            USER="odoo",
            PASSWORD="odoo",
        )
        script = repo / "docker" / "odoo-run.sh"
        result = subprocess.run(
            ["bash", str(script), mode], env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    return run


def test_serve_installs_every_addon(run_script, addons):
    out = run_script("serve")
    assert f"entrypoint odoo -d techdept -i {','.join(addons)}\n" in out


def test_test_mode_tags_every_addon(run_script, addons):
    out = run_script("test")
    assert "dropdb --if-exists -h db -U odoo techdept_test" in out
    tags = ",".join("/" + a for a in addons)
    assert f"-i {','.join(addons)} " in out
    assert f"--test-tags {tags} " in out


def test_addon_list_can_be_narrowed(run_script):
    out = run_script("test", addons="a,b")
    assert "-i a,b --without-demo=all --test-enable --test-tags /a,/b " in out
