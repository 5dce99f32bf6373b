"""The directory over JSON: who may do what, and how refusals are reported."""

import json
from typing import Any

import pytest
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory

from chancery.accounts.models import User
from chancery.accounts.services import create_token, revoke_token
from chancery.core.actors import SYSTEM
from chancery.directory import services
from chancery.directory.models import AffiliationRole, Organisation, Person

LIST_ENDPOINTS = ["/api/countries", "/api/organisations", "/api/people", "/api/affiliations"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # The cast creates six users; the production hasher would spend seconds on them.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def token_client(user: User, **client_options: Any) -> Client:
    """A client that sends `Authorization: Bearer <token>` and no cookie."""
    _, secret = create_token(user=user, name="tests")
    return Client(headers={"Authorization": f"Bearer {secret}"}, **client_options)


def post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def patch(client: Client, url: str, body: Any) -> Any:
    return client.patch(url, json.dumps(body), content_type="application/json")


def problems(response: Any) -> list[dict[str, Any]]:
    """The {loc, msg} entries of a 422 answer."""
    assert response.status_code == 422, (response.status_code, response.content)
    detail = response.json()["detail"]
    assert isinstance(detail, list) and detail, detail
    return detail


def fields_named(response: Any) -> set[str]:
    return {str(part) for problem in problems(response) for part in problem["loc"]}


def messages(response: Any) -> str:
    return " ".join(problem["msg"] for problem in problems(response))


# Authentication


@pytest.mark.parametrize("url", [*LIST_ENDPOINTS, "/api/accounts/me"])
def test_it_refuses_every_list_to_an_anonymous_caller_with_401(cast: Any, url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 401
    assert "Example" not in response.content.decode()


def test_it_accepts_a_bearer_token_in_place_of_a_session(cast: Any) -> None:
    response = token_client(cast.alice).get("/api/people")
    assert response.status_code == 200
    assert {"Example", "Sample"} <= {person["family_name"] for person in response.json()["items"]}


@pytest.mark.parametrize(
    "header",
    [
        "Bearer chy_not-a-token-anyone-was-given",
        "Bearer not-even-the-prefix",
        "Bearer " + "chy_" + "x" * 300,
        "Basic YWxpY2U6cGFzc3dvcmQ=",
    ],
)
def test_it_answers_401_to_a_token_it_did_not_issue(cast: Any, header: str) -> None:
    response = Client(headers={"Authorization": header}).get("/api/people")
    assert response.status_code == 401


def test_it_answers_401_to_a_revoked_token(cast: Any) -> None:
    token, secret = create_token(user=cast.alice, name="revoked")
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    assert client.get("/api/people").status_code == 200
    revoke_token(user=cast.alice, token_id=str(token.pk))
    assert client.get("/api/people").status_code == 401


def test_it_answers_401_to_the_token_of_a_deactivated_user(cast: Any) -> None:
    client = token_client(cast.alice)
    User.objects.filter(pk=cast.alice.pk).update(is_active=False)
    assert client.get("/api/people").status_code == 401


def test_it_lets_a_token_write_without_a_csrf_token(cast: Any) -> None:
    # A bearer token is not sent by browsers on their own, so CSRF does not apply to it.
    client = token_client(cast.alice, enforce_csrf_checks=True)
    response = post(client, "/api/organisations", {"kind": "embassy", "name_en": "Embassy A"})
    assert response.status_code == 201, response.content


def test_it_applies_the_csrf_check_to_session_authenticated_writes(cast: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.alice)
    body = {"kind": "embassy", "name_en": "Embassy B"}

    refused = post(client, "/api/organisations", body)
    assert refused.status_code == 403
    assert not Organisation.objects.filter(name_en="Embassy B").exists()

    token = get_token(RequestFactory().get("/"))
    client.cookies["csrftoken"] = token
    accepted = client.post(
        "/api/organisations",
        json.dumps(body),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert accepted.status_code == 201, accepted.content


def test_it_needs_no_csrf_token_to_read_with_a_session(cast: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.bob)
    assert client.get("/api/people").status_code == 200


# Creating records


def test_it_lets_an_officer_create_an_organisation(cast: Any) -> None:
    response = post(
        cast.client_for(cast.alice),
        "/api/organisations",
        {
            "kind": "department",
            "name_en": "  Protocol Department ",
            "parent": cast.ministry.pk,
            "country": "kz",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name_en"] == "Protocol Department"
    assert body["parent"] == cast.ministry.pk
    assert body["country"] == "KZ"
    assert Organisation.objects.get(pk=body["id"]).parent == cast.ministry


def test_it_records_a_person_with_two_citizenships_and_audits_who_did_it(cast: Any) -> None:
    response = post(
        token_client(cast.alice),
        "/api/people",
        {
            "given_name": "Aigerim",
            "family_name": "Bekova",
            "citizenships": ["KZ", "KG"],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["citizenships"] == ["KG", "KZ"]
    assert body["owner"] == cast.academy.pk
    person = Person.objects.get(pk=body["id"])
    assert sorted(person.citizenships.values_list("alpha2", flat=True)) == ["KG", "KZ"]
    history = person.history.all()
    assert [(row.history_type, row.history_user) for row in history] == [("+", cast.alice)]


def test_it_audits_a_change_made_with_a_session_too(cast: Any) -> None:
    response = patch(
        cast.client_for(cast.alice),
        f"/api/people/{cast.quinn_person.pk}",
        {"email": "quinn@example.org"},
    )
    assert response.status_code == 200, response.content
    latest = cast.quinn_person.history.first()
    assert (latest.history_type, latest.history_user, latest.email) == (
        "~",
        cast.alice,
        "quinn@example.org",
    )


# Invalid input is a 4xx that names the problem, never a 500


def test_it_refuses_a_body_that_is_not_json(cast: Any) -> None:
    response = cast.client_for(cast.alice).post(
        "/api/people", '{"given_name": "Pat",', content_type="application/json"
    )
    assert response.status_code in (400, 422)
    assert "json" in response.content.decode().lower() or "parse" in response.content.decode()
    assert not Person.objects.filter(given_name="Pat").exclude(pk=cast.pat_person.pk).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"given_name": "Pat", "class_year": "soon"}, "class_year"),
        ({"given_name": "Pat", "birth_date": "31.12.2000"}, "birth_date"),
        ({"given_name": "Pat", "citizenships": "KZ"}, "citizenships"),
        ({"given_name": ["Pat"]}, "given_name"),
        ({"given_name": "Pat", "guardian": "Quinn"}, "guardian"),
    ],
)
def test_it_answers_422_naming_a_field_of_the_wrong_type(
    cast: Any, body: dict[str, Any], field: str
) -> None:
    response = post(cast.client_for(cast.alice), "/api/people", body)
    assert field in fields_named(response)


def test_it_answers_422_naming_citizenships_for_an_unknown_country_code(cast: Any) -> None:
    response = post(
        cast.client_for(cast.alice),
        "/api/people",
        {"given_name": "Pat", "citizenships": ["KZ", "QQ"]},
    )
    assert "citizenships" in fields_named(response)
    assert "QQ" in messages(response)
    assert not Person.objects.filter(given_name="Pat").exclude(pk=cast.pat_person.pk).exists()


def test_it_answers_422_naming_country_for_an_organisation_in_an_unknown_country(
    cast: Any,
) -> None:
    response = post(
        cast.client_for(cast.alice),
        "/api/organisations",
        {"kind": "embassy", "name_en": "Embassy of Nowhere", "country": "QQ"},
    )
    assert "country" in fields_named(response)


def test_it_answers_422_naming_parent_for_an_unknown_parent(cast: Any) -> None:
    response = post(
        cast.client_for(cast.alice),
        "/api/organisations",
        {"kind": "department", "name_en": "Orphan", "parent": 2**62},
    )
    assert "parent" in fields_named(response)
    assert not Organisation.objects.filter(name_en="Orphan").exists()


def test_it_answers_422_to_a_person_without_any_name(cast: Any) -> None:
    response = post(
        cast.client_for(cast.alice),
        "/api/people",
        {"given_name": "   ", "email": "nobody@example.org"},
    )
    assert "name" in messages(response).lower()
    assert not Person.objects.filter(email="nobody@example.org").exists()


def test_it_answers_422_when_a_change_would_leave_a_person_without_a_name(cast: Any) -> None:
    response = patch(
        cast.client_for(cast.alice),
        f"/api/people/{cast.pat_person.pk}",
        {"given_name": "", "family_name": ""},
    )
    assert "name" in messages(response).lower()
    cast.pat_person.refresh_from_db()
    assert cast.pat_person.family_name == "Example"


def test_it_answers_422_to_an_affiliation_that_ends_before_it_starts(cast: Any) -> None:
    response = post(
        cast.client_for(cast.alice),
        "/api/affiliations",
        {
            "person": cast.pat_person.pk,
            "organisation": cast.ministry.pk,
            "role": "intern",
            "start": "2025-06-01",
            "end": "2025-05-31",
        },
    )
    assert "end before it starts" in messages(response)
    assert not cast.pat_person.affiliations.exists()


@pytest.mark.parametrize("field", ["given_name", "display_name", "notes", "email"])
def test_it_answers_422_to_null_for_a_name_or_text_that_cannot_be_empty(
    cast: Any, field: str
) -> None:
    # Regression: null reached the model and ended in a TypeError (500) or a NOT NULL error.
    response = patch(
        cast.client_for(cast.alice), f"/api/people/{cast.pat_person.pk}", {field: None}
    )
    assert field in fields_named(response)


def test_it_accepts_null_where_a_person_may_have_no_value(cast: Any) -> None:
    client = cast.client_for(cast.alice)
    url = f"/api/people/{cast.pat_person.pk}"
    assert patch(client, url, {"birth_date": "2001-02-03", "class_year": 2024}).status_code == 200
    response = patch(client, url, {"birth_date": None, "class_year": None, "citizenships": []})
    assert response.status_code == 200, response.content
    assert (response.json()["birth_date"], response.json()["class_year"]) == (None, None)
    assert response.json()["citizenships"] == []


def test_it_answers_422_to_an_organisation_made_part_of_itself(cast: Any) -> None:
    response = patch(
        cast.client_for(cast.charlie),
        f"/api/organisations/{cast.ministry.pk}",
        {"parent": cast.department.pk},
    )
    assert "parent" in fields_named(response)


# Who may see and change what


def test_it_lets_a_viewer_read_but_not_write(cast: Any) -> None:
    client = cast.client_for(cast.bob)
    assert client.get("/api/people").status_code == 200
    assert client.get(f"/api/people/{cast.pat_person.pk}").status_code == 200
    response = post(client, "/api/people", {"given_name": "Viewer", "family_name": "Made"})
    assert response.status_code == 403
    assert (
        patch(client, f"/api/people/{cast.pat_person.pk}", {"notes": "by bob"}).status_code == 403
    )
    assert client.delete(f"/api/people/{cast.pat_person.pk}").status_code == 403
    assert not Person.objects.filter(given_name="Viewer").exists()


def test_it_hides_the_academys_people_from_an_officer_of_another_office(cast: Any) -> None:
    client = cast.client_for(cast.charlie)
    url = f"/api/people/{cast.pat_person.pk}"
    assert client.get(url).status_code == 404
    assert client.get(f"{url}/consents").status_code == 404
    assert patch(client, url, {"notes": "by charlie"}).status_code == 404
    assert client.delete(url).status_code == 404
    listing = client.get("/api/people").json()
    assert listing["count"] == 0
    assert "Example" not in json.dumps(listing)
    assert Person.objects.filter(pk=cast.pat_person.pk, notes="").exists()


def test_it_gives_the_same_404_for_a_hidden_person_as_for_no_person(cast: Any) -> None:
    client = cast.client_for(cast.charlie)
    hidden = client.get(f"/api/people/{cast.pat_person.pk}")
    missing = client.get(f"/api/people/{2**62}")
    assert (hidden.status_code, hidden.json()) == (missing.status_code, missing.json())


def test_it_shows_a_participant_their_own_record_and_not_anothers(cast: Any) -> None:
    client = cast.client_for(cast.pat)
    own = client.get(f"/api/people/{cast.pat_person.pk}")
    assert own.status_code == 200
    assert own.json()["family_name"] == "Example"
    other = client.get(f"/api/people/{cast.quinn_person.pk}")
    assert other.status_code == 404
    assert "Sample" not in other.content.decode()
    listing = client.get("/api/people").json()
    assert [person["id"] for person in listing["items"]] == [cast.pat_person.pk]


def test_it_refuses_a_participant_the_list_of_organisations_and_any_write(cast: Any) -> None:
    client = cast.client_for(cast.pat)
    assert (
        patch(client, f"/api/people/{cast.pat_person.pk}", {"notes": "by pat"}).status_code == 403
    )
    assert (
        post(client, "/api/organisations", {"kind": "other", "name_en": "Pat's club"}).status_code
        == 403
    )


# Lists


def test_it_pages_lists_with_count_page_and_pages(cast: Any) -> None:
    client = cast.client_for(cast.alice)
    for number in range(5):
        services.create_person(actor=SYSTEM, owner=cast.academy, given_name=f"Extra{number}")
    total = Person.objects.filter(owner=cast.academy).count()
    first = client.get("/api/people", {"page_size": 2}).json()
    assert (first["count"], first["page"], first["pages"]) == (total, 1, (total + 1) // 2)
    assert len(first["items"]) == 2
    second = client.get("/api/people", {"page_size": 2, "page": 2}).json()
    assert second["page"] == 2
    assert {p["id"] for p in first["items"]}.isdisjoint(p["id"] for p in second["items"])
    beyond = client.get("/api/people", {"page_size": 2, "page": 999}).json()
    assert beyond["page"] == first["pages"]


@pytest.mark.parametrize(
    "query",
    [{"page_size": 201}, {"page_size": 0}, {"page": 0}, {"page": "two"}, {"page_size": 10**30}],
)
def test_it_refuses_a_page_size_or_number_out_of_bounds(cast: Any, query: dict[str, Any]) -> None:
    response = cast.client_for(cast.alice).get("/api/people", query)
    assert next(iter(query)) in fields_named(response)


def test_it_finds_a_latin_name_from_its_cyrillic_spelling(cast: Any) -> None:
    client = cast.client_for(cast.alice)
    created = post(client, "/api/people", {"given_name": "Daniyar", "family_name": "Suyunov"})
    assert created.status_code == 201, created.content
    for query in ("Суюнов", "суюнов данияр", "Suiunov"):
        found = client.get("/api/people", {"q": query}).json()
        assert [person["id"] for person in found["items"]] == [created.json()["id"]], query
    assert client.get("/api/people", {"q": "Иванова"}).json()["count"] == 0


def test_it_filters_people_by_citizenship(cast: Any) -> None:
    client = cast.client_for(cast.alice)
    with_kz = client.get("/api/people", {"citizenship": "kz"}).json()
    assert [person["id"] for person in with_kz["items"]] == [cast.pat_person.pk]
    unknown = client.get("/api/people", {"no_citizenship": True}).json()
    assert cast.pat_person.pk not in {person["id"] for person in unknown["items"]}


# Deleting


def test_it_refuses_to_delete_an_organisation_people_are_linked_to(cast: Any) -> None:
    assert cast.intern.affiliations.filter(organisation=cast.department).exists()
    response = cast.client_for(cast.charlie).delete(f"/api/organisations/{cast.department.pk}")
    assert "People are linked to this organisation" in messages(response)
    assert Organisation.objects.filter(pk=cast.department.pk).exists()
    assert cast.intern.affiliations.filter(organisation=cast.department).exists()


def test_it_deletes_an_organisation_nothing_refers_to(cast: Any) -> None:
    client = cast.client_for(cast.alice)
    created = post(client, "/api/organisations", {"kind": "other", "name_en": "Short-lived"})
    response = client.delete(f"/api/organisations/{created.json()['id']}")
    assert response.status_code == 204
    assert not Organisation.objects.filter(name_en="Short-lived").exists()


def test_it_deletes_an_affiliation_and_keeps_the_person(cast: Any) -> None:
    client = cast.client_for(cast.alice)
    affiliation = services.add_affiliation(
        actor=SYSTEM,
        person=cast.pat_person,
        organisation=cast.ministry,
        role=AffiliationRole.DIPLOMAT,
    )
    assert client.delete(f"/api/affiliations/{affiliation.pk}").status_code == 204
    assert not cast.pat_person.affiliations.exists()
    assert Person.objects.filter(pk=cast.pat_person.pk).exists()


def test_it_refuses_to_delete_a_person_records_refer_to_and_says_erasure_is_the_way(
    cast: Any, held_person: Person
) -> None:
    response = cast.client_for(cast.alice).delete(f"/api/people/{held_person.pk}")
    assert response.status_code == 409
    detail = response.json()["detail"]
    assert detail.startswith("Pat Example cannot be deleted: 2 enrolments and 1 party refer to")
    assert "Erase their personal data instead" in detail
    assert "retry" not in detail
    assert Person.objects.filter(pk=held_person.pk).exists()
    assert held_person.citizenship_set.exists()  # nothing was removed on the way


def test_the_api_refuses_a_birth_date_in_the_future_naming_the_field(cast: Any) -> None:
    response = token_client(cast.alice).post(
        "/api/people",
        json.dumps({"given_name": "Anna", "family_name": "Tomorrow", "birth_date": "2999-01-01"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "loc": ["body", "birth_date"],
            "type": "invalid",
            "msg": "The birth date 1 Jan 2999 is in the future.",
        }
    ]
    assert not Person.objects.filter(family_name="Tomorrow").exists()


def test_a_nul_character_in_a_field_is_a_422_naming_it_not_a_500(cast: Any) -> None:
    client = token_client(cast.alice)
    response = post(client, "/api/people", {"given_name": "A\u0000B", "family_name": "C"})
    assert response.status_code == 422, response.content
    assert "given_name" in fields_named(response)
    assert not Person.objects.filter(family_name="C").exists()
