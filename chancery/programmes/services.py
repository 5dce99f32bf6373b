"""Writes of programmes: editions, rules, and the enrolment lifecycle from application to
certificate. Every change of state goes through `_move`, which asks lifecycle.py whether it is
allowed, so the UI, the API and the command line refuse the same things with the same words.
"""

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from chancery.agreements.models import add_months
from chancery.core.formats.days import day_text
from chancery.core.services import apply_changes as _apply
from chancery.core.services import delete as _delete
from chancery.core.services import save as _save
from chancery.core.validators import check_upload_size
from chancery.directory import services as directory
from chancery.directory.models import ConsentKind, Organisation, Person
from chancery.directory.queries import reachable
from chancery.draws import services as draws
from chancery.notifications.services import absolute_url, notify
from chancery.programmes import eligibility, lifecycle, queries, wording
from chancery.programmes.models import (
    Certificate,
    Edition,
    EligibilityRule,
    Enrolment,
    EnrolmentState,
    Evaluation,
    FinalReport,
    Pairing,
    Participation,
    Placement,
    PlacementStatus,
    Programme,
    Testimonial,
)
from chancery.programmes.periods import first_clash
from chancery.programmes.queries import decide

PROGRAMME_FIELDS = frozenset(
    {
        "name_en",
        "name_ru",
        "name_kk",
        "kind",
        "owner",
        "default_duration_months",
        "description_en",
        "description_ru",
        "description_kk",
    }
)
SELECTED_OR_LATER = (
    EnrolmentState.SELECTED,
    EnrolmentState.PLACED,
    EnrolmentState.ACTIVE,
    EnrolmentState.COMPLETED,
)
EDITION_FIELDS = frozenset(
    {"name", "year", "starts_on", "ends_on", "capacity", "applications_open", "applications_close"}
)


def _locked(enrolment: Enrolment) -> Enrolment:
    return (
        Enrolment.objects.select_for_update()
        .select_related("edition__programme", "person")
        .get(pk=enrolment.pk)
    )


def current_version(enrolment: Enrolment) -> int:
    """The enrolment's version: the id of its latest audit row (0 before it has one)."""
    latest = (
        Enrolment.history.filter(id=enrolment.pk)
        .order_by("-history_id")
        .values_list("history_id", flat=True)
        .first()
    )
    return latest or 0


def _shown(value: Any) -> str:
    return "—" if value in (None, "", []) else Truncator(str(value)).chars(60)


def _check_version(enrolment: Enrolment, version: int | None) -> None:
    """Refuse a change based on a read older than the enrolment's latest change.

    Pages and the API send the version they showed; the caller holds the row lock, so the
    check and the write that follows are one step for every other writer.
    """
    if version is None or version == current_version(enrolment):
        return
    records = Enrolment.history.filter(id=enrolment.pk).select_related("history_user")
    latest = records.order_by("-history_id").first()
    seen = records.filter(history_id=version).first()
    if latest is None:  # pragma: no cover - a version was given for a record never audited
        raise ValidationError(
            {
                "version": ValidationError(
                    _("This enrolment changed after you opened it."), code="conflict"
                )
            }
        )
    changes = (
        [
            f"{Enrolment._meta.get_field(change.field).verbose_name}: "  # type: ignore[union-attr]  # a diff names concrete fields
            f"{_shown(change.old)} → {_shown(change.new)}"
            for change in latest.diff_against(seen).changes
        ]
        if seen is not None and seen.history_id < latest.history_id
        else []
    )
    who = sorted(
        {
            str(record.history_user or _("system"))
            for record in records.filter(history_id__gt=version)
        }
    ) or [_("someone")]
    raise ValidationError(
        {
            "version": ValidationError(
                _(
                    "%(who)s changed this enrolment at %(when)s, after you opened it (%(changes)s). "
                    "Nothing was saved: check the enrolment as it is now and try again."
                )
                % {
                    "who": ", ".join(who),
                    "when": formats.date_format(
                        timezone.localtime(latest.history_date), "DATETIME_FORMAT"
                    ),
                    "changes": "; ".join(changes) or _("see its history"),
                },
                code="conflict",
            )
        }
    )


def is_conflict(error: ValidationError) -> bool:
    """Whether a service refused a change because the enrolment changed meanwhile."""
    return hasattr(error, "error_dict") and any(
        item.code == "conflict" for item in error.error_dict.get("version", [])
    )


# Telling people: an inbox entry and an e-mail each (chancery.notifications), in the
# recipient's language, sent after the write commits; none when the office switched it off.

#: The moves the applicant is told of, by the kind of notification; a move back (deselected,
#: a placement cancelled) is not news of this kind.
STATE_NOTICES: dict[tuple[str, str], str] = {
    (EnrolmentState.APPLIED, EnrolmentState.ELIGIBLE): "eligible",
    (EnrolmentState.INELIGIBLE, EnrolmentState.ELIGIBLE): "eligible",
    (EnrolmentState.APPLIED, EnrolmentState.INELIGIBLE): "ineligible",
    (EnrolmentState.ELIGIBLE, EnrolmentState.INELIGIBLE): "ineligible",
    (EnrolmentState.ELIGIBLE, EnrolmentState.SELECTED): "selected",
}


def _tell(
    kind: str,
    people: list[Person | None],
    *,
    enrolment: Enrolment,
    link: str,
    actor: Any = None,
    key: str = "",
    **context: Any,
) -> list[Any]:
    """Notify `people` (their accounts, else their addresses) of something about an enrolment,
    from the office running its programme."""
    recipients = reachable(people)
    if not recipients:
        return []
    context.setdefault("addressee", people[0] if len(people) == 1 else None)
    return notify(
        kind=kind,
        recipients=recipients,
        office=enrolment.edition.programme.owner,
        link=link,
        key=key,
        actor=actor if getattr(actor, "pk", None) else None,
        context={
            "enrolment": enrolment,
            "edition": enrolment.edition,
            "programme": enrolment.edition.programme,
            **context,
        },
    )


def _enrolment_page(enrolment: Enrolment) -> str:
    return reverse("programmes:enrolment", args=[enrolment.pk])


def _tell_applicant(enrolment: Enrolment, kind: str, actor: Any = None, **context: Any) -> None:
    _tell(
        kind,
        [enrolment.person],
        enrolment=enrolment,
        link=_enrolment_page(enrolment),
        actor=actor,
        **context,
    )


def _tell_placed(placement: Placement, actor: Any = None) -> None:
    """The intern and the supervisor learn of the placement: host, supervisor and dates."""
    enrolment = placement.enrolment
    _tell(
        "placed",
        [enrolment.person],
        enrolment=enrolment,
        placement=placement,
        audience="intern",
        link=_enrolment_page(enrolment),
        actor=actor,
    )
    _tell(
        "placed",
        [placement.supervisor],
        enrolment=enrolment,
        placement=placement,
        audience="supervisor",
        link=_enrolment_page(enrolment),
        actor=actor,
    )


def _move(
    enrolment: Enrolment,
    target: str,
    *,
    reason: str = "",
    override: bool = False,
    actor: Any = None,
) -> None:
    """The one place where an enrolment changes state; the applicant is told of the moves in
    STATE_NOTICES (eligible with any override's reason, ineligible with the reasons, selected)."""
    source = enrolment.state
    try:
        lifecycle.check_transition(
            lifecycle.State(source), lifecycle.State(target), reason=reason, override=override
        )
    except lifecycle.TransitionError as error:
        raise ValidationError({"state": wording.transition_error(error)}) from None
    except ValueError as error:
        raise ValidationError({"state": str(error)}) from None
    enrolment.state = target
    enrolment.state_reason = reason
    kind = STATE_NOTICES.get((source, target))
    if kind is not None:
        # The officer's wording of a rule when it has one (a bare kind says nothing), and why.
        failed = [
            {
                "rule": "" if check["rule"] in eligibility.RULE_KINDS else check["rule"],
                "reason": check["reason"],
                "message": check.get("message"),
            }
            for check in enrolment.eligibility
            if not check.get("passed")
        ]
        _tell_applicant(
            enrolment, kind, actor, failed=failed, override_reason=reason if override else ""
        )


# Programmes, rules, editions


def _descriptions(fields: dict[str, Any]) -> dict[str, Any]:
    """`description` alone is the English one (description_en); _ru and _kk are the others."""
    if "description" in fields:
        fields = dict(fields)
        fields.setdefault("description_en", fields.pop("description"))
    return fields


@transaction.atomic
def create_programme(
    *, actor: Any, agreements: list[Any] | None = None, **fields: Any
) -> Programme:
    """Create a programme, optionally under agreements."""
    programme = Programme()
    _apply(programme, PROGRAMME_FIELDS, _descriptions(fields))
    _save(programme, actor)
    if agreements:
        programme.agreements.set(agreements)
    return programme


@transaction.atomic
def update_programme(
    *, actor: Any, programme: Programme, agreements: list[Any] | None = None, **changes: Any
) -> Programme:
    """Change a programme."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    _apply(programme, PROGRAMME_FIELDS, _descriptions(changes))
    _save(programme, actor)
    if agreements is not None:
        programme.agreements.set(agreements)
    return programme


@transaction.atomic
def add_rule(
    *,
    actor: Any,
    programme: Programme,
    kind: str,
    params: dict[str, Any],
    label: str = "",
    from_agreement: Any = None,
) -> EligibilityRule:
    """Add an eligibility rule after checking its parameters."""
    try:
        eligibility.validate_rule(kind, params)
    except eligibility.RuleError as error:
        raise ValidationError({"params": wording.rule_error(error)}) from None
    position = programme.eligibility_rules.count() + 1
    rule = EligibilityRule(
        programme=programme,
        kind=kind,
        params=params,
        label=label,
        position=position,
        from_agreement=from_agreement,
    )
    _save(rule, actor)
    return rule


@transaction.atomic
def update_rule(
    *, actor: Any, rule: EligibilityRule, params: dict[str, Any], label: str | None = None
) -> EligibilityRule:
    """Change a rule's parameters or wording (its kind stays; retire it to replace it)."""
    try:
        eligibility.validate_rule(rule.kind, params)
    except eligibility.RuleError as error:
        raise ValidationError({"params": wording.rule_error(error)}) from None
    rule.params = params
    if label is not None:
        rule.label = label
    _save(rule, actor)
    return rule


@transaction.atomic
def retire_rule(*, actor: Any, rule: EligibilityRule, on: date | None = None) -> EligibilityRule:
    """Stop applying a rule from a day on; it stays on record."""
    rule.retired_on = on or timezone.localdate()
    _save(rule, actor)
    return rule


@transaction.atomic
def create_edition(*, actor: Any, programme: Programme, **fields: Any) -> Edition:
    """Open an edition (cohort) of a programme."""
    edition = Edition(programme=programme)
    _apply(edition, EDITION_FIELDS, fields)
    _save(edition, actor)
    return edition


@transaction.atomic
def update_edition(*, actor: Any, edition: Edition, **changes: Any) -> Edition:
    """Change an edition's dates, capacity or window."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    _apply(edition, EDITION_FIELDS, changes)
    _save(edition, actor)
    return edition


# The enrolment lifecycle


@transaction.atomic
def apply(
    *,
    actor: Any,
    edition: Edition,
    person: Person,
    motivation: str = "",
    preferred_host: Organisation | None = None,
    on: date | None = None,
) -> Enrolment:
    """A person applies to an edition; eligibility is assessed at once."""
    if Enrolment.objects.filter(edition=edition, person=person).exists():
        raise ValidationError({"person": _("This person is already enrolled in this edition.")})
    enrolment = Enrolment(
        edition=edition,
        person=person,
        motivation=motivation,
        preferred_host=preferred_host,
        applied_on=on or timezone.localdate(),
    )
    _save(enrolment, actor)
    _tell_applicant(enrolment, "application_received", actor)
    return assess_eligibility(actor=actor, enrolment=enrolment)


@transaction.atomic
def assess_eligibility(
    *, actor: Any, enrolment: Enrolment, host: Organisation | None = None, start: date | None = None
) -> Enrolment:
    """Evaluate the programme's rules and move the enrolment to eligible or ineligible."""
    enrolment = _locked(enrolment)
    decision = decide(enrolment, host=host, start=start)
    enrolment.eligibility = [wording.stored(check) for check in decision.checks]
    target = EnrolmentState.ELIGIBLE if decision.eligible else EnrolmentState.INELIGIBLE
    if enrolment.state != target:
        _move(enrolment, target, reason="; ".join(c.reason for c in decision.failures), actor=actor)
    _save(enrolment, actor)
    return enrolment


@transaction.atomic
def override_eligibility(*, actor: Any, enrolment: Enrolment, reason: str) -> Enrolment:
    """Make an ineligible enrolment eligible, with a written reason (audited)."""
    enrolment = _locked(enrolment)
    if not reason.strip():
        raise ValidationError({"reason": _("An override needs a written reason.")})
    _move(enrolment, EnrolmentState.ELIGIBLE, reason=reason.strip(), override=True, actor=actor)
    enrolment.override_reason = reason.strip()
    _save(enrolment, actor)
    return enrolment


@transaction.atomic
def select(*, actor: Any, enrolment: Enrolment, reason: str = "") -> Enrolment:
    """Select an eligible applicant, within the edition's capacity."""
    enrolment = _locked(enrolment)
    edition = Edition.objects.select_for_update().get(pk=enrolment.edition_id)
    if edition.capacity is not None:
        taken = edition.enrolments.filter(state__in=SELECTED_OR_LATER).count()
        if taken >= edition.capacity:
            raise ValidationError(
                {
                    "state": _(
                        "The edition is full (%(capacity)s places); select by a draw among the eligible."
                    )
                    % {"capacity": edition.capacity}
                }
            )
    _move(enrolment, EnrolmentState.SELECTED, reason=reason, actor=actor)
    _save(enrolment, actor)
    return enrolment


def default_end(programme: Programme, start: date) -> date:
    """The last day of a placement of the programme's default duration."""
    return add_months(start, programme.default_duration_months) - timedelta(days=1)


@transaction.atomic
def place(
    *,
    actor: Any,
    enrolment: Enrolment,
    host: Organisation,
    start: date,
    department: Organisation | None = None,
    supervisor: Person | None = None,
    end: date | None = None,
    version: int | None = None,
) -> Placement:
    """Place a selected participant at a host; overlapping placements are refused.

    `version` (from current_version when the page or API read it) refuses the change when
    someone else changed the enrolment since.
    """
    enrolment = _locked(enrolment)
    _check_version(enrolment, version)
    # Lock the person so two officers cannot place them twice at overlapping dates.
    Person.objects.select_for_update().get(pk=enrolment.person_id)
    end = end or default_end(enrolment.edition.programme, start)
    if department is not None and host not in [department, *department.ancestors()]:
        raise ValidationError({"department": _("The department must belong to the host.")})
    decision = decide(enrolment, host=department or host, start=start)
    if not decision.eligible and not enrolment.override_reason:
        raise ValidationError(
            {
                "host": _("This placement breaks the eligibility rules: %(why)s")
                % {"why": "; ".join(wording.reason(c.message) for c in decision.failures)}
            }
        )
    held = (
        Placement.objects.filter(enrolment__person_id=enrolment.person_id)
        .select_related("host")
        .order_by("start")
    )
    clash = first_clash(
        ((p, p.start, p.end, p.status == PlacementStatus.CANCELLED) for p in held), start, end
    )
    if clash is not None:
        raise ValidationError(
            {
                "start": _("This person is already placed at %(host)s from %(start)s to %(end)s.")
                % {"host": clash.host, "start": day_text(clash.start), "end": day_text(clash.end)}
            }
        )
    _move(enrolment, EnrolmentState.PLACED, actor=actor)
    _save(enrolment, actor)
    placement = Placement(
        enrolment=enrolment,
        host=host,
        department=department,
        supervisor=supervisor,
        start=start,
        end=end,
    )
    _save(placement, actor)
    _tell_placed(placement, actor)
    return placement


@transaction.atomic
def cancel_placement(*, actor: Any, placement: Placement, reason: str) -> Enrolment:
    """Cancel a planned placement; its enrolment is selected again (placed → selected)."""
    enrolment = _locked(placement.enrolment)
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    if placement.status != PlacementStatus.PLANNED:
        raise ValidationError(
            {
                "status": _("Only a planned placement can be cancelled; this one is %(status)s.")
                % {"status": placement.get_status_display()}
            }
        )
    _move(enrolment, EnrolmentState.SELECTED, reason=reason)
    _save(enrolment, actor)
    placement.status = PlacementStatus.CANCELLED
    _save(placement, actor)
    return enrolment


def _current_placement(enrolment: Enrolment) -> Placement | None:
    return enrolment.placements.exclude(status=PlacementStatus.CANCELLED).order_by("-start").first()


@transaction.atomic
def start(*, actor: Any, enrolment: Enrolment) -> Enrolment:
    """The placement begins."""
    enrolment = _locked(enrolment)
    _move(enrolment, EnrolmentState.ACTIVE)
    _save(enrolment, actor)
    placement = _current_placement(enrolment)
    if placement is not None:
        placement.status = PlacementStatus.ACTIVE
        _save(placement, actor)
    return enrolment


@transaction.atomic
def complete(*, actor: Any, enrolment: Enrolment, on: date | None = None) -> Enrolment:
    """The participant completed the programme."""
    enrolment = _locked(enrolment)
    _move(enrolment, EnrolmentState.COMPLETED)
    enrolment.completed_on = on or timezone.localdate()
    _save(enrolment, actor)
    placement = _current_placement(enrolment)
    if placement is not None:
        placement.status = PlacementStatus.COMPLETED
        _save(placement, actor)
    return enrolment


@transaction.atomic
def withdraw(*, actor: Any, enrolment: Enrolment, reason: str) -> Enrolment:
    """Withdraw with a reason: placements are cancelled and a certificate revoked."""
    enrolment = _locked(enrolment)
    _move(enrolment, EnrolmentState.WITHDRAWN, reason=reason.strip())
    _save(enrolment, actor)
    for placement in enrolment.placements.exclude(
        status__in=[PlacementStatus.CANCELLED, PlacementStatus.COMPLETED]
    ):
        placement.status = PlacementStatus.CANCELLED
        _save(placement, actor)
    certificate = Certificate.objects.filter(enrolment=enrolment, revoked_on__isnull=True).first()
    if certificate is not None:
        revoke_certificate(
            actor=actor,
            certificate=certificate,
            reason=_("Withdrawn: %(reason)s") % {"reason": reason.strip()},
        )
    return enrolment


TARGET_ACTIONS = {
    EnrolmentState.SELECTED: select,
    EnrolmentState.ACTIVE: start,
    EnrolmentState.COMPLETED: complete,
}


@transaction.atomic
def change_state(
    *, actor: Any, enrolment: Enrolment, target: str, reason: str = "", version: int | None = None
) -> Enrolment:
    """Move an enrolment to `target` by the matching step (placing needs `place`).

    `version`, when given, refuses the move if the enrolment changed since it was read.
    """
    if version is not None:
        _check_version(_locked(enrolment), version)  # the lock is held until the move is saved
    if target == EnrolmentState.WITHDRAWN:
        return withdraw(actor=actor, enrolment=enrolment, reason=reason)
    if target == EnrolmentState.ELIGIBLE and enrolment.state == EnrolmentState.INELIGIBLE:
        return override_eligibility(actor=actor, enrolment=enrolment, reason=reason)
    if target in (EnrolmentState.ELIGIBLE, EnrolmentState.INELIGIBLE):
        return assess_eligibility(actor=actor, enrolment=enrolment)
    action = TARGET_ACTIONS.get(target)  # type: ignore[call-overload]
    if action is None:
        raise ValidationError(
            {
                "state": _(
                    "To move to %(target)s, use its own form (placing needs a host and dates)."
                )
                % {"target": target}
            }
        )
    result: Enrolment = action(actor=actor, enrolment=enrolment)
    return result


# After the placement


@transaction.atomic
def evaluate(
    *,
    actor: Any,
    placement: Placement,
    evaluator: Person,
    scores: dict[str, int],
    comment: str = "",
    on: date | None = None,
) -> Evaluation:
    """The supervisor scores the placement (1–5 per criterion) and comments."""
    criteria = {key for key, _label in Evaluation.CRITERIA}
    errors = {}
    for key in criteria - set(scores):
        errors[key] = _("Give a score from 1 to 5.")
    for key, value in scores.items():
        if key not in criteria:
            errors[key] = _("Unknown criterion.")
        elif not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            errors[key] = _("Give a score from 1 to 5.")
    if errors:
        raise ValidationError(errors)
    if hasattr(placement, "evaluation"):
        raise ValidationError(_("This placement is already evaluated."))
    evaluation = Evaluation(
        placement=placement,
        scores=scores,
        comment=comment,
        evaluated_by=evaluator,
        evaluated_on=on or timezone.localdate(),
    )
    _save(evaluation, actor)
    return evaluation


ALLOWED_REPORT_TYPES = (".pdf", ".docx", ".odt", ".doc", ".txt")


@transaction.atomic
def upload_final_report(*, actor: Any, enrolment: Enrolment, file: Any) -> FinalReport:
    """Keep the participant's final report (PDF, DOCX, ODT, DOC or TXT, MAX_UPLOAD_MB)."""
    name = str(getattr(file, "name", "")).lower()
    if not name.endswith(ALLOWED_REPORT_TYPES):
        raise ValidationError({"file": _("Upload a PDF, DOCX, ODT, DOC or TXT file.")})
    check_upload_size(file)
    report = FinalReport(enrolment=enrolment, file=file)
    _save(report, actor)
    return report


@transaction.atomic
def write_testimonial(
    *,
    actor: Any,
    enrolment: Enrolment,
    text: str,
    publish: bool,
    language: str = "",
    on: date | None = None,
) -> Testimonial:
    """Keep a testimonial, written in `language` (by default the writer's current one);
    publishing records the participant's consent."""
    if not text.strip():
        raise ValidationError({"text": _("Write the testimonial.")})
    day = on or timezone.localdate()
    testimonial = Testimonial.objects.filter(enrolment=enrolment).first() or Testimonial(
        enrolment=enrolment, written_on=day
    )
    testimonial.text = text.strip()
    testimonial.language = language or translation.get_language() or settings.LANGUAGE_CODE
    if publish and (testimonial.consent is None or not testimonial.consent.is_active(day)):
        testimonial.consent = directory.record_consent(
            actor=actor, person=enrolment.person, kind=ConsentKind.TESTIMONIAL, given_on=day
        )
    _save(testimonial, actor)
    return testimonial


@transaction.atomic
def unpublish_testimonial(*, actor: Any, testimonial: Testimonial) -> Testimonial:
    """Withdraw the consent to publish: the testimonial leaves every public page."""
    if testimonial.consent is not None and testimonial.consent.withdrawn_on is None:
        directory.withdraw_consent(actor=actor, consent=testimonial.consent)
    testimonial.refresh_from_db()
    return testimonial


@transaction.atomic
def issue_certificate(*, actor: Any, enrolment: Enrolment, on: date | None = None) -> Certificate:
    """Issue the certificate of a completed enrolment (once)."""
    enrolment = _locked(enrolment)
    if enrolment.state != EnrolmentState.COMPLETED:
        raise ValidationError({"state": _("Only a completed enrolment gets a certificate.")})
    existing = Certificate.objects.filter(enrolment=enrolment).first()
    if existing is not None:
        return existing
    certificate = Certificate(
        enrolment=enrolment, issued_on=on or enrolment.completed_on or timezone.localdate()
    )
    _save(certificate, actor)
    _tell_applicant(
        enrolment,
        "certificate_issued",
        actor,
        certificate=certificate,
        verify_link=absolute_url(reverse("verify_certificate", args=[certificate.code])),
    )
    return certificate


@transaction.atomic
def revoke_certificate(*, actor: Any, certificate: Certificate, reason: str) -> Certificate:
    """Revoke a certificate; its verification page says so from then on."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the revocation.")})
    certificate.revoked_on = timezone.localdate()
    certificate.revoked_reason = reason.strip()
    _save(certificate, actor)
    return certificate


# Draws for over-subscribed editions


def selection_entry(enrolment: Enrolment) -> str:
    """How an applicant appears in a published selection draw: name and enrolment number."""
    return f"{enrolment.person.latin_name or enrolment.person.name} (#{enrolment.pk})"


@transaction.atomic
def prepare_selection_draw(*, actor: Any, edition: Edition) -> Any:
    """A draft draw selecting the free places among the eligible applicants."""

    eligible = list(
        edition.enrolments.filter(state=EnrolmentState.ELIGIBLE).select_related("person")
    )
    if not eligible:
        raise ValidationError(_("Nobody in this edition is eligible and waiting for selection."))
    taken = edition.enrolments.filter(state__in=SELECTED_OR_LATER).count()
    free = len(eligible) if edition.capacity is None else edition.capacity - taken
    if free <= 0:
        raise ValidationError(_("The edition has no free place left."))
    return draws.create_draw(
        actor=actor,
        owner=edition.programme.owner,
        title=_("Selection for %(edition)s") % {"edition": edition},
        edition=edition,
        kind="select",
        k=min(free, len(eligible)),
        pool=[selection_entry(enrolment) for enrolment in eligible],
    )


@transaction.atomic
def select_by_draw(*, actor: Any, edition: Edition, draw: Any) -> list[Enrolment]:
    """Select the applicants a conducted selection draw picked, in the drawn order."""
    if draw.status != "conducted" or draw.kind != "select" or draw.edition_id != edition.pk:
        raise ValidationError(_("Use a conducted selection draw."))
    by_entry = {selection_entry(e): e for e in edition.enrolments.select_related("person")}
    missing = [entry for entry in draw.record["result"] if entry not in by_entry]
    if missing:
        raise ValidationError(
            _("The draw names applicants not in this edition: %(names)s.")
            % {"names": ", ".join(missing)}
        )
    reason = _("Selected by draw #%(draw)s") % {"draw": draw.pk}
    return [
        select(actor=actor, enrolment=by_entry[entry], reason=reason)
        for entry in draw.record["result"]
    ]


# Outreach: participating organisations and pairings decided by a draw


@transaction.atomic
def add_participation(
    *,
    actor: Any,
    edition: Edition,
    organisation: Organisation,
    role: str,
    contact: Person | None = None,
    partner_role: str = "",
) -> Any:
    """Enrol a school, an embassy or a partner organisation in an outreach edition."""

    participation = Participation(
        edition=edition,
        organisation=organisation,
        role=role,
        contact=contact,
        partner_role=partner_role,
    )
    _save(participation, actor)
    return participation


@transaction.atomic
def prepare_pairing_draw(*, actor: Any, edition: Edition) -> Any:
    """A draft draw pairing the edition's schools (left) with its embassies (right)."""

    names = {
        role: [
            p.organisation.name_en
            for p in edition.participations.filter(role=role).select_related("organisation")
        ]
        for role in ("school", "embassy")
    }
    if not names["school"] or not names["embassy"]:
        raise ValidationError(_("Enrol the schools and the embassies before the draw."))
    return draws.create_draw(
        actor=actor,
        owner=edition.programme.owner,
        edition=edition,
        title=_("Pairing of schools and embassies: %(edition)s") % {"edition": edition},
        # The lists' names are stored in English and named in each reader's language on the
        # draw's page (draws.wording.list_label), not in the preparer's.
        kind="pair",
        left_label=gettext_noop("Schools"),
        right_label=gettext_noop("Embassies"),
        left=names["school"],
        right=names["embassy"],
    )


@transaction.atomic
def pair_by_draw(*, actor: Any, edition: Edition, draw: Any) -> list[Any]:
    """Create the edition's pairings from its conducted pairing draw (replacing none)."""

    if draw.status != "conducted" or draw.kind != "pair" or draw.edition_id != edition.pk:
        raise ValidationError(_("Use the edition's conducted pairing draw."))
    current = edition.pairings.values_list("draw_id", flat=True).first()
    if current is not None:
        if draw.redraw_of_id != current:
            raise ValidationError(
                _("This edition is already paired; only a re-draw of that draw can replace it.")
            )
        for old in edition.pairings.all():
            _delete(old, actor)
    organisations = {
        p.organisation.name_en: p.organisation
        for p in edition.participations.select_related("organisation")
    }
    pairings = []
    for school, embassy in draw.pairs:
        if school not in organisations or embassy not in organisations:
            raise ValidationError(
                _("The draw names an organisation not in this edition: %(name)s.")
                % {"name": school if school not in organisations else embassy}
            )
        pairing = Pairing(
            edition=edition, school=organisations[school], embassy=organisations[embassy], draw=draw
        )
        _save(pairing, actor)
        pairings.append(pairing)
    return pairings


# Reminders, sent by the daily schedule (core/schedule.py) and `chancery remind`


def _remind(
    kind: str,
    people: list[Person | None],
    placement: Placement,
    key: str,
    link: str,
    **context: Any,
) -> int:
    with transaction.atomic():
        return len(
            _tell(
                kind,
                people,
                enrolment=placement.enrolment,
                placement=placement,
                link=link,
                key=key,
                **context,
            )
        )


def send_reminders(*, on: date | None = None) -> int:
    """The day's reminders about placements, each sent once (by its key) however often this
    runs: a placement starting within a week (to the intern and the supervisor), an
    evaluation due and then overdue (to the supervisor), a final report due (to the
    participant). Returns how many inbox entries were made."""
    day = on or timezone.localdate()
    made = 0
    for placement in queries.placements_starting(day):
        page = _enrolment_page(placement.enrolment)
        days = (placement.start - day).days
        made += _remind(
            "placement_starting",
            [placement.enrolment.person],
            placement,
            f"placement-start:{placement.pk}",
            page,
            audience="intern",
            days=days,
        )
        made += _remind(
            "placement_starting",
            [placement.supervisor],
            placement,
            f"placement-start:{placement.pk}",
            page,
            audience="supervisor",
            days=days,
        )
    for overdue_by in (0, *queries.OVERDUE_REMINDERS):
        kind = "evaluation_overdue" if overdue_by else "evaluation_due"
        key = f"evaluation-overdue-{overdue_by}" if overdue_by else "evaluation-due"
        for placement in queries.evaluations_awaited(day, overdue_by):
            made += _remind(
                kind,
                [placement.supervisor],
                placement,
                f"{key}:{placement.pk}",
                _enrolment_page(placement.enrolment) + "#evaluation-form",
                deadline=queries.evaluation_deadline(placement),
                days_late=(day - queries.evaluation_deadline(placement)).days,
            )
    for placement in queries.final_reports_awaited(day):
        made += _remind(
            "final_report_due",
            [placement.enrolment.person],
            placement,
            f"final-report:{placement.enrolment_id}",
            _enrolment_page(placement.enrolment) + "#report",
            ended=placement.end < day,
        )
    return made
