from allauth.account import views as allauth_views
from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from chancery.accounts import views
from chancery.core.access import allow, public, signed_in

app_name = "accounts"

urlpatterns = [
    # Signing in and out are allauth's (chancery/accounts/allauth_urls.py has its other pages),
    # kept here under the names the code and the templates use.
    path("login/", public(allauth_views.LoginView.as_view()), name="login"),
    path("logout/", allow(signed_in)(allauth_views.LogoutView.as_view()), name="logout"),
    path(
        "password/",
        allow(signed_in)(auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            success_url=reverse_lazy("accounts:password_changed"),
        )),
        name="password_change",
    ),
    path(
        "password/done/",
        allow(signed_in)(auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_changed.html"
        )),
        name="password_changed",
    ),
    path("profile/", views.profile, name="profile"),
]
