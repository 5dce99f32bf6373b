"""How django-allauth behaves in Chancery: nobody signs up alone (accounts come by invitation)."""

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Public sign-up is closed: an account is opened by an invitation."""
        return False
