from io import StringIO

import pytest
from django.core.management import call_command

from chancery.accounts.models import User
from chancery.directory.models import Organisation, Person


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
