"""The participant's final report: uploaded once, downloaded by those who may read it."""

from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chancery.programmes import services
from chancery.programmes.models import Enrolment, FinalReport

CONTENT = b"%PDF-1.4\n% a final report\n"


@pytest.fixture
def report(cast: Any, jpo: Any, settings: Any, tmp_path: Any) -> FinalReport:
    """Pat's enrolment, placed under Sam's supervision, with the report Pat uploaded."""
    settings.MEDIA_ROOT = tmp_path
    cast.pat.person = jpo.graduate
    cast.pat.save()
    enrolment = services.apply(
        actor=cast.alice, edition=jpo.edition, person=jpo.graduate, preferred_host=jpo.mfa
    )
    services.select(actor=cast.alice, enrolment=enrolment)
    services.place(
        actor=cast.alice,
        enrolment=enrolment,
        host=jpo.mfa,
        department=jpo.department,
        supervisor=jpo.supervisor,
        start=date(2026, 9, 1),
    )
    return services.upload_final_report(
        actor=cast.pat,
        enrolment=enrolment,
        file=SimpleUploadedFile("final-report.pdf", CONTENT, content_type="application/pdf"),
    )


def _url(report: FinalReport, enrolment: Enrolment | None = None) -> str:
    enrolment_id = (enrolment or report.enrolment).pk
    return f"/programmes/enrolments/{enrolment_id}/reports/{report.pk}/"


@pytest.mark.parametrize("who", ["alice", "pat", "sam"])
def test_the_office_the_participant_and_the_supervisor_download_the_report(
    cast: Any, report: FinalReport, who: str
) -> None:
    response = cast.client_for(getattr(cast, who)).get(_url(report))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="final-report.pdf"'
    assert b"".join(response.streaming_content) == CONTENT
    response.close()


@pytest.mark.parametrize("who", ["bob", "charlie", "quinn"])
def test_it_hides_the_report_from_everyone_else(cast: Any, report: FinalReport, who: str) -> None:
    assert cast.client_for(getattr(cast, who)).get(_url(report)).status_code == 404


def test_it_sends_anonymous_visitors_to_sign_in(client: Any, report: FinalReport) -> None:
    response = client.get(_url(report))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_report_is_found_under_its_own_enrolment_only(
    cast: Any, jpo: Any, report: FinalReport
) -> None:
    other = services.apply(
        actor=cast.alice, edition=jpo.edition, person=jpo.tajik, preferred_host=jpo.mfa
    )
    assert cast.client_for(cast.alice).get(_url(report, other)).status_code == 404


def test_a_report_whose_file_is_gone_is_a_404(cast: Any, report: FinalReport) -> None:
    report.file.storage.delete(report.file.name)
    assert cast.client_for(cast.alice).get(_url(report)).status_code == 404


@pytest.mark.parametrize("who", ["alice", "pat"])
def test_the_enrolment_page_lists_the_report_by_its_name_with_a_link(
    cast: Any, report: FinalReport, who: str
) -> None:
    page = (
        cast.client_for(getattr(cast, who))
        .get(f"/programmes/enrolments/{report.enrolment_id}/")
        .content.decode()
    )
    assert f'href="{_url(report)}"' in page
    assert ">final-report.pdf</a>" in page
    assert report.file.name not in page  # the storage path stays on the server
