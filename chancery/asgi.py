"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chancery.settings")
application = get_asgi_application()

from chancery.core.checks import refuse_without_shared_secret_key  # noqa: E402 - apps loaded

refuse_without_shared_secret_key()
