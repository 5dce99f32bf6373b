"""Who holds which role where: the predicates views, API and commands use to authorise."""

from collections.abc import Callable
from typing import Any

from django.core.management.base import CommandError
from django.db.models import Model, QuerySet

from chancery.accounts.models import Role, RoleAssignment, User
from chancery.core.actors import SYSTEM, SystemActor

_CACHE_ATTRIBUTE = "_chancery_role_pairs"


def role_pairs(user: Any) -> frozenset[tuple[str, int]]:
    """(role, organisation id) pairs of the user, read once per request; none for no user (a
    forgotten actor) and none for the system, which holds its rights as a superuser does."""
    if user is None or not user.is_authenticated or user.pk is None:
        return frozenset()
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = frozenset(
            RoleAssignment.objects.filter(user=user).values_list("role", "organisation_id")
        )
        setattr(user, _CACHE_ATTRIBUTE, cached)
    return cached


def role_names(user: Any) -> set[str]:
    """The names of the roles the user holds anywhere."""
    names = {role for role, _ in role_pairs(user)}
    if getattr(user, "is_superuser", False):
        names.add(Role.OFFICER)
    return names


def organisations_where(user: Any, *roles: str) -> set[int]:
    """Ids of the organisations where the user holds one of `roles`."""
    return {org for role, org in role_pairs(user) if role in roles}


def has_role(*roles: str) -> Callable[[Any], bool]:
    """A predicate: the user is signed in and holds one of `roles` (superusers hold all)."""

    def predicate(user: Any) -> bool:
        if user is None or not user.is_authenticated:
            return False
        return bool(user.is_superuser) or bool(role_names(user).intersection(roles))

    predicate.__name__ = "has_role_" + "_or_".join(roles)
    return predicate


is_officer = has_role(Role.OFFICER)
# An office's own records, to read: its officers and its read-only viewers.
reads_office = has_role(Role.OFFICER, Role.VIEWER)
is_participant = has_role(Role.PARTICIPANT)
is_supervisor = has_role(Role.SUPERVISOR)
is_coordinator = has_role(Role.COORDINATOR)
# Selection committees: reviewers score the applications assigned to them (officers may review).
reviews_applications = has_role(Role.REVIEWER, Role.OFFICER)
# Any role: pages about one's own records (an edition one takes part in), whose query decides
# which records are the user's; the directory's reference pages.
holds_a_role = has_role(*Role.values)
reads_directory = holds_a_role


def is_officer_of(user: Any, office_id: int | None) -> bool:
    """Whether the user acts for the office: one of its officers, a superuser or the system.
    No user (an actor forgotten) acts for none."""
    if user is None or not user.is_authenticated:
        return False
    return bool(user.is_superuser) or office_id in organisations_where(user, Role.OFFICER)


def kept_by_offices_of[M: Model](
    user: Any, records: QuerySet[M], *roles: str, office: str = "owner"
) -> QuerySet[M]:
    """The records whose office (the field `office`) is one where the user holds one of
    `roles`: the "which office keeps this" rule of the lists, pages, API and commands. A
    superuser and the system see every record, no user none."""
    if user is not None and getattr(user, "is_superuser", False):
        return records
    return records.filter(**{f"{office}__in": organisations_where(user, *roles)})


def command_user(username: str | None) -> User | SystemActor:
    """The user a command's `--as` names, refused as sign-in refuses; without `--as`, the
    administrator running the command acts as the system."""
    if not username:
        return SYSTEM
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"--as: no user called {username!r}.")
    if not user.is_active:
        raise CommandError(f"--as: {username} may not act: the account is disabled.")
    return user


def authorise_command(
    user: User | SystemActor,
    predicate: Callable[[Any], bool],
    objects: Callable[[Any], QuerySet[Any]],
    pk: int,
    action: str,
) -> None:
    """Refuse `--as` when the web would answer 403 or 404: the view's predicate and its query
    (the objects the user may act on). The system (no `--as`) may."""
    if user is SYSTEM:
        return
    if not (predicate(user) and objects(user).filter(pk=pk).exists()):
        raise CommandError(f"--as: {user.username} may not {action}.")
