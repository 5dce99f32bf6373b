"""`chancery check --deploy` catches static files collected for another storage than the
server's (the manifest missing or short), which makes every page answer 500."""

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.checks import Tags, run_checks
from django.core.management import call_command

from chancery.core.checks import template_static_names
from chancery.core.tests.test_backup import chancery, environment, ok

MANIFEST_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


@pytest.fixture
def manifest_storage(settings: Any, tmp_path: Path) -> Path:
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}}
    return Path(settings.STATIC_ROOT)


def _static_errors() -> list[str]:
    found = run_checks(tags=[Tags.staticfiles], include_deployment_checks=True)
    return [
        f"{message.id}: {message.msg}"
        for message in found
        if message.id in {"chancery.E001", "chancery.E002"}
    ]


def test_the_templates_static_files_are_found() -> None:
    assert {"css/chancery.css", "js/chancery.js", "vendor/htmx.min.js"} <= template_static_names()


def test_it_reports_a_missing_manifest(manifest_storage: Path) -> None:
    manifest_storage.mkdir()
    errors = _static_errors()
    assert len(errors) == 1
    assert errors[0].startswith(
        "chancery.E001: The static files manifest (staticfiles.json) is missing"
    )


def test_it_reports_a_manifest_without_the_templates_files(manifest_storage: Path) -> None:
    manifest_storage.mkdir()
    collected = {name: name for name in template_static_names() - {"js/chancery.js"}}
    (manifest_storage / "staticfiles.json").write_text(
        json.dumps({"version": "1.1", "hash": "", "paths": collected})
    )
    errors = _static_errors()
    assert len(errors) == 1
    assert errors[0].startswith("chancery.E002:")
    assert errors[0].endswith("has no entry for 1 file(s) the templates use: js/chancery.js.")


def test_it_passes_once_collected_with_the_servers_storage(manifest_storage: Path) -> None:
    call_command("collectstatic", "--noinput", verbosity=0)
    assert _static_errors() == []


def test_it_says_nothing_with_debug_on_or_without_a_manifest_storage(
    settings: Any, tmp_path: Path
) -> None:
    settings.STATIC_ROOT = tmp_path / "empty"
    assert _static_errors() == []  # the development storage: no manifest needed
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}}
    settings.DEBUG = True
    assert _static_errors() == []


def test_the_documented_step_passes_check_deploy_and_the_old_one_fails(tmp_path: Path) -> None:
    """docs/deploy.md, outside Docker: collectstatic with the server's STATIC_COLLECTED=on."""
    env = {
        **environment(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}", "media"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "SECRET_KEY": "s" * 64,
    }
    ok(chancery(env, "collectstatic", "--noinput", "-v0"))  # the old step, literally
    served = {**env, "STATIC_COLLECTED": "on"}
    failed = chancery(served, "check", "--deploy")
    assert failed.returncode != 0
    assert "chancery.E001" in failed.stderr + failed.stdout
    ok(chancery(served, "collectstatic", "--noinput", "-v0"))
    passed = chancery(served, "check", "--deploy")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "chancery.E00" not in passed.stdout + passed.stderr
