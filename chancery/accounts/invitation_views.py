"""Invitation pages: an officer invites people and keeps their accounts; the invited person
opens the link, chooses a password and is signed in with the role."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chancery.accounts import queries, services
from chancery.accounts.access import is_officer
from chancery.accounts.invitation_forms import (
    AcceptForm,
    InvitationImportForm,
    InviteForm,
    InviteManyForm,
)
from chancery.accounts.models import Invitation, InvitationState, User
from chancery.core.access import allow, public
from chancery.core.forms import add_service_errors
from chancery.core.pagination import page_of
from chancery.core.views_support import get_or_404, report_errors

PAGE_SIZE = 50


@allow(is_officer)
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite one person of the office's records from their page."""
    person = get_or_404(queries.invitable_people(request.user), pk)
    form = InviteForm(
        request.POST or None, actor=request.user, person=person, initial={"email": person.email}
    )
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = services.invite(
                actor=request.user, person=person, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The invitation is sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("directory:person", pk=person.pk)
    return render(
        request,
        "accounts/invite.html",
        {
            "person": person,
            "form": form,
            "days": settings.INVITATION_DAYS,
            "invitations": queries.invitations_of(request.user).filter(person=person)[:20],
        },
        status=422 if form.errors else 200,
    )


@allow(is_officer)
@require_POST
def invite_selected(request: HttpRequest) -> HttpResponse:
    """Invite the people ticked on the people list, all with the same role."""
    chosen = [
        value for value in request.POST.getlist("person") if value.isdigit() and len(value) < 19
    ]
    people = list(queries.invitable_people(request.user).filter(pk__in=chosen))
    if not people:
        messages.error(request, _("Tick the people of your office's records to invite."))
        return redirect("directory:people")
    form = InviteManyForm(
        request.POST if "role" in request.POST else None, actor=request.user, people=people
    )
    outcomes = None
    if form.is_bound and form.is_valid():
        outcomes = services.invite_many(
            actor=request.user,
            people=people,
            role=form.cleaned_data["role"],
            organisation=form.cleaned_data["organisation"],
            language=form.cleaned_data["language"],
        )
    return render(
        request,
        "accounts/invite_selected.html",
        {
            "people": people,
            "form": form,
            "outcomes": outcomes,
            "refused": sum(1 for outcome in outcomes or [] if outcome.problem),
        },
        status=422 if form.errors else 200,
    )


@allow(is_officer)
def invite_import(request: HttpRequest) -> HttpResponse:
    """Invite the people of an uploaded list (email, role, organisation)."""
    form = InvitationImportForm(request.POST or None, request.FILES or None, actor=request.user)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]  # its size checked by the form (MAX_UPLOAD_MB)
        try:
            result = services.import_invitations(
                actor=request.user,
                data=upload.read(),
                filename=upload.name,
                dry_run=form.cleaned_data["dry_run"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if result.sent:
                messages.success(request, _("%(n)d invitations sent.") % {"n": result.sent})
                return redirect("accounts:people")
    status = 422 if form.errors or (result and result.error_count) else 200
    return render(
        request, "accounts/invite_import.html", {"form": form, "result": result}, status=status
    )


def _backend() -> str:
    """The backend a freshly opened account is signed in with (the one that reads passwords,
    after the lockout check that only refuses)."""
    backends = [name for name in settings.AUTHENTICATION_BACKENDS if not name.startswith("axes.")]
    return backends[0]


@public
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link of an invitation e-mail: choose a password, or take the role into the account
    the person already has; a used, revoked, expired or unknown link says so."""
    found = services.find_invitation(token)
    if found is None:
        return render(request, "accounts/invitation_state.html", {"state": "unknown"}, status=404)
    if found.state != InvitationState.PENDING:
        return render(
            request,
            "accounts/invitation_state.html",
            {"state": found.state, "invitation": found},
            status=410,
        )
    existing = services.account_of(found.email, found.person)
    context: dict[str, Any] = {"invitation": found, "token": token}
    if existing is not None:
        return _existing_account(request, found, context)
    if request.user.is_authenticated:
        # Someone else is signed in on this browser: a new account is never opened under them.
        context["state"] = "other_account"
        return render(request, "accounts/invitation_state.html", context, status=409)
    form = AcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(
                invitation=found, password=form.cleaned_data["password"]
            )
        except services.InvitationUnusable:
            return redirect(request.path)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            login(request, user, backend=_backend())
            messages.success(
                request,
                _("Welcome, %(name)s: your account is open.")
                % {"name": user.person or user.get_username()},
            )
            return redirect("/")
    context["form"] = form
    return render(request, "accounts/invitation.html", context, status=422 if form.errors else 200)


def _existing_account(
    request: HttpRequest, found: Invitation, context: dict[str, Any]
) -> HttpResponse:
    """The person has an account: they sign in as themselves and take the role into it."""
    user = request.user
    if not user.is_authenticated:
        context["state"] = "sign_in"
        context["login_url"] = f"{reverse(settings.LOGIN_URL)}?next={request.path}"
        return render(request, "accounts/invitation_state.html", context)
    if not services.may_take(user, found):
        context["state"] = "other_account"
        return render(request, "accounts/invitation_state.html", context, status=409)
    if request.method == "POST":
        try:
            services.take_invitation(invitation=found, user=user)
        except services.InvitationUnusable:
            return redirect(request.path)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            return redirect(request.path)
        messages.success(
            request,
            _("The role %(role)s is added to your account.") % {"role": found.get_role_display()},
        )
        return redirect("/")
    context["state"] = "take"
    return render(request, "accounts/invitation_state.html", context)


@allow(is_officer)
def people(request: HttpRequest) -> HttpResponse:
    """The accounts of the office: users with their roles and last sign-in, and the
    invitations not yet accepted."""
    text = request.GET.get("q", "")[:100]
    users = queries.accounts_in_scope(request.user, text)
    page = page_of(users, request.GET.get("page"), PAGE_SIZE)
    for user in page.items:
        for assignment in user.roles:
            assignment.user = user
            assignment.withdrawable = services.may_withdraw(request.user, assignment)
    return render(
        request,
        "accounts/people.html",
        {
            "page": page,
            "q": text,
            "invitations": queries.open_invitations(request.user).order_by("-created_at")[:200],
        },
    )


def _open_invitation(request: HttpRequest, pk: int) -> Invitation:
    return get_or_404(queries.invitations_of(request.user), pk)


@allow(is_officer)
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    found = _open_invitation(request, pk)
    try:
        services.revoke_invitation(actor=request.user, invitation=found)
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(
            request,
            _("The invitation to %(email)s is revoked; its link no longer works.")
            % {"email": found.email},
        )
    return redirect("accounts:people")


@allow(is_officer)
@require_POST
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    found = _open_invitation(request, pk)
    try:
        new, _token = services.reinvite(actor=request.user, invitation=found)
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(
            request,
            _("A new link is sent to %(email)s; the old one no longer works.")
            % {"email": new.email},
        )
    return redirect("accounts:people")


@allow(is_officer)
def role_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw a role from a user, after a confirmation."""
    assignment = get_or_404(
        queries.manageable_assignments(request.user).select_related("user__person"), pk
    )
    if not services.may_withdraw(request.user, assignment):
        raise PermissionDenied
    if request.method == "POST":
        services.withdraw_role(actor=request.user, assignment=assignment)
        messages.success(
            request,
            _("%(user)s no longer holds the role %(role)s at %(organisation)s.")
            % {
                "user": _account_name(assignment.user),
                "role": assignment.get_role_display(),
                "organisation": assignment.organisation,
            },
        )
        return redirect("accounts:people")
    return render(
        request,
        "accounts/role_withdraw.html",
        {"assignment": assignment, "name": _account_name(assignment.user)},
    )


def _account_name(user: User) -> str:
    return str(user.person) if user.person_id else user.get_username()
