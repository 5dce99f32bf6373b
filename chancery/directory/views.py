"""Directory pages: people and organisations, their history, duplicates and merging."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from chancery.accounts.access import is_officer, reads_directory
from chancery.core.access import allow, public, signed_in
from chancery.core.audit import history_of
from chancery.core.clients import client_address
from chancery.core.confirm import confirmation_step
from chancery.core.forms import add_service_errors, submit
from chancery.core.pagination import page_of
from chancery.core.protection import RecordInUse
from chancery.core.sorting import Column, sorting_of
from chancery.core.views_support import get_or_404
from chancery.directory import journey, personal_data, queries, services
from chancery.directory.forms import (
    AffiliationForm,
    ConsentForm,
    ConsentRequestForm,
    MergeForm,
    OrganisationForm,
    PersonForm,
    SchoolConsentRequestForm,
    record_label,
)
from chancery.directory.models import (
    CONSENT_COVERS,
    CONSENT_LINK_DAYS,
    Affiliation,
    Citizenship,
    Consent,
    ConsentKind,
    ConsentRequest,
    Organisation,
    OrganisationKind,
    Person,
)

PAGE_SIZE = 25
CHOICES_SHOWN = 20


def _id(value: Any) -> int | None:
    """A query-string id, or None when it is not a plausible one."""
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) < 19 else None


def _done(request: HttpRequest, url: str) -> HttpResponse:
    """After a successful form: a full redirect, also when the form came through htmx."""
    if request.htmx:  # type: ignore[attr-defined]
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _form_page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """The form page, or only its form when htmx asks, so errors show in place."""
    if request.htmx:  # type: ignore[attr-defined]
        template = f"{template}#form"
    return render(request, template, context, status=422 if request.method == "POST" else 200)


def _list_page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """A list page, or only its #results when htmx searches.

    The search pushes its URL, so one URL answers with a fragment or a whole page: `Vary`
    keeps the browser from showing the cached fragment as the page on Back, and a history
    restore (htmx reloading a page it has not cached) gets the whole page.
    """
    htmx = request.htmx  # type: ignore[attr-defined]
    partial = bool(htmx) and not htmx.history_restore_request
    response = render(request, f"{template}#results" if partial else template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


# People

# The people list's and the organisations list's sortable columns.
PEOPLE_COLUMNS = (
    Column("name", gettext_lazy("Name"), ("family_name", "given_name")),
    Column("cyrillic", gettext_lazy("Other script"), ("family_name_cyrl", "given_name_cyrl")),
    Column("class", gettext_lazy("Class"), ("class_year", "family_name", "given_name")),
)
ORGANISATION_COLUMNS = (
    Column("name", pgettext_lazy("organisation", "Name"), ("name_*",)),
    Column("kind", gettext_lazy("Kind"), ("kind", "name_*")),
    Column("country", gettext_lazy("Country"), ("country__name_*", "name_*")),
)


@allow(signed_in)
def person_list(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "")[:100]
    citizenship = request.GET.get("citizenship", "")[:2]
    no_citizenship = request.GET.get("no_citizenship") == "1"
    visible = queries.people_visible_to(request.user)
    organisation = _id(request.GET.get("organisation"))
    people = queries.people_list(
        visible,
        text=text,
        citizenship=citizenship,
        no_citizenship=no_citizenship,
        organisation=organisation,
    )
    sorting = sorting_of(request, PEOPLE_COLUMNS)
    context = {
        "page": page_of(sorting.apply(people), request.GET.get("page"), PAGE_SIZE),
        "sorting": sorting,
        "q": text,
        "citizenship": citizenship,
        "no_citizenship": no_citizenship,
        "countries": queries.citizenship_countries(),
    }
    return _list_page(request, "directory/person_list.html", context)


@allow(is_officer)
def person_create(request: HttpRequest) -> HttpResponse:
    offices = queries.offices_of(request.user)
    people = queries.people_visible_to(request.user)
    form = PersonForm(request.POST or None, offices=offices, people=people)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            person = services.create_person(actor=request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s is recorded.") % {"name": person})
            return _done(request, reverse("directory:person", args=[person.pk]))
    return _form_page(request, "directory/person_form.html", {"form": form})


@allow(is_officer)
def person_choices(request: HttpRequest) -> HttpResponse:
    """The suggestions of a person field (a guardian), among the people the officer sees."""
    people = queries.people_visible_to(request.user)
    role = request.GET.get("role", "")
    if role:
        people = people.filter(pk__in=Affiliation.objects.filter(role=role).values("person"))
    return _choices(request, people, lambda text: queries.search_people(people, text))


@allow(signed_in)
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        person = queries.person_detail(queries.people_visible_to(request.user), pk)
    except Person.DoesNotExist:
        raise Http404 from None
    can_edit = queries.people_editable_by(request.user).filter(pk=pk).exists()
    return render(
        request,
        "directory/person_detail.html",
        {
            "person": person,
            "can_edit": can_edit,
            "minor": person.is_minor(),
            "consent_requests": queries.consent_requests_of(person) if can_edit else [],
            "journey": journey.journey(person, request.user),
        },
    )


def _fields(request: HttpRequest, partial: str, context: dict[str, Any]) -> HttpResponse:
    """A small form's fields, fetched by the person page when its section is opened."""
    return render(request, f"directory/person_detail.html#{partial}", context)


@allow(is_officer)
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_or_404(queries.people_editable_by(request.user), pk)
    form = PersonForm(
        request.POST or None,
        instance=person,
        offices=queries.offices_of(request.user),
        people=queries.people_visible_to(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_person(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return _done(request, reverse("directory:person", args=[pk]))
    return _form_page(request, "directory/person_form.html", {"form": form, "person": person})


@allow(is_officer)
@require_POST
def person_delete(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_or_404(queries.people_editable_by(request.user), pk)
    step = confirmation_step(
        request,
        title=_("Delete the record of %(name)s?") % {"name": person},
        consequence=_(
            "The record and everything attached to it are deleted. This cannot be "
            "undone. A record others refer to (enrolments, attendance) cannot be "
            "deleted: erase its personal data instead."
        ),
        action=_("Delete this record"),
        cancel_url=reverse("directory:person", args=[pk]),
    )
    if step is not None:
        return step
    try:
        services.delete_person(actor=request.user, person=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("directory:person", pk=pk)
    except RecordInUse as error:
        return render(
            request,
            "directory/person_delete_refused.html",
            {"person": person, "message": error.message},
            status=409,
        )
    messages.success(request, _("The record is deleted."))
    return redirect("directory:people")


@allow(is_officer)
def person_personal_data(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything recorded about the person, as a JSON download."""
    person = get_or_404(queries.people_editable_by(request.user), pk)
    response = JsonResponse(
        services.export_personal_data(person=person),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Content-Disposition"] = f'attachment; filename="person-{pk}.json"'
    return response


class EraseForm(forms.Form):
    confirmation = forms.CharField(
        label=gettext_lazy("Type the person's name to confirm"),
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_confirmation(self) -> str:
        text = str(self.cleaned_data["confirmation"])
        if not personal_data.confirms(self.person, text):
            raise forms.ValidationError(_("This is not the person's name; nothing was erased."))
        return text


@allow(is_officer)
def person_erase(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_or_404(queries.people_editable_by(request.user), pk)
    refusals = personal_data.refusals(person)
    form = EraseForm(request.POST or None, person=person)
    if request.method == "POST" and not refusals and form.is_valid():
        try:
            services.erase_person(actor=request.user, person=person)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The personal data are erased."))
            return redirect("directory:person", pk=pk)
    failed = request.method == "POST"
    return render(
        request,
        "directory/person_erase.html",
        {
            "person": person,
            "form": form,
            "refusals": refusals,
        },
        status=422 if failed else 200,
    )


@allow(is_officer)
def person_history(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_or_404(queries.people_visible_to(request.user), pk)
    entries = history_of(
        person,
        Citizenship.history.filter(person_id=pk),
        Consent.history.filter(person_id=pk),
        ConsentRequest.history.filter(person_id=pk),
        Affiliation.history.filter(person_id=pk),
    )
    return render(
        request,
        "core/history.html",
        {"subject": person, "entries": entries, "back": reverse("directory:person", args=[pk])},
    )


@allow(is_officer)
@require_http_methods(["GET", "POST"])
def consent_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_or_404(queries.people_editable_by(request.user), pk)
    if request.method == "GET":
        return _fields(request, "consent-fields", {"consent_form": ConsentForm(person=person)})
    submit(
        request,
        ConsentForm(request.POST, person=person),
        lambda data: services.record_consent(actor=request.user, person=person, **data),
        _("Consent recorded."),
    )
    return redirect("directory:person", pk=pk)


@allow(is_officer)
@require_POST
def consent_withdraw(request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    person = get_or_404(queries.people_editable_by(request.user), pk)
    consent = get_or_404(person.consents.all(), consent_pk)
    try:
        services.withdraw_consent(actor=request.user, consent=consent)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Consent withdrawn."))
    return redirect("directory:person", pk=pk)


# Consent requests: the officer asks, the guardian answers through the link


@allow(is_officer)
def consent_request_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask the pupil's guardian by e-mail for consents, answered through a link."""
    person = get_or_404(queries.people_editable_by(request.user), pk)
    form = ConsentRequestForm(
        request.POST or None,
        person=person,
        people=queries.people_editable_by(request.user),
        initial={"language": translation.get_language()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            consent_request = services.request_consent(
                actor=request.user, person=person, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The request is sent to %(email)s.") % {"email": consent_request.guardian.email},
            )
            return _done(request, reverse("directory:person", args=[pk]))
    return _form_page(
        request,
        "directory/consent_request_form.html",
        {"form": form, "person": person, "days": CONSENT_LINK_DAYS},
    )


@allow(is_officer)
def school_consent_requests(request: HttpRequest) -> HttpResponse:
    """Ask the guardians of a school's minor pupils for the consents they have not given."""
    initial = {"language": translation.get_language(), "school": _id(request.GET.get("school"))}
    form = SchoolConsentRequestForm(request.POST or None, initial=initial)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.request_consent_for_school(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
    failed = request.method == "POST" and result is None
    return render(
        request,
        "directory/school_consent_requests.html",
        {"form": form, "result": result},
        status=422 if failed else 200,
    )


@allow(is_officer)
@require_POST
def consent_request_revoke(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    person = get_or_404(queries.people_editable_by(request.user), pk)
    consent_request = get_or_404(person.consent_requests.all(), request_pk)
    services.revoke_consent_request(actor=request.user, consent_request=consent_request)
    messages.success(request, _("The link of this request no longer works."))
    return redirect("directory:person", pk=pk)


REFUSED_LINK_STATUS = {"unknown": 404, "expired": 410, "revoked": 410, "guardian changed": 410}


def _link_language(request: HttpRequest, consent_request: ConsentRequest | None) -> None:
    """The page speaks the language asked for (?language=), else the one the visitor chose
    with the switch, else the request's (the guardian's)."""
    languages = {code for code, _name in settings.LANGUAGES}
    chosen = request.GET.get("language", "")
    if chosen not in languages:
        chosen = (
            ""
            if settings.LANGUAGE_COOKIE_NAME in request.COOKIES
            else (consent_request.language if consent_request else "")
        )
    if chosen in languages:
        translation.activate(chosen)
        request.LANGUAGE_CODE = chosen


@public
@require_http_methods(["GET", "POST"])
def consent_link(request: HttpRequest, token: str) -> HttpResponse:
    """The page a guardian's link opens, without an account: what each consent asked for
    covers, and a button to give or withdraw it, as long as the link lasts."""
    try:
        consent_request = services.consent_request_for(token)
    except services.LinkRefused as refused:
        _link_language(request, refused.consent_request)
        return render(
            request,
            "directory/consent_link_refused.html",
            {"reason": refused.reason},
            status=REFUSED_LINK_STATUS[refused.reason],
        )
    _link_language(request, consent_request)
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        action = request.POST.get("action", "")
        if action not in ("give", "withdraw"):
            messages.error(request, _("Choose to give or to withdraw the consent."))
            return redirect(request.get_full_path())
        try:
            services.answer_consent_request(
                token=token, kind=kind, give=action == "give", address=client_address(request)
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except services.LinkRefused as refused:  # expired between the page and the click
            return render(
                request,
                "directory/consent_link_refused.html",
                {"reason": refused.reason},
                status=REFUSED_LINK_STATUS[refused.reason],
            )
        else:
            messages.success(
                request,
                _("Thank you: your answer is recorded.")
                if action == "give"
                else _("Thank you: the consent is withdrawn."),
            )
        return redirect(request.get_full_path())
    person = consent_request.person
    consents = {kind: queries.consent_in_force(person, kind) for kind in consent_request.kinds}
    response = render(
        request,
        "directory/consent_link.html",
        {
            "consent_request": consent_request,
            "pupil_name": person.given_name or person.given_name_cyrl or person.name,
            "editions": queries.editions_of_pupil(person),
            "kinds": [
                (kind, ConsentKind(kind).label, CONSENT_COVERS[ConsentKind(kind)], consents[kind])
                for kind in consent_request.kinds
            ],
            "languages": settings.LANGUAGES,
        },
    )
    response["Referrer-Policy"] = "same-origin"  # the token stays out of other sites' logs
    response["Cache-Control"] = "no-store"
    return response


@allow(is_officer)
@require_http_methods(["GET", "POST"])
def affiliation_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_or_404(queries.people_editable_by(request.user), pk)
    if request.method == "GET":
        return _fields(request, "affiliation-fields", {"affiliation_form": AffiliationForm()})
    submit(
        request,
        AffiliationForm(request.POST),
        lambda data: services.add_affiliation(actor=request.user, person=person, **data),
        _("Affiliation added."),
    )
    return redirect("directory:person", pk=pk)


@allow(is_officer)
@require_POST
def affiliation_delete(request: HttpRequest, pk: int, affiliation_pk: int) -> HttpResponse:
    person = get_or_404(queries.people_editable_by(request.user), pk)
    affiliation = get_or_404(person.affiliations.all(), affiliation_pk)
    step = confirmation_step(
        request,
        title=_("Remove the affiliation “%(affiliation)s”?") % {"affiliation": affiliation},
        consequence=_("%(name)s is no longer shown as part of this organisation.")
        % {"name": person},
        action=_("Remove the affiliation"),
        cancel_url=reverse("directory:person", args=[pk]),
    )
    if step is not None:
        return step
    services.delete_affiliation(actor=request.user, affiliation=affiliation)
    messages.success(request, _("Affiliation removed."))
    return redirect("directory:person", pk=pk)


@allow(is_officer)
def duplicates(request: HttpRequest) -> HttpResponse:
    pairs = queries.likely_duplicates(queries.people_editable_by(request.user))
    return render(request, "directory/duplicates.html", {"pairs": pairs})


@allow(is_officer)
def merge(request: HttpRequest, first: int, second: int) -> HttpResponse:
    editable = queries.people_editable_by(request.user)
    pair = (get_or_404(editable, first), get_or_404(editable, second))
    if pair[0].pk == pair[1].pk:
        raise Http404
    form = MergeForm(request.POST or None, pair=pair)
    if request.method == "POST" and form.is_valid():
        keep, drop = pair if form.cleaned_data["keep"] == str(pair[0].pk) else pair[::-1]
        kept = services.merge_people(actor=request.user, keep=keep, drop=drop)
        messages.success(request, _("The records are merged into %(name)s.") % {"name": kept})
        return redirect("directory:person", pk=kept.pk)
    return render(request, "directory/merge.html", {"form": form, "pair": pair})


# Organisations


@allow(reads_directory)
def organisation_list(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "")[:100]
    kind = request.GET.get("kind", "")
    if kind not in OrganisationKind.values:
        kind = ""
    organisations = queries.organisations_list(text=text, kind=kind)
    sorting = sorting_of(request, ORGANISATION_COLUMNS)
    context = {
        "page": page_of(sorting.apply(organisations), request.GET.get("page"), PAGE_SIZE),
        "sorting": sorting,
        "q": text,
        "kind": kind,
        "kinds": OrganisationKind.choices,
    }
    return _list_page(request, "directory/organisation_list.html", context)


NARROWING = {"kind", "not_kind", "role"}  # a picker's filters, not the text typed


def _choices(
    request: HttpRequest, records: QuerySet[Any], search: Callable[[str], QuerySet[Any]]
) -> HttpResponse:
    """A few records matching the typed text (in `q`, or in the field's own name as htmx
    sends it), as the options of a picker's datalist."""
    # a query's values are strings (the types also allow the [] of a key without any value)
    typed = (
        value
        for key, value in request.GET.items()
        if key not in NARROWING and isinstance(value, str) and value
    )
    text = (request.GET.get("q") or next(typed, "")).strip()[:100]
    number = _id(text)
    if number is not None:
        found = records.filter(pk=number)
    elif text:
        found = search(text)
    else:
        found = records.none()
    labels = [record_label(record) for record in found[:CHOICES_SHOWN]]
    return render(request, "directory/choices.html", {"labels": labels})


@allow(reads_directory)
def organisation_choices(request: HttpRequest) -> HttpResponse:
    """The suggestions of an organisation field, of some kinds only or none of others."""
    organisations = Organisation.objects.all()
    if kinds := request.GET.get("kind", ""):
        organisations = organisations.filter(kind__in=kinds.split(","))
    if not_kinds := request.GET.get("not_kind", ""):
        organisations = organisations.exclude(kind__in=not_kinds.split(","))
    return _choices(
        request,
        organisations,
        lambda text: queries.organisations_list(text=text, within=organisations).order_by(
            "name_en", "id"
        ),
    )


@allow(is_officer)
def organisation_create(request: HttpRequest) -> HttpResponse:
    initial = {"parent": _id(request.GET.get("parent"))}
    form = _organisation_form(request, None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.create_organisation(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s is recorded.") % {"name": organisation})
            return _done(request, reverse("directory:organisation", args=[organisation.pk]))
    return _form_page(request, "directory/organisation_form.html", {"form": form})


@allow(reads_directory)
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_or_404(Organisation.objects.select_related("country", "parent", "owner"), pk)
    people = queries.people_visible_to(request.user)
    affiliations = (
        organisation.affiliations.filter(person__in=people)
        .select_related("person")
        .order_by("role", "person__family_name")
    )
    return render(
        request,
        "directory/organisation_detail.html",
        {
            "organisation": organisation,
            "children": organisation.children.select_related("country"),
            "affiliations": affiliations,
            "can_add": is_officer(request.user),
            "can_edit": queries.may_change_organisation(request.user, organisation),
        },
    )


def _organisation_form(
    request: HttpRequest, organisation: Organisation | None, **kwargs: Any
) -> OrganisationForm:
    return OrganisationForm(
        request.POST or None,
        instance=organisation,
        offices=queries.offices_of(request.user),
        **kwargs,
    )


def _kept_organisation(request: HttpRequest, pk: int) -> Organisation:
    """An organisation the user may change and read the history of; everyone may read it, so
    any other user is refused (403), not told it is missing."""
    organisation = get_or_404(Organisation.objects.all(), pk)
    if not queries.may_change_organisation(request.user, organisation):
        raise PermissionDenied
    return organisation


@allow(is_officer)
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _kept_organisation(request, pk)
    form = _organisation_form(request, organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organisation(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return _done(request, reverse("directory:organisation", args=[pk]))
    return _form_page(
        request, "directory/organisation_form.html", {"form": form, "organisation": organisation}
    )


@allow(is_officer)
def organisation_history(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _kept_organisation(request, pk)
    return render(
        request,
        "core/history.html",
        {
            "subject": organisation,
            "entries": history_of(organisation),
            "back": reverse("directory:organisation", args=[pk]),
        },
    )
