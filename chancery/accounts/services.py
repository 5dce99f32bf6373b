"""Writes about users: roles, language, API tokens."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from chancery.accounts.models import ApiToken, RoleAssignment, User, hash_token
from chancery.core.services import save
from chancery.directory.models import Organisation


@transaction.atomic
def grant_role(*, actor: Any, user: User, role: str, organisation: Organisation) -> RoleAssignment:
    """Give a user a role at an organisation (idempotent)."""
    assignment = RoleAssignment.objects.filter(
        user=user, role=role, organisation=organisation
    ).first()
    if assignment is None:
        assignment = RoleAssignment(user=user, role=role, organisation=organisation)
        save(assignment, actor)
    return assignment


def set_language(*, user: User, language: str) -> None:
    """Remember the user's interface language ('' follows the browser)."""
    User.objects.filter(pk=user.pk).update(language=language)
    user.language = language


def create_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new API token; the secret is returned once and never stored."""
    secret = ApiToken.new_secret()
    token = ApiToken.objects.create(user=user, name=name, digest=hash_token(secret))
    return token, secret


def revoke_token(*, user: User, token_id: str) -> None:
    """Revoke one of the user's tokens; unknown ids are ignored."""
    if token_id.isdigit() and len(token_id) < 19:
        ApiToken.objects.filter(user=user, pk=int(token_id), revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
