"""Agreement pages: the register, one agreement with its parties, scope, commitments, files."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from chancery.accounts.access import is_officer, reads_office
from chancery.agreements import queries, services
from chancery.agreements.forms import AgreementForm, CommitmentForm, DocumentForm, PartyForm
from chancery.agreements.models import Agreement
from chancery.core.access import allow
from chancery.core.forms import add_service_errors, submit
from chancery.core.sorting import Column, sorting_of
from chancery.core.views_support import download, get_or_404
from chancery.directory.queries import offices_of

# The list's sortable columns (its status is computed, not stored: not one of them); the title
# in the reader's language, else the English one.
AGREEMENT_COLUMNS = (
    Column("title", gettext_lazy("Agreement"), ("title_*",)),
    Column("signed", gettext_lazy("Signed"), ("signed_on", "title_*")),
)
DOCUMENT_TYPES = (".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".docx", ".odt")


def _managed(user: Any) -> QuerySet[Agreement]:
    return queries.agreements_visible_to(user).filter(owner__in=offices_of(user))


@allow(reads_office)
def agreement_list(request: HttpRequest) -> HttpResponse:
    agreements = queries.agreements_list(queries.agreements_visible_to(request.user))
    expiring = queries.coming_expiries(agreements)
    sorting = sorting_of(request, AGREEMENT_COLUMNS)
    return render(
        request,
        "agreements/agreement_list.html",
        {
            "agreements": sorting.apply(agreements),
            "sorting": sorting,
            "expiring": expiring,
            "ending": {row.agreement.pk for row in expiring},
            "can_create": is_officer(request.user),
        },
    )


@allow(reads_office)
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_or_404(queries.agreements_list(queries.agreements_visible_to(request.user)), pk)
    manageable = _managed(request.user).filter(pk=pk).exists()
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            "agreement": agreement,
            "manageable": manageable,
            "progress": queries.commitments_of(Agreement.objects.filter(pk=pk)),
            "party_form": PartyForm() if manageable else None,
            "commitment_form": CommitmentForm() if manageable else None,
            "document_form": DocumentForm() if manageable else None,
        },
    )


def _agreement_form(request: HttpRequest, agreement: Agreement | None) -> HttpResponse:
    form = AgreementForm(request.POST or None, instance=agreement, offices=offices_of(request.user))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "scope"}
        try:
            if agreement is None:
                agreement = services.create_agreement(
                    actor=request.user, scope=form.scope_items(), **data
                )
            else:
                agreement = services.update_agreement(
                    actor=request.user, agreement=agreement, scope=form.scope_items(), **data
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The agreement is saved."))
            return redirect("agreements:detail", pk=agreement.pk)
    return render(
        request,
        "programmes/form.html",
        {
            "form": form,
            "title": _("Edit the agreement") if agreement else _("New agreement"),
        },
        status=422 if request.method == "POST" else 200,
    )


@allow(is_officer)
def agreement_create(request: HttpRequest) -> HttpResponse:
    return _agreement_form(request, None)


@allow(is_officer)
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _agreement_form(request, get_or_404(_managed(request.user), pk))


@allow(is_officer)
@require_POST
def party_add(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_or_404(_managed(request.user), pk)
    submit(
        request,
        PartyForm(request.POST),
        lambda data: services.add_party(actor=request.user, agreement=agreement, **data),
        _("The party is added."),
    )
    return redirect("agreements:detail", pk=pk)


@allow(is_officer)
@require_POST
def commitment_add(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_or_404(_managed(request.user), pk)
    submit(
        request,
        CommitmentForm(request.POST),
        lambda data: services.add_commitment(actor=request.user, agreement=agreement, **data),
        _("The commitment is added."),
    )
    return redirect("agreements:detail", pk=pk)


@allow(reads_office)
def document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    agreement = get_or_404(queries.agreements_visible_to(request.user), pk)
    document = agreement.documents.filter(pk=document_pk).first()
    if document is None:
        raise Http404
    return download(document.file.name, (document.file.name or "").rsplit("/", 1)[-1])


@allow(is_officer)
@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_or_404(_managed(request.user), pk)

    def attach(data: dict[str, Any]) -> None:
        upload = data["file"]
        if not upload.name.lower().endswith(DOCUMENT_TYPES):
            raise ValidationError({"file": _("Upload a PDF, an image, DOCX or ODT.")})
        services.add_document(
            actor=request.user, agreement=agreement, title=data["title"], file=upload
        )

    submit(
        request, DocumentForm(request.POST, request.FILES), attach, _("The document is attached.")
    )
    return redirect("agreements:detail", pk=pk)
