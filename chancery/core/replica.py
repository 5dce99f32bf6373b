"""Reads that may lag behind: reports and exports go to the read replica when there is one.

`DATABASE_REPLICA_URL` adds the `replica` database. Only what merely shows figures or writes a
file reads from it (`reporting`); everything that decides (who may see what, counts'
fingerprints, every write) reads the primary, since a replica may be seconds behind.
"""

from typing import Any

from django.conf import settings
from django.db.models import QuerySet

REPLICA = "replica"


def reporting[Q: QuerySet[Any]](queryset: Q) -> Q:
    """The queryset read from the replica when one is configured, else from the primary."""
    if REPLICA in settings.DATABASES:
        return queryset.using(REPLICA)
    return queryset
