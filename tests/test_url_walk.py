"""Deny by default: walk every URL pattern as an anonymous visitor and as a participant."""

import importlib
import importlib.util
import re
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

# Everything an anonymous visitor may open. Anything else must refuse them.
PUBLIC = {
    "accounts/login/",
    # allauth's steps of signing in and of a forgotten password or an e-mail link
    # (chancery/accounts/allauth_urls.py); sign-up answers that it is closed.
    "accounts/signup/",
    "accounts/inactive/",
    "accounts/login/code/confirm/",
    "accounts/2fa/authenticate/",
    "accounts/password/reset/",
    "accounts/password/reset/done/",
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
    "accounts/password/reset/key/done/",
    "accounts/confirm-email/",
    "accounts/^confirm-email/(?P<key>[-:\\w]+)/$",
    # An invitation's link: an unknown token is a 404; a known one opens only its own account.
    "accounts/invitation/<str:token>/",
    "admin/login/",
    "admin/logout/",  # signs nobody out and reveals nothing; it redirects to the admin
    "i18n/setlang/",
    "healthz",
    "livez",  # liveness and readiness probes: a status in JSON, nothing of the records
    "readyz",
    "api/openapi.json",
    "api/docs",
    "draws/",
    "draws/verify/",
    "draws/lottery.py",
    "draws/<int:pk>/",
    "draws/<int:pk>/record.json",
    "programmes/",
    "programmes/<int:pk>/",
    "verify/",
    "verify/<str:code>/",
    # Outreach events: the public edition page, its calendar feed, a person's feed with its
    # signed token, and photos (served only when public and everyone shown has consented).
    "events/editions/<int:pk>/public/",
    "events/editions/<int:pk>/calendar.ics",
    "events/calendar/<str:token>.ics",
    "events/photos/<int:pk>/image",
    # A guardian's consent page, opened by the secret link of an e-mail (unknown: a 404).
    "directory/consent/<str:token>/",
    # The Model UN projector, opened by its secret link (an unknown token is a 404).
    "mun/screen/<str:token>/",
    "mun/screen/<str:token>/live/",
    "mun/screen/<str:token>/events/",
    # Calls for applications: the open calls, a published call's page and its deadline's
    # calendar file; "Apply" sends a visitor to sign up (opened for that call only).
    "calls/",
    "calls/<slug:slug>/",
    "calls/<slug:slug>/deadline.ics",
    "calls/<slug:slug>/apply/",
    # A referee's page, opened by the signed link of an e-mail (an unknown link: a 404).
    "calls/referee/<str:token>/",
}

# Patterns that route to no operation at all (the API's root router): 404 for everyone.
NOTHING_THERE = {"api/"}

# Pages a participant (no office role) may open; anything else is refused or shows only theirs.
PARTICIPANT_OPEN = {
    "",
    "accounts/logout/",
    "accounts/password/",
    "accounts/password/done/",
    "accounts/profile/",
    # Everyone's own account: e-mail addresses, password, second factor (allauth).
    "accounts/email/",
    "accounts/password/change/",
    "accounts/password/set/",
    "accounts/reauthenticate/",
    "accounts/reauthenticate/code/",
    "accounts/reauthenticate/code/confirm/",
    "accounts/2fa/",
    "accounts/2fa/reauthenticate/",
    "accounts/2fa/totp/activate/",
    "accounts/2fa/totp/deactivate/",
    "accounts/2fa/recovery-codes/",
    "accounts/2fa/recovery-codes/generate/",
    "accounts/2fa/recovery-codes/download/",
    "directory/people/",
    "directory/people/<int:pk>/",
    # Organisations are reference data: participants see the hosts they apply to.
    "directory/organisations/",
    "directory/organisations/<int:pk>/",
    "directory/organisations/choices/",  # the suggestions of an organisation field
    "programmes/mine/",
    # Background jobs: anyone signed in lists the jobs they started (a participant has none).
    "jobs/",
    # Everyone signed in has an inbox (notifications/<id>/ opens only their own).
    "notifications/",
}


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _concrete(route: str) -> str:
    """A URL for a route: converters filled with plausible values, regexes stripped."""
    route = re.sub(r"<int:[^>]+>", "1", route)
    route = re.sub(r"<uuid:[^>]+>", "00000000-0000-4000-8000-000000000001", route)
    route = re.sub(r"<path:[^>]+>", "x/y", route)
    route = re.sub(r"<(?:str|slug):[^>]+>", "x", route)
    route = re.sub(r"<[^>]+>", "1", route)
    route = route.replace("^", "").replace("$", "").replace("\\Z", "")
    route = re.sub(r"\(\?P<[^>]+>[^)]*\)", "1", route)
    return "/" + route


ROUTES = sorted(set(_walk(get_resolver().url_patterns)))


def test_the_walk_sees_every_part_of_the_site() -> None:
    joined = "\n".join(ROUTES)
    for part in ("admin/", "api/", "directory/people/", "accounts/login/"):
        assert part in joined


def _included_modules(patterns: list[Any]) -> Iterator[tuple[str, list[Any]]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            module = entry.urlconf_module
            if isinstance(module, ModuleType):
                yield module.__name__, entry.url_patterns
            yield from _included_modules(entry.url_patterns)


def test_every_chancery_app_with_urls_is_walked() -> None:
    # A new app whose urls.py is forgotten in chancery/urls.py (or mounted some other way the
    # walk would not see) would escape the deny-by-default checks above: refuse that here.
    included = dict(_included_modules(get_resolver().url_patterns))
    apps = [
        config.name
        for config in django_apps.get_app_configs()
        if config.name.startswith("chancery.")
    ]
    assert set(apps) == {name for name in settings.INSTALLED_APPS if name.startswith("chancery.")}
    with_urls = [name for name in apps if importlib.util.find_spec(f"{name}.urls")]
    assert "chancery.directory" in with_urls
    for name in with_urls:
        assert f"{name}.urls" in included, f"{name}.urls is not mounted in chancery/urls.py"
        own = list(_walk(included[f"{name}.urls"]))
        assert all(any(route.endswith(pattern) for route in ROUTES) for pattern in own), name


def test_every_chancery_app_with_an_api_has_its_router_mounted() -> None:
    from chancery.api import api

    mounted = [router for _prefix, router in api._routers]
    apps = [
        config.name
        for config in django_apps.get_app_configs()
        if config.name.startswith("chancery.")
    ]
    with_api = [name for name in apps if importlib.util.find_spec(f"{name}.api")]
    assert "chancery.programmes" in with_api
    for name in with_api:
        router = importlib.import_module(f"{name}.api").router
        assert router in mounted, f"{name}.api's router is not added in chancery/api.py"


@pytest.mark.parametrize("route", ROUTES)
def test_anonymous_visitors_get_nothing_that_is_not_public(route: str, cast: Any) -> None:
    url = _concrete(route)
    client = Client()
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        if route in PUBLIC:
            assert response.status_code < 500, (method, url)
            continue
        if route in NOTHING_THERE:
            assert response.status_code == 404, (method, url)
            continue
        status = response.status_code
        if status in (301, 302):
            location = response["Location"]
            assert "login" in location, (method, url, location)
        else:
            assert status in (401, 403, 405), (method, url, status)


@pytest.mark.parametrize("route", [r for r in ROUTES if not r.startswith(("admin/", "api/"))])
def test_participants_are_refused_what_is_not_theirs(route: str, cast: Any) -> None:
    url = _concrete(route)
    client = cast.client_for(cast.pat)
    response = client.get(url)
    if route in PUBLIC or route in PARTICIPANT_OPEN:
        assert response.status_code in (200, 302, 404, 405), (url, response.status_code)
    else:
        assert response.status_code in (403, 404, 405), (url, response.status_code)


def test_a_participant_cannot_read_another_participants_record_by_changing_the_id(
    cast: Any,
) -> None:
    client = cast.client_for(cast.pat)
    own = client.get(f"/directory/people/{cast.pat_person.pk}/")
    other = client.get(f"/directory/people/{cast.quinn_person.pk}/")
    assert own.status_code == 200
    assert "Example" in own.content.decode()
    assert other.status_code == 404
    assert "Sample" not in other.content.decode()
    api_other = client.get(f"/api/people/{cast.quinn_person.pk}")
    assert api_other.status_code == 404


def test_an_officer_of_another_office_cannot_read_the_academys_records(cast: Any) -> None:
    client = cast.client_for(cast.charlie)
    assert client.get(f"/directory/people/{cast.pat_person.pk}/").status_code == 404
    listing = client.get("/directory/people/").content.decode()
    assert "Example" not in listing


def test_a_supervisor_sees_only_their_own_interns(cast: Any) -> None:
    client = cast.client_for(cast.sam)
    assert client.get(f"/directory/people/{cast.intern.pk}/").status_code == 200
    assert client.get(f"/directory/people/{cast.pat_person.pk}/").status_code == 404


def test_a_final_report_is_refused_at_its_real_address_to_whoever_may_not_read_it(
    cast: Any,
    settings: Any,
    tmp_path: Any,
) -> None:
    """The walk above fills ids with 1; a report that exists is refused just the same."""
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from chancery.programmes import services as programmes

    settings.MEDIA_ROOT = tmp_path
    programme = programmes.create_programme(
        actor=cast.alice, owner=cast.academy, kind="internship", name_en="Walked"
    )
    edition = programmes.create_edition(
        actor=cast.alice, programme=programme, name="2026", year=2026, starts_on=date(2026, 9, 1)
    )
    enrolment = programmes.apply(actor=cast.alice, edition=edition, person=cast.pat_person)
    report = programmes.upload_final_report(
        actor=cast.pat, enrolment=enrolment, file=SimpleUploadedFile("walked.txt", b"report")
    )
    url = reverse("programmes:enrolment_report_file", args=[enrolment.pk, report.pk])
    for method in ("get", "post"):
        response = getattr(Client(), method)(url)
        assert response.status_code == 302 and "login" in response["Location"], method
    for user in (cast.quinn, cast.bob, cast.charlie, cast.sam):
        assert cast.client_for(user).get(url).status_code == 404, user
    own = cast.client_for(cast.pat).get(url)
    own.close()
    assert own.status_code == 200
