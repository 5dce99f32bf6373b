"""What Chancery tells people about: every kind of notification, by name.

A kind's texts are three templates in the templates folder of the app that owns it:
`notifications/<name>/subject.txt`, `body.txt` and `body.html` (the HTML extends
`notifications/email_base.html`). They are rendered in the recipient's language with the caller's
context plus `recipient` (a User, or None for a bare address), `link` (an absolute URL) and
`office`. The .txt templates are rendered without HTML escaping.

`switchable` kinds can be switched off by an office (NotificationSetting); the others are always
sent (a reply someone asked for). Add a kind with one line in KINDS.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    label: str | Promise
    description: str | Promise = ""
    switchable: bool = True


KINDS: dict[str, Kind] = {
    "invitation": Kind(
        _("Invitation"),
        _("To a person invited to an account, with the link that opens it (chancery/accounts)."),
    ),
    "message": Kind(
        _("Message from the office"),
        _("A message an officer writes to a person, with a link to the record."),
        switchable=False,
    ),
    "application_received": Kind(
        _("Application received"), _("To the applicant, when an application is recorded.")
    ),
    "eligible": Kind(
        _("Eligible"),
        _(
            "To the applicant, when the application meets the programme's conditions "
            "(or an officer overrides the result)."
        ),
    ),
    "ineligible": Kind(
        _("Not eligible"), _("To the applicant, with the conditions the application does not meet.")
    ),
    "selected": Kind(_("Selected"), _("To the applicant, when selected for the edition.")),
    "not_selected": Kind(
        _("Not selected"),
        _(
            "To the applicants still under review when the officer closes the "
            "selection (chancery/selection)."
        ),
    ),
    "placed": Kind(
        _("Placed"),
        _("To the intern and the supervisor: host, supervisor and dates of a placement."),
    ),
    "placement_starting": Kind(
        _("Placement starting"),
        _("To the intern and the supervisor, a week before a placement starts."),
    ),
    "evaluation_due": Kind(
        _("Evaluation due"), _("To the supervisor, when a placement ends without an evaluation.")
    ),
    "evaluation_overdue": Kind(
        _("Evaluation overdue"),
        _("To the supervisor, a week and two weeks after the evaluation's deadline."),
    ),
    "final_report_due": Kind(
        _("Final report due"),
        _(
            "To the participant, from a week before the placement ends until "
            "the report is uploaded."
        ),
    ),
    "certificate_issued": Kind(
        _("Certificate issued"), _("To the participant, with the certificate's verification link.")
    ),
    "referee_request": Kind(
        _("Reference letter requested"),
        _(
            "To a referee an applicant names, with the link to upload a letter "
            "without an account (chancery/calls)."
        ),
        switchable=False,
    ),
    "consent_requested": Kind(
        _("Guardian consent requested"),
        _("To a pupil's guardian, with the link to give or withdraw consents without an account."),
    ),
    "event_changed": Kind(
        _("Event created or changed"),
        _(
            "To the coordinators and liaisons of the schools and embassies "
            "taking part, with the event's calendar file."
        ),
    ),
    "agreement_ending": Kind(
        _("Agreement ending"),
        _("To the officers of the office following an agreement whose term ends within 90 days."),
    ),
    "commitment_behind": Kind(
        _("Commitment behind"),
        _(
            "To the officers, once a month, for a commitment whose count is "
            "behind the share of its period gone by."
        ),
    ),
}


def get(name: str) -> Kind:
    """The kind called `name`; a LookupError names an unknown one (a programming error)."""
    try:
        return KINDS[name]
    except KeyError:
        raise LookupError(
            f"No notification kind called {name!r} in chancery/notifications/kinds.py"
        ) from None


def switchable() -> dict[str, Kind]:
    """The kinds an office may switch off, by name."""
    return {name: kind for name, kind in KINDS.items() if kind.switchable}


def label(name: str) -> str:
    """A kind's label, or the name itself for a kind no longer registered."""
    kind = KINDS.get(name)
    return str(kind.label) if kind else name
