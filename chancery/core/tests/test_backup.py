"""`chancery backup` and `chancery restore`, end to end, in their own scratch databases.

The demo is loaded into a fresh database, an upload is stored, the whole is backed up, restored
into an EMPTY database, and every table (found by introspection) is compared row by row, with
the PostgreSQL sequences and the uploaded files. On PostgreSQL only when DATABASE_URL points at
one: the test creates and drops its own databases next to it.
"""

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[3]
PHOTO = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
PHOTO_NAME = "events/1/backup-check.png"
DATABASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = DATABASE_URL.startswith(("postgres://", "postgresql://"))


def chancery(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "chancery", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def environment(tmp_path: Path, database_url: str, media: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("S3_") and k not in {"DEBUG", "MEDIA_ROOT"}
    }
    return {
        "SECRET_KEY": "tests-only-" + "k" * 60,
        **env,
        "DATABASE_URL": database_url,
        "CHANCERY_VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / media),
    }


def _sorted(rows: list[Any]) -> list[Any]:
    return sorted((tuple(row) for row in rows), key=repr)


def sqlite_snapshot(url: str) -> dict[str, list[Any]]:
    with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {
            table: _sorted(db.execute(f'SELECT * FROM "{table}"').fetchall())  # noqa: S608
            for table in tables
        }


def postgres_snapshot(url: str) -> dict[str, list[Any]]:
    import psycopg

    with psycopg.connect(url) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                "AND table_type = 'BASE TABLE' ORDER BY table_name"
            )
        ]
        snapshot = {
            table: _sorted(db.execute(f'SELECT * FROM "{table}"').fetchall())  # noqa: S608
            for table in tables
        }
        # The next id each table hands out must survive too, or the first insert collides.
        snapshot["<sequences>"] = _sorted(
            db.execute(
                "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
            ).fetchall()
        )
        return snapshot


def assert_same_tables(source: dict[str, list[Any]], restored: dict[str, list[Any]]) -> None:
    assert sorted(restored) == sorted(source)
    for table, rows in source.items():
        assert restored[table] == rows, f"table {table} differs after the restore"


def scratch_url(name: str) -> str:
    parts = urlsplit(DATABASE_URL)
    return urlunsplit(parts._replace(path=f"/{name}"))


@contextmanager
def scratch_postgres(*roles: str) -> Iterator[list[str]]:
    """New PostgreSQL databases next to DATABASE_URL's (skips elsewhere), dropped afterwards."""
    if not ON_POSTGRES:
        pytest.skip("DATABASE_URL is not PostgreSQL")
    import psycopg

    base = urlsplit(DATABASE_URL).path.lstrip("/") or "chancery"
    names = [f"{base}_{role}_{os.getpid()}" for role in roles]
    with psycopg.connect(scratch_url("postgres"), autocommit=True) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield [scratch_url(name) for name in names]
        finally:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_databases() -> Iterator[tuple[str, str]]:
    """Two new PostgreSQL databases: a source and an empty target."""
    with scratch_postgres("backup_source", "backup_target") as (source, target):
        yield source, target


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, str, Any]:
    if request.param == "sqlite":
        if ON_POSTGRES:
            pytest.skip("SQLite is tested in the SQLite run of the suite")
        return (
            f"sqlite:///{tmp_path / 'source.sqlite3'}",
            f"sqlite:///{tmp_path / 'target.sqlite3'}",
            sqlite_snapshot,
        )
    source, target = request.getfixturevalue("postgres_databases")
    return source, target, postgres_snapshot


def test_a_backup_restores_into_an_empty_database_table_by_table(
    backend: tuple[str, str, Any], tmp_path: Path
) -> None:
    source_url, target_url, snapshot = backend
    source = environment(tmp_path, source_url, "media-source")
    target = environment(tmp_path, target_url, "media-target")
    ok(chancery(source, "migrate", "--noinput", "-v0"))
    ok(chancery(source, "demo"))
    ok(
        chancery(
            source,
            "shell",
            "-c",
            "from django.core.files.storage import default_storage as s\n"
            "from django.core.files.base import ContentFile\n"
            f"print(s.save({PHOTO_NAME!r}, ContentFile({PHOTO!r})))",
        )
    )
    archive = tmp_path / "backups" / "chancery.tar.gz"

    out = ok(chancery(source, "backup", str(archive)))
    # The photo and what the demo uploaded (the call's applicants' documents).
    uploads = [p for p in (tmp_path / "media-source").rglob("*") if p.is_file()]
    assert len(uploads) > 1
    assert f"and {len(uploads)} uploaded files" in out
    assert archive.stat().st_mode & 0o077 == 0  # personal data: the owner's only

    restored_out = ok(chancery(target, "restore", str(archive)))
    assert "Restored" in restored_out

    before = snapshot(source_url)
    assert sum(len(rows) for rows in before.values()) > 1000  # the demo is really there
    assert before["directory_person"] and before["programmes_enrolment"]
    after = snapshot(target_url)
    assert_same_tables(before, after)
    assert (tmp_path / "media-target" / PHOTO_NAME).read_bytes() == PHOTO
    # The restored database is complete: no migration is missing.
    ok(chancery(target, "migrate", "--check", "-v0"))

    # A second restore into the now full database is refused, and changes nothing...
    refused = chancery(target, "restore", str(archive))
    assert refused.returncode != 0
    assert "The database is not empty" in refused.stderr
    assert_same_tables(before, snapshot(target_url))
    # ...unless forced: it then replaces the contents with the backup's.
    ok(
        chancery(
            target,
            "shell",
            "-c",
            "from chancery.directory.models import Person\n"
            "Person.objects.filter(pk=Person.objects.order_by('pk')[0].pk).update("
            "family_name='Changed after the backup')",
        )
    )
    assert snapshot(target_url)["directory_person"] != before["directory_person"]
    ok(chancery(target, "restore", "--force", str(archive)))
    assert_same_tables(before, snapshot(target_url))
    assert (tmp_path / "media-target" / PHOTO_NAME).read_bytes() == PHOTO


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path: Path) -> None:
    env = environment(tmp_path, f"sqlite:///{tmp_path / 'empty.sqlite3'}", "media")
    bogus = tmp_path / "notes.tar"
    bogus.write_bytes(b"these are not the droids")
    result = chancery(env, "restore", str(bogus))
    assert result.returncode != 0
    assert "is not a backup archive" in result.stderr


def test_restore_refuses_a_backup_of_another_kind_of_database(
    postgres_databases: tuple[str, str], tmp_path: Path
) -> None:
    sqlite_env = environment(tmp_path, f"sqlite:///{tmp_path / 'small.sqlite3'}", "media")
    ok(chancery(sqlite_env, "migrate", "--noinput", "-v0", "sessions"))
    archive = tmp_path / "small.tar"
    ok(chancery(sqlite_env, "backup", str(archive)))
    result = chancery(
        environment(tmp_path, postgres_databases[1], "media"), "restore", str(archive)
    )
    assert result.returncode != 0
    assert "holds a SQLite database and DATABASE_URL points at PostgreSQL" in result.stderr
    assert postgres_snapshot(postgres_databases[1]) == {"<sequences>": []}


def test_a_backup_skips_the_readiness_probe_and_files_deleted_while_it_runs(
    settings: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    import tarfile

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from chancery.core.management.commands.backup import Command

    settings.MEDIA_ROOT = tmp_path / "media"
    kept = default_storage.save("photos/kept.jpg", ContentFile(b"kept"))
    default_storage.save("readiness/probe-123", ContentFile(b"probe"))
    going = default_storage.save("imports/pending/going.csv", ContentFile(b"going"))
    real_open = default_storage.open

    def open_after_a_commit(name: str, mode: str = "rb") -> Any:
        if name == going:
            default_storage.delete(going)  # committed between the listing and the reading
        return real_open(name, mode)

    monkeypatch.setattr(default_storage, "open", open_after_a_commit)
    with tarfile.open(tmp_path / "media.tar", "w") as archive:
        assert Command()._add_media(archive) == 1
    with tarfile.open(tmp_path / "media.tar") as archive:
        assert archive.getnames() == [f"media/{kept}"]
