"""System checks of a deployment (`chancery check --deploy`)."""

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages
from django.template.utils import get_app_template_dirs

STATIC_TAG = re.compile(r"""\{%\s*static\s+(["'])([^"']+)\1""")
MISSING_SHOWN = 10
COLLECT_HINT = (
    "Run `chancery collectstatic --noinput` with the environment the server runs with "
    "(STATIC_COLLECTED=on and the same STATIC_ROOT), after every upgrade."
)


def template_static_names(folders: Iterable[Path] | None = None) -> set[str]:
    """Every file a template names with a literal `{% static '...' %}`."""
    if folders is None:
        folders = [
            Path(folder) for engine in settings.TEMPLATES for folder in engine.get("DIRS", [])
        ]
        folders += [Path(folder) for folder in get_app_template_dirs("templates")]
    names: set[str] = set()
    for folder in folders:
        for template in Path(folder).rglob("*.html"):
            names.update(
                match[1]
                for match in STATIC_TAG.findall(
                    template.read_text(encoding="utf-8", errors="replace")
                )
            )
    return names


def secret_key_problem() -> str | None:
    """Why this process must not serve: DEBUG is off and no shared SECRET_KEY was given."""
    if settings.DEBUG or getattr(settings, "SECRET_KEY_GIVEN", True):
        return None
    return (
        "SECRET_KEY is not set. With DEBUG off every app server and worker must be given the "
        "same SECRET_KEY; a key each server generates for itself signs sessions, links and "
        "certificates that the others refuse. Set it, e.g. to the output of: "
        "python3 -c 'import secrets; print(secrets.token_urlsafe(64))'."
    )


def refuse_without_shared_secret_key() -> None:
    """Stop a production server or worker at start-up when it has no shared SECRET_KEY."""
    problem = secret_key_problem()
    if problem:
        raise ImproperlyConfigured(problem)


@register(Tags.security, deploy=True)
def check_secret_key(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """`check --deploy` says what start-up would refuse."""
    problem = secret_key_problem()
    return [Error(problem, id="chancery.E003")] if problem else []


@register(Tags.staticfiles, deploy=True)
def check_static_manifest(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """With DEBUG off, hashed static files need their manifest, or every page fails."""
    if settings.DEBUG:
        return []
    storage = storages["staticfiles"]
    if not isinstance(storage, ManifestFilesMixin):
        return []
    root = getattr(storage, "location", settings.STATIC_ROOT)
    if storage.read_manifest() is None:
        return [
            Error(
                f"The static files manifest ({storage.manifest_name}) is missing from "
                f'STATIC_ROOT ({root}): every page would fail with "Missing staticfiles '
                'manifest entry".',
                hint=COLLECT_HINT,
                id="chancery.E001",
            )
        ]
    try:
        paths, _ = storage.load_manifest()
    except ValueError as error:
        return [
            Error(
                f"The static files manifest in {root} cannot be read ({error}).",
                hint=COLLECT_HINT,
                id="chancery.E001",
            )
        ]
    missing = sorted(template_static_names() - set(paths))
    if missing:
        shown = ", ".join(missing[:MISSING_SHOWN]) + (
            " ..." if len(missing) > MISSING_SHOWN else ""
        )
        return [
            Error(
                f"The static files manifest in {root} has no entry for {len(missing)} "
                f"file(s) the templates use: {shown}.",
                hint=COLLECT_HINT,
                id="chancery.E002",
            )
        ]
    return []
