"""Certificate URLs at the site's root: /verify/ is public and printed on every certificate."""

from django.urls import path

from chancery.programmes import certificate_views

urlpatterns = [
    path("verify/", certificate_views.verify_lookup, name="verify_lookup"),
    path("verify/<str:code>/", certificate_views.verify_certificate, name="verify_certificate"),
    path(
        "programmes/enrolments/<int:pk>/certificate.pdf",
        certificate_views.certificate_pdf,
        name="certificate_pdf",
    ),
]
