"""Results counted over large tables, kept in the cache until one of those tables changes.

Every write through the services leaves a historical row (simple-history, on deletes too),
and bulk inserts raise a table's latest id: the latest id of a table and of its history is a
cheap fingerprint of its contents. A cached result is keyed by the fingerprints of the tables
it reads, so a write anywhere computes it afresh on the next read, on every app server (each
keeps its own cache; none can serve a stale entry to another).
"""

import functools
import hashlib
from collections.abc import Callable
from typing import Any, NamedTuple

from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Model, QuerySet
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_model_for_model

CACHE_TTL = 120  # seconds: a bound on staleness should two writes commit out of id order


@functools.cache
def history_model(model: type[Model]) -> type[Model] | None:
    """The model keeping `model`'s audit trail, or None when it is not audited."""
    try:
        return get_history_model_for_model(model)
    except NotHistoricalModelError:
        return None


def data_version(*models: type[Model]) -> tuple[int, ...]:
    """The latest id of each model's table and of its history, in one query of index
    look-ups."""
    quote = connection.ops.quote_name
    latest = []
    for model in models:
        tables = [model]
        history = history_model(model)
        if history is not None:
            tables.append(history)
        for table, column in ((t._meta.db_table, t._meta.pk.column) for t in tables):
            assert column is not None  # a table's primary key has its column
            latest.append(f"(SELECT MAX({quote(column)}) FROM {quote(table)})")  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(latest))  # table names from the models only
        return tuple(value or 0 for value in cursor.fetchone())


class Scope(NamedTuple):
    """The SQL and parameters that select a reader's rows, and the models whose tables that
    SQL reads (an affiliation a supervisor's people are chosen by, say)."""

    sql: str
    params: tuple[Any, ...]
    models: tuple[type[Model], ...]


def cached_by_version[T](
    name: str, scope: Any, models: tuple[type[Model], ...], compute: Callable[[], T]
) -> T:
    """`compute()`, kept until one of the tables of `models` changes.

    The key holds `scope` (what the result depends on besides the tables: the reader's
    visible rows, a language...) and `data_version` of the tables. A `Scope` adds the tables
    its SQL reads; when one of them is not audited nothing is cached (a delete there would
    leave no trace). Inside a transaction nothing is cached: its rows may not be committed,
    and a test's rolled-back rows may reuse the same ids.
    """
    if connection.in_atomic_block:
        return compute()
    if isinstance(scope, Scope):
        if any(history_model(model) is None for model in scope.models):
            return compute()
        models = tuple(dict.fromkeys((*models, *scope.models)))
        scope = (scope.sql, scope.params)
    fingerprint = repr((name, scope, data_version(*models)))
    key = "by-version:" + hashlib.sha256(fingerprint.encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, CACHE_TTL)
    return found


def scope_of(queryset: QuerySet[Any]) -> Scope:
    """The SQL and parameters that select `queryset`'s rows, and the tables they read: the
    reader's scope. The ids a reader's roles give are among the parameters."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # .none(): a reader who may see nothing
        return Scope("", (), ())
    return Scope(sql, tuple(params), tables_read(sql))


@functools.cache
def _tables() -> dict[str, type[Model]]:
    """Every table the project's models (and their many-to-many links) keep, by name; a
    history table stands for the model it audits, whose fingerprint holds both."""
    tables: dict[str, type[Model]] = {}
    for model in apps.get_models(include_auto_created=True):
        tables.setdefault(model._meta.db_table, model)
        history = history_model(model)
        if history is not None:
            tables[history._meta.db_table] = model
    return tables


def tables_read(sql: str) -> tuple[type[Model], ...]:
    """The models whose tables `sql` reads, subqueries and joins included."""
    quote = connection.ops.quote_name
    return tuple(
        dict.fromkeys(model for table, model in sorted(_tables().items()) if quote(table) in sql)
    )


def counted(queryset: QuerySet[Any]) -> int:
    """`queryset.count()`, kept until a table it reads changes.

    Only when every table it reads, subqueries included, is audited: a delete from any other
    table (a many-to-many link, say) would leave no trace in the fingerprint, so such a count
    is always taken afresh.
    """
    # The rows counted, without what only shows them (joins of select_related, annotations
    # no filter reads, the order): those need not be fresh for the count to be.
    scope = scope_of(queryset.values("pk").order_by())
    if not scope.sql:
        return 0
    if not scope.models:
        return queryset.count()
    return int(cached_by_version("count", scope, (), queryset.count))
