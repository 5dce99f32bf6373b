"""The season's Model UN final (#16): the schools and embassies of the season read it (and
only read it), one rule for refusals (403 for a page of a conference they see, 404 for one
they cannot), and the officers' "create delegations" only while it adds something."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from chancery.accounts.models import Role, User
from chancery.accounts.services import grant_role
from chancery.core.actors import SYSTEM
from chancery.directory import services as directory
from chancery.mun.models import Delegation
from chancery.mun.tests.factories import Mun
from chancery.programmes import services as programmes
from chancery.programmes.models import Participation
from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_seasons_schools_and_embassies_read_the_final_and_see_their_delegation(
    mun: Mun,
) -> None:
    url = reverse("mun:conference", args=[mun.conference.pk])
    for user in (mun.outreach.coordinator, mun.outreach.liaison):
        page = _client(user).get(url)
        assert page.status_code == 200, user
        text = page.content.decode()
        assert 'id="read-only"' in text and 'id="own-delegation"' in text
        assert "School One speaks for Poland." in text
        for action in ("create_delegations", "add_committee", "certificates"):
            assert reverse(f"mun:{action}", args=[mun.conference.pk]) not in text
        assert reverse("mun:open_session", args=[mun.committee.pk]) not in text
    # The other embassy's liaison reads it too, as its own delegation: Japan's.
    other = _client(mun.outreach.other_liaison).get(url).content.decode()
    assert "School Two speaks for Japan." in other and "speaks for Poland" not in other


def test_a_school_paired_in_the_season_without_a_participation_reads_it(mun: Mun) -> None:
    """Taking part means the same for the final's conference as for the season's events:
    a participation or a pairing."""
    Participation.objects.filter(
        edition=mun.outreach.edition, organisation=mun.outreach.school
    ).delete()
    url = reverse("mun:conference", args=[mun.conference.pk])
    assert _client(mun.outreach.coordinator).get(url).status_code == 200


def test_refusals_are_403_for_a_final_they_read_and_404_for_one_they_cannot(
    mun: Mun, cast: Any
) -> None:
    coordinator = _client(mun.outreach.coordinator)
    conference, committee = mun.conference.pk, mun.committee.pk
    # Their role does not run a conference: 403, the same page as everywhere.
    assert coordinator.post(reverse("mun:create_delegations", args=[conference])).status_code == 403
    assert coordinator.get(reverse("mun:certificates", args=[conference])).status_code == 403
    assert coordinator.get(reverse("mun:placards", args=[committee])).status_code == 403
    # A chair of the same conference who does not chair this committee sees it on the page:
    # 403, not a 404 that would pretend it does not exist.
    from chancery.mun import services

    other = services.add_committee(
        conference=mun.conference,
        name="Security Council",
        abbreviation="SC",
        profile=mun.committee.profile,
        agenda=[],
        actor=cast.alice,
    )
    chair = _client(mun.chair)
    assert chair.get(reverse("mun:placards", args=[committee])).status_code == 200
    assert chair.get(reverse("mun:placards", args=[other.pk])).status_code == 403
    session = services.open_session(committee=other, actor=cast.alice)
    assert chair.get(reverse("mun:console", args=[session.pk])).status_code == 403
    # Another season's school cannot see this final at all: 404, as for no conference.
    stranger_school = directory.create_organisation(
        actor=SYSTEM, name_en="School Far", kind="school"
    )
    edition = programmes.create_edition(
        actor=SYSTEM, programme=mun.outreach.edition.programme, name="JD 2030", year=2030
    )
    programmes.add_participation(
        actor=SYSTEM, edition=edition, organisation=stranger_school, role="school"
    )
    stranger = User.objects.create_user(username="far", password=PASSWORD)
    grant_role(actor=SYSTEM, user=stranger, role=Role.COORDINATOR, organisation=stranger_school)
    far = _client(stranger)
    assert far.get(reverse("mun:conference", args=[conference])).status_code == 404
    assert far.get(reverse("mun:conference", args=[999999])).status_code == 404
    # (No coordinator runs a session, whichever: the console's mark refuses the role first.)
    assert far.get(reverse("mun:console", args=[session.pk])).status_code == 403
    # Charlie runs another office: its conferences only.
    assert (
        _client(cast.charlie).get(reverse("mun:conference", args=[conference])).status_code == 404
    )


def test_create_delegations_is_offered_only_while_a_school_waits_for_one(mun: Mun) -> None:
    client = _client(mun.officer)
    url = reverse("mun:conference", args=[mun.conference.pk])
    action = reverse("mun:create_delegations", args=[mun.conference.pk])
    page = client.get(url).content.decode()
    assert action not in page
    assert "Every school has its delegation (2)." in page
    edition_page = reverse("programmes:edition", args=[mun.outreach.edition.pk])
    assert f'href="{edition_page}#pairings">Made from the edition\'s pairings' in page
    Delegation.objects.filter(conference=mun.conference, country__alpha2="JP").delete()
    page = client.get(url).content.decode()
    assert action in page and "Every school has its delegation" not in page
    client.post(action)
    assert "Every school has its delegation (2)." in client.get(url).content.decode()
