"""The directory over JSON: countries (read only), organisations, people, affiliations, consents."""

from datetime import datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from chancery.accounts.access import is_officer, reads_directory
from chancery.core.access import signed_in
from chancery.core.api_support import PagePagination, authorize, get_visible, resolve
from chancery.core.relations import linked_ids
from chancery.core.schemas import Bounded, CountryCode, Id, Language
from chancery.directory import personal_data, queries, services
from chancery.directory.models import (
    Affiliation,
    Consent,
    ConsentKind,
    ConsentRequest,
    Country,
    Organisation,
    Person,
)
from chancery.directory.schemas import (
    AffiliationFilter,
    AffiliationIn,
    AffiliationOut,
    AffiliationPatch,
    ConsentIn,
    ConsentOut,
    CountryFilter,
    CountryOut,
    OrganisationFilter,
    OrganisationIn,
    OrganisationOut,
    OrganisationPatch,
    PersonFilter,
    PersonIn,
    PersonOut,
    PersonPatch,
)

router = Router(tags=["directory"])


def _countries(codes: list[str], field: str) -> list[Country]:
    found = {c.alpha2: c for c in Country.objects.filter(alpha2__in=codes)}
    missing = [code for code in codes if code not in found]
    if missing:
        raise ValidationError(
            {field: _("Unknown country code: %(codes)s.") % {"codes": ", ".join(missing)}}
        )
    return [found[code] for code in dict.fromkeys(codes)]


def _organisation_refs(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    if data.get("owner") is not None:
        data["owner"] = resolve(queries.offices_of(request.user), data["owner"], "owner")
    if data.get("country") is not None:
        data["country"] = resolve(Country.objects.all(), data["country"], "country")
    if data.get("parent") is not None:
        data["parent"] = resolve(Organisation.objects.all(), data["parent"], "parent")
    return data


# Countries


@router.get("/countries", response=list[CountryOut], summary="List countries (ISO 3166-1)")
@paginate(PagePagination)
def list_countries(request: HttpRequest, filters: Query[CountryFilter]) -> QuerySet[Country]:
    authorize(request, signed_in)
    return queries.countries_list(filters.q)


@router.get("/countries/{code}", response=CountryOut, summary="One country")
def get_country(request: HttpRequest, code: CountryCode) -> Country:
    authorize(request, signed_in)
    return get_visible(Country.objects.all(), code.upper())


# Organisations


@router.get("/organisations", response=list[OrganisationOut], summary="List organisations")
@paginate(PagePagination)
def list_organisations(
    request: HttpRequest, filters: Query[OrganisationFilter]
) -> QuerySet[Organisation]:
    authorize(request, reads_directory)
    return queries.organisations_list(
        text=filters.q,
        kind=filters.kind or "",
        country=filters.country or "",
        parent=filters.parent,
    )


@router.post("/organisations", response={201: OrganisationOut}, summary="Create an organisation")
def create_organisation(request: HttpRequest, payload: OrganisationIn) -> Status[Organisation]:
    authorize(request, is_officer)
    data = _organisation_refs(request, payload.model_dump())
    return Status(201, services.create_organisation(actor=request.user, **data))


@router.get(
    "/organisations/{organisation_id}", response=OrganisationOut, summary="One organisation"
)
def get_organisation(request: HttpRequest, organisation_id: Id) -> Organisation:
    authorize(request, reads_directory)
    return get_visible(Organisation.objects.all(), organisation_id)


def _kept_organisation(request: HttpRequest, organisation_id: int) -> Organisation:
    """An organisation the caller may change: 404 when there is none, 403 when another office
    (or no office) keeps it, as on the pages."""
    organisation = get_visible(Organisation.objects.all(), organisation_id)
    authorize(request, lambda user: queries.may_change_organisation(user, organisation))
    return organisation


@router.patch(
    "/organisations/{organisation_id}", response=OrganisationOut, summary="Change an organisation"
)
def update_organisation(
    request: HttpRequest, organisation_id: Id, payload: OrganisationPatch
) -> Organisation:
    authorize(request, is_officer)
    organisation = _kept_organisation(request, organisation_id)
    changes = _organisation_refs(request, payload.model_dump(exclude_unset=True))
    return services.update_organisation(actor=request.user, organisation=organisation, **changes)


@router.delete(
    "/organisations/{organisation_id}",
    response={204: None},
    summary="Delete an organisation nothing refers to",
)
def delete_organisation(request: HttpRequest, organisation_id: Id) -> Status[None]:
    authorize(request, is_officer)
    organisation = _kept_organisation(request, organisation_id)
    services.delete_organisation(actor=request.user, organisation=organisation)
    return Status(204, None)


# People


@router.get("/people", response=list[PersonOut], summary="List and search people")
@paginate(PagePagination)
def list_people(request: HttpRequest, filters: Query[PersonFilter]) -> QuerySet[Person]:
    authorize(request, signed_in)
    people = queries.people_list(
        queries.people_visible_to(request.user),
        text=filters.q,
        citizenship=filters.citizenship or "",
        organisation=filters.organisation,
        no_citizenship=filters.no_citizenship,
    )
    # Only the countries' codes are shown: from the links, with no country loaded.
    return people.prefetch_related(None).annotate(
        citizenship_codes=linked_ids(Person, "citizenships")
    )


@router.post("/people", response={201: PersonOut}, summary="Record a person")
def create_person(request: HttpRequest, payload: PersonIn) -> Status[Person]:
    authorize(request, is_officer)
    data = payload.model_dump()
    citizenships = _countries(data.pop("citizenships"), "citizenships")
    owner_id = data.pop("owner")
    offices = queries.offices_of(request.user)
    if owner_id is None:
        owner = offices.first()
        if owner is None:
            raise ValidationError({"owner": _("You are not an officer of any office.")})
    else:
        owner = resolve(offices, owner_id, "owner")
    if data.get("guardian") is not None:
        data["guardian"] = resolve(
            queries.people_visible_to(request.user), data["guardian"], "guardian"
        )
    person = services.create_person(
        actor=request.user, owner=owner, citizenships=citizenships, **data
    )
    return Status(201, person)


@router.get("/people/{person_id}", response=PersonOut, summary="One person")
def get_person(request: HttpRequest, person_id: Id) -> Person:
    authorize(request, signed_in)
    return get_visible(queries.people_visible_to(request.user), person_id)


@router.patch("/people/{person_id}", response=PersonOut, summary="Change a person")
def update_person(request: HttpRequest, person_id: Id, payload: PersonPatch) -> Person:
    authorize(request, is_officer)
    person = get_visible(queries.people_editable_by(request.user), person_id)
    changes = payload.model_dump(exclude_unset=True)
    citizenships = changes.pop("citizenships", None)
    if "guardian" in changes and changes["guardian"] is not None:
        changes["guardian"] = resolve(
            queries.people_visible_to(request.user), changes["guardian"], "guardian"
        )
    return services.update_person(
        actor=request.user,
        person=person,
        citizenships=None if citizenships is None else _countries(citizenships, "citizenships"),
        **changes,
    )


@router.delete("/people/{person_id}", response={204: None}, summary="Delete a person")
def delete_person(request: HttpRequest, person_id: Id) -> Status[None]:
    authorize(request, is_officer)
    person = get_visible(queries.people_editable_by(request.user), person_id)
    services.delete_person(actor=request.user, person=person)
    return Status(204, None)


# Personal data


class EraseIn(Schema):
    confirm: Annotated[str, Bounded(300)] = Field(
        ..., description="The person's name, typed to confirm"
    )


@router.get(
    "/people/{person_id}/personal-data",
    response=dict[str, Any],
    summary="Everything recorded about a person (officers of the keeping office)",
)
def export_personal_data(request: HttpRequest, person_id: Id) -> dict[str, Any]:
    authorize(request, is_officer)
    person = get_visible(queries.people_editable_by(request.user), person_id)
    return services.export_personal_data(person=person)


@router.post(
    "/people/{person_id}/erase",
    response=PersonOut,
    summary="Erase a person's personal data, keeping anonymised statistics",
)
def erase_person(request: HttpRequest, person_id: Id, payload: EraseIn) -> Person:
    authorize(request, is_officer)
    person = get_visible(queries.people_editable_by(request.user), person_id)
    if not personal_data.confirms(person, payload.confirm):
        raise ValidationError({"confirm": _("Type the person's name to confirm the erasure.")})
    return services.erase_person(actor=request.user, person=person)


# Consents


@router.get(
    "/people/{person_id}/consents", response=list[ConsentOut], summary="A person's consents"
)
def list_consents(request: HttpRequest, person_id: Id) -> QuerySet[Consent]:
    authorize(request, signed_in)
    person = get_visible(queries.people_visible_to(request.user), person_id)
    return person.consents.all()


@router.post("/people/{person_id}/consents", response={201: ConsentOut}, summary="Record a consent")
def record_consent(request: HttpRequest, person_id: Id, payload: ConsentIn) -> Status[Consent]:
    authorize(request, is_officer)
    person = get_visible(queries.people_editable_by(request.user), person_id)
    data = payload.model_dump()
    if data["given_by"] is not None:
        data["given_by"] = resolve(
            queries.people_visible_to(request.user), data["given_by"], "given_by"
        )
    return Status(201, services.record_consent(actor=request.user, person=person, **data))


@router.post(
    "/consents/{consent_id}/withdraw",
    response=ConsentOut,
    summary="Withdraw a consent from today on",
)
def withdraw_consent(request: HttpRequest, consent_id: Id) -> Consent:
    authorize(request, is_officer)
    consent = get_visible(
        Consent.objects.filter(person__in=queries.people_editable_by(request.user)), consent_id
    )
    return services.withdraw_consent(actor=request.user, consent=consent)


# Affiliations


def _visible_affiliations(user: Any) -> QuerySet[Affiliation]:
    return Affiliation.objects.filter(person__in=queries.people_visible_to(user))


@router.get("/affiliations", response=list[AffiliationOut], summary="List affiliations")
@paginate(PagePagination)
def list_affiliations(
    request: HttpRequest, filters: Query[AffiliationFilter]
) -> QuerySet[Affiliation]:
    authorize(request, signed_in)
    affiliations = _visible_affiliations(request.user).order_by("id")
    if filters.person is not None:
        affiliations = affiliations.filter(person_id=filters.person)
    if filters.organisation is not None:
        affiliations = affiliations.filter(organisation_id=filters.organisation)
    if filters.role is not None:
        affiliations = affiliations.filter(role=filters.role)
    return affiliations


@router.post("/affiliations", response={201: AffiliationOut}, summary="Add an affiliation")
def create_affiliation(request: HttpRequest, payload: AffiliationIn) -> Status[Affiliation]:
    authorize(request, is_officer)
    data = payload.model_dump()
    data["person"] = resolve(queries.people_editable_by(request.user), data["person"], "person")
    data["organisation"] = resolve(Organisation.objects.all(), data["organisation"], "organisation")
    return Status(201, services.add_affiliation(actor=request.user, **data))


@router.get("/affiliations/{affiliation_id}", response=AffiliationOut, summary="One affiliation")
def get_affiliation(request: HttpRequest, affiliation_id: Id) -> Affiliation:
    authorize(request, signed_in)
    return get_visible(_visible_affiliations(request.user), affiliation_id)


@router.patch(
    "/affiliations/{affiliation_id}", response=AffiliationOut, summary="Change an affiliation"
)
def update_affiliation(
    request: HttpRequest, affiliation_id: Id, payload: AffiliationPatch
) -> Affiliation:
    authorize(request, is_officer)
    affiliation = get_visible(
        Affiliation.objects.filter(person__in=queries.people_editable_by(request.user)),
        affiliation_id,
    )
    changes = payload.model_dump(exclude_unset=True)
    if changes.get("organisation") is not None:
        changes["organisation"] = resolve(
            Organisation.objects.all(), changes["organisation"], "organisation"
        )
    return services.update_affiliation(actor=request.user, affiliation=affiliation, **changes)


@router.delete(
    "/affiliations/{affiliation_id}", response={204: None}, summary="Delete an affiliation"
)
def delete_affiliation(request: HttpRequest, affiliation_id: Id) -> Status[None]:
    authorize(request, is_officer)
    affiliation = get_visible(
        Affiliation.objects.filter(person__in=queries.people_editable_by(request.user)),
        affiliation_id,
    )
    services.delete_affiliation(actor=request.user, affiliation=affiliation)
    return Status(204, None)


# Consent requests: the officer asks a pupil's guardian by e-mail, answered through a link


class ConsentRequestIn(Schema):
    guardian: Id | None = Field(
        None,
        description="A person your office keeps; left out: the "
        "pupil's recorded guardian; null: the new guardian named below",
    )
    guardian_given_name: Annotated[str, Bounded(100)] = ""
    guardian_family_name: Annotated[str, Bounded(100)] = ""
    guardian_email: Annotated[str, Bounded(254)] = Field(
        "", description="For a new guardian, or a recorded one whose address is missing"
    )
    kinds: list[ConsentKind] = Field(..., min_length=1, description="The consents asked for")
    language: Language | None = Field(
        None, description="Of the e-mail and the page; default: the request's"
    )


class ConsentRequestOut(Schema):
    id: int
    person: int = Field(..., alias="person_id")
    guardian: int = Field(..., alias="guardian_id")
    kinds: list[str]
    language: str
    requested_by: str | None = None
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    answered_at: datetime | None
    live: bool = Field(..., description="Whether the link still works: neither expired nor revoked")

    @staticmethod
    def resolve_requested_by(obj: ConsentRequest) -> str | None:
        return obj.requested_by.get_username() if obj.requested_by else None

    @staticmethod
    def resolve_live(obj: ConsentRequest) -> bool:
        return obj.is_live()


@router.get(
    "/people/{person_id}/consent-requests",
    response=list[ConsentRequestOut],
    summary="The consent requests sent to a pupil's guardian, newest first",
)
@paginate(PagePagination)
def list_consent_requests(request: HttpRequest, person_id: Id) -> QuerySet[ConsentRequest]:
    authorize(request, is_officer)
    person = get_visible(queries.people_editable_by(request.user), person_id)
    return person.consent_requests.select_related("requested_by")


@router.post(
    "/people/{person_id}/consent-requests",
    response={201: ConsentRequestOut},
    summary="Ask the pupil's guardian by e-mail for consents, given through a link",
)
def create_consent_request(
    request: HttpRequest, person_id: Id, payload: ConsentRequestIn
) -> Status[ConsentRequest]:
    authorize(request, is_officer)
    editable = queries.people_editable_by(request.user)
    person = get_visible(editable, person_id)
    data = payload.model_dump()
    if "guardian" not in payload.model_fields_set:
        data["guardian"] = person.guardian_id  # as the page's form starts
    if data["guardian"] is not None:
        # The guardians the page offers: people the office keeps, other than the pupil.
        data["guardian"] = resolve(editable.exclude(pk=person.pk), data["guardian"], "guardian")
    data["kinds"] = [str(kind.value) for kind in payload.kinds]
    if data["guardian_email"]:
        try:
            validate_email(data["guardian_email"])
        except ValidationError as error:  # as the page's e-mail field says it
            raise ValidationError({"guardian_email": error.messages}) from None
    data["language"] = data["language"] or translation.get_language()
    return Status(201, services.request_consent(actor=request.user, person=person, **data))


@router.post(
    "/consent-requests/{request_id}/revoke",
    response=ConsentRequestOut,
    summary="Stop a consent request's link from working",
)
def revoke_consent_request(request: HttpRequest, request_id: Id) -> ConsentRequest:
    authorize(request, is_officer)
    consent_request = get_visible(
        ConsentRequest.objects.filter(person__in=queries.people_editable_by(request.user)),
        request_id,
    )
    return services.revoke_consent_request(actor=request.user, consent_request=consent_request)
