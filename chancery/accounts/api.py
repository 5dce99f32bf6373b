"""Token authentication for scripts, and who the caller is."""

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.security import HttpBearer

from chancery.accounts.access import role_pairs
from chancery.accounts.models import ApiToken, hash_token

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
