"""Agreements over JSON: the register, parties, scope, commitments with progress."""

from datetime import date
from typing import Annotated, Any, ClassVar, Literal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from chancery.accounts.access import is_officer, reads_office
from chancery.agreements import queries, services
from chancery.agreements.models import MAX_SCOPE_ITEMS, MAX_TERM_MONTHS, Agreement
from chancery.core.api_support import PagePagination, authorize, get_visible, resolve
from chancery.core.schemas import Bounded, CountryCode, Id, Resolver, text_of
from chancery.directory.models import Country, Organisation, Person
from chancery.directory.queries import offices_of

router = Router(tags=["agreements"])


class PartyIn(Schema):
    organisation: Id
    signatory: Id | None = None
    signatory_title: Annotated[str, Bounded(200)] = Field("", description="In English")
    signatory_title_ru: Annotated[str, Bounded(200)] = ""
    signatory_title_kk: Annotated[str, Bounded(200)] = ""


class PartyOut(Schema):
    organisation: int = Field(..., alias="organisation_id")
    signatory: int | None = Field(None, alias="signatory_id")
    signatory_title: str = Field(..., description="In English")
    signatory_title_ru: str
    signatory_title_kk: str

    resolve_signatory_title: ClassVar[Resolver] = text_of("signatory_title_en")
    resolve_signatory_title_ru: ClassVar[Resolver] = text_of("signatory_title_ru")
    resolve_signatory_title_kk: ClassVar[Resolver] = text_of("signatory_title_kk")


class AgreementIn(Schema):
    title: Annotated[str, Bounded(300)] = Field(..., min_length=1, description="In English")
    title_ru: Annotated[str, Bounded(300)] = ""
    title_kk: Annotated[str, Bounded(300)] = ""
    kind: Literal["bilateral", "memorandum", "inter_agency"]
    signed_on: date | None = None
    in_force_from: date | None = None
    term_months: int | None = Field(None, ge=1, le=MAX_TERM_MONTHS)
    renewal: Literal["none", "automatic", "by_agreement"] = "none"
    terminated_on: date | None = None
    summary: Annotated[str, Bounded(10000)] = Field("", description="In English")
    summary_ru: Annotated[str, Bounded(10000)] = ""
    summary_kk: Annotated[str, Bounded(10000)] = ""
    parties: list[PartyIn] = Field(default_factory=list, max_length=20)
    scope: list[Annotated[str, Bounded(300)]] = Field(
        default_factory=list, max_length=MAX_SCOPE_ITEMS
    )
    owner: Id | None = Field(None, description="Office following it; default: yours")


class CommitmentIn(Schema):
    description: Annotated[str, Bounded(300)] = Field(..., min_length=1)
    quota: int = Field(..., ge=0, le=1_000_000)
    programme: Id | None = None
    citizenship: CountryCode | None = None
    counts: Literal["completed", "started"] = "completed"
    period_start: date | None = None
    period_end: date | None = None


class CommitmentOut(Schema):
    id: int
    description: str
    quota: int
    counted: int
    met: bool


class AgreementOut(Schema):
    id: int
    title: str = Field(..., description="In English")
    title_ru: str
    title_kk: str
    kind: str
    status: str
    signed_on: date | None
    in_force_from: date | None
    term_months: int | None
    renewal: str
    terminated_on: date | None
    summary: str = Field(..., description="In English")
    summary_ru: str
    summary_kk: str
    parties: list[PartyOut]
    scope: list[str]

    resolve_title: ClassVar[Resolver] = text_of("title_en")
    resolve_title_ru: ClassVar[Resolver] = text_of("title_ru")
    resolve_title_kk: ClassVar[Resolver] = text_of("title_kk")
    resolve_summary: ClassVar[Resolver] = text_of("summary_en")
    resolve_summary_ru: ClassVar[Resolver] = text_of("summary_ru")
    resolve_summary_kk: ClassVar[Resolver] = text_of("summary_kk")

    @staticmethod
    def resolve_parties(obj: Agreement) -> Any:
        return obj.parties.all()

    @staticmethod
    def resolve_scope(obj: Agreement) -> list[str]:
        return [item.text for item in obj.scope_items.all()]


def _parties(parties: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "organisation": resolve(Organisation.objects.all(), party["organisation"], "parties"),
            "signatory": resolve(Person.objects.all(), party["signatory"], "parties")
            if party["signatory"]
            else None,
            "signatory_title": party["signatory_title"],
            "signatory_title_ru": party["signatory_title_ru"],
            "signatory_title_kk": party["signatory_title_kk"],
        }
        for party in parties
    ]


@router.get("/agreements", response=list[AgreementOut], summary="The agreements register")
@paginate(PagePagination)
def list_agreements(request: HttpRequest) -> QuerySet[Agreement]:
    authorize(request, reads_office)
    return (
        queries.agreements_list(queries.agreements_visible_to(request.user))
        .prefetch_related("scope_items")
        .order_by("id")
    )


@router.post("/agreements", response={201: AgreementOut}, summary="Record an agreement")
def create_agreement(request: HttpRequest, payload: AgreementIn) -> Status[Agreement]:
    authorize(request, is_officer)
    data = payload.model_dump()
    owner_id = data.pop("owner")
    offices = offices_of(request.user)
    owner = offices.first() if owner_id is None else resolve(offices, owner_id, "owner")
    if owner is None:
        raise ValidationError({"owner": _("You are not an officer of any office.")})
    data["parties"] = _parties(data["parties"])
    return Status(201, services.create_agreement(actor=request.user, owner=owner, **data))


@router.get("/agreements/{agreement_id}", response=AgreementOut, summary="One agreement")
def get_agreement(request: HttpRequest, agreement_id: Id) -> Agreement:
    authorize(request, reads_office)
    return get_visible(queries.agreements_visible_to(request.user), agreement_id)


@router.get(
    "/agreements/{agreement_id}/commitments",
    response=list[CommitmentOut],
    summary="Commitments with their progress counted from enrolments",
)
def list_commitments(request: HttpRequest, agreement_id: Id) -> list[dict[str, Any]]:
    authorize(request, reads_office)
    agreement = get_visible(queries.agreements_visible_to(request.user), agreement_id)
    return [
        {
            "id": row.commitment.pk,
            "description": row.commitment.description,
            "quota": row.commitment.quota,
            "counted": row.counted,
            "met": row.met,
        }
        for row in queries.commitments_of(Agreement.objects.filter(pk=agreement.pk))
    ]


@router.post(
    "/agreements/{agreement_id}/commitments",
    response={201: CommitmentOut},
    summary="Add a commitment",
)
def add_commitment(
    request: HttpRequest, agreement_id: Id, payload: CommitmentIn
) -> Status[dict[str, Any]]:
    authorize(request, is_officer)
    agreement = get_visible(
        queries.agreements_visible_to(request.user).filter(owner__in=offices_of(request.user)),
        agreement_id,
    )
    data = payload.model_dump()
    if data["citizenship"]:
        data["citizenship"] = resolve(Country.objects.all(), data["citizenship"], "citizenship")
    if data["programme"]:
        # upward: named in pyproject's [tool.importlinter]
        from chancery.programmes.models import Programme

        data["programme"] = resolve(Programme.objects.all(), data["programme"], "programme")
    commitment = services.add_commitment(actor=request.user, agreement=agreement, **data)
    row = queries.commitment_progress(commitment)
    return Status(
        201,
        {
            "id": commitment.pk,
            "description": commitment.description,
            "quota": commitment.quota,
            "counted": row.counted,
            "met": row.met,
        },
    )
