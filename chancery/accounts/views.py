"""Signing in and out, the password, the profile with language and API tokens."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chancery.accounts import services
from chancery.accounts.forms import LanguageForm, TokenForm
from chancery.accounts.middleware import has_second_factor
from chancery.accounts.models import User
from chancery.core.access import allow, signed_in


@allow(signed_in)
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # signed in
    language_form = LanguageForm(initial={"language": user.language})
    token_form = TokenForm()
    new_secret = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "language":
            language_form = LanguageForm(request.POST)
            if language_form.is_valid():
                services.set_language(user=user, language=language_form.cleaned_data["language"])
                messages.success(request, _("Your language is saved."))
                return redirect("accounts:profile")
        elif action == "token":
            token_form = TokenForm(request.POST)
            if token_form.is_valid():
                _token, new_secret = services.create_token(
                    user=user, name=token_form.cleaned_data["name"]
                )
                token_form = TokenForm()
        elif action == "revoke":
            services.revoke_token(user=user, token_id=request.POST.get("token", ""))
            messages.success(request, _("The token is revoked."))
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "language_form": language_form,
            "token_form": token_form,
            "new_secret": new_secret,
            "has_second_factor": has_second_factor(user),
            "tokens": user.api_tokens.filter(revoked_at__isnull=True).order_by("-created_at"),
        },
    )
