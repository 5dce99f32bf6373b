"""Every role's main pages, in English, Russian and Kazakh, checked by axe-core for WCAG 2.1 A and
AA failures. axe is vendored here (tests/e2e/vendor, MPL-2.0) and put into the page by the test
only: the site never serves it. The browser context bypasses the site's CSP for that one script.
"""

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, expect

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe-4.14.1.min.js").read_text()
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _first(label: str, **filters: Any) -> int:
    from django.apps import apps

    found = apps.get_model(label).objects.filter(**filters).order_by("pk").first()
    assert found is not None, (label, filters)
    return int(found.pk)


def _pages() -> dict[str, list[str]]:
    from chancery.calls.models import Application, Call

    call = Call.objects.get()
    jpo = _first("programmes.Programme", name_en__startswith="Junior")
    outreach = _first("programmes.Edition", programme__kind="outreach")
    panel_edition = _first("programmes.Edition", panel__isnull=False)
    own = Application.objects.get(applicant__username="applicant").pk
    return {
        "": ["/programmes/", "/calls/", f"/calls/{call.slug}/", "/draws/",
             f"/draws/{_first('draws.Draw')}/", "/verify/", "/accounts/login/",
             f"/events/editions/{outreach}/public/"],
        "officer": [
            "/", f"/programmes/{jpo}/", f"/programmes/{jpo}/report/",
            f"/programmes/{jpo}/people/?completed_by=2017",
            f"/programmes/editions/{outreach}/",
            f"/programmes/enrolments/{_first('programmes.Enrolment', placements__isnull=False)}/",
            "/directory/people/",
            f"/directory/people/{_first('directory.Person', enrolments__isnull=False)}/",
            "/directory/organisations/", "/agreements/",
            f"/agreements/{_first('agreements.Agreement')}/", "/events/",
            f"/events/{_first('events.Event', attendances__attended=True)}/", "/mun/",
            f"/mun/{_first('mun.Conference')}/", "/calls/manage/", f"/calls/manage/{call.pk}/",
            f"/calls/applications/{own}/", f"/selection/editions/{panel_edition}/",
            f"/selection/editions/{panel_edition}/ranking/", "/reports/", "/notifications/",
            "/accounts/people/"],
        "reviewer": ["/", "/selection/reviews/",
                     f"/selection/reviews/{_first('selection.Assignment',
                                                   reviewer__user__username='reviewer')}/"],
        "applicant": ["/", f"/calls/applications/{own}/"],
        "supervisor": ["/"], "participant": ["/"], "coordinator": ["/", "/events/"],
        "liaison": ["/"], "chair": ["/"], "viewer": ["/"],
    }


@pytest.fixture
def demo(transactional_db: None) -> dict[str, list[str]]:
    call_command("demo", stdout=StringIO())
    return _pages()


def test_no_page_of_any_role_fails_wcag_21_aa_in_three_languages(
        demo: dict[str, list[str]], browser: Browser, live_server: Any) -> None:
    base = live_server.url
    failures = []
    for username, paths in demo.items():
        context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 800})
        page = context.new_page()
        try:
            if username:
                page.goto(f"{base}/accounts/login/")
                page.locator("#id_username").fill(username)
                page.locator("#id_password").fill("chancery-demo")
                page.locator("main button[type=submit]").click()
                expect(page).to_have_url(f"{base}/")
            for language in ("en", "ru", "kk"):
                page.goto(f"{base}/programmes/")
                if page.locator("html").get_attribute("lang") != language:
                    with page.expect_navigation():
                        page.locator("#language-select").select_option(language)
                for path in paths:
                    response = page.goto(f"{base}{path}")
                    assert response is not None and response.status == 200, (username, path)
                    page.evaluate(AXE)
                    result = page.evaluate("tags => axe.run(document, {runOnly: "
                                           "{type: 'tag', values: tags}})", TAGS)
                    failures += [f"{username or 'visitor'} {language} {path}: {v['id']} "
                                 f"({v['help']}) at {v['nodes'][0]['target']}"
                                 for v in result["violations"]]
        finally:
            context.close()
    assert not failures, "\n".join(failures)
