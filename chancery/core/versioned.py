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
from typing import Any

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
        return get_history_model_for_model(model)  # type: ignore[no-any-return]
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
            latest.append(f"(SELECT MAX({quote(column)}) FROM {quote(table)})")  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(latest))  # table names from the models only
        return tuple(value or 0 for value in cursor.fetchone())


def cached_by_version[T](name: str, scope: Any, models: tuple[type[Model], ...],
                         compute: Callable[[], T]) -> T:
    """`compute()`, kept until one of the tables of `models` changes.

    The key holds `scope` (what the result depends on besides the tables: the reader's
    visible rows, a language...) and `data_version` of the tables. Inside a transaction
    nothing is cached: its rows may not be committed, and a test's rolled-back rows may reuse
    the same ids.
    """
    if connection.in_atomic_block:
        return compute()
    fingerprint = repr((name, scope, data_version(*models)))
    key = "by-version:" + hashlib.sha256(fingerprint.encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, CACHE_TTL)
    return found


def scope_of(queryset: QuerySet[Any]) -> tuple[str, tuple[Any, ...]]:
    """The SQL and parameters that select `queryset`'s rows: the reader's scope."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # .none(): a reader who may see nothing
        return "", ()
    return sql, tuple(params)


@functools.cache
def _tables() -> dict[str, type[Model]]:
    """Every table the project's models (and their many-to-many links) keep, by name; a
    history table stands for the model it audits, whose fingerprint holds both."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        tables.setdefault(model._meta.db_table, model)
        history = history_model(model)
        if history is not None:
            tables[history._meta.db_table] = model
    return tables


def counted(queryset: QuerySet[Any]) -> int:
    """`queryset.count()`, kept until a table it reads changes.

    Only when every table it reads, subqueries included, is audited: a delete from any other
    table (a many-to-many link, say) would leave no trace in the fingerprint, so such a count
    is always taken afresh.
    """
    # The rows counted, without what only shows them (joins of select_related, annotations
    # no filter reads, the order): those need not be fresh for the count to be.
    sql, params = scope_of(queryset.values("pk").order_by())
    if not sql:
        return 0
    quote = connection.ops.quote_name
    read = list(dict.fromkeys(model for table, model in sorted(_tables().items())
                              if quote(table) in sql))
    if not read or any(history_model(model) is None for model in read):
        return queryset.count()
    return int(cached_by_version("count", (sql, params), tuple(read), queryset.count))
