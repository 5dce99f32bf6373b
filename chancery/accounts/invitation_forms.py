"""Forms of the invitation pages: inviting one person, several, a file; accepting."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.core.validators import FileExtensionValidator
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from chancery.accounts import queries
from chancery.accounts.models import Role
from chancery.core.validators import upload_limit_text, validate_upload_size
from chancery.directory.models import Organisation, Person


def _language_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Language of the e-mail"),
        choices=settings.LANGUAGES,
        help_text=_("The invited person's language, until they choose one in their profile."),
    )


class InviteForm(forms.Form):
    """One person's invitation: the address, the role and where it applies."""

    email = forms.EmailField(label=_("E-mail"), help_text=_("Where the link is sent."))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.PARTICIPANT)
    organisation: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        help_text=_(
            "Your office for officers, viewers and participants; the host for a "
            "supervisor, the school for a coordinator, the embassy for a liaison."
        ),
    )
    edition: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Edition"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_(
            "Coordinators and liaisons: the outreach edition whose contact they become (optional)."
        ),
    )
    committee: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Committee"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Chairs: the committee they chair."),
    )
    language = _language_field()

    def __init__(self, *args: Any, actor: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation = self.fields["organisation"]
        organisation.queryset = queries.organisations_for(actor, [person])  # type: ignore[attr-defined]
        self.fields["edition"].queryset = queries.invitable_editions(actor)  # type: ignore[attr-defined]
        self.fields["committee"].queryset = queries.invitable_committees(actor)  # type: ignore[attr-defined]
        self.fields["language"].initial = (
            getattr(actor, "language", "") or (get_language() or settings.LANGUAGE_CODE)[:2]
        )


class InviteManyForm(forms.Form):
    """The same role for several people chosen on the people list."""

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.PARTICIPANT)
    organisation: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    language = _language_field()

    def __init__(self, *args: Any, actor: Any, people: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = queries.organisations_for(actor, people)  # type: ignore[attr-defined]
        self.fields["language"].initial = (
            getattr(actor, "language", "") or (get_language() or settings.LANGUAGE_CODE)[:2]
        )


class InvitationImportForm(forms.Form):
    file = forms.FileField(
        label=_("List (.csv or .xlsx)"),
        help_text=format_lazy(
            "{} {}",
            _(
                "Columns: email, role, organisation (its name or "
                "number). Each address must be a person of your "
                "office's records."
            ),
            upload_limit_text(),
        ),
        validators=[validate_upload_size, FileExtensionValidator(["csv", "xlsx"])],
    )
    language = _language_field()
    dry_run = forms.BooleanField(
        label=_("Dry run: only show what would be sent"), required=False, initial=True
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = (
            getattr(actor, "language", "") or (get_language() or settings.LANGUAGE_CODE)[:2]
        )


class AcceptForm(forms.Form):
    """The password an invited person chooses (checked by the password validators)."""

    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    password_again = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("password")
            and data.get("password_again")
            and (data["password"] != data["password_again"])
        ):
            self.add_error("password_again", _("The two passwords differ."))
        return data
