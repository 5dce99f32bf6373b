"""Sign-in by user name or e-mail address (allauth's backend), where an address counts only
once it is the account's: its `User.email` or a verified address, never one still waiting for
its link to be opened."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from allauth.account.models import EmailAddress
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Q

from chancery.accounts.models import User


def users_with_address(email: str, *, is_active: bool | None = None) -> list[User]:
    """The accounts whose own address `email` is: their User.email or a verified address."""
    email = email.strip()
    if not email:
        return []
    verified = EmailAddress.objects.filter(email__iexact=email, verified=True).values("user_id")
    users = User.objects.filter(Q(email__iexact=email) | Q(pk__in=verified))
    if is_active is not None:
        users = users.filter(is_active=is_active)
    return list(users.order_by("pk"))


class AuthenticationBackend(AllauthBackend):
    def _authenticate_by_email(self, email: str, password: str) -> AbstractBaseUser | None:
        if "@" not in (email or ""):
            return None
        for user in users_with_address(email):
            if self._check_password(user, password):
                return user
        return None


def record_current_address(user: User) -> None:
    """Record an account's `User.email` as its verified primary allauth address when it has no
    verified one (accounts made before allauth, or in the admin; allauth's e-mail page copies
    it in unverified, and would then take it for a change waiting for confirmation): the
    address the office recorded, which signing in already accepts, stays the account's until
    a new one is confirmed."""
    if not user.email or EmailAddress.objects.filter(user=user, verified=True).exists():
        return
    address = EmailAddress.objects.filter(
        user=user, email__iexact=user.email
    ).first() or EmailAddress(user=user, email=user.email.lower())
    EmailAddress.objects.filter(user=user, primary=True).exclude(pk=address.pk).update(
        primary=False
    )
    address.verified = True
    address.primary = True
    address.save()
