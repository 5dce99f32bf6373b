"""Every URL of Chancery: the pages of each app, the API, the admin."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from chancery.api import api

# The admin signs in through allauth's sign-in, with its second factor, throttling and all.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", include("chancery.core.urls")),
    path("", include("chancery.site.urls")),
    path("accounts/", include("chancery.accounts.urls")),
    path("accounts/", include("chancery.accounts.allauth_urls")),  # password reset, 2FA...
    path("directory/", include("chancery.directory.urls")),
    path("draws/", include("chancery.draws.urls")),
    path("agreements/", include("chancery.agreements.urls")),
    path("programmes/", include("chancery.programmes.urls")),
    path("calls/", include("chancery.calls.urls")),
    path("events/", include("chancery.events.urls")),
    path("allocation/", include("chancery.allocation.urls")),
    path("reports/", include("chancery.reports.urls")),
    path("mun/", include("chancery.mun.urls")),
    path("notifications/", include("chancery.notifications.urls")),
    path("api/", api.urls),
    path("selection/", include("chancery.selection.urls")),
    path("admin/", admin.site.urls),
    path("", include("chancery.programmes.cert_urls")),
]
