from typing import Any

from allauth.account import forms as allauth_forms
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from chancery.accounts.backends import record_current_address, users_with_address


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("As my browser asks")), *settings.LANGUAGES],
        required=False,
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the script that uses it."),
    )


class LoginForm(allauth_forms.LoginForm):
    """allauth's sign-in form, its field named `username` as the sign-in form always had it
    (scripts and password managers post it), taking a user name or an e-mail address."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Username or e-mail")
        self.fields["login"].widget.attrs.update(
            {"autocomplete": "username", "placeholder": "", "autofocus": True}
        )
        self.fields["password"].label = _("Password")
        self.fields["password"].help_text = ""
        self.fields["password"].widget.attrs["placeholder"] = ""

    def add_prefix(self, field_name: str) -> str:
        return super().add_prefix("username" if field_name == "login" else field_name)


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    """A reset link goes only to an address that is the account's own (chancery/accounts/
    backends.py), never to one waiting for verification."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mail address")
        self.fields["email"].widget.attrs.update({"placeholder": "", "autofocus": True})

    def clean_email(self) -> str:
        email = super().clean_email()
        self.users = users_with_address(email, is_active=True)
        return email


class ResetPasswordKeyForm(allauth_forms.ResetPasswordKeyForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password1"].label = _("New password")
        self.fields["password2"].label = _("New password (again)")
        for field in self.fields.values():
            field.widget.attrs["placeholder"] = ""


class AddEmailForm(allauth_forms.AddEmailForm):
    """The new address of a change; the current one is recorded first, so that it stays the
    account's until the new one is confirmed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("New e-mail address")
        self.fields["email"].widget.attrs["placeholder"] = ""

    def clean_email(self) -> str:
        if self.user is not None:
            record_current_address(self.user)
        return str(super().clean_email())


class ActivateTOTPForm(totp_forms.ActivateTOTPForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("Code from the app")
        self.fields["code"].widget.attrs.update({"placeholder": "", "inputmode": "numeric"})


class AuthenticateForm(mfa_forms.AuthenticateForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("Code from the app, or a recovery code")
        self.fields["code"].widget.attrs.update({"placeholder": "", "autofocus": True})
