from allauth.account import views as allauth_views
from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from chancery.accounts import invitation_views, views
from chancery.core.access import allow, public, signed_in

app_name = "accounts"

urlpatterns = [
    # Signing in and out are allauth's (chancery/accounts/allauth_urls.py has its other pages),
    # kept here under the names the code and the templates use.
    path("login/", public(allauth_views.LoginView.as_view()), name="login"),
    path("logout/", allow(signed_in)(allauth_views.LogoutView.as_view()), name="logout"),
    path(
        "password/",
        allow(signed_in)(
            auth_views.PasswordChangeView.as_view(
                template_name="accounts/password_change.html",
                success_url=reverse_lazy("accounts:password_changed"),
            )
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        allow(signed_in)(
            auth_views.PasswordChangeDoneView.as_view(
                template_name="accounts/password_changed.html"
            )
        ),
        name="password_changed",
    ),
    path("profile/", views.profile, name="profile"),
    # Invitations and the office's accounts (chancery/accounts/invitation_views.py).
    path("people/", invitation_views.people, name="people"),
    path("invite/person/<int:pk>/", invitation_views.invite, name="invite"),
    path("invite/selected/", invitation_views.invite_selected, name="invite_selected"),
    path("invite/import/", invitation_views.invite_import, name="invite_import"),
    path("invitation/<str:token>/", invitation_views.invitation, name="invitation"),
    path(
        "invitations/<int:pk>/revoke/", invitation_views.invitation_revoke, name="invitation_revoke"
    ),
    path(
        "invitations/<int:pk>/resend/", invitation_views.invitation_resend, name="invitation_resend"
    ),
    path("roles/<int:pk>/withdraw/", invitation_views.role_withdraw, name="role_withdraw"),
]
