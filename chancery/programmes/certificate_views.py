"""Certificate pages: the PDF for its holder and the office; public verification by code."""

import re
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from chancery.core.access import allow, public, signed_in
from chancery.programmes import queries
from chancery.programmes.certificates import LANGUAGES, facts_of, period, render_certificate_pdf
from chancery.programmes.models import Certificate

CODE_PATTERN = re.compile(r"[A-Z0-9]{1,32}")


def _normalised(code: str) -> str:
    """A code as typed, without spaces or dashes, in capitals."""
    return re.sub(r"[\s-]+", "", code).upper()


class LookupForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Verification code"),
        max_length=64,
        help_text=gettext_lazy("The code printed on the certificate."),
    )

    def clean_code(self) -> str:
        code = _normalised(self.cleaned_data["code"])
        if not CODE_PATTERN.fullmatch(code):
            raise forms.ValidationError(
                gettext_lazy("A code has only letters and digits, 32 at most.")
            )
        return code


@allow(signed_in)
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The certificate of enrolment `pk` as a PDF, for whoever may see the enrolment."""
    enrolment = (
        queries.enrolments_visible_to(request.user)
        .filter(pk=pk)
        .select_related("person", "edition__programme__owner")
        .first()
    )
    certificate = getattr(enrolment, "certificate", None) if enrolment else None
    if certificate is None or certificate.revoked_on is not None:
        raise Http404
    language = request.GET.get("lang") or (translation.get_language() or "en")[:2]
    if language not in LANGUAGES:
        language = "en"
    verify_url = request.build_absolute_uri(reverse("verify_certificate", args=[certificate.code]))
    pdf = render_certificate_pdf(certificate, language=language, verify_url=verify_url)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="certificate-{certificate.code}-{language}.pdf"'
    )
    return response


def _public_facts(certificate: Certificate) -> dict[str, Any]:
    """Only what the public page may show: name, programme, host, dates, issue and revocation."""
    facts = facts_of(certificate)
    return {
        "participant": facts.participant,
        "participant_cyrillic": facts.participant_cyrillic,
        "programme": facts.programme,
        "host": facts.host,
        "period": period(facts),
        "issued_on": facts.issued_on,
        "revoked_on": facts.revoked_on,
        "revoked_reason": facts.revoked_reason,
    }


@public
def verify_certificate(request: HttpRequest, code: str) -> HttpResponse:
    """Whether a certificate with this code exists, and whether it still holds."""
    code = _normalised(code)
    certificate = (
        Certificate.objects.select_related(
            "enrolment__person", "enrolment__edition__programme__owner"
        )
        .filter(code=code)
        .first()
    )
    context: dict[str, Any] = {"code": code, "lookup_form": LookupForm()}
    if certificate is not None:
        context["certificate"] = _public_facts(certificate)
    response = render(
        request, "programmes/verify.html", context, status=200 if certificate else 404
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@public
def verify_lookup(request: HttpRequest) -> HttpResponse:
    """Type a code, go to its verification page."""
    form = LookupForm(request.GET if "code" in request.GET else None)
    if form.is_valid():
        return redirect("verify_certificate", code=form.cleaned_data["code"])
    return render(
        request,
        "programmes/verify_lookup.html",
        {"form": form},
        status=422 if form.is_bound else 200,
    )
