"""`chancery backup [FILE]`: the database and the uploaded files in one archive.

The archive is a tar file (gzip-compressed when its name ends in .gz or .tgz) holding:

- `manifest.json`: the format, the database engine, when, and the migrations applied;
- `database.sqlite3`, a copy made with SQLite's online backup API (readers and writers go on),
  or `database.pgdump`, PostgreSQL's custom format from `pg_dump -Fc` (one consistent snapshot);
- `media/...`: every uploaded file, read through the storage API, so a local folder and an
  S3-compatible bucket are backed up alike (`--no-media` leaves them out, e.g. for a bucket that
  is versioned and replicated on its own).

`chancery restore FILE` puts it back. The helpers below are shared with restore.py.
"""

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import Storage, default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.recorder import MigrationRecorder

from chancery.core.health import PROBE_FOLDER

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


def engine_of(alias: str = DEFAULT_DB_ALIAS) -> str:
    vendor = connections[alias].vendor
    if vendor not in DATABASE_MEMBERS:
        raise CommandError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def sqlite_path(alias: str = DEFAULT_DB_ALIAS) -> Path:
    name = str(connections[alias].settings_dict["NAME"])
    if not name or name == ":memory:" or name.startswith("file:"):
        raise CommandError(f"The SQLite database {name!r} is not a file that can be backed up.")
    return Path(name)


def pg_tool(name: str) -> str:
    """The path of pg_dump or pg_restore, or a clear error naming the Debian package."""
    found = shutil.which(name)
    if found is None:
        raise CommandError(
            f"{name} is not installed; install PostgreSQL's client tools "
            "(Debian: apt-get install postgresql-client)."
        )
    return found


def pg_environment(alias: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    """libpq's variables for the database in DATABASE_URL: no password on a command line."""
    db = connections[alias].settings_dict
    env = dict(os.environ)
    for variable, value in (
        ("PGDATABASE", db.get("NAME")),
        ("PGUSER", db.get("USER")),
        ("PGPASSWORD", db.get("PASSWORD")),
        ("PGHOST", db.get("HOST")),
        ("PGPORT", db.get("PORT")),
        ("PGSSLMODE", (db.get("OPTIONS") or {}).get("sslmode")),
    ):
        if value:
            env[variable] = str(value)
    return env


def run_pg_tool(arguments: list[str], alias: str = DEFAULT_DB_ALIAS) -> None:
    connections[alias].close()  # pg_restore --clean must not wait for our own open transaction
    result = subprocess.run(  # noqa: S603 - our own arguments, the tool found by which()
        arguments, env=pg_environment(alias), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise CommandError(f"{Path(arguments[0]).name} failed: {result.stderr.strip()}")


def storage_files(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in the storage, walking its folders."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from storage_files(storage, f"{folder}/{sub}" if folder else sub)


def open_archive(path: Path, mode: str, *, compressed: bool = False) -> tarfile.TarFile:
    if mode == "w":
        return tarfile.open(path, "w:gz" if compressed else "w")
    return tarfile.open(path, "r:*")  # plain or compressed, whatever the name says


def default_archive_path() -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / f"chancery-{stamp}.tar.gz"


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup or pg_dump) and the uploaded files into "
        "one archive; `chancery restore FILE` puts it back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file",
            nargs="?",
            help="archive to write (.tar, or .tar.gz to compress); default "
            "var/backups/chancery-<UTC time>.tar.gz",
        )
        parser.add_argument(
            "--no-media",
            action="store_true",
            help="leave the uploaded files out (back up the bucket on its own)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        engine = engine_of()
        target = Path(options["file"]) if options["file"] else default_archive_path()
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        with tempfile.TemporaryDirectory(dir=target.parent, prefix=".backup-") as work:
            dump = Path(work) / DATABASE_MEMBERS[engine]
            if engine == "sqlite":
                self._dump_sqlite(dump)
            else:
                run_pg_tool([pg_tool("pg_dump"), "--format=custom", "--file", str(dump)])
            manifest = {
                "format": FORMAT,
                "engine": engine,
                "database": DATABASE_MEMBERS[engine],
                "created": datetime.now(UTC).isoformat(timespec="seconds"),
                "media": not options["no_media"],
                "migrations": sorted(
                    [app, name]
                    for app, name in MigrationRecorder(
                        connections[DEFAULT_DB_ALIAS]
                    ).applied_migrations()
                ),
            }
            media_count = 0
            # Personal data: readable by the owner only, from the first byte.
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.close(fd)
            with open_archive(
                partial, "w", compressed=target.name.endswith((".gz", ".tgz"))
            ) as archive:
                data = json.dumps(manifest, indent=2).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                info.mtime = int(datetime.now(UTC).timestamp())
                archive.addfile(info, io.BytesIO(data))
                archive.add(dump, arcname=DATABASE_MEMBERS[engine])
                if manifest["media"]:
                    media_count = self._add_media(archive)
            os.replace(partial, target)
        what = f"the {engine} database"
        if manifest["media"]:
            what += f" and {media_count} uploaded file{'s' if media_count != 1 else ''}"
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {what} to {target} ({human_size(target.stat().st_size)})."
            )
        )

    def _dump_sqlite(self, dump: Path) -> None:
        source_path = sqlite_path()
        if not source_path.exists():
            raise CommandError(f"The SQLite database {source_path} does not exist.")
        source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
        copy = sqlite3.connect(dump)
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()

    def _add_media(self, archive: tarfile.TarFile) -> int:
        count = 0
        for name in storage_files(default_storage):
            if name.startswith(f"{PROBE_FOLDER}/"):
                continue  # the readiness probe's file, there for a moment
            info = tarfile.TarInfo(MEDIA_PREFIX + name)
            try:
                info.size = default_storage.size(name)
                try:
                    info.mtime = int(default_storage.get_modified_time(name).timestamp())
                except NotImplementedError:
                    info.mtime = int(datetime.now(UTC).timestamp())
                with default_storage.open(name, "rb") as handle:
                    archive.addfile(info, handle)
            except FileNotFoundError:
                continue  # deleted since it was listed (a committed import, a finished job)
            count += 1
        return count
