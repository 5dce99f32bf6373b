"""WSGI entry point for production servers."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chancery.settings")
application = get_wsgi_application()

from chancery.core.checks import refuse_without_shared_secret_key  # noqa: E402 - apps loaded

refuse_without_shared_secret_key()


def _freeze_what_is_loaded() -> None:
    """Load every view (through the URLconf), then set all that is loaded aside from the
    garbage collector: those objects live as long as the process, and each full collection
    would walk them all again, pausing a request for tens of milliseconds."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports the views)
    gc.collect()
    gc.freeze()


_freeze_what_is_loaded()
