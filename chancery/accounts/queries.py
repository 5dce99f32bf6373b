"""Reads about accounts for the officer's pages: who has an account, with which roles, and
the invitations their office sent."""

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from chancery.accounts.access import organisations_where
from chancery.accounts.models import Invitation, Role, RoleAssignment, User
from chancery.directory.models import Organisation, Person


def _offices(actor: Any) -> set[int]:
    return organisations_where(actor, Role.OFFICER)


def manageable_assignments(actor: Any) -> QuerySet[RoleAssignment]:
    """The roles an officer sees and may withdraw (see services.may_withdraw): those at their
    offices, and the non-office roles of people whose records their office keeps."""
    assignments = RoleAssignment.objects.select_related("organisation")
    if actor.is_superuser:
        return assignments
    offices = _offices(actor)
    return assignments.filter(
        Q(organisation__in=offices)
        | (Q(user__person__owner__in=offices) & ~Q(role__in=[Role.OFFICER, Role.VIEWER]))
    )


def accounts_in_scope(actor: Any, text: str = "") -> QuerySet[User]:
    """Users with a role at the officer's offices or whose directory record the office keeps,
    with the roles the officer may see prefetched (as `roles`)."""
    users = User.objects.all()
    if not actor.is_superuser:
        offices = _offices(actor)
        users = users.filter(
            pk__in=User.objects.filter(
                Q(person__owner__in=offices) | Q(role_assignments__organisation__in=offices)
            ).values("pk")
        )
    text = text.strip()
    if text:
        users = users.filter(
            Q(username__icontains=text)
            | Q(email__icontains=text)
            | Q(first_name__icontains=text)
            | Q(last_name__icontains=text)
        )
    return (
        users.select_related("person")
        .prefetch_related(
            Prefetch(
                "role_assignments",
                queryset=manageable_assignments(actor).order_by("role", "organisation__name_en"),
                to_attr="roles",
            )
        )
        .order_by("username")
    )


def invitations_of(actor: Any) -> QuerySet[Invitation]:
    """Invitations the officer's offices sent."""
    invitations = Invitation.objects.select_related(
        "person", "organisation", "edition", "committee", "invited_by"
    )
    if actor.is_superuser:
        return invitations
    return invitations.filter(office__in=_offices(actor))


def open_invitations(actor: Any) -> QuerySet[Invitation]:
    """Invitations neither accepted nor revoked (expired ones included, to be sent again)."""
    return invitations_of(actor).filter(accepted_at__isnull=True, revoked_at__isnull=True)


def invitable_people(actor: Any) -> QuerySet[Person]:
    """People the officer may invite: those whose records their offices keep."""
    if actor.is_superuser:
        return Person.objects.all()
    return Person.objects.filter(owner__in=_offices(actor))


def organisations_for(actor: Any, people: list[Person]) -> QuerySet[Organisation]:
    """Where the people may be given a role: the officer's offices, and the organisations the
    people are affiliated with or supervise placements at."""
    from chancery.programmes.models import (
        Placement,  # upward: named in pyproject's [tool.importlinter]
    )

    ids = [person.pk for person in people]
    supervised = Placement.objects.filter(supervisor__in=ids)
    offices = (
        Organisation.objects.filter(role_assignments__role=Role.OFFICER)
        if actor.is_superuser
        else Organisation.objects.filter(pk__in=_offices(actor))
    )
    return (
        Organisation.objects.filter(
            Q(pk__in=offices.values("pk"))
            | Q(affiliations__person__in=ids)
            | Q(pk__in=supervised.values("host"))
            | Q(pk__in=supervised.values("department"))
        )
        .distinct()
        .order_by("name_en", "pk")
    )


def invitable_editions(actor: Any) -> QuerySet[Any]:
    """Outreach editions of the officer's programmes (a coordinator or liaison is their
    contact)."""
    from chancery.programmes.models import (
        Edition,  # upward: named in pyproject's [tool.importlinter]
    )

    editions = Edition.objects.filter(participations__isnull=False).distinct()
    if not actor.is_superuser:
        editions = editions.filter(programme__owner__in=_offices(actor))
    return editions.select_related("programme")


def invitable_committees(actor: Any) -> QuerySet[Any]:
    """Model UN committees of the conferences the officer's office runs."""
    from chancery.mun.models import Committee  # upward: named in pyproject's [tool.importlinter]

    committees = Committee.objects.select_related("conference")
    if not actor.is_superuser:
        committees = committees.filter(conference__edition__programme__owner__in=_offices(actor))
    return committees.order_by("-conference__date", "name")
