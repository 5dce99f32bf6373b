"""The design system's components behave as /styleguide/ says: the page itself is the
officers', a long list sorts by a whitelisted column (anything else is ignored), a failed form
leads with an error summary linking to its fields, and a destructive action acts only after
its confirmation step."""

import re
from typing import Any

from django.test import Client
from django.utils import translation

from chancery.directory.models import Organisation, Person
from chancery.draws import services as draws
from chancery.draws.models import Draw


def test_the_style_guide_is_the_officers(cast: Any) -> None:
    assert cast.client_for(cast.alice).get("/styleguide/").status_code == 200
    for user in (cast.bob, cast.sam, cast.pat):
        assert cast.client_for(user).get("/styleguide/").status_code == 403
    response = Client().get("/styleguide/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_style_guide_shows_every_component(cast: Any) -> None:
    page = cast.client_for(cast.alice).get("/styleguide/?sort=-name").content.decode()
    for mark in (
        'class="error-summary"',
        'class="empty"',
        'class="breadcrumbs"',
        'data-status="in_force"',
        'data-status="ending"',
        'data-status="conducted"',
        'class="button danger"',
        'aria-sort="',
        'class="swatch"',
    ):
        assert mark in page, mark


def _names_in(page: str, table: str = "<tbody>") -> list[str]:
    body = page.split(table, 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<td><a href="/directory/people/\d+/">([^<]+)</a>', body)


def _person(cast: Any, given: str, family: str, year: int | None = None) -> Person:
    return Person.objects.create(
        given_name=given, family_name=family, class_year=year, owner=cast.academy
    )


def test_the_people_list_sorts_by_a_whitelisted_column(cast: Any) -> None:
    for given, family, year in (
        ("Zoe", "Adams", 2019),
        ("Abe", "Young", 2011),
        ("Mia", "Moss", None),
    ):
        _person(cast, given, family, year)
    client = cast.client_for(cast.alice)
    by_name = _names_in(client.get("/directory/people/?sort=name").content.decode())
    assert by_name == sorted(by_name, key=lambda name: name.split()[-1])
    page = client.get("/directory/people/?sort=-name").content.decode()
    assert _names_in(page) == by_name[::-1]
    assert 'aria-sort="descending"' in page
    assert 'href="?sort=name"' in page  # the sorted column's heading reverses it
    by_class = _names_in(client.get("/directory/people/?sort=class").content.decode())
    assert by_class[:2] == ["Abe Young", "Zoe Adams"] and "Mia Moss" in by_class[2:]
    # An unknown key (or an attempt at another field) is ignored: the list's own order.
    default = _names_in(client.get("/directory/people/").content.decode())
    for unknown in ("email", "-birth_date", "name__x", "--name"):
        response = client.get(f"/directory/people/?sort={unknown}")
        assert response.status_code == 200
        assert _names_in(response.content.decode()) == default
        assert "aria-sort" not in response.content.decode()


def test_a_sort_keeps_the_filters_and_starts_again_at_the_first_page(cast: Any) -> None:
    _person(cast, "Zoe", "Adams")
    page = (
        cast.client_for(cast.alice)
        .get("/directory/people/?q=Ada&page=2&sort=name")
        .content.decode()
    )
    assert 'href="?q=Ada&amp;sort=-name"' in page
    assert '<input type="hidden" name="sort" value="name">' in page


def test_organisations_sort_by_their_name_in_the_readers_language(cast: Any) -> None:
    Organisation.objects.filter(pk=cast.academy.pk).update(name_ru="Я-академия")
    Organisation.objects.filter(pk=cast.ministry.pk).update(name_ru="А-министерство")
    client = cast.client_for(cast.alice)
    with translation.override("ru"):
        page = client.get(
            "/directory/organisations/?sort=name", HTTP_ACCEPT_LANGUAGE="ru"
        ).content.decode()
    assert page.index("А-министерство") < page.index("Я-академия")


def test_a_failed_form_leads_with_a_summary_linking_to_each_field(cast: Any) -> None:
    response = cast.client_for(cast.alice).post(
        "/directory/organisations/new/", {"kind": "ministry"}
    )
    assert response.status_code == 422
    page = response.content.decode()
    summary = page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    links = re.findall(r'href="#([^"]+)"', summary)
    assert links, summary
    for field_id in links:
        assert f'id="{field_id}"' in page
    assert 'tabindex="-1"' in page.split('class="error-summary"', 1)[0][-200:] + summary


def _draft(cast: Any) -> Draw:
    return draws.create_draw(
        actor=cast.alice,
        owner=cast.academy,
        title="Speaking order",
        kind="order",
        pool=["a", "b"],
        sources=[{"name": "Dice", "form": "numbers", "known_on": "2030-01-01"}],
    )


def test_a_destructive_post_without_its_confirmation_changes_nothing(cast: Any) -> None:
    draw = _draft(cast)
    client = cast.client_for(cast.alice)
    response = client.post(f"/draws/{draw.pk}/delete/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="confirm-step"' in page and 'name="confirmed" value="yes"' in page
    assert f'action="/draws/{draw.pk}/delete/"' in page
    assert Draw.objects.filter(pk=draw.pk).exists()
    assert client.post(f"/draws/{draw.pk}/delete/", {"confirmed": "no"}).status_code == 200
    assert Draw.objects.filter(pk=draw.pk).exists()
    response = client.post(f"/draws/{draw.pk}/delete/", {"confirmed": "yes"})
    assert response.status_code == 302
    assert not Draw.objects.filter(pk=draw.pk).exists()


def test_the_confirmation_step_is_no_way_round_the_access_rules(cast: Any) -> None:
    draw = _draft(cast)
    assert cast.client_for(cast.charlie).post(f"/draws/{draw.pk}/delete/").status_code == 404
    assert cast.client_for(cast.bob).post(f"/draws/{draw.pk}/delete/").status_code == 403


def test_a_person_is_deleted_only_once_confirmed(cast: Any) -> None:
    person = _person(cast, "Dana", "Short")
    client = cast.client_for(cast.alice)
    page = client.post(f"/directory/people/{person.pk}/delete/").content.decode()
    assert "Delete the record of Dana Short?" in page
    assert Person.objects.filter(pk=person.pk).exists()
    client.post(f"/directory/people/{person.pk}/delete/", {"confirmed": "yes"})
    assert not Person.objects.filter(pk=person.pk).exists()


def test_a_redraw_is_ordered_only_from_its_confirmation_page(cast: Any) -> None:
    draw = _draft(cast)
    draws.announce_draw(actor=cast.alice, draw=draw, on=draw.created_at.date())
    client = cast.client_for(cast.alice)
    client.post(f"/draws/{draw.pk}/redraw/", {"reason": "A school withdrew."})
    assert not Draw.objects.filter(redraw_of=draw).exists()
    page = client.get(f"/draws/{draw.pk}/redraw/").content.decode()
    assert 'name="confirmed" value="yes"' in page and 'class="danger"' in page


def test_status_tags_carry_their_tone(cast: Any) -> None:
    from chancery.core.templatetags.ui import status_tag

    assert status_tag("in_force", "In force") == (
        '<span class="tag badge good" data-status="in_force">In force</span>'
    )
    assert 'class="tag badge bad"' in status_tag("expired", "Expired")
    assert 'class="tag badge warn"' in status_tag("ending", "Ending soon")
    assert 'class="tag badge"' in status_tag("draft", "Draft")
