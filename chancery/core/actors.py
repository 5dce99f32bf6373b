"""Who acts on a write: a user, or the system itself, and never nobody.

Every service takes the actor it checks and records. A user's rights come from their roles.
`SYSTEM` is the installation acting on its own: the demo and bench data, the schedule, the job
worker, an administrator's command without `--as`, a fresh installation's first office. It
holds every right, as a superuser does, and the audit trail records it as no user (read
"system"). A missing actor (`None`, an actor forgotten) holds no right at all: the predicates
answer False and the services refuse, so a write is never granted by omission.
"""

from typing import Any, Final


class SystemActor:
    """The system acting on its own (see the module's docstring); one instance, `SYSTEM`."""

    is_authenticated: Final = True
    is_active: Final = True
    is_superuser: Final = True
    is_staff: Final = False
    pk: Final = None
    id: Final = None
    person_id: Final = None
    username: Final = "system"

    def __str__(self) -> str:
        return "system"

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM: Final = SystemActor()


def is_system(actor: Any) -> bool:
    return actor is SYSTEM


def recorded_user(actor: Any) -> Any:
    """The user the audit trail names for `actor`: the system is recorded as no user."""
    return None if actor is SYSTEM else actor
