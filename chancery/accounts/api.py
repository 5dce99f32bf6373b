"""Token authentication for scripts, and who the caller is."""

from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import HttpBearer

from chancery.accounts import queries, services
from chancery.accounts.access import is_officer, role_pairs
from chancery.accounts.models import ApiToken, Invitation, Role, hash_token
from chancery.core.api_support import PagePagination, authorize, get_visible, resolve
from chancery.core.pagination import page_of
from chancery.core.schemas import Bounded, Id, Language

router = Router(tags=["accounts"])


class TokenAuth(HttpBearer):
    """`Authorization: Bearer chy_...` with a token made by `chancery token create`."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not token.startswith(ApiToken.PREFIX) or len(token) > 200:
            return None
        found = (
            ApiToken.objects.select_related("user")
            .filter(digest=hash_token(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > timedelta(minutes=5):
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


class RoleOut(Schema):
    role: str
    organisation_id: int


class MeOut(Schema):
    username: str
    person_id: int | None
    language: str
    roles: list[RoleOut]


@router.get("/me", response=MeOut, summary="The signed-in user and their roles")
def me(request: HttpRequest) -> dict[str, Any]:
    user: Any = request.user
    return {
        "username": user.username,
        "person_id": user.person_id,
        "language": user.language,
        "roles": [{"role": r, "organisation_id": o} for r, o in sorted(role_pairs(user))],
    }


# Invitations and accounts: the officer's accounts page (invitation_views.py) over JSON.


class InvitationFilter(Schema):
    state: Literal["open", "pending"] | None = Field(
        None,
        description="open: neither accepted nor revoked (expired ones included, as on the "
        "accounts page); pending: neither accepted, revoked nor expired",
    )
    person: Id | None = None


class InvitationIn(Schema):
    person: Id = Field(..., description="A person whose record your office keeps")
    role: Role
    organisation: Id = Field(
        ...,
        description="Your office for officers, viewers and "
        "participants; the host for a supervisor, the school for a "
        "coordinator, the embassy for a liaison",
    )
    email: Annotated[str, Bounded(254)] = Field("", description="Default: the person's address")
    edition: Id | None = Field(
        None,
        description="Coordinators and liaisons: the outreach edition whose contact they become",
    )
    committee: Id | None = Field(None, description="Chairs: the committee they chair")
    language: Language | None = Field(None, description="Of the e-mail; default: yours")


class InvitationOut(Schema):
    id: int
    email: str
    person: int = Field(..., alias="person_id")
    role: str
    organisation: int = Field(..., alias="organisation_id")
    office: int = Field(..., alias="office_id")
    edition: int | None = Field(None, alias="edition_id")
    committee: int | None = Field(None, alias="committee_id")
    language: str
    state: str = Field(..., description="pending, accepted, revoked or expired")
    created_at: datetime
    expires_at: datetime
    invited_by: str | None = None
    accepted_at: datetime | None
    revoked_at: datetime | None
    replaced_by: int | None = Field(None, alias="replaced_by_id")

    @staticmethod
    def resolve_invited_by(obj: Invitation) -> str | None:
        return obj.invited_by.get_username() if obj.invited_by else None


class AccountFilter(Schema):
    q: Annotated[str, Bounded(100)] = Field("", description="User name, e-mail or name")


class AccountRoleOut(Schema):
    id: int = Field(..., description="Withdraw it with DELETE /api/accounts/roles/{id}")
    role: str
    organisation: int = Field(..., alias="organisation_id")
    withdrawable: bool = Field(..., description="Whether you may withdraw it")


class AccountOut(Schema):
    id: int
    username: str
    email: str
    person: int | None = Field(None, alias="person_id")
    is_active: bool
    last_login: datetime | None = Field(None, description="The last sign-in")
    roles: list[AccountRoleOut] = Field(..., description="The roles you may see")


@router.get("/invitations", response=list[InvitationOut], summary="Invitations your offices sent")
@paginate(PagePagination)
def list_invitations(
    request: HttpRequest, filters: Query[InvitationFilter]
) -> QuerySet[Invitation]:
    authorize(request, is_officer)
    if filters.state == "open":
        invitations = queries.open_invitations(request.user)
    else:
        invitations = queries.invitations_of(request.user)
        if filters.state == "pending":
            invitations = invitations.filter(pk__in=services.pending_invitations().values("pk"))
    if filters.person is not None:
        invitations = invitations.filter(person_id=filters.person)
    return invitations.order_by("-created_at", "-id")


@router.post(
    "/invitations",
    response={201: InvitationOut},
    summary="Invite a person of your office's records to an account with a role",
)
def create_invitation(request: HttpRequest, payload: InvitationIn) -> Status[Invitation]:
    authorize(request, is_officer)
    person = resolve(queries.invitable_people(request.user), payload.person, "person")
    # The choices the invitation form offers, then the service's rules of role and scope.
    organisation = resolve(
        queries.organisations_for(request.user, [person]), payload.organisation, "organisation"
    )
    edition = committee = None
    if payload.edition is not None:
        edition = resolve(queries.invitable_editions(request.user), payload.edition, "edition")
    if payload.committee is not None:
        committee = resolve(
            queries.invitable_committees(request.user), payload.committee, "committee"
        )
    invitation, _token = services.invite(
        actor=request.user,
        person=person,
        role=payload.role,
        organisation=organisation,
        email=payload.email,
        edition=edition,
        committee=committee,
        language=payload.language or "",
    )
    return Status(201, invitation)


def _invitation(request: HttpRequest, invitation_id: int) -> Invitation:
    return get_visible(queries.invitations_of(request.user), invitation_id)


@router.post(
    "/invitations/{invitation_id}/revoke",
    response=InvitationOut,
    summary="Revoke an invitation not accepted: its link stops working",
)
def revoke_invitation(request: HttpRequest, invitation_id: Id) -> Invitation:
    authorize(request, is_officer)
    return services.revoke_invitation(
        actor=request.user, invitation=_invitation(request, invitation_id)
    )


@router.post(
    "/invitations/{invitation_id}/reinvite",
    response={201: InvitationOut},
    summary="Send a new link for an invitation not accepted; the old link stops working",
)
def reinvite(request: HttpRequest, invitation_id: Id) -> Status[Invitation]:
    authorize(request, is_officer)
    new, _token = services.reinvite(
        actor=request.user, invitation=_invitation(request, invitation_id)
    )
    return Status(201, new)


class AccountPage(Schema):
    items: list[AccountOut]
    count: int
    page: int
    pages: int


@router.get(
    "/users",
    response=AccountPage,
    summary="Accounts of your offices' people, with their roles and last sign-in",
)
def list_accounts(
    request: HttpRequest, filters: Query[AccountFilter], pages: Query[PagePagination.Input]
) -> dict[str, Any]:
    authorize(request, is_officer)
    page = page_of(queries.accounts_in_scope(request.user, filters.q), pages.page, pages.page_size)
    for user in page.items:
        for assignment in user.roles:
            assignment.user = user
            assignment.withdrawable = services.may_withdraw(request.user, assignment)
    return {"items": page.items, "count": page.count, "page": page.number, "pages": page.num_pages}


@router.delete(
    "/roles/{assignment_id}", response={204: None}, summary="Withdraw a role from a user (audited)"
)
def withdraw_role(request: HttpRequest, assignment_id: Id) -> Status[None]:
    authorize(request, is_officer)
    assignment = get_visible(
        queries.manageable_assignments(request.user).select_related("user__person"), assignment_id
    )
    services.withdraw_role(actor=request.user, assignment=assignment)
    return Status(204, None)
