"""Who acts on a write: a user, or the system itself, and never nobody.

Every service takes the actor it checks and records. A user's rights come from their roles.
`SYSTEM` is the installation acting on its own: the demo and bench data, the schedule, the job
worker, an administrator's command without `--as`, a fresh installation's first office. It
holds every right, as a superuser does, and the audit trail records it as no user (read
"system"). `THROUGH_LINK` is a guardian or referee acting through an e-mail's secret link, with
no right beyond that link's page. A missing actor (`None`, an actor forgotten) holds no right
at all: the predicates answer False, the services refuse, and the write helpers refuse to
record it, so a write is never granted, nor left unattributed, by omission.
"""

from typing import Any, Final

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


class _NoUser:
    """What the system and a link's holder share: no user row, no person, no staff rights;
    named in logs by `username` and in code by `constant`."""

    is_staff: Final = False
    pk: Final = None
    id: Final = None
    person_id: Final = None
    username: str
    constant: str

    def __str__(self) -> str:
        return self.username

    def __repr__(self) -> str:
        return self.constant


class SystemActor(_NoUser):
    """The system acting on its own (see the module's docstring); one instance, `SYSTEM`."""

    is_authenticated: Final = True
    is_active: Final = True
    is_superuser: Final = True
    username = "system"
    constant = "SYSTEM"


SYSTEM: Final = SystemActor()


class LinkActor(_NoUser):
    """Someone acting through the secret link an e-mail carried (a guardian answering a consent
    request, a referee sending a letter): no account and no right beyond the one page the link
    opens. The row written names the link (its request, its address); the audit trail records
    no user. One instance, `THROUGH_LINK`."""

    is_authenticated: Final = False
    is_active: Final = False
    is_superuser: Final = False
    username = "link"
    constant = "THROUGH_LINK"


THROUGH_LINK: Final = LinkActor()


def is_system(actor: Any) -> bool:
    return actor is SYSTEM


def recorded_user(actor: Any) -> Any:
    """The user the audit trail names for `actor`: the system and a link's holder are recorded
    as no user. A missing actor is refused: no write goes unattributed by omission."""
    if actor is None:
        raise PermissionDenied(_("This change names nobody as its author, so it is refused."))
    return None if actor is SYSTEM or actor is THROUGH_LINK else actor
