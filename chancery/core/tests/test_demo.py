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
    for role in ("officer", "supervisor", "participant", "coordinator", "liaison", "chair",
                 "viewer"):
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
    placements = Placement.objects.filter(supervisor=supervisor.person,
                                          evaluation__isnull=True)
    # The Kyrgyz alumni, in the supervisor's department, and the intern of today whose
    # placement just ended (programmes/demo.py, build_current).
    assert placements.count() == 10
    assert {p.department for p in placements} == {
        supervisor.person.affiliations.get(role="supervisor").organisation}
    client = Client()
    signed_in = client.post("/accounts/login/", {"username": "supervisor",
                                                 "password": "chancery-demo"})
    assert signed_in.status_code == 302
    mine = client.get("/programmes/mine/").content.decode()
    assert mine.count('">to do</a>') == 10
    page = client.get(f"/programmes/enrolments/{placements[0].enrolment_id}/")
    assert 'id="evaluation-form"' in page.content.decode()
