from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from chancery.accounts.models import User
from chancery.directory.models import Organisation, Person
from chancery.programmes.models import Placement


@pytest.mark.django_db
def test_the_demo_loads_the_source_programmes_once() -> None:
    out = StringIO()
    call_command("demo", stdout=out)
    assert "officer" in out.getvalue()
    alumni = Person.objects.filter(affiliations__role="alumnus").distinct()
    assert alumni.count() == 22
    assert alumni.filter(citizenship_set__isnull=True).count() == 2
    assert alumni.filter(citizenship_set__country_id="TJ").count() == 4
    assert alumni.filter(class_year=2005).count() == 1
    assert Organisation.objects.filter(kind="embassy").count() == 7
    assert Organisation.objects.filter(kind="school").count() == 8
    for role in (
        "officer",
        "supervisor",
        "participant",
        "coordinator",
        "liaison",
        "chair",
        "viewer",
    ):
        assert User.objects.get(username=role).check_password("chancery-demo")
    counts = (Person.objects.count(), Organisation.objects.count())
    again = StringIO()
    call_command("demo", stdout=again)
    assert "not loaded again" in again.getvalue()
    assert (Person.objects.count(), Organisation.objects.count()) == counts


@pytest.mark.django_db
def test_the_demo_supervisor_signs_in_to_interns_to_evaluate() -> None:
    call_command("demo", stdout=StringIO())
    supervisor = User.objects.get(username="supervisor")
    placements = Placement.objects.filter(supervisor=supervisor.person, evaluation__isnull=True)
    # The Kyrgyz alumni, in the supervisor's department, and the intern of today whose
    # placement just ended (programmes/demo.py, build_current).
    assert placements.count() == 10
    assert {p.department for p in placements} == {
        supervisor.person.affiliations.get(role="supervisor").organisation
    }
    client = Client()
    signed_in = client.post(
        "/accounts/login/", {"username": "supervisor", "password": "chancery-demo"}
    )
    assert signed_in.status_code == 302
    mine = client.get("/programmes/mine/").content.decode()
    assert mine.count('">to do</a>') == 10
    page = client.get(f"/programmes/enrolments/{placements[0].enrolment_id}/")
    assert 'id="evaluation-form"' in page.content.decode()


@pytest.mark.django_db
def test_the_demo_has_an_open_jpo_call_with_applications_letters_and_reviews() -> None:
    from chancery.calls.models import Application
    from chancery.calls.queries import open_calls
    from chancery.selection.models import Assignment

    call_command("demo", stdout=StringIO())
    (call,) = open_calls().filter(slug__startswith="jpo-")
    applications = Application.objects.filter(call=call)
    assert sorted(applications.values_list("status", flat=True)) == [
        "draft",
        "draft",
        "submitted",
        "submitted",
    ]
    submitted = applications.filter(status="submitted")
    # Alumni the Academy knows: recognised, eligible, the host rules waiting for placement.
    for application in submitted:
        assert application.enrolment.state == "eligible"
        assert sum(check["pending"] for check in application.enrolment.eligibility) == 2
    letters = [referee.arrived for a in submitted for referee in a.referees.all()]
    assert sorted(letters) == [False, True]
    reviewed = Assignment.objects.filter(candidacy__enrolment__in=[a.enrolment for a in submitted])
    assert reviewed.count() == 4
    assert Assignment.objects.filter(
        candidacy__panel__edition=call.edition, submitted_at__isnull=False
    ).exists()
    newcomer = applications.get(applicant__username="madina")
    assert newcomer.citizenships == ["KZ"]
    user = User.objects.get(username="applicant")
    assert user.check_password("chancery-demo")
    applicant = Client()
    applicant.force_login(user)
    page = applicant.get(
        f"/calls/applications/{submitted.get(applicant=user).pk}/", HTTP_HOST="127.0.0.1"
    )
    assert page.status_code == 200 and "Arrived" in page.content.decode()
