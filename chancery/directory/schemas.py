"""API input and output shapes of the directory."""

from datetime import date
from typing import Annotated, Any, ClassVar

from ninja import Field, Schema

from chancery.core.schemas import Bounded, CountryCode, Id, Resolver, text_of, unset
from chancery.directory.models import AffiliationRole, ConsentKind, OrganisationKind


class CountryOut(Schema):
    alpha2: str
    alpha3: str
    numeric: str
    name_en: str
    name_ru: str
    name_kk: str


class CountryFilter(Schema):
    q: Annotated[str, Bounded(100)] = Field("", description="Code or name in any language")


class OrganisationIn(Schema):
    kind: OrganisationKind
    name_en: Annotated[str, Bounded(200)] = Field(..., min_length=1)
    name_ru: Annotated[str, Bounded(200)] = ""
    name_kk: Annotated[str, Bounded(200)] = ""
    short_name: Annotated[str, Bounded(50)] = ""
    country: CountryCode | None = None
    parent: Id | None = None
    website: Annotated[str, Bounded(200)] = ""
    active: bool = True
    notes: Annotated[str, Bounded(5000)] = ""
    owner: Id | None = Field(
        None,
        description="The office keeping the entry (only its officers change it); default: yours",
    )


class OrganisationPatch(Schema):
    """Only the fields sent change; null is accepted only where the record may be empty."""

    kind: OrganisationKind = unset()
    name_en: Annotated[str, Bounded(200)] = unset(min_length=1)
    name_ru: Annotated[str, Bounded(200)] = unset()
    name_kk: Annotated[str, Bounded(200)] = unset()
    short_name: Annotated[str, Bounded(50)] = unset()
    country: CountryCode | None = None
    parent: Id | None = None
    website: Annotated[str, Bounded(200)] = unset()
    active: bool = unset()
    notes: Annotated[str, Bounded(5000)] = unset()
    owner: Id | None = Field(None, description="Hand the entry to another of your offices")


class OrganisationOut(Schema):
    id: int
    kind: str
    name: str = Field(..., description="In the request's language, else English, else any")
    name_en: str
    name_ru: str
    name_kk: str
    short_name: str
    country: str | None = Field(None, alias="country_id")
    parent: int | None = Field(None, alias="parent_id")
    website: str
    active: bool
    notes: str
    owner: int | None = Field(
        None, alias="owner_id", description="The office keeping the entry; none: administrators"
    )

    resolve_name_ru: ClassVar[Resolver] = text_of("name_ru")
    resolve_name_kk: ClassVar[Resolver] = text_of("name_kk")


class OrganisationFilter(Schema):
    q: Annotated[str, Bounded(100)] = ""
    kind: OrganisationKind | None = None
    country: CountryCode | None = None
    parent: Id | None = None


class PersonIn(Schema):
    given_name: Annotated[str, Bounded(100)] = ""
    family_name: Annotated[str, Bounded(100)] = ""
    given_name_cyrl: Annotated[str, Bounded(100)] = ""
    family_name_cyrl: Annotated[str, Bounded(100)] = ""
    display_name: Annotated[str, Bounded(200)] = ""
    birth_date: date | None = None
    email: Annotated[str, Bounded(254)] = ""
    phone: Annotated[str, Bounded(40)] = ""
    class_year: int | None = Field(None, ge=1950, le=2100)
    notes: Annotated[str, Bounded(5000)] = ""
    citizenships: list[CountryCode] = Field(
        default_factory=list,
        max_length=10,
        description="ISO alpha-2 codes; an empty list means the citizenship is unknown",
    )
    guardian: Id | None = None
    owner: Id | None = Field(None, description="Office keeping the record; default: yours")


class PersonPatch(Schema):
    """Only the fields sent change; null is accepted only where the record may be empty."""

    given_name: Annotated[str, Bounded(100)] = unset()
    family_name: Annotated[str, Bounded(100)] = unset()
    given_name_cyrl: Annotated[str, Bounded(100)] = unset()
    family_name_cyrl: Annotated[str, Bounded(100)] = unset()
    display_name: Annotated[str, Bounded(200)] = unset()
    birth_date: date | None = None
    email: Annotated[str, Bounded(254)] = unset()
    phone: Annotated[str, Bounded(40)] = unset()
    class_year: int | None = Field(None, ge=1950, le=2100)
    notes: Annotated[str, Bounded(5000)] = unset()
    citizenships: list[CountryCode] = unset(max_length=10)
    guardian: Id | None = None


class PersonOut(Schema):
    id: int
    name: str
    given_name: str
    family_name: str
    given_name_cyrl: str
    family_name_cyrl: str
    display_name: str
    birth_date: date | None
    email: str
    phone: str
    class_year: int | None
    notes: str
    citizenships: list[str]
    guardian: int | None = Field(None, alias="guardian_id")
    owner: int = Field(..., alias="owner_id")

    @staticmethod
    def resolve_citizenships(obj: Any) -> list[str]:
        codes = getattr(obj, "citizenship_codes", None)  # `listed`: no country loaded
        if codes is not None:
            return sorted(codes.split(",")) if codes else []
        return sorted(country.alpha2 for country in obj.citizenships.all())


class PersonFilter(Schema):
    q: Annotated[str, Bounded(100)] = Field(
        "", description="Name in Latin or Cyrillic script, or e-mail"
    )
    citizenship: CountryCode | None = None
    no_citizenship: bool = False
    organisation: Id | None = None


class ConsentIn(Schema):
    kind: ConsentKind
    given_by: Id | None = Field(None, description="Default: the person themself")
    given_on: date | None = None
    note: Annotated[str, Bounded(300)] = ""


class ConsentOut(Schema):
    id: int
    person: int = Field(..., alias="person_id")
    kind: str
    given_by: int = Field(..., alias="given_by_id")
    given_on: date
    withdrawn_on: date | None
    note: str
    given_via: str = Field(
        ..., description="office, or link: by the guardian through the link of a consent request"
    )
    withdrawn_via: str = Field(..., description="office or link; empty while in force")
    request: int | None = Field(
        None, alias="request_id", description="The consent request whose link was answered"
    )


class AffiliationIn(Schema):
    person: Id
    organisation: Id
    role: AffiliationRole
    title: Annotated[str, Bounded(200)] = ""
    start: date | None = None
    end: date | None = None


class AffiliationPatch(Schema):
    """Only the fields sent change; null is accepted only where the record may be empty."""

    organisation: Id = unset()
    role: AffiliationRole = unset()
    title: Annotated[str, Bounded(200)] = unset()
    start: date | None = None
    end: date | None = None


class AffiliationOut(Schema):
    id: int
    person: int = Field(..., alias="person_id")
    organisation: int = Field(..., alias="organisation_id")
    role: str
    title: str
    start: date | None
    end: date | None


class AffiliationFilter(Schema):
    person: Id | None = None
    organisation: Id | None = None
    role: AffiliationRole | None = None
