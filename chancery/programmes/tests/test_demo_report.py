from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from chancery.accounts.models import User
from chancery.agreements.models import Agreement
from chancery.agreements.queries import commitments_of
from chancery.programmes import queries
from chancery.programmes.models import Programme


@pytest.fixture
def demo(db: object) -> None:
    call_command("demo", stdout=StringIO())


def test_the_demo_report_shows_22_completions_by_2017(demo: None) -> None:
    jpo = Programme.objects.get(name_en="Junior Public Officers' Programme")
    report = queries.programme_report(jpo)
    assert report.completed_by(2017) == 22
    assert dict(report.by_citizenship) == {
        "Kyrgyzstan": 9,
        "Kazakhstan": 4,
        "Tajikistan": 4,
        "Afghanistan": 3,
        "—": 2,
    }
    client = Client()
    client.force_login(User.objects.get(username="officer"))
    page = client.get(f"/programmes/{jpo.pk}/report/", {"by": "2017"}).content.decode()
    assert '?completed_by=2017">22</a></strong>' in page
    assert "alumni completed by 2017" in page


def test_every_figure_of_the_report_opens_exactly_its_people(demo: None) -> None:
    import re

    from django.urls import reverse

    jpo = Programme.objects.get(name_en="Junior Public Officers' Programme")
    client = Client()
    client.force_login(User.objects.get(username="officer"))
    page = client.get(f"/programmes/{jpo.pk}/report/", {"by": "2017"}).content.decode()
    people = reverse("programmes:people", args=[jpo.pk])
    links = re.findall(rf'<a href="{re.escape(people)}\?([^"]+)">(\d+)</a>', page)
    assert len(links) >= 10  # the three figures, citizenships, hosts, the pipeline
    for query, figure in links:
        listed = client.get(f"{people}?{query.replace('&amp;', '&')}").content.decode()
        count = re.search(r'<p id="count">(\d+) (?:person|people)', listed)
        assert count is not None, query
        assert count.group(1) == figure, (query, figure, count.group(1))
    unknown = client.get(people, {"state": "completed", "citizenship": "none"}).content.decode()
    assert "Yermek Abilgaziev" in unknown and "Anna Savchenko" not in unknown
    # A reader outside the office gets nothing.
    outsider = Client()
    outsider.force_login(User.objects.get(username="coordinator"))
    assert outsider.get(people).status_code in (403, 404)


def test_the_tajik_and_unknown_cases_appear_in_the_data_quality_report(demo: None) -> None:
    quality = queries.data_quality(User.objects.get(username="officer"))
    uncovered = {str(row.placement.enrolment.person) for row in quality.uncovered_placements}
    assert {"Shoira Olimova", "Sino Ruziev", "Vassiliy Lakhonin"} <= uncovered
    assert {"Dinara Mussabalina", "Anna Savchenko"}.isdisjoint(uncovered)
    unknown = {str(person) for person in quality.without_citizenship}
    assert {"Vassiliy Lakhonin", "Yermek Abilgaziev"} <= unknown
    assert len(quality.duplicates) == 1


def test_the_two_diplomat_commitment_is_partly_met(demo: None) -> None:
    training = Agreement.objects.filter(kind="inter_agency")
    [progress] = commitments_of(training)
    assert (progress.counted, progress.commitment.quota, progress.met) == (1, 2, False)
    assert training.get().scope_items.count() == 7
