from typing import Any

from django.urls import reverse

from chancery.directory.models import Organisation, Person


def test_the_people_list_searches_across_scripts(cast: Any) -> None:
    client = cast.client_for(cast.alice)
    page = client.get("/directory/people/", {"q": "Пат"}).content.decode()
    assert "Example" in page
    assert "Sample" not in page
    # Each row links to the person's page.
    link = reverse("directory:person", args=[cast.pat_person.pk])
    assert f'<a href="{link}">' in page
    assert client.get(link).status_code == 200


def test_htmx_search_returns_only_the_results_fragment(cast: Any) -> None:
    client = cast.client_for(cast.alice)
    response = client.get("/directory/people/", {"q": "quinn"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="results"')
    assert "Sample" in body
    assert "<html" not in body


def test_an_invalid_organisation_form_shows_the_field_error_and_saves_nothing(cast: Any) -> None:
    client = cast.client_for(cast.alice)
    before = Organisation.objects.count()
    response = client.post(
        "/directory/organisations/new/",
        {"kind": "embassy", "name_en": "", "website": "not a url"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert body.lstrip().startswith("<form")
    assert "This field is required." in body
    assert "Enter a valid URL." in body
    assert Organisation.objects.count() == before


def test_a_valid_organisation_form_creates_it_and_redirects(cast: Any) -> None:
    client = cast.client_for(cast.alice)
    response = client.post(
        "/directory/organisations/new/",
        {"kind": "embassy", "name_en": "Embassy of Japan", "active": "on"},
        headers={"HX-Request": "true"},
    )
    created = Organisation.objects.get(name_en="Embassy of Japan")
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"/directory/organisations/{created.pk}/"
    assert created.history.first().history_user == cast.alice


def test_a_viewer_cannot_create_people(cast: Any) -> None:
    client = cast.client_for(cast.bob)
    assert client.get("/directory/people/new/").status_code == 403
    assert client.post("/directory/people/new/", {"given_name": "X"}).status_code == 403


def test_an_officer_creates_a_person_with_citizenships(cast: Any) -> None:
    client = cast.client_for(cast.alice)
    response = client.post(
        "/directory/people/new/",
        {
            "given_name": "Anna",
            "family_name": "Savchenko",
            "owner": cast.academy.pk,
            "citizenships": ["KZ"],
            "class_year": "2015",
        },
    )
    person = Person.objects.get(family_name="Savchenko")
    assert response.status_code == 302
    assert list(person.citizenships.values_list("alpha2", flat=True)) == ["KZ"]


def test_a_person_form_rejects_a_name_missing_in_every_script(cast: Any) -> None:
    client = cast.client_for(cast.alice)
    response = client.post("/directory/people/new/", {"owner": cast.academy.pk})
    assert response.status_code == 422
    assert "A person needs a name in at least one script." in response.content.decode()


def test_a_person_form_rejects_a_birth_date_in_the_future(cast: Any) -> None:
    response = cast.client_for(cast.alice).post(
        "/directory/people/new/",
        {
            "given_name": "Anna",
            "family_name": "Tomorrow",
            "owner": cast.academy.pk,
            "birth_date": "2999-01-01",
        },
    )
    assert response.status_code == 422
    assert response.context["form"].errors["birth_date"] == [
        "The birth date 1 Jan 2999 is in the future."
    ]
    assert not Person.objects.filter(family_name="Tomorrow").exists()


def test_the_history_page_shows_who_changed_which_field(cast: Any) -> None:
    client = cast.client_for(cast.alice)
    client.post(
        f"/directory/people/{cast.pat_person.pk}/edit/",
        {
            "given_name": "Pat",
            "family_name": "Example",
            "class_year": "2011",
            "citizenships": ["KZ"],
        },
    )
    page = client.get(f"/directory/people/{cast.pat_person.pk}/history/").content.decode()
    assert "alice" in page
    assert "class year" in page


def test_an_officer_merges_likely_duplicates_from_the_ui(cast: Any) -> None:
    from chancery.directory import services

    first = services.create_person(
        actor=cast.alice,
        owner=cast.academy,
        given_name="Daniyar",
        family_name="Suyunov",
        email="ds@example.org",
    )
    second = services.create_person(
        actor=cast.alice,
        owner=cast.academy,
        given_name_cyrl="Данияр",
        family_name_cyrl="Суюнов",
        email="ds@example.org",
    )
    client = cast.client_for(cast.alice)
    assert "Review and merge" in client.get("/directory/people/duplicates/").content.decode()
    response = client.post(
        f"/directory/people/merge/{first.pk}/{second.pk}/", {"keep": str(first.pk)}
    )
    assert response.status_code == 302
    assert not Person.objects.filter(pk=second.pk).exists()


def test_a_refused_affiliation_is_explained_on_the_person_page(cast: Any) -> None:
    client = cast.client_for(cast.alice)
    page = client.post(
        f"/directory/people/{cast.pat_person.pk}/affiliations/",
        {
            "organisation": cast.ministry.pk,
            "role": "staff",
            "start": "2020-02-01",
            "end": "2020-01-01",
        },
        follow=True,
    ).content.decode()
    assert "An affiliation cannot end before it starts." in page
    assert not cast.pat_person.affiliations.filter(organisation=cast.ministry).exists()
    page = client.post(
        f"/directory/people/{cast.pat_person.pk}/affiliations/",
        {"organisation": cast.ministry.pk, "role": "staff"},
        follow=True,
    ).content.decode()
    assert "Affiliation added." in page


def test_deleting_a_person_records_refer_to_says_what_holds_them_and_offers_erasure(
    cast: Any, held_person: Person
) -> None:
    response = cast.client_for(cast.alice).post(
        reverse("directory:person_delete", args=[held_person.pk]), {"confirmed": "yes"}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Pat Example cannot be deleted: 2 enrolments and 1 party refer to them." in page
    assert f'href="{reverse("directory:person_erase", args=[held_person.pk])}"' in page
    assert Person.objects.filter(pk=held_person.pk).exists()
