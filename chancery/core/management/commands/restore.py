"""`chancery restore FILE [--force]`: put back what `chancery backup` saved.

Only into an empty database (no tables) and an empty upload storage, unless `--force`: then the
backup replaces what is there (SQLite: the whole file, through the online backup API;
PostgreSQL: `pg_restore --clean --if-exists`, objects of the backup are dropped and recreated).
PostgreSQL restores in one transaction (`--single-transaction`): a failure leaves the database as
it was. Afterwards `chancery migrate` brings a backup made by an older Chancery up to date.
"""

import json
import sqlite3
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from chancery.core.management.commands.backup import (
    FORMAT,
    MANIFEST,
    MEDIA_PREFIX,
    engine_of,
    open_archive,
    pg_tool,
    run_pg_tool,
    sqlite_path,
    storage_files,
)

ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        handle = archive.extractfile(MANIFEST)
    except KeyError:
        handle = None
    if handle is None:
        raise CommandError("This file is not a Chancery backup: it has no manifest.json.")
    manifest: dict[str, Any] = json.loads(handle.read())
    if manifest.get("format") != FORMAT:
        raise CommandError(
            f"This backup has format {manifest.get('format')!r}; this Chancery "
            f"reads format {FORMAT}."
        )
    return manifest


class Command(BaseCommand):
    help = (
        "Restore a backup made by `chancery backup` into an empty database (or, with --force, "
        "replace the database's contents)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the archive written by `chancery backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="restore even though the database or the uploads are not empty",
        )
        parser.add_argument(
            "--no-media",
            action="store_true",
            help="restore the database only, not the uploaded files",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"file: {path} does not exist.")
        engine = engine_of()
        try:
            archive = open_archive(path, "r")
        except tarfile.TarError as error:
            raise CommandError(f"file: {path} is not a backup archive ({error}).") from None
        with archive:
            manifest = read_manifest(archive)
            if manifest["engine"] != engine:
                raise CommandError(
                    f"This backup holds a {ENGINE_NAMES.get(manifest['engine'], 'other')} "
                    f"database and DATABASE_URL points at {ENGINE_NAMES[engine]}: restore it "
                    "into the same kind of database."
                )
            with_media = bool(manifest.get("media")) and not options["no_media"]
            self._refuse_unless_empty(force=options["force"], with_media=with_media)
            with tempfile.TemporaryDirectory(prefix="chancery-restore-") as work:
                dump = Path(work) / "database"
                source = archive.extractfile(manifest["database"])
                if source is None:
                    raise CommandError("The backup has no database in it.")
                with dump.open("wb") as handle:
                    while chunk := source.read(1024 * 1024):
                        handle.write(chunk)
                if engine == "sqlite":
                    self._restore_sqlite(dump)
                else:
                    arguments = [
                        pg_tool("pg_restore"),
                        "--no-owner",
                        "--no-privileges",
                        "--exit-on-error",
                        "--single-transaction",
                    ]
                    if options["force"]:
                        arguments += ["--clean", "--if-exists"]
                    run_pg_tool(
                        [
                            *arguments,
                            "--dbname",
                            str(connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]),
                            str(dump),
                        ]
                    )
            media_count = (
                self._restore_media(archive, replace=options["force"]) if with_media else 0
            )
        tables = len(connections[DEFAULT_DB_ALIAS].introspection.table_names())
        message = f"Restored {tables} tables from {path} (made {manifest.get('created', '?')})"
        if with_media:
            message += f" and {media_count} uploaded file{'s' if media_count != 1 else ''}"
        self.stdout.write(self.style.SUCCESS(message + "."))
        if not manifest.get("media"):
            self.stdout.write("The backup holds no uploaded files: restore them separately.")
        self._hint_migrate()

    def _refuse_unless_empty(self, *, force: bool, with_media: bool) -> None:
        if force:
            return
        tables = connections[DEFAULT_DB_ALIAS].introspection.table_names()
        if tables:
            raise CommandError(
                f"The database is not empty ({len(tables)} tables): restore only into an empty "
                "database, or pass --force to replace its contents."
            )
        if with_media and next(storage_files(default_storage), None) is not None:
            raise CommandError(
                "The upload storage is not empty: restore only into an empty one, or pass "
                "--force to replace the files of the same names (or --no-media)."
            )

    def _restore_sqlite(self, dump: Path) -> None:
        target_path = sqlite_path()
        target_path.parent.mkdir(parents=True, exist_ok=True)
        connections[DEFAULT_DB_ALIAS].close()
        source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
        target = sqlite3.connect(target_path)
        try:
            source.backup(target)  # replaces every page of the target, in one step
        finally:
            target.close()
            source.close()

    def _restore_media(self, archive: tarfile.TarFile, *, replace: bool) -> int:
        count = 0
        for member in archive:
            if not member.isfile() or not member.name.startswith(MEDIA_PREFIX):
                continue
            name = member.name.removeprefix(MEDIA_PREFIX)
            if not name or name.startswith("/") or ".." in Path(name).parts:
                raise CommandError(f"The backup holds an unsafe file name: {member.name!r}.")
            if replace and default_storage.exists(name):
                default_storage.delete(name)
            handle = archive.extractfile(member)
            if handle is None:
                continue
            saved = default_storage.save(name, handle)
            if saved != name:
                raise CommandError(
                    f"The upload {name} could not be restored under its own "
                    f"name (the storage chose {saved})."
                )
            count += 1
        return count

    def _hint_migrate(self) -> None:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write("This Chancery has newer migrations: run `chancery migrate`.")
