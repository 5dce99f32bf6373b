"""The main pages of every role in the demo, shared by the accessibility test and `make
screenshots`, and the two steps both take: signing in and choosing the language."""

from typing import Any

from playwright.sync_api import Page, expect

DEMO_PASSWORD = "chancery-demo"


def _first(label: str, **filters: Any) -> int:
    from django.apps import apps

    found = apps.get_model(label).objects.filter(**filters).order_by("pk").first()
    assert found is not None, (label, filters)
    return int(found.pk)


def main_pages() -> dict[str, list[str]]:
    from chancery.calls.models import Application, Call

    call = Call.objects.get()
    jpo = _first("programmes.Programme", name_en__startswith="Junior")
    outreach = _first("programmes.Edition", programme__kind="outreach")
    panel_edition = _first("programmes.Edition", panel__isnull=False)
    own = Application.objects.get(applicant__username="applicant").pk
    return {
        "": [
            "/programmes/",
            "/calls/",
            f"/calls/{call.slug}/",
            "/draws/",
            f"/draws/{_first('draws.Draw')}/",
            "/verify/",
            "/accounts/login/",
            f"/events/editions/{outreach}/public/",
        ],
        "officer": [
            "/",
            f"/programmes/{jpo}/",
            f"/programmes/{jpo}/report/",
            f"/programmes/{jpo}/people/?completed_by=2017",
            f"/programmes/editions/{outreach}/",
            f"/programmes/enrolments/{_first('programmes.Enrolment', placements__isnull=False)}/",
            "/directory/people/",
            f"/directory/people/{_first('directory.Person', enrolments__isnull=False)}/",
            "/directory/organisations/",
            "/agreements/",
            f"/agreements/{_first('agreements.Agreement')}/",
            "/events/",
            f"/events/{_first('events.Event', attendances__attended=True)}/",
            "/mun/",
            f"/mun/{_first('mun.Conference')}/",
            "/calls/manage/",
            f"/calls/manage/{call.pk}/",
            f"/calls/applications/{own}/",
            f"/selection/editions/{panel_edition}/",
            f"/selection/editions/{panel_edition}/ranking/",
            "/reports/",
            "/notifications/",
            "/accounts/people/",
            "/styleguide/",
        ],
        "reviewer": [
            "/",
            "/selection/reviews/",
            f"/selection/reviews/{
                _first('selection.Assignment', reviewer__user__username='reviewer')
            }/",
        ],
        "applicant": ["/", f"/calls/applications/{own}/"],
        "supervisor": ["/"],
        "participant": ["/"],
        "coordinator": ["/", "/events/"],
        "liaison": ["/"],
        "chair": ["/"],
        "viewer": ["/"],
    }


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(f"{base}/")


def switch_to(page: Page, base: str, language: str) -> None:
    page.goto(f"{base}/programmes/")
    if page.locator("html").get_attribute("lang") != language:
        with page.expect_navigation():
            page.locator("#language-select").select_option(language)
    expect(page.locator("html")).to_have_attribute("lang", language)
