from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from chancery.agreements import queries, services
from chancery.agreements.models import Agreement, add_months


def _agreement(cast: Any, **extra: Any) -> Agreement:
    fields: dict[str, Any] = {
        "title": "Memorandum",
        "kind": "memorandum",
        "signed_on": date(2020, 1, 15),
    }
    fields.update(extra)
    return services.create_agreement(actor=cast.alice, owner=cast.academy, **fields)


def test_the_status_is_derived_from_the_dates(cast: Any) -> None:
    agreement = _agreement(cast, term_months=12)
    assert agreement.status_on(date(2020, 1, 14)) == "draft"
    assert agreement.status_on(date(2020, 1, 15)) == "in_force"
    assert agreement.ends_on(date(2020, 6, 1)) == date(2021, 1, 14)
    assert agreement.status_on(date(2021, 1, 15)) == "expired"
    services.update_agreement(actor=cast.alice, agreement=agreement, terminated_on=date(2020, 6, 1))
    agreement.refresh_from_db()
    assert agreement.status_on(date(2020, 6, 1)) == "terminated"


def test_an_unsigned_agreement_is_a_draft(cast: Any) -> None:
    assert _agreement(cast, signed_on=None).status == "draft"


def test_automatic_renewal_extends_the_term(cast: Any) -> None:
    agreement = _agreement(cast, term_months=12, renewal="automatic")
    assert agreement.status_on(date(2024, 3, 1)) == "in_force"
    assert agreement.ends_on(date(2024, 3, 1)) == date(2025, 1, 14)


def test_it_cannot_come_into_force_before_signing(cast: Any) -> None:
    with pytest.raises(ValidationError) as error:
        _agreement(cast, in_force_from=date(2019, 1, 1))
    assert "in_force_from" in error.value.message_dict


def test_coming_expiries_are_listed_ahead_of_time(cast: Any) -> None:
    ending = _agreement(cast, term_months=12)
    _agreement(cast, title="Open-ended")
    rows = queries.coming_expiries(Agreement.objects.all(), within_days=60, on=date(2020, 12, 1))
    assert [(row.agreement, row.days_left) for row in rows] == [(ending, 44)]


def test_the_dashboard_warns_of_an_ending_agreement(cast: Any) -> None:
    _agreement(
        cast, title="Ends within weeks", signed_on=add_months(date.today(), -11), term_months=12
    )
    page = cast.client_for(cast.alice).get("/").content.decode()
    assert "Ends within weeks" in page


def test_documents_are_downloadable_by_the_office_only(
    cast: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    agreement = _agreement(cast)
    document = services.add_document(
        actor=cast.alice,
        agreement=agreement,
        title="Signed text",
        file=SimpleUploadedFile("signed.pdf", b"%PDF-1.4 test"),
    )
    url = f"/agreements/{agreement.pk}/documents/{document.pk}/"
    response = cast.client_for(cast.bob).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert cast.client_for(cast.charlie).get(url).status_code == 404
    assert cast.client_for(cast.pat).get(url).status_code == 403


def test_a_document_whose_file_is_lost_from_storage_is_a_404_not_a_500(
    cast: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    agreement = _agreement(cast)
    document = services.add_document(
        actor=cast.alice,
        agreement=agreement,
        title="Signed text",
        file=SimpleUploadedFile("signed.pdf", b"%PDF-1.4 test"),
    )
    (tmp_path / document.file.name).unlink()
    url = f"/agreements/{agreement.pk}/documents/{document.pk}/"
    assert cast.client_for(cast.alice).get(url).status_code == 404


def test_it_refuses_a_term_longer_than_a_century(cast: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        _agreement(cast, term_months=100_000)
    assert "term_months" in refused.value.message_dict


def test_the_form_names_the_term_when_it_is_too_long(cast: Any) -> None:
    response = cast.client_for(cast.alice).post(
        "/agreements/new/",
        {
            "title": "Endless",
            "kind": "memorandum",
            "owner": cast.academy.pk,
            "signed_on": "2020-01-15",
            "term_months": "100000",
            "renewal": "none",
        },
    )
    assert response.status_code in (200, 422)
    assert "term_months" in response.context["form"].errors
    assert not Agreement.objects.filter(title="Endless").exists()


def test_the_api_names_the_term_when_it_is_too_long(cast: Any) -> None:
    response = cast.client_for(cast.alice).post(
        "/api/agreements",
        {"title": "Endless", "kind": "memorandum", "term_months": 100_000},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "term_months" in str(response.json())


def test_a_term_reaching_past_the_calendar_ends_with_it(cast: Any) -> None:
    agreement = _agreement(cast, signed_on=date(9000, 1, 1), term_months=1200, renewal="automatic")
    assert add_months(date(9999, 6, 30), 12) == date.max
    assert agreement.ends_on(date(9500, 1, 1)) == date(9599, 12, 31)
    assert agreement.ends_on(date(9999, 6, 1)) == date.max
    assert agreement.ends_on(date.max) == date.max
    assert agreement.status_on(date(9999, 6, 1)) == "in_force"
    assert cast.client_for(cast.alice).get(f"/agreements/{agreement.pk}/").status_code == 200
    assert cast.client_for(cast.alice).get("/agreements/").status_code == 200


def test_a_scope_of_fifty_thousand_lines_is_refused_naming_the_field(cast: Any) -> None:
    response = cast.client_for(cast.alice).post(
        "/agreements/new/",
        {
            "title": "Catalogue",
            "kind": "memorandum",
            "owner": cast.academy.pk,
            "renewal": "none",
            "scope": "\n".join(f"priority {n}" for n in range(50_000)),
        },
    )
    assert response.status_code == 422
    assert response.context["form"].errors["scope"] == [
        "An agreement lists at most 50 priorities; this scope has 50000 lines."
    ]
    assert not Agreement.objects.filter(title="Catalogue").exists()


def test_an_edit_refused_for_its_scope_changes_nothing(cast: Any) -> None:
    agreement = _agreement(cast, scope=["Scholarships"])
    response = cast.client_for(cast.alice).post(
        f"/agreements/{agreement.pk}/edit/",
        {
            "title": "Renamed",
            "kind": "memorandum",
            "owner": cast.academy.pk,
            "renewal": "none",
            "signed_on": "2020-01-15",
            "scope": "x" * 301,
        },
    )
    assert response.status_code == 422
    assert response.context["form"].errors["scope"] == ["Priority 1 is longer than 300 characters."]
    agreement.refresh_from_db()
    assert agreement.title == "Memorandum"
    assert [item.text for item in agreement.scope_items.all()] == ["Scholarships"]
