"""Organisations are read by everyone signed in; only the keeping office changes them."""

import importlib
import json
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied

from chancery.accounts.models import User
from chancery.core.actors import SYSTEM
from chancery.directory import services
from chancery.directory.models import Organisation


@pytest.fixture
def kept(cast: Any) -> Organisation:
    """An organisation the Academy's office recorded (through the API, as alice)."""
    response = cast.client_for(cast.alice).post(
        "/api/organisations",
        {"kind": "embassy", "name_en": "Embassy of Japan"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["owner"] == cast.academy.pk
    return Organisation.objects.get(pk=response.json()["id"])


def _audit_rows(organisation: Organisation) -> int:
    return Organisation.history.filter(id=organisation.pk).count()


def test_an_officer_keeps_the_organisations_their_office_records(
    cast: Any, kept: Organisation
) -> None:
    client = cast.client_for(cast.alice)
    assert kept.owner == cast.academy
    page = client.post(
        f"/directory/organisations/{kept.pk}/edit/",
        {"kind": "embassy", "name_en": "Embassy of Japan in Astana"},
    )
    assert page.status_code == 302
    assert client.get(f"/directory/organisations/{kept.pk}/history/").status_code == 200
    assert (
        client.patch(
            f"/api/organisations/{kept.pk}",
            {"notes": "Visa section"},
            content_type="application/json",
        ).status_code
        == 200
    )
    assert client.delete(f"/api/organisations/{kept.pk}").status_code == 204


def test_an_officer_of_another_office_reads_but_cannot_change_the_academys_organisation(
    cast: Any, kept: Organisation
) -> None:
    client = cast.client_for(cast.charlie)
    before = _audit_rows(kept)
    assert client.get(f"/directory/organisations/{kept.pk}/").status_code == 200
    assert client.get(f"/api/organisations/{kept.pk}").status_code == 200
    assert client.get(f"/directory/organisations/{kept.pk}/edit/").status_code == 403
    assert (
        client.post(
            f"/directory/organisations/{kept.pk}/edit/",
            {"kind": "embassy", "name_en": "Renamed by Charlie"},
        ).status_code
        == 403
    )
    assert client.get(f"/directory/organisations/{kept.pk}/history/").status_code == 403
    assert (
        client.patch(
            f"/api/organisations/{kept.pk}",
            {"name_en": "Renamed by Charlie"},
            content_type="application/json",
        ).status_code
        == 403
    )
    assert client.delete(f"/api/organisations/{kept.pk}").status_code == 403
    kept.refresh_from_db()
    assert kept.name_en == "Embassy of Japan"
    assert _audit_rows(kept) == before


def test_the_detail_page_offers_edit_and_history_only_to_the_keeping_office(
    cast: Any, kept: Organisation
) -> None:
    edit = f"/directory/organisations/{kept.pk}/edit/"
    assert (
        edit
        in cast.client_for(cast.alice).get(f"/directory/organisations/{kept.pk}/").content.decode()
    )
    assert (
        edit
        not in cast.client_for(cast.charlie)
        .get(f"/directory/organisations/{kept.pk}/")
        .content.decode()
    )


def test_the_service_refuses_a_change_by_an_officer_of_another_office(
    cast: Any, kept: Organisation
) -> None:
    with pytest.raises(PermissionDenied):
        services.update_organisation(actor=cast.charlie, organisation=kept, notes="x")
    with pytest.raises(PermissionDenied):
        services.delete_organisation(actor=cast.charlie, organisation=kept)
    assert Organisation.objects.filter(pk=kept.pk, notes="").exists()


def test_an_officer_cannot_hand_an_entry_to_an_office_they_do_not_serve(
    cast: Any, kept: Organisation
) -> None:
    response = cast.client_for(cast.alice).patch(
        f"/api/organisations/{kept.pk}",
        {"owner": cast.ministry.pk},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "owner"]
    with pytest.raises(PermissionDenied):
        services.create_organisation(
            actor=cast.alice, kind="other", name_en="Planted", owner=cast.ministry
        )
    kept.refresh_from_db()
    assert kept.owner == cast.academy


def test_an_office_changes_its_own_entry(cast: Any) -> None:
    response = cast.client_for(cast.charlie).patch(
        f"/api/organisations/{cast.ministry.pk}",
        {"short_name": "MFA"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert (
        cast.client_for(cast.alice)
        .patch(
            f"/api/organisations/{cast.ministry.pk}",
            {"short_name": "Ours"},
            content_type="application/json",
        )
        .status_code
        == 403
    )


def test_an_entry_kept_by_no_office_is_changed_by_administrators_only(cast: Any) -> None:
    orphan = services.create_organisation(actor=SYSTEM, kind="other", name_en="Imported Body")
    assert orphan.owner is None
    body = json.dumps({"notes": "checked"})
    assert (
        cast.client_for(cast.alice)
        .patch(f"/api/organisations/{orphan.pk}", body, content_type="application/json")
        .status_code
        == 403
    )
    admin = User.objects.create_superuser(username="root", password="x" * 20)
    assert (
        cast.client_for(admin)
        .patch(f"/api/organisations/{orphan.pk}", body, content_type="application/json")
        .status_code
        == 200
    )


def test_the_migration_gives_each_entry_to_the_office_of_whoever_recorded_it(
    cast: Any, kept: Organisation
) -> None:
    orphan = services.create_organisation(actor=SYSTEM, kind="other", name_en="Imported Body")
    Organisation.objects.filter(pk__in=[kept.pk, orphan.pk]).update(owner=None)
    migration = importlib.import_module("chancery.directory.migrations.0008_organisation_owner")
    migration.give_owners(apps, None)
    kept.refresh_from_db()
    orphan.refresh_from_db()
    assert kept.owner == cast.academy
    assert orphan.owner is None
