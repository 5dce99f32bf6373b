"""Liveness and readiness: /livez answers while the process does, /readyz (and /healthz, its
older name) only when the database, its migrations, the cache and the storage all work."""

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from chancery.core.tests.test_backup import chancery, environment, ok

PROBE = """
import json
from django.test import Client
response = Client().get("/readyz", HTTP_HOST="localhost")
print(response.status_code, json.dumps(response.json()))
"""


def test_liveness_answers_without_touching_the_database() -> None:
    response = Client().get("/livez")  # no django_db mark: a query would fail the test
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize("path", ["/readyz", "/healthz"])
@pytest.mark.django_db
def test_readiness_answers_200_when_every_check_passes(
    path: str, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    response = Client().get(path)
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "failed": [],
        "checks": {"database": "ok", "migrations": "ok", "cache": "ok", "storage": "ok"},
    }
    assert response["Cache-Control"] == "no-store"
    assert not any(tmp_path.rglob("*.txt")), "the probe file is deleted"


@pytest.mark.django_db
def test_readiness_names_a_cache_that_keeps_nothing(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["cache"]
    assert "did not come back" in response.json()["checks"]["cache"]


@pytest.mark.django_db
def test_readiness_names_a_storage_that_cannot_be_written(settings: Any, tmp_path: Path) -> None:
    not_a_folder = tmp_path / "media"
    not_a_folder.write_text("a file where the uploads folder should be")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(not_a_folder)},
        },
    }
    response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["storage"]
    assert body["checks"]["storage"].startswith("failed (")
    assert str(tmp_path) not in json.dumps(body), "paths stay in the log"


def test_readiness_answers_503_on_an_unmigrated_database_and_200_once_migrated(
    tmp_path: Path,
) -> None:
    env = environment(tmp_path, f"sqlite:///{tmp_path / 'empty.sqlite3'}", "media")
    status, body = ok(chancery(env, "shell", "--no-imports", "-c", PROBE)).split(" ", 1)
    assert status == "503"
    answer = json.loads(body)
    assert answer["failed"] == ["migrations"]
    assert "not applied" in answer["checks"]["migrations"]
    assert answer["checks"]["database"] == "ok"
    ok(chancery(env, "migrate", "--noinput", "-v0"))
    status, body = ok(chancery(env, "shell", "--no-imports", "-c", PROBE)).split(" ", 1)
    assert (status, json.loads(body)["failed"]) == ("200", [])
