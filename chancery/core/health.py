"""Readiness: what the app needs to answer a page, each checked on its own and named."""

import logging
import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

PROBE_FOLDER = "readiness"
logger = logging.getLogger("chancery.health")


class NotReady(Exception):
    """A check that ran and found the dependency unusable."""


def check_database() -> None:
    """The database answers a query."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")


def check_migrations() -> None:
    """Every migration of this release is applied (else every page would fail on a table)."""
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise NotReady(
            f"{len(plan)} migrations not applied, first {plan[0][0].app_label}."
            f"{plan[0][0].name}: run `chancery migrate`"
        )


def check_cache() -> None:
    """What is put in the cache comes back."""
    key, value = f"chancery:readiness:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=30)
    try:
        if cache.get(key) != value:
            raise NotReady("a value set in the cache did not come back")
    finally:
        cache.delete(key)


def check_storage() -> None:
    """The upload storage takes a small file, gives it back and deletes it."""
    content = uuid.uuid4().hex.encode()
    name = default_storage.save(
        f"{PROBE_FOLDER}/probe-{uuid.uuid4().hex}.txt", ContentFile(content)
    )
    try:
        with default_storage.open(name, "rb") as stored:
            if stored.read() != content:
                raise NotReady("a file written to the storage read back different")
    finally:
        default_storage.delete(name)


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "migrations": check_migrations,
    "cache": check_cache,
    "storage": check_storage,
}


def readiness() -> dict[str, str]:
    """Each check's outcome: "ok", or in a few words what failed (the log has the error)."""
    outcomes: dict[str, str] = {}
    for name, check in CHECKS.items():
        if name == "migrations" and outcomes.get("database") != "ok":
            outcomes[name] = "not checked: the database is unreachable"
            continue
        try:
            check()
        except NotReady as error:
            outcomes[name] = str(error)
        # Whatever a backend raises means not ready. The answer is public, so it names only the
        # kind of error; the message (hosts, paths) goes to the log, one line without traceback.
        except Exception as error:
            outcomes[name] = f"failed ({type(error).__name__})"
            logger.warning(
                "Readiness check %s failed: %s: %s",
                name,
                type(error).__name__,
                " ".join(str(error).split())[:500],
            )
        else:
            outcomes[name] = "ok"
    return outcomes
