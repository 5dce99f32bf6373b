from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from chancery.agreements import services as agreements
from chancery.agreements.queries import commitment_progress
from chancery.core.actors import SYSTEM
from chancery.directory.models import Country
from chancery.programmes import queries, services
from chancery.programmes.models import Certificate, EnrolmentState, Placement


def _selected(cast: Any, jpo: Any) -> Any:
    enrolment = services.apply(
        actor=cast.alice, edition=jpo.edition, person=jpo.graduate, preferred_host=jpo.mfa
    )
    return services.select(actor=cast.alice, enrolment=enrolment)


def test_a_kazakh_graduate_applying_to_the_kazakh_ministry_is_eligible(cast: Any, jpo: Any) -> None:
    enrolment = services.apply(
        actor=cast.alice, edition=jpo.edition, person=jpo.graduate, preferred_host=jpo.department
    )
    assert enrolment.state == EnrolmentState.ELIGIBLE
    assert all(check["passed"] for check in enrolment.eligibility)
    assert len(enrolment.eligibility) == 4


def test_a_tajik_graduate_is_ineligible_with_every_reason(cast: Any, jpo: Any) -> None:
    enrolment = services.apply(
        actor=cast.alice, edition=jpo.edition, person=jpo.tajik, preferred_host=jpo.mfa
    )
    assert enrolment.state == EnrolmentState.INELIGIBLE
    failed = [check for check in enrolment.eligibility if not check["passed"]]
    assert len(failed) == 2
    assert enrolment.state_reason


def test_with_no_host_yet_the_host_rules_wait_for_the_placement(cast: Any, jpo: Any) -> None:
    """A new applicant who names no host is eligible on what can be judged; the two host rules
    each say once, in the reader's language, that they are checked at placement, and the
    placement then judges them."""
    from django.utils import translation

    enrolment = services.apply(actor=cast.alice, edition=jpo.edition, person=jpo.graduate)
    assert enrolment.state == EnrolmentState.ELIGIBLE
    assert enrolment.state_reason == ""
    waiting = [check for check in enrolment.eligibility if check["pending"]]
    assert [check["rule"] for check in waiting] == [
        "host_country_is_citizenship",
        "host_covered_by_agreement",
    ]
    from chancery.programmes.wording import stored_check

    with translation.override("ru"):
        reasons = [stored_check(check) for check in waiting]
    assert reasons == [
        "Принимающая организация в стране гражданства: будет проверено при распределении",
        "Принимающая организация охвачена соглашением: будет проверено при распределении",
    ]
    enrolment = services.select(actor=cast.alice, enrolment=enrolment)
    uncovered = agreements_free_host(cast)
    with pytest.raises(ValidationError, match="breaks the eligibility rules"):
        services.place(
            actor=cast.alice, enrolment=enrolment, host=uncovered, start=date(2026, 9, 1)
        )


def agreements_free_host(cast: Any) -> Any:
    from chancery.directory import services as directory

    return directory.create_organisation(
        actor=SYSTEM,
        kind="ministry",
        name_en="MFA elsewhere",
        country=Country.objects.get(alpha2="KZ"),
    )


def test_an_override_needs_a_written_reason_and_is_audited(cast: Any, jpo: Any) -> None:
    enrolment = services.apply(
        actor=cast.alice, edition=jpo.edition, person=jpo.tajik, preferred_host=jpo.mfa
    )
    with pytest.raises(ValidationError, match="written reason"):
        services.override_eligibility(actor=cast.alice, enrolment=enrolment, reason=" ")
    enrolment = services.override_eligibility(
        actor=cast.alice, enrolment=enrolment, reason="Agreed with the ministry in writing."
    )
    assert enrolment.state == EnrolmentState.ELIGIBLE
    latest = enrolment.history.first()
    assert latest.history_user == cast.alice
    assert latest.override_reason == "Agreed with the ministry in writing."


def test_an_illegal_transition_is_refused_with_a_clear_message(cast: Any, jpo: Any) -> None:
    enrolment = services.apply(
        actor=cast.alice, edition=jpo.edition, person=jpo.graduate, preferred_host=jpo.mfa
    )
    with pytest.raises(ValidationError) as error:
        services.complete(actor=cast.alice, enrolment=enrolment)
    assert "state" in error.value.message_dict
    enrolment.refresh_from_db()
    assert enrolment.state == EnrolmentState.ELIGIBLE


def test_the_whole_lifecycle_ends_with_a_certificate(cast: Any, jpo: Any) -> None:
    enrolment = _selected(cast, jpo)
    placement = services.place(
        actor=cast.alice,
        enrolment=enrolment,
        host=jpo.mfa,
        department=jpo.department,
        supervisor=jpo.supervisor,
        start=date(2026, 9, 1),
    )
    assert placement.end == date(2026, 11, 30)
    services.start(actor=cast.alice, enrolment=enrolment)
    services.evaluate(
        actor=cast.sam,
        placement=placement,
        evaluator=jpo.supervisor,
        scores={"knowledge": 4, "analysis": 5, "initiative": 4, "teamwork": 5, "reliability": 5},
        comment="Sharp briefs.",
    )
    enrolment = services.complete(actor=cast.alice, enrolment=enrolment, on=date(2026, 11, 30))
    certificate = services.issue_certificate(actor=cast.alice, enrolment=enrolment)
    assert certificate.issued_on == date(2026, 11, 30)
    assert len(certificate.code) == 16
    placement.refresh_from_db()
    assert placement.status == "completed"


def test_overlapping_placements_of_one_person_are_refused(cast: Any, jpo: Any) -> None:
    enrolment = _selected(cast, jpo)
    services.place(actor=cast.alice, enrolment=enrolment, host=jpo.mfa, start=date(2026, 9, 1))
    other = services.create_edition(
        actor=cast.alice,
        programme=jpo.programme,
        name="Other",
        year=2026,
        starts_on=date(2026, 10, 1),
    )
    second = services.apply(
        actor=cast.alice, edition=other, person=jpo.graduate, preferred_host=jpo.mfa
    )
    services.select(actor=cast.alice, enrolment=second)
    with pytest.raises(ValidationError, match="already placed"):
        services.place(actor=cast.alice, enrolment=second, host=jpo.mfa, start=date(2026, 10, 1))
    assert Placement.objects.filter(enrolment=second).count() == 0


def test_cancelling_a_planned_placement_selects_the_intern_again(cast: Any, jpo: Any) -> None:
    enrolment = _selected(cast, jpo)
    placement = services.place(
        actor=cast.alice, enrolment=enrolment, host=jpo.mfa, start=date(2026, 9, 1)
    )
    again = services.cancel_placement(actor=cast.alice, placement=placement, reason="Moved")
    placement.refresh_from_db()
    assert (again.state, again.state_reason, placement.status) == ("selected", "Moved", "cancelled")
    assert placement.history.first().history_user == cast.alice
    services.place(actor=cast.alice, enrolment=again, host=jpo.mfa, start=date(2026, 9, 1))


def test_only_a_planned_placement_can_be_cancelled(cast: Any, jpo: Any) -> None:
    enrolment = _selected(cast, jpo)
    placement = services.place(
        actor=cast.alice, enrolment=enrolment, host=jpo.mfa, start=date(2026, 9, 1)
    )
    services.start(actor=cast.alice, enrolment=enrolment)
    with pytest.raises(ValidationError, match="Only a planned placement can be cancelled"):
        services.cancel_placement(actor=cast.alice, placement=placement, reason="Moved")
    placement.refresh_from_db()
    assert placement.status == "active"


def test_a_placement_that_breaks_the_rules_is_refused(cast: Any, jpo: Any) -> None:
    enrolment = _selected(cast, jpo)
    with pytest.raises(ValidationError, match="eligibility rules"):
        services.place(
            actor=cast.alice, enrolment=enrolment, host=cast.ministry, start=date(2009, 9, 1)
        )


def test_capacity_limits_selection(cast: Any, jpo: Any) -> None:
    jpo.edition.capacity = 0
    jpo.edition.save()
    enrolment = services.apply(
        actor=cast.alice, edition=jpo.edition, person=jpo.graduate, preferred_host=jpo.mfa
    )
    with pytest.raises(ValidationError, match="full"):
        services.select(actor=cast.alice, enrolment=enrolment)


def test_withdrawal_needs_a_reason_and_revokes_the_certificate(cast: Any, jpo: Any) -> None:
    enrolment = _selected(cast, jpo)
    services.place(actor=cast.alice, enrolment=enrolment, host=jpo.mfa, start=date(2026, 9, 1))
    services.start(actor=cast.alice, enrolment=enrolment)
    services.complete(actor=cast.alice, enrolment=enrolment)
    certificate = services.issue_certificate(actor=cast.alice, enrolment=enrolment)
    with pytest.raises(ValidationError):
        services.withdraw(actor=cast.alice, enrolment=enrolment, reason="")
    # A completed enrolment is final; revocation is done on the certificate itself.
    services.revoke_certificate(
        actor=cast.alice, certificate=certificate, reason="Issued in error."
    )
    assert Certificate.objects.get(pk=certificate.pk).revoked_on is not None


def test_withdrawing_an_active_participant_cancels_the_placement(cast: Any, jpo: Any) -> None:
    enrolment = _selected(cast, jpo)
    placement = services.place(
        actor=cast.alice, enrolment=enrolment, host=jpo.mfa, start=date(2026, 9, 1)
    )
    services.start(actor=cast.alice, enrolment=enrolment)
    services.withdraw(actor=cast.alice, enrolment=enrolment, reason="Took a permanent post.")
    placement.refresh_from_db()
    assert placement.status == "cancelled"
    report = queries.programme_report(jpo.programme)
    assert report.withdrawals == [(str(jpo.graduate), "Took a permanent post.")]


def test_a_testimonial_is_public_only_while_consent_holds(cast: Any, jpo: Any) -> None:
    enrolment = _selected(cast, jpo)
    testimonial = services.write_testimonial(
        actor=cast.alice, enrolment=enrolment, text="Worth every day.", publish=True
    )
    assert queries.published_testimonials(jpo.programme) == [testimonial]
    services.unpublish_testimonial(actor=cast.alice, testimonial=testimonial)
    assert queries.published_testimonials(jpo.programme) == []


def test_commitment_progress_is_counted_from_completed_enrolments(cast: Any, jpo: Any) -> None:
    commitment = agreements.add_commitment(
        actor=cast.alice,
        agreement=jpo.agreement,
        description="Two Kazakh interns",
        quota=2,
        programme=jpo.programme,
        citizenship=Country.objects.get(alpha2="KZ"),
    )
    assert commitment_progress(commitment).counted == 0
    enrolment = _selected(cast, jpo)
    services.place(actor=cast.alice, enrolment=enrolment, host=jpo.mfa, start=date(2026, 9, 1))
    services.start(actor=cast.alice, enrolment=enrolment)
    assert commitment_progress(commitment).counted == 0
    services.complete(actor=cast.alice, enrolment=enrolment)
    progress = commitment_progress(commitment)
    assert (progress.counted, progress.met, progress.percent) == (1, False, 50)


def test_an_oversubscribed_edition_selects_by_a_verifiable_draw(cast: Any, jpo: Any) -> None:
    from chancery.directory import services as directory
    from chancery.directory.models import AffiliationRole
    from chancery.draws import lottery
    from chancery.draws import services as draws

    jpo.edition.capacity = 1
    jpo.edition.save()
    for given in ("Aru", "Bota", "Dana"):
        person = directory.create_person(
            actor=SYSTEM,
            owner=cast.academy,
            given_name=given,
            family_name="Applicant",
            citizenships=[Country.objects.get(alpha2="KZ")],
        )
        directory.add_affiliation(
            actor=SYSTEM, person=person, organisation=cast.academy, role=AffiliationRole.ALUMNUS
        )
        services.apply(actor=cast.alice, edition=jpo.edition, person=person, preferred_host=jpo.mfa)
    draw = services.prepare_selection_draw(actor=cast.alice, edition=jpo.edition)
    assert draw.k == 1
    assert len(draw.pool) == 3
    draw = draws.update_draw(
        actor=cast.alice,
        draw=draw,
        sources=[{"name": "Dice", "form": "numbers", "known_on": "2030-01-02"}],
    )
    draw = draws.announce_draw(actor=cast.alice, draw=draw, on=date(2030, 1, 1))
    draw = draws.conduct_draw(
        actor=cast.alice, draw=draw, values=["4 4 2"], at=datetime(2030, 1, 2, 9, tzinfo=UTC)
    )
    [selected] = services.select_by_draw(actor=cast.alice, edition=jpo.edition, draw=draw)
    assert services.selection_entry(selected) == draw.record["result"][0]
    assert selected.state == EnrolmentState.SELECTED
    assert lottery.verify_record(draw.record) == []
    assert jpo.edition.enrolments.filter(state=EnrolmentState.SELECTED).count() == 1


def test_outreach_pairings_come_from_the_conducted_draw(cast: Any) -> None:
    from chancery.directory import services as directory
    from chancery.draws import services as draws

    programme = services.create_programme(
        actor=cast.alice, owner=cast.academy, kind="outreach", name_en="Outreach"
    )
    edition = services.create_edition(actor=cast.alice, programme=programme, name="2026", year=2026)
    for name, role in (
        ("School A", "school"),
        ("School B", "school"),
        ("Embassy X", "embassy"),
        ("Embassy Y", "embassy"),
    ):
        organisation = directory.create_organisation(actor=SYSTEM, name_en=name, kind=role)
        services.add_participation(
            actor=cast.alice, edition=edition, organisation=organisation, role=role
        )
    draw = services.prepare_pairing_draw(actor=cast.alice, edition=edition)
    assert (draw.left, draw.right) == (["School A", "School B"], ["Embassy X", "Embassy Y"])
    draw = draws.update_draw(
        actor=cast.alice,
        draw=draw,
        sources=[{"name": "Dice", "form": "numbers", "known_on": "2030-01-02"}],
    )
    draw = draws.announce_draw(actor=cast.alice, draw=draw, on=date(2030, 1, 1))
    draw = draws.conduct_draw(
        actor=cast.alice, draw=draw, values=["5 1"], at=datetime(2030, 1, 2, 9, tzinfo=UTC)
    )
    pairings = services.pair_by_draw(actor=cast.alice, edition=edition, draw=draw)
    assert sorted((p.school.name_en, p.embassy.name_en) for p in pairings) == sorted(draw.pairs)
    with pytest.raises(ValidationError, match="already paired"):
        services.pair_by_draw(actor=cast.alice, edition=edition, draw=draw)
    redraw = draws.order_redraw(actor=cast.alice, draw=draw, reason="An embassy withdrew.")
    redraw = draws.update_draw(
        actor=cast.alice,
        draw=redraw,
        sources=[{"name": "Dice again", "form": "numbers", "known_on": "2030-02-02"}],
    )
    redraw = draws.announce_draw(actor=cast.alice, draw=redraw, on=date(2030, 2, 1))
    redraw = draws.conduct_draw(
        actor=cast.alice, draw=redraw, values=["2 6"], at=datetime(2030, 2, 2, 9, tzinfo=UTC)
    )
    replaced = services.pair_by_draw(actor=cast.alice, edition=edition, draw=redraw)
    assert {p.draw_id for p in edition.pairings.all()} == {redraw.pk}
    assert len(replaced) == 2


def test_an_officer_changes_and_retires_a_rule_without_code(cast: Any, jpo: Any) -> None:
    rule = jpo.programme.eligibility_rules.get(kind="citizenship_in")
    client = cast.client_for(cast.alice)
    client.post(
        f"/programmes/{jpo.programme.pk}/rules/{rule.pk}/",
        {"kind": rule.kind, "params": '{"countries": ["KZ", "TJ"]}', "label": "KZ or TJ"},
    )
    rule.refresh_from_db()
    assert rule.params["countries"] == ["KZ", "TJ"]
    enrolment = services.apply(
        actor=cast.alice, edition=jpo.edition, person=jpo.tajik, preferred_host=jpo.mfa
    )
    failed = {c["rule"] for c in enrolment.eligibility if not c["passed"]}
    assert "KZ or TJ" not in failed
    bad = client.post(
        f"/programmes/{jpo.programme.pk}/rules/{rule.pk}/",
        {"kind": rule.kind, "params": '{"countries": "KZ"}'},
        follow=True,
    )
    assert "countries" in bad.content.decode()
    client.post(f"/programmes/{jpo.programme.pk}/rules/{rule.pk}/retire/", {"confirmed": "yes"})
    rule.refresh_from_db()
    assert rule.retired_on is not None
    assert rule.history.count() == 3


def test_the_report_downloads_as_csv_and_xlsx(cast: Any, jpo: Any) -> None:
    client = cast.client_for(cast.alice)
    csv_response = client.get(f"/programmes/{jpo.programme.pk}/report.csv")
    assert csv_response.status_code == 200
    assert "section,item,value" in csv_response.content.decode("utf-8-sig")
    xlsx = client.get(f"/programmes/{jpo.programme.pk}/report.xlsx")
    assert xlsx.content[:2] == b"PK"
    assert client.get(f"/programmes/{jpo.programme.pk}/report.pdf").status_code == 404


def test_the_edition_page_prepares_and_applies_a_selection_draw(cast: Any, jpo: Any) -> None:
    from chancery.draws import services as draws
    from chancery.draws.models import Draw

    services.apply(
        actor=cast.alice, edition=jpo.edition, person=jpo.graduate, preferred_host=jpo.mfa
    )
    client = cast.client_for(cast.alice)
    response = client.post(f"/programmes/editions/{jpo.edition.pk}/selection-draw/")
    draw = Draw.objects.get(edition=jpo.edition)
    assert response["Location"] == f"/draws/{draw.pk}/edit/"
    draw = draws.update_draw(
        actor=cast.alice,
        draw=draw,
        sources=[{"name": "Dice", "form": "numbers", "known_on": "2030-01-02"}],
    )
    draw = draws.announce_draw(actor=cast.alice, draw=draw, on=date(2030, 1, 1))
    draws.conduct_draw(
        actor=cast.alice, draw=draw, values=["3"], at=datetime(2030, 1, 2, 9, tzinfo=UTC)
    )
    client.post(
        f"/programmes/editions/{jpo.edition.pk}/selection-draw/apply/", {"draw": str(draw.pk)}
    )
    assert jpo.edition.enrolments.get().state == EnrolmentState.SELECTED
    other = client.post(
        f"/programmes/editions/{jpo.edition.pk}/selection-draw/apply/",
        {"draw": "99999999999999999999"},
    )
    assert other.status_code == 404


def test_a_testimonial_keeps_its_language_and_a_reader_sees_their_own_first(
    cast: Any, jpo: Any
) -> None:
    from django.utils import translation

    first = _selected(cast, jpo)
    other = services.apply(actor=cast.alice, edition=jpo.edition, person=cast.quinn_person)
    kazakh = services.write_testimonial(
        actor=cast.alice,
        enrolment=first,
        text="Әр күні пайдалы болды.",
        publish=True,
        language="kk",
    )
    with translation.override("ru"):  # the language the writer works in, unless they say
        russian = services.write_testimonial(
            actor=cast.alice, enrolment=other, text="Очень полезно.", publish=True
        )
    assert (kazakh.language, russian.language) == ("kk", "ru")
    assert queries.published_testimonials(jpo.programme, "kk") == [kazakh, russian]
    assert queries.published_testimonials(jpo.programme, "ru") == [russian, kazakh]
    with pytest.raises(ValidationError):
        services.write_testimonial(
            actor=cast.alice, enrolment=first, text="Hm.", publish=False, language="xx"
        )
    client = cast.client_for(cast.alice)
    client.cookies["django_language"] = "kk"
    page = client.get(f"/programmes/{jpo.programme.pk}/").content.decode()
    assert '<blockquote class="card" lang="kk">' in page
    assert page.index("Әр күні") < page.index("Очень полезно")


def test_a_participant_says_which_language_their_testimonial_is_in(cast: Any, jpo: Any) -> None:
    from chancery.programmes.models import Testimonial

    enrolment = services.apply(actor=cast.alice, edition=jpo.edition, person=cast.pat_person)
    client = cast.client_for(cast.pat)
    url = f"/programmes/enrolments/{enrolment.pk}/testimonial/"
    posted = client.post(url, {"text": "Очень полезно.", "language": "ru", "publish": "on"})
    assert posted.status_code == 302
    assert Testimonial.objects.get(enrolment=enrolment).language == "ru"
    client.cookies["django_language"] = "kk"  # not said: the language the page is read in
    client.post(url, {"text": "Әр күні пайдалы болды."})
    assert Testimonial.objects.get(enrolment=enrolment).language == "kk"
