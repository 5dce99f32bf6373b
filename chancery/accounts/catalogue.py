"""Messages Django and django-allauth show on Chancery's account pages whose Kazakh their own
catalogues lack. Listed here, with the same msgids, so `makemessages` puts them in Chancery's
catalogue (locale/), whose translations win over the libraries' own: nothing imports this."""

from django.utils.translation import gettext_noop, ngettext_lazy

MESSAGES = (
    # django.contrib.auth.password_validation (AUTH_PASSWORD_VALIDATORS): help and errors.
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "n",
    ),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("This password is too common."),
    gettext_noop("Your password can’t be entirely numeric."),
    gettext_noop("This password is entirely numeric."),
    # allauth's forms
    gettext_noop("You must type the same password each time."),
)
