"""Import people lists (CSV or XLSX): validate every row, show the outcome, write all or nothing.

The import is planned first, entirely in Python: countries, organisations, programmes and the
office's people are read once into dictionaries, then each row is checked and matched as if the
rows were imported one by one, in order (a row sees the records the rows above it create or
change). The plan says for each row: create, update, skip (nothing would change) or error, with
the field and the reason. Committing re-plans inside one transaction and, only when no row has
an error, writes everything with bulk inserts and their audit rows; a failure half-way rolls the
whole import back.

Rules (also on the upload page and in `chancery import --help`):
- Empty cells never erase what is recorded; citizenships and affiliations are added, never
  removed.
- A row is matched to a record kept by the office: by e-mail (case-insensitive) when given;
  otherwise, or when no record has that e-mail, by name (across scripts) and birth date, then by
  name and class year; by name alone only when the row gives neither e-mail, birth date nor class
  year. Records with another e-mail are not matched by name. Several matches are an error.
- The model's rules are replicated here (full_clean per row is too slow for 100 000 rows);
  tests/test_import_rules.py proves that both agree.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connections, router, transaction
from django.db.models import Max
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import get_language, gettext, gettext_lazy, gettext_noop, ngettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from chancery.core.actors import recorded_user
from chancery.core.formats.days import day_text
from chancery.core.tabular import (
    ImportFileError,
    RowOutcome,
    read_table,
    rows_with_errors,
    rows_with_warnings,
)
from chancery.directory.models import (
    Affiliation,
    AffiliationRole,
    Citizenship,
    Country,
    Organisation,
    Person,
    birth_date_problem,
)
from chancery.directory.names import name_key
from chancery.programmes import lifecycle
from chancery.programmes.models import (
    Edition,
    Enrolment,
    EnrolmentState,
    Placement,
    PlacementStatus,
    Programme,
)
from chancery.programmes.periods import first_clash

__all__ = [
    "ImportFileError",
    "ImportPlan",
    "ImportRefused",
    "import_people",
    "plan_import",
    "read_table",
]

BATCH_SIZE = 2000
PROGRESS_EVERY_ROWS = 250


def _max_length(name: str) -> int:
    return int(getattr(Person._meta.get_field(name), "max_length", 0))


NAME_MAX_LENGTH = _max_length("given_name")
EMAIL_MAX_LENGTH = _max_length("email")
NAME_KEY_MAX_LENGTH = _max_length("name_key")
CLASS_YEAR_RANGE = (1950, 2100)  # the person_class_year_plausible constraint
MAX_DUPLICATES_SHOWN = 5

NAME_FIELDS = ("given_name", "family_name", "given_name_cyrl", "family_name_cyrl")
PERSON_FIELDS = (*NAME_FIELDS, "email", "birth_date", "class_year")

# The columns a file may have, in the order the upload page lists them.
COLUMNS: tuple[tuple[str, Any], ...] = (
    ("given_name", gettext_lazy("Given name in Latin script.")),
    ("family_name", gettext_lazy("Family name in Latin script.")),
    ("given_name_cyrl", gettext_lazy("Given name in Cyrillic script.")),
    (
        "family_name_cyrl",
        gettext_lazy("Family name in Cyrillic script (one name in any script is enough)."),
    ),
    ("email", gettext_lazy("E-mail address; the first thing a row is matched by.")),
    ("birth_date", gettext_lazy("Birth date, YYYY-MM-DD or DD.MM.YYYY.")),
    (
        "citizenship",
        gettext_lazy(
            "ISO code (KZ or KAZ) or English or Russian name; several "
            "separated by ';'. Empty: recorded as unknown."
        ),
    ),
    ("class_year", gettext_lazy("Year of graduation: 2011, '11 or ’11 (two digits mean 20xx).")),
    (
        "organisation",
        gettext_lazy("Optional affiliation: exact English name or id of the organisation."),
    ),
    (
        "role",
        format_lazy(
            gettext_lazy("Role at the organisation: {values}."),
            values=", ".join(AffiliationRole.values),
        ),
    ),
    (
        "programme",
        gettext_lazy("Optional enrolment as recorded: English name or id of the programme."),
    ),
    (
        "edition",
        gettext_lazy("Edition of the programme: its name, id, or year when only one has it."),
    ),
    (
        "state",
        format_lazy(
            gettext_lazy("Enrolment state: {values}."), values=", ".join(EnrolmentState.values)
        ),
    ),
    ("reason", gettext_lazy("Reason of the state; required for 'withdrawn'.")),
    (
        "host",
        gettext_lazy(
            "Host organisation of the placement (English name or id); needs start and end."
        ),
    ),
    ("start", gettext_lazy("Start of the placement (date).")),
    ("end", gettext_lazy("End of the placement (date); a completed enrolment's completion date.")),
    (
        "status",
        format_lazy(
            gettext_lazy(
                "Status of the placement: {values}; empty: the one its "
                "state implies. A cancelled placement is kept beside "
                "the current one."
            ),
            values=", ".join(PlacementStatus.values),
        ),
    ),
)
COLUMN_NAMES = frozenset(name for name, _help in COLUMNS)
ENROLMENT_COLUMNS = ("programme", "edition", "state")
PLACED_STATES = frozenset(
    {
        EnrolmentState.PLACED,
        EnrolmentState.ACTIVE,
        EnrolmentState.COMPLETED,
        EnrolmentState.WITHDRAWN,
    }
)
PLACEMENT_STATUS_FOR = {
    EnrolmentState.PLACED: PlacementStatus.PLANNED,
    EnrolmentState.ACTIVE: PlacementStatus.ACTIVE,
    EnrolmentState.COMPLETED: PlacementStatus.COMPLETED,
    EnrolmentState.WITHDRAWN: PlacementStatus.CANCELLED,
}

# Names the ISO list does not use but people write (lower case, see _fold).
COUNTRY_ALIASES = {
    "russia": "RU", "россия": "RU", "рф": "RU", "usa": "US", "сша": "US", "uk": "GB",
    "great britain": "GB", "britain": "GB", "england": "GB", "великобритания": "GB",
    "kyrgyz republic": "KG", "кыргызстан": "KG", "turkey": "TR", "south korea": "KR",
    "южная корея": "KR", "корея": "KR", "north korea": "KP", "северная корея": "KP",
    "czech republic": "CZ", "ivory coast": "CI", "laos": "LA", "syria": "SY", "moldova": "MD",
    "молдова": "MD", "молдавия": "MD", "белоруссия": "BY", "uae": "AE", "оаэ": "AE",
    "macedonia": "MK", "palestine": "PS", "vatican": "VA", "brunei": "BN",
    # official names whose short form is an adjective
    "кыргызская республика": "KG", "киргизская республика": "KG", "киргизия": "KG",
    "қырғыз республикасы": "KG", "кыргыз республикасы": "KG", "қырғызстан": "KG",
    "республика корея": "KR", "корея республикасы": "KR", "türkiye": "TR", "турция": "TR",
}  # fmt: skip

# Words of a country's official name around its short name: "Республика Казахстан",
# "Қазақстан Республикасы", "Islamic Republic of Afghanistan".
_OFFICIAL_WORDS = (
    "the", "of", "republic", "islamic", "federal", "federative", "democratic", "kingdom",
    "state", "sultanate", "principality", "республика", "исламская", "федеративная",
    "демократическая", "королевство", "государство", "султанат", "республикасы", "ислам",
    "мемлекеті", "корольдігі",
)  # fmt: skip

# How a row was matched, translated only when a warning says it.
BY_EMAIL = gettext_noop("e-mail")
BY_NAME_AND_BIRTH_DATE = gettext_noop("name and birth date")
BY_NAME_AND_CLASS_YEAR = gettext_noop("name and class year")
BY_NAME = gettext_noop("name")

_DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DATE_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_YEAR_FULL = re.compile(r"\d{4}")
_YEAR_SHORT = re.compile(r"['’‘`´]?(\d{2})")


@lru_cache(maxsize=1024)
def _translated(message: str, language: str | None) -> str:
    return gettext(message)


def _(message: str) -> str:
    """gettext, remembered per language: a plan asks for the same words 100 000 times."""
    return _translated(message, get_language())


@lru_cache(maxsize=65536)
def _name_key(given: str, family: str) -> str:
    """directory.names.name_key of a name pair; names repeat a lot in a long list."""
    return name_key(given, family)


class ImportRefused(Exception):
    """Commit refused because rows have errors; nothing was written."""

    def __init__(self, plan: ImportPlan) -> None:
        self.plan = plan
        super().__init__(
            ngettext(
                "%(count)d row has an error; nothing was imported.",
                "%(count)d rows have errors; nothing was imported.",
                plan.error_count,
            )
            % {"count": plan.error_count}
        )


def _header_name(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().lstrip("\ufeff").lower())


# Lookups read once


def _fold(text: str) -> str:
    """Case, accents, ё and spacing folded, for comparing names people type."""
    text = unicodedata.normalize("NFKD", text.casefold().replace("ё", "е"))
    return " ".join("".join(ch for ch in text if not unicodedata.combining(ch)).split())


class _Countries:
    """Countries found by code or by name in any of our languages, official names included,
    with the nearest known name suggested when a text matches none."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.lookup = _country_lookup(self.names)
        self.official_words = frozenset(_fold(word) for word in _OFFICIAL_WORDS)
        self.suggestions: dict[str, str | None] = {}

    def find(self, text: str) -> str | None:
        folded = _fold(text)
        found = self.lookup.get(folded)
        if found is None:
            words = [w for w in re.split(r"[\s,]+", folded) if w not in self.official_words]
            found = self.lookup.get(" ".join(words)) if words else None
        return found

    def suggestion(self, text: str) -> str | None:
        """The known name nearest to a text that names no country, if one is near."""
        folded = _fold(text)
        if folded not in self.suggestions:
            near = difflib.get_close_matches(folded, self.names, n=1, cutoff=0.8)
            self.suggestions[folded] = self.names[near[0]] if near else None
        return self.suggestions[folded]


def _country_lookup(names_as_written: dict[str, str] | None = None) -> dict[str, str]:
    import pycountry

    lookup: dict[str, str] = {}
    for alpha2, alpha3, *names in Country.objects.values_list(
        "alpha2", "alpha3", "name_en", "name_ru", "name_kk"
    ):
        for name in names:
            if name:
                lookup.setdefault(_fold(name), alpha2)
                if names_as_written is not None:
                    names_as_written.setdefault(_fold(name), name)
        lookup[alpha2.casefold()] = alpha2
        lookup[alpha3.casefold()] = alpha2
    for entry in pycountry.countries:
        for attribute in ("common_name", "official_name"):
            spelling = getattr(entry, attribute, None)
            if spelling and entry.alpha_2 in lookup.values():
                lookup.setdefault(_fold(spelling), entry.alpha_2)
    known = set(lookup.values())
    for alias, alpha2 in COUNTRY_ALIASES.items():
        if alpha2 in known:
            lookup.setdefault(_fold(alias), alpha2)
            if names_as_written is not None:
                names_as_written.setdefault(
                    _fold(alias), alias.upper() if len(alias) <= 3 else alias[0].upper() + alias[1:]
                )
    return lookup


class _ByNameOrId:
    """Objects found by id or by exact name (case and spacing ignored)."""

    def __init__(self, pairs: Iterable[tuple[int, str]]) -> None:
        self.names: dict[int, str] = {}
        self.by_name: dict[str, list[int]] = defaultdict(list)
        for pk, name in pairs:
            self.names[pk] = name
            self.by_name[_fold(name)].append(pk)

    def find(self, text: str) -> list[int]:
        if text.isdigit() and int(text) in self.names:
            return [int(text)]
        return self.by_name.get(_fold(text), [])


# The plan


@dataclass
class PersonRow(RowOutcome):
    """What the people import does with one row."""

    name: str = ""
    outcome: str = "skip"  # create, update, skip or error
    target: str = ""  # "#12" for a recorded person, "new" or "row 5" for one this file creates
    changes: list[str] = field(default_factory=list)


class _Placement:
    __slots__ = ("changed", "end", "host_id", "pk", "start", "status")

    def __init__(self, pk: int | None, host_id: int, start: date, end: date, status: str) -> None:
        self.pk, self.host_id, self.start, self.end, self.status = pk, host_id, start, end, status
        self.changed: set[str] = set()


class _Enrolment:
    __slots__ = (
        "changed",
        "completed_on",
        "edition_id",
        "pk",
        "placements",
        "state",
        "state_reason",
    )

    def __init__(
        self,
        pk: int | None,
        edition_id: int,
        state: str,
        state_reason: str,
        completed_on: date | None,
    ) -> None:
        self.pk, self.edition_id, self.state = pk, edition_id, state
        self.state_reason, self.completed_on = state_reason, completed_on
        self.placements: dict[int, _Placement] = {}
        self.changed: set[str] = set()


class _Person:
    """A person as the import sees it: recorded (pk) or to be created by a row (pk None)."""

    __slots__ = (
        "affiliations",
        "birth_date",
        "changed",
        "citizenships",
        "class_year",
        "display_name",
        "email",
        "enrolments",
        "family_name",
        "family_name_cyrl",
        "given_name",
        "given_name_cyrl",
        "key",
        "name_key",
        "new_affiliations",
        "new_citizenships",
        "pk",
        "rows",
        "set_by",
    )

    def __init__(self, key: int, pk: int | None) -> None:
        self.key, self.pk = key, pk
        self.given_name = self.family_name = self.given_name_cyrl = self.family_name_cyrl = ""
        self.display_name = self.email = self.name_key = ""
        self.birth_date: date | None = None
        self.class_year: int | None = None
        self.citizenships: set[str] = set()
        self.new_citizenships: set[str] = set()
        self.affiliations: set[tuple[int, str]] = set()
        self.new_affiliations: list[tuple[int, str]] = []
        self.enrolments: dict[int, _Enrolment] = {}
        self.changed: set[str] = set()
        self.set_by: dict[str, tuple[int, Any]] = {}  # what earlier rows of the file said
        self.rows: list[int] = []

    def label(self) -> str:
        return f"#{self.pk}" if self.pk is not None else _("row %(row)d") % {"row": self.rows[0]}

    def refresh_name_key(self) -> None:
        """The same key as directory.services._refresh_name_key."""
        self.name_key = _name_key(
            self.given_name or self.given_name_cyrl, self.family_name or self.family_name_cyrl
        ) or name_key(self.display_name)


@dataclass
class _Row:
    """A row's values once parsed (only meaningful when it has no errors)."""

    names: dict[str, str]
    email: str
    birth_date: date | None
    countries: list[str]
    class_year: int | None
    affiliation: tuple[int, str] | None
    edition_id: int | None
    state: str
    reason: str
    host_id: int | None
    start: date | None
    end: date | None
    status: str
    name_key: str


@dataclass
class ImportPlan:
    """The outcome of every row, and the records the commit would write."""

    filename: str
    office: Organisation
    rows: list[PersonRow]
    file_warnings: list[str]
    people: dict[int, _Person] = field(repr=False)
    committed: bool = False

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(("create", "update", "skip", "error"), 0)
        for row in self.rows:
            counts[row.outcome] += 1
        return counts

    @property
    def error_count(self) -> int:
        return rows_with_errors(self.rows)

    @property
    def warning_count(self) -> int:
        return rows_with_warnings(self.rows)

    def errors(self) -> Iterator[tuple[int, str, str]]:
        for row in self.rows:
            for field_name, reason in row.errors:
                yield row.number, field_name, reason

    def summary(self) -> str:
        counts = self.counts
        return _(
            "%(rows)d rows: %(create)d to create, %(update)d to update, %(skip)d unchanged, "
            "%(error)d with errors; %(warned)d with warnings."
        ) % {"rows": len(self.rows), **counts, "warned": self.warning_count}


class _Planner:
    def __init__(self, office: Organisation, programmes: Iterable[Programme] | None) -> None:
        self.office = office
        self.today = timezone.localdate()
        self.countries = _Countries()
        self.organisations = _ByNameOrId(Organisation.objects.values_list("id", "name_en"))
        self.programmes = _ByNameOrId(Programme.objects.values_list("id", "name_en"))
        self.allowed_programmes = (
            set(self.programmes.names)
            if programmes is None
            else {programme.pk for programme in programmes}
        )
        self.editions: dict[int, _ByNameOrId] = defaultdict(lambda: _ByNameOrId(()))
        self.editions_by_year: dict[tuple[int, int], list[int]] = defaultdict(list)
        self.edition_names: dict[int, str] = {}
        for pk, programme_id, name, year in Edition.objects.values_list(
            "id", "programme_id", "name", "year"
        ):
            self.editions[programme_id].names[pk] = name
            self.editions[programme_id].by_name[_fold(name)].append(pk)
            self.editions_by_year[(programme_id, year)].append(pk)
            self.edition_names[pk] = f"{self.programmes.names[programme_id]} — {name}"
        self.state_names = {_fold(value): value for value in EnrolmentState.values} | {
            _fold(str(label)): value for value, label in EnrolmentState.choices
        }
        self.role_names = {_fold(value): value for value in AffiliationRole.values} | {
            _fold(str(label)): value for value, label in AffiliationRole.choices
        }
        self.people: dict[int, _Person] = {}
        self.by_email: dict[str, set[int]] = defaultdict(set)
        self.by_name_birth: dict[tuple[str, date], set[int]] = defaultdict(set)
        self.by_name_year: dict[tuple[str, int], set[int]] = defaultdict(set)
        self.by_name: dict[str, set[int]] = defaultdict(set)
        self.next_new_key = -1
        self._load_people()

    # The office's records

    def _load_people(self) -> None:
        kept = Person.objects.filter(owner=self.office)
        for values in kept.values_list(
            "id", *NAME_FIELDS, "display_name", "email", "birth_date", "class_year", "name_key"
        ):
            person = _Person(values[0], values[0])
            (
                person.given_name,
                person.family_name,
                person.given_name_cyrl,
                person.family_name_cyrl,
                person.display_name,
                person.email,
                person.birth_date,
                person.class_year,
                person.name_key,
            ) = values[1:]
            self.people[person.key] = person
            self._index(person)
        people = self.people
        for person_id, country_id in Citizenship.objects.filter(
            person__owner=self.office
        ).values_list("person_id", "country_id"):
            people[person_id].citizenships.add(country_id)
        for person_id, organisation_id, role in Affiliation.objects.filter(
            person__owner=self.office
        ).values_list("person_id", "organisation_id", "role"):
            people[person_id].affiliations.add((organisation_id, role))
        enrolments: dict[int, _Enrolment] = {}
        for pk, person_id, edition_id, state, reason, completed_on in Enrolment.objects.filter(
            person__owner=self.office
        ).values_list("id", "person_id", "edition_id", "state", "state_reason", "completed_on"):
            enrolment = _Enrolment(pk, edition_id, state, reason, completed_on)
            enrolments[pk] = people[person_id].enrolments[edition_id] = enrolment
        for pk, enrolment_id, host_id, start, end, status in (
            Placement.objects.filter(enrolment__person__owner=self.office)
            .order_by("-id")
            .values_list("id", "enrolment_id", "host_id", "start", "end", "status")
        ):
            enrolments[enrolment_id].placements[host_id] = _Placement(
                pk, host_id, start, end, status
            )

    def _index(self, person: _Person) -> None:
        key, nk = person.key, person.name_key
        if person.email:
            self.by_email[person.email.casefold()].add(key)
        if nk:
            self.by_name[nk].add(key)
            if person.birth_date:
                self.by_name_birth[(nk, person.birth_date)].add(key)
            if person.class_year:
                self.by_name_year[(nk, person.class_year)].add(key)

    def _unindex(self, person: _Person) -> None:
        key, nk = person.key, person.name_key
        if person.email:
            self.by_email[person.email.casefold()].discard(key)
        if nk:
            self.by_name[nk].discard(key)
            if person.birth_date:
                self.by_name_birth[(nk, person.birth_date)].discard(key)
            if person.class_year:
                self.by_name_year[(nk, person.class_year)].discard(key)

    # Parsing one row

    def _date(self, outcome: PersonRow, column: str, text: str) -> date | None:
        if not text:
            return None
        text = text.split(" ", 1)[0] if _DATE_ISO.match(text) else text
        for pattern, order in ((_DATE_ISO, (0, 1, 2)), (_DATE_DOTTED, (2, 1, 0))):
            found = pattern.fullmatch(text)
            if found:
                parts = found.groups()
                try:
                    return date(*(int(parts[i]) for i in order))
                except ValueError:
                    break
        outcome.error(
            column, _("%(value)r is not a date (YYYY-MM-DD or DD.MM.YYYY)") % {"value": text}
        )
        return None

    def _class_year(self, outcome: PersonRow, text: str) -> int | None:
        if not text:
            return None
        if _YEAR_FULL.fullmatch(text):
            year = int(text)
        elif found := _YEAR_SHORT.fullmatch(text):
            year = 2000 + int(found.group(1))
        else:
            outcome.error("class_year", _("%(value)r is not a year") % {"value": text})
            return None
        low, high = CLASS_YEAR_RANGE
        if not low <= year <= high:
            outcome.error(
                "class_year",
                _("%(year)d is not between %(low)d and %(high)d")
                % {"year": year, "low": low, "high": high},
            )
            return None
        if year > self.today.year + 1:
            outcome.warnings.append(_("class_year: %(year)d is in the future") % {"year": year})
        return year

    def _organisation(self, outcome: PersonRow, column: str, text: str) -> int | None:
        found = self.organisations.find(text)
        if len(found) == 1:
            return found[0]
        if found:
            outcome.error(
                column,
                _("%(count)d organisations are named %(value)r; give the id")
                % {"count": len(found), "value": text},
            )
        else:
            outcome.error(column, _("unknown organisation %(value)r") % {"value": text})
        return None

    def _parse(self, values: dict[str, str], outcome: PersonRow) -> _Row:
        names = {}
        for column in NAME_FIELDS:
            text = " ".join(values.get(column, "").split())
            if len(text) > NAME_MAX_LENGTH:
                outcome.error(
                    column, _("longer than %(max)d characters") % {"max": NAME_MAX_LENGTH}
                )
            names[column] = text
        outcome.name = " ".join(
            filter(None, (names["given_name"], names["family_name"]))
        ) or " ".join(filter(None, (names["given_name_cyrl"], names["family_name_cyrl"])))
        key = _name_key(
            names["given_name"] or names["given_name_cyrl"],
            names["family_name"] or names["family_name_cyrl"],
        )
        if len(key) > NAME_KEY_MAX_LENGTH:
            outcome.error("name", _("the name is too long to index"))

        email = values.get("email", "").strip()
        if email:
            try:
                if len(email) > EMAIL_MAX_LENGTH:
                    raise ValidationError("too long")
                validate_email(email)
            except ValidationError:
                outcome.error(
                    "email", _("%(value)r is not a valid e-mail address") % {"value": email}
                )
        birth_date = self._date(outcome, "birth_date", values.get("birth_date", "").strip())
        if birth_date and (problem := birth_date_problem(birth_date, self.today)):
            outcome.error("birth_date", problem)

        countries: list[str] = []
        for text in values.get("citizenship", "").split(";"):
            text = text.strip()
            if not text:
                continue
            alpha2 = self.countries.find(text)
            if alpha2 is None:
                near = self.countries.suggestion(text)
                outcome.error(
                    "citizenship",
                    (
                        _("unknown country %(value)r; did you mean %(name)r?")
                        if near
                        else _("unknown country %(value)r")
                    )
                    % {"value": text, "name": near},
                )
            elif alpha2 not in countries:
                countries.append(alpha2)

        class_year = self._class_year(outcome, values.get("class_year", "").strip())

        affiliation = None
        organisation_text = values.get("organisation", "").strip()
        role_text = values.get("role", "").strip()
        if organisation_text or role_text:
            organisation_id = role = None
            if not organisation_text:
                outcome.error("organisation", _("required when a role is given"))
            else:
                organisation_id = self._organisation(outcome, "organisation", organisation_text)
            if not role_text:
                outcome.error("role", _("required when an organisation is given"))
            else:
                role = self.role_names.get(_fold(role_text))
                if role is None:
                    outcome.error(
                        "role",
                        _("%(value)r is not one of %(choices)s")
                        % {"value": role_text, "choices": ", ".join(AffiliationRole.values)},
                    )
            if organisation_id is not None and role is not None:
                affiliation = (organisation_id, role)

        edition_id, state, reason, host_id, start, end, status = self._parse_enrolment(
            values, outcome
        )
        return _Row(
            names=names,
            email=email,
            birth_date=birth_date,
            countries=countries,
            class_year=class_year,
            affiliation=affiliation,
            edition_id=edition_id,
            state=state,
            reason=reason,
            host_id=host_id,
            start=start,
            end=end,
            status=status,
            name_key=key,
        )

    def _parse_enrolment(
        self, values: dict[str, str], outcome: PersonRow
    ) -> tuple[int | None, str, str, int | None, date | None, date | None, str]:
        texts = {
            column: values.get(column, "").strip()
            for column in (*ENROLMENT_COLUMNS, "reason", "host", "start", "end", "status")
        }
        if not any(texts[column] for column in (*ENROLMENT_COLUMNS, "host")):
            if texts["reason"] or texts["start"] or texts["end"]:
                outcome.warnings.append(_("reason, start, end: ignored without a programme"))
            return None, "", "", None, None, None, ""
        for column in ENROLMENT_COLUMNS:
            if not texts[column]:
                outcome.error(column, _("required to import an enrolment"))
        edition_id = None
        if texts["programme"]:
            found = self.programmes.find(texts["programme"])
            if len(found) > 1:
                outcome.error(
                    "programme",
                    _("%(count)d programmes are named %(value)r; give the id")
                    % {"count": len(found), "value": texts["programme"]},
                )
            elif not found:
                outcome.error(
                    "programme", _("unknown programme %(value)r") % {"value": texts["programme"]}
                )
            elif found[0] not in self.allowed_programmes:
                outcome.error(
                    "programme",
                    _("%(value)r is not a programme of your office")
                    % {"value": texts["programme"]},
                )
            elif texts["edition"]:
                programme_id, text = found[0], texts["edition"]
                editions = self.editions[programme_id].find(text)
                if not editions and text.isdigit():
                    editions = self.editions_by_year.get((programme_id, int(text)), [])
                if len(editions) == 1:
                    edition_id = editions[0]
                else:
                    outcome.error(
                        "edition",
                        (
                            _("%(count)d editions match %(value)r; give the name or id")
                            if editions
                            else _("programme %(programme)r has no edition %(value)r")
                        )
                        % {
                            "count": len(editions),
                            "value": text,
                            "programme": self.programmes.names[programme_id],
                        },
                    )
        state = ""
        if texts["state"]:
            state = self.state_names.get(_fold(texts["state"]), "")
            if not state:
                outcome.error(
                    "state",
                    _("%(value)r is not one of %(choices)s")
                    % {"value": texts["state"], "choices": ", ".join(EnrolmentState.values)},
                )
        start = self._date(outcome, "start", texts["start"])
        end = self._date(outcome, "end", texts["end"])
        host_id = None
        if texts["host"]:
            host_id = self._organisation(outcome, "host", texts["host"])
            if start is None and texts["start"] == "":
                outcome.error("start", _("required with a host"))
            if end is None and texts["end"] == "":
                outcome.error("end", _("required with a host"))
            if state and state not in PLACED_STATES:
                outcome.error(
                    "host", _("an enrolment in state %(state)r has no placement") % {"state": state}
                )
        elif texts["start"] or (texts["end"] and state != EnrolmentState.COMPLETED):
            outcome.warnings.append(_("start, end: ignored without a host"))
        if start and end and end < start:
            outcome.error(
                "end",
                _("%(end)s is before the start %(start)s")
                % {"end": end.isoformat(), "start": start.isoformat()},
            )
        if state == EnrolmentState.COMPLETED and end is None and not outcome.errors:
            outcome.warnings.append(_("end not given: the completion date is unknown"))
        status = self._status(outcome, texts["status"], state, host_id)
        return edition_id, state, texts["reason"], host_id, start, end, status

    def _status(self, outcome: PersonRow, text: str, state: str, host_id: int | None) -> str:
        """The placement's status: as the row gives it (cancelled, or the one its state
        implies), else the one its state implies; empty without a placement."""
        if host_id is None:
            if text:
                outcome.warnings.append(_("status: ignored without a host"))
            return ""
        if state not in PLACED_STATES:
            return ""
        implied = PLACEMENT_STATUS_FOR[EnrolmentState(state)]
        if not text:
            return implied
        status = _fold(text)
        if status not in PlacementStatus.values:
            outcome.error(
                "status",
                _("%(value)r is not one of %(choices)s")
                % {"value": text, "choices": ", ".join(PlacementStatus.values)},
            )
        elif status not in (implied, PlacementStatus.CANCELLED):
            outcome.error(
                "status",
                _(
                    "a placement %(status)r does not fit an enrolment "
                    "%(state)r (%(implied)r or cancelled)"
                )
                % {"status": status, "state": state, "implied": str(implied)},
            )
        return status

    # Matching

    def _match(self, row: _Row, outcome: PersonRow) -> tuple[_Person | None, str]:
        email = row.email.casefold()
        nk = row.name_key

        def compatible(person: _Person) -> bool:
            return (not email or not person.email or person.email.casefold() == email) and (
                not row.birth_date or not person.birth_date or person.birth_date == row.birth_date
            )

        steps: list[tuple[str, Iterable[int], bool]] = []
        if email:
            steps.append((BY_EMAIL, self.by_email.get(email, ()), False))
        if nk and row.birth_date:
            steps.append(
                (BY_NAME_AND_BIRTH_DATE, self.by_name_birth.get((nk, row.birth_date), ()), True)
            )
        if nk and row.class_year:
            steps.append(
                (BY_NAME_AND_CLASS_YEAR, self.by_name_year.get((nk, row.class_year), ()), True)
            )
        if nk and not (email or row.birth_date or row.class_year):
            steps.append((BY_NAME, self.by_name.get(nk, ()), True))
        for how, keys, filtered in steps:
            candidates = [self.people[key] for key in keys]
            if filtered:
                candidates = [person for person in candidates if compatible(person)]
            if len(candidates) == 1:
                return candidates[0], how
            if candidates:
                candidates.sort(
                    key=lambda person: (person.pk is None, person.pk or 0, person.rows[:1])
                )
                outcome.error(
                    "person",
                    _("ambiguous: matches %(list)s")
                    % {"list": ", ".join(person.label() for person in candidates)},
                )
                return None, ""
        return None, ""

    # Planning one row

    def _same(
        self, person: _Person, outcome: PersonRow, slot: str, value: Any, column: str
    ) -> bool:
        """False (and an error) when an earlier row said something else for the same record."""
        said = person.set_by.get(slot)
        if said is not None and said[1] != value:
            earlier = said[1].isoformat() if isinstance(said[1], date) else said[1]
            outcome.error(
                column,
                _("%(value)r differs from row %(row)d (%(earlier)r) for the same person")
                % {
                    "value": value.isoformat() if isinstance(value, date) else value,
                    "row": said[0],
                    "earlier": earlier,
                },
            )
            return False
        return True

    def plan_row(self, number: int, values: dict[str, str]) -> PersonRow:
        outcome = PersonRow(number=number)
        row = self._parse(values, outcome)
        if outcome.errors:
            outcome.outcome = "error"
            return outcome
        person, how = self._match(row, outcome)
        if outcome.errors:
            outcome.outcome = "error"
            return outcome
        creating = person is None
        if person is not None and not outcome.name:
            outcome.name = person.display_name or " ".join(
                filter(
                    None,
                    (
                        person.given_name or person.given_name_cyrl,
                        person.family_name or person.family_name_cyrl,
                    ),
                )
            )
        if person is None:
            if not any(row.names.values()):
                outcome.error("name", _("a person needs a name in at least one script"))
            if outcome.errors:
                outcome.outcome = "error"
                return outcome
            person = _Person(self.next_new_key, None)

        # Person fields: a non-empty cell sets the field; earlier rows must agree.
        field_changes: dict[str, Any] = {}
        given: dict[str, Any] = {
            **row.names,
            "email": row.email,
            "birth_date": row.birth_date,
            "class_year": row.class_year,
        }
        for name in PERSON_FIELDS:
            value = given[name]
            if value in ("", None):
                continue
            compared = value.casefold() if name == "email" else value
            if not self._same(person, outcome, name, compared, name):
                continue
            current = getattr(person, name)
            if name == "email" and current.casefold() == compared:
                continue
            if current != value:
                field_changes[name] = value
        new_citizenships = [c for c in row.countries if c not in person.citizenships]
        new_affiliation = (
            row.affiliation
            if (row.affiliation and row.affiliation not in person.affiliations)
            else None
        )
        enrolment_changes = self._enrolment_changes(person, row, outcome)
        names_change = not creating and any(name in field_changes for name in NAME_FIELDS)
        if names_change:
            merged = {name: field_changes.get(name, getattr(person, name)) for name in NAME_FIELDS}
            merged_key = _name_key(
                merged["given_name"] or merged["given_name_cyrl"],
                merged["family_name"] or merged["family_name_cyrl"],
            )
            if len(merged_key) > NAME_KEY_MAX_LENGTH:
                outcome.error("name", _("the name is too long to index"))
        if outcome.errors:
            outcome.outcome = "error"
            return outcome

        # Apply to the in-memory state.
        earlier_rows = list(person.rows)
        if creating:
            self.next_new_key -= 1
            self.people[person.key] = person
        else:
            self._unindex(person)
        for name, value in field_changes.items():
            setattr(person, name, value)
            if person.pk is not None:  # a record this file creates is written once, complete
                person.changed.add(name)
        for name in PERSON_FIELDS:
            value = given[name]
            if value not in ("", None):
                person.set_by.setdefault(
                    name, (number, value.casefold() if name == "email" else value)
                )
        if creating:
            person.name_key = row.name_key  # the same formula as refresh_name_key
        elif names_change:
            person.refresh_name_key()
        self._index(person)
        person.rows.append(number)
        person.citizenships.update(new_citizenships)
        person.new_citizenships.update(new_citizenships)
        if new_affiliation:
            person.affiliations.add(new_affiliation)
            person.new_affiliations.append(new_affiliation)
        changes = (
            [
                f"{name} → {value.isoformat() if isinstance(value, date) else value}"
                for name, value in field_changes.items()
            ]
            if not creating
            else []
        )
        changes += [_("citizenship + %(country)s") % {"country": c} for c in new_citizenships]
        if new_affiliation:
            changes.append(
                _("affiliation + %(role)s at %(organisation)s")
                % {
                    "role": new_affiliation[1],
                    "organisation": self.organisations.names[new_affiliation[0]],
                }
            )
        changes += self._apply_enrolment(person, row, number, enrolment_changes)

        # Outcome and warnings.
        if creating:
            outcome.outcome, outcome.target = "create", _("new")
        else:
            outcome.outcome = "update" if changes else "skip"
            outcome.target = person.label()
        outcome.changes = changes
        if not person.citizenships:
            outcome.warnings.append(_("citizenship not given: recorded as unknown"))
        if earlier_rows:
            outcome.warnings.append(
                _("same person as row %(row)d (matched by %(how)s)")
                % {"row": earlier_rows[0], "how": _(how)}
            )
        self._warn_duplicates(person, outcome)
        return outcome

    def _enrolment_changes(
        self, person: _Person, row: _Row, outcome: PersonRow
    ) -> dict[str, Any] | None:
        """What the row's enrolment changes, checked against earlier rows; None: nothing."""
        if row.edition_id is None:
            return None
        edition = row.edition_id
        enrolment = person.enrolments.get(edition)
        completed_on = row.end if row.state == EnrolmentState.COMPLETED else None
        slot = f"enrolment:{edition}:"
        self._same(person, outcome, slot + "state", row.state, "state")
        if row.reason:
            self._same(person, outcome, slot + "reason", row.reason, "reason")
        if completed_on:
            self._same(person, outcome, slot + "completed_on", completed_on, "end")
        changes: dict[str, Any] = {}
        if enrolment is None or enrolment.state != row.state:
            changes["state"] = row.state
        if (
            enrolment is not None
            and enrolment.state != row.state
            and lifecycle.path_to(enrolment.state, row.state, override=bool(row.reason)) is None
        ):
            # A file records what happened since; the lifecycle says what can have happened.
            outcome.error(
                "state",
                _("the enrolment is recorded as %(current)r, which can never become %(target)r")
                % {"current": enrolment.state, "target": row.state},
            )
        if row.reason and (enrolment is None or enrolment.state_reason != row.reason):
            changes["state_reason"] = row.reason
        if completed_on and (enrolment is None or enrolment.completed_on != completed_on):
            changes["completed_on"] = completed_on
        reason = row.reason or (enrolment.state_reason if enrolment else "")
        if row.state == EnrolmentState.WITHDRAWN and not reason:
            outcome.error("reason", _("a withdrawal needs a reason"))
        if row.host_id is not None and row.start and row.end:
            status = row.status
            self._same(
                person,
                outcome,
                f"{slot}placement:{row.host_id}",
                f"{row.start.isoformat()}–{row.end.isoformat()}",
                "start",
            )
            placement = enrolment.placements.get(row.host_id) if enrolment else None
            if placement is None or (placement.start, placement.end, placement.status) != (
                row.start,
                row.end,
                status,
            ):
                changes["placement"] = (row.host_id, row.start, row.end, status)
            if status != PlacementStatus.CANCELLED:
                self._check_clash(person, edition, row, outcome)
        changes["_new"] = enrolment is None
        return changes

    def _check_clash(self, person: _Person, edition: int, row: _Row, outcome: PersonRow) -> None:
        """The placement form's overlap rule, against the person's recorded and planned ones."""
        assert row.host_id is not None and row.start and row.end
        held = (
            (
                placement,
                placement.start,
                placement.end,
                placement.status == PlacementStatus.CANCELLED,
            )
            for edition_id, enrolment in person.enrolments.items()
            for host_id, placement in enrolment.placements.items()
            if (edition_id, host_id) != (edition, row.host_id)
        )
        clash = first_clash(held, row.start, row.end)
        if clash is not None:
            outcome.error(
                "start",
                _("This person is already placed at %(host)s from %(start)s to %(end)s.")
                % {
                    "host": self.organisations.names.get(clash.host_id, clash.host_id),
                    "start": day_text(clash.start),
                    "end": day_text(clash.end),
                },
            )

    def _apply_enrolment(
        self, person: _Person, row: _Row, number: int, changes: dict[str, Any] | None
    ) -> list[str]:
        if changes is None or row.edition_id is None:
            return []
        edition = row.edition_id
        slot = f"enrolment:{edition}:"
        person.set_by.setdefault(slot + "state", (number, row.state))
        if row.reason:
            person.set_by.setdefault(slot + "reason", (number, row.reason))
        if row.state == EnrolmentState.COMPLETED and row.end:
            person.set_by.setdefault(slot + "completed_on", (number, row.end))
        if row.host_id is not None and row.start and row.end:
            person.set_by.setdefault(
                f"{slot}placement:{row.host_id}",
                (number, f"{row.start.isoformat()}–{row.end.isoformat()}"),
            )
        described = []
        name = self.edition_names[edition]
        enrolment = person.enrolments.get(edition)
        if enrolment is None:
            enrolment = person.enrolments[edition] = _Enrolment(
                None, edition, row.state, row.reason, changes.get("completed_on")
            )
            described.append(
                _("enrolment + %(edition)s (%(state)s)") % {"edition": name, "state": row.state}
            )
        else:
            for attribute in ("state", "state_reason", "completed_on"):
                if attribute in changes:
                    setattr(enrolment, attribute, changes[attribute])
                    enrolment.changed.add(attribute)
                    value = changes[attribute]
                    described.append(
                        _("%(edition)s: %(field)s → %(value)s")
                        % {
                            "edition": name,
                            "field": attribute,
                            "value": value.isoformat() if isinstance(value, date) else value,
                        }
                    )
        if "placement" in changes:
            host_id, start, end, status = changes["placement"]
            placement = enrolment.placements.get(host_id)
            if placement is None:
                enrolment.placements[host_id] = _Placement(None, host_id, start, end, status)
                described.append(
                    _("placement + %(host)s %(start)s–%(end)s")
                    % {
                        "host": self.organisations.names[host_id],
                        "start": start.isoformat(),
                        "end": end.isoformat(),
                    }
                )
            else:
                for attribute, value in (("start", start), ("end", end), ("status", status)):
                    if getattr(placement, attribute) != value:
                        setattr(placement, attribute, value)
                        placement.changed.add(attribute)
                described.append(
                    _("placement at %(host)s → %(start)s–%(end)s, %(status)s")
                    % {
                        "host": self.organisations.names[host_id],
                        "start": start.isoformat(),
                        "end": end.isoformat(),
                        "status": status,
                    }
                )
        return described

    def _warn_duplicates(self, person: _Person, outcome: PersonRow) -> None:
        nk = person.name_key
        if not nk:
            return
        others: dict[int, str] = {}
        if person.birth_date:
            for key in self.by_name_birth.get((nk, person.birth_date), ()):
                others[key] = _("same name and birth date")
        if person.email:
            for key in self.by_email.get(person.email.casefold(), ()):
                if self.people[key].name_key == nk:
                    others.setdefault(key, _("same name and e-mail"))
        others.pop(person.key, None)
        for key in sorted(others, key=lambda k: (k < 0, abs(k)))[:MAX_DUPLICATES_SHOWN]:
            outcome.warnings.append(
                _("likely duplicate of %(other)s (%(reason)s)")
                % {"other": self.people[key].label(), "reason": others[key]}
            )


def plan_import(
    data: bytes,
    filename: str,
    *,
    office: Organisation,
    programmes: Iterable[Programme] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportPlan:
    """Check every row and say what the import would do; writes nothing.

    `programmes` limits the programmes enrolments may be imported into (None: any).
    `progress(rows checked, rows)` is called as the rows are checked (background jobs, the
    command line's progress bar).
    """
    header, rows = read_table(data, filename)
    columns = [_header_name(text) for text in header]
    file_warnings = []
    ignored = [
        text
        for text, name in zip(header, columns, strict=True)
        if name and name not in COLUMN_NAMES
    ]
    if ignored:
        file_warnings.append(
            _("columns not imported: %(columns)s")
            % {"columns": ", ".join(repr(text) for text in ignored)}
        )
    doubled = sorted({name for name in columns if name in COLUMN_NAMES and columns.count(name) > 1})
    if doubled:
        raise ImportFileError(
            _("file: the column %(column)r appears twice") % {"column": doubled[0]}
        )
    if not set(NAME_FIELDS) & set(columns) and "email" not in columns:
        raise ImportFileError(
            _(
                "file: the header row names no column of a name (given_name, "
                "family_name, given_name_cyrl, family_name_cyrl); see the list "
                "of columns"
            )
        )
    positions = [(name, index) for index, name in enumerate(columns) if name in COLUMN_NAMES]
    planner = _Planner(office, programmes)
    outcomes = []
    total = 0
    if progress is not None:
        read = list(rows)  # the count, for the progress bar
        total, rows = len(read), iter(read)
        progress(0, total)
    for number, cells in enumerate(rows, start=2):
        if progress is not None and number % PROGRESS_EVERY_ROWS == 0:
            progress(number - 2, total)
        if not any(cell.strip() for cell in cells):
            continue
        values = {name: cells[index] if index < len(cells) else "" for name, index in positions}
        outcomes.append(planner.plan_row(number, values))
    if progress is not None:
        progress(total, total)
    return ImportPlan(
        filename=filename,
        office=office,
        rows=outcomes,
        file_warnings=file_warnings,
        people=planner.people,
    )


def import_people(
    data: bytes,
    filename: str,
    *,
    office: Organisation,
    user: Any,
    programmes: Iterable[Programme] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportPlan:
    """Plan and write the import in one transaction: every row, or nothing.

    Raises ImportRefused (nothing written) when a row has an error.

    With `progress` (and no transaction around the call), the rows are checked before the
    transaction, so that others see the progress (SQLite lets nobody write while a transaction
    writes); the transaction then writes the plan only if no record it read has changed
    meanwhile (the audit trail's latest row of each table is the same), else checks again.
    """
    if progress is not None and not transaction.get_connection().in_atomic_block:
        mark = _records_mark()
        plan = plan_import(data, filename, office=office, programmes=programmes, progress=progress)
        if plan.error_count:
            raise ImportRefused(plan)
        with transaction.atomic():
            if _records_mark() == mark:
                write_plan(plan, user=user)
                plan.committed = True
                return plan
    with transaction.atomic():
        plan = plan_import(data, filename, office=office, programmes=programmes, progress=progress)
        if plan.error_count:
            raise ImportRefused(plan)
        write_plan(plan, user=user)
        plan.committed = True
    return plan


def _records_mark() -> tuple[int | None, ...]:
    """The latest audit row of every table a plan reads: the same mark, the same records."""
    return tuple(
        model.history.model.objects.aggregate(latest=Max("history_id"))["latest"]
        for model in (
            Organisation,
            Programme,
            Edition,
            Person,
            Citizenship,
            Affiliation,
            Enrolment,
            Placement,
        )
    )


# Writing


def person_fields(person: _Person, office: Organisation) -> dict[str, Any]:
    """The column values (by attribute name) of the Person a planned record becomes."""
    return {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "given_name_cyrl": person.given_name_cyrl,
        "family_name_cyrl": person.family_name_cyrl,
        "email": person.email,
        "birth_date": person.birth_date,
        "class_year": person.class_year,
        "owner_id": office.pk,
        "name_key": person.name_key,
    }


def build_person(person: _Person, office: Organisation) -> Person:
    """The unsaved Person a planned record becomes (what full_clean would see)."""
    return Person(**person_fields(person, office))


def _chunks[T](items: list[T], size: int = BATCH_SIZE) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# Column types the database driver takes as Python gives them.
_PLAIN_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "EmailField",
        "ForeignKey",
        "IntegerField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallIntegerField",
        "TextField",
        "URLField",
    }
)


def _insertable(model: Any) -> list[Any]:
    return [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and isinstance(f, AutoFieldMixin))
    ]


def _converter(field: Any, connection: Any) -> Any:
    kind = field.get_internal_type()
    if kind in _PLAIN_TYPES:
        return None
    if kind == "DateField":
        return connection.ops.adapt_datefield_value
    if kind == "DateTimeField":
        return connection.ops.adapt_datetimefield_value
    return lambda value: field.get_db_prep_save(value, connection)


def _insert(
    model: Any, fields: list[Any], rows: list[list[Any]], connection: Any, *, returning: bool
) -> list[int]:
    """Multi-row INSERTs of ready column values; the new primary keys, in order."""
    if not rows:
        return []
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    suffix = connection.ops.returning_columns([model._meta.pk])[0] if returning else ""
    # PostgreSQL sets no limit (None); its protocol still caps one statement at 65 535.
    limit = connection.features.max_query_params or 65_535
    size = max(1, min(BATCH_SIZE, limit // len(fields)))
    ids: list[int] = []
    with connection.cursor() as cursor:
        for batch in _chunks(rows, size):
            cursor.execute(
                f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "  # noqa: S608
                f"{', '.join([placeholder] * len(batch))} {suffix}",
                [value for row in batch for value in row],
            )
            if returning:
                ids.extend(row[0] for row in cursor.fetchall())
    return ids


def _create_with_history(
    model: Any, rows: list[dict[str, Any]], *, user: Any, reason: str, now: datetime
) -> list[int]:
    """Insert rows (column values by attribute name, defaults filled in) and their audit rows.

    The audit rows are simple-history's, as bulk_create_with_history writes them (type "+",
    the importing user, the reason, one timestamp), written the same fast way: Django's
    bulk_create spends most of 100 000 rows' time compiling SQL value by value. A backend that
    cannot return the new keys of a multi-row insert gets bulk_create_with_history itself.
    """
    if not rows:
        return []
    connection = connections[router.db_for_write(model)]
    if not connection.features.can_return_rows_from_bulk_insert:
        created = bulk_create_with_history(
            [model(**row) for row in rows],
            model,
            batch_size=BATCH_SIZE,
            default_user=user,
            default_change_reason=reason,
            default_date=now,
        )
        return [obj.pk for obj in created]
    fields = _insertable(model)
    plan = []
    for f in fields:
        default = (
            now
            if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False)
            else f.get_default()
        )
        plan.append((f.attname, default, _converter(f, connection)))
    values = [
        [
            (convert(value) if convert and value is not None else value)
            for name, default, convert in plan
            for value in (row.get(name, default),)
        ]
        for row in rows
    ]
    ids = _insert(model, fields, values, connection, returning=True)

    history = model.history.model
    position = {f.attname: index for index, f in enumerate(fields)}
    extra = {
        "history_date": connection.ops.adapt_datetimefield_value(now),
        "history_change_reason": reason,
        "history_type": "+",
        "history_user_id": getattr(user, "pk", None),
    }
    pk_name = model._meta.pk.attname
    # For each audit column: ("pk", None), ("value", index of the column) or ("fixed", value).
    sources: list[tuple[str, Any]] = []
    history_fields = _insertable(history)
    for f in history_fields:
        if f.attname == pk_name:
            sources.append(("pk", None))
        elif f.attname in position:
            sources.append(("value", position[f.attname]))
        elif f.attname in extra:
            sources.append(("fixed", extra[f.attname]))
        else:  # a history field this writer does not know: refuse rather than guess
            raise RuntimeError(f"{history.__name__}.{f.attname} has no value in the import")
    audit = [
        [pk if kind == "pk" else row[what] if kind == "value" else what for kind, what in sources]
        for row, pk in zip(values, ids, strict=True)
    ]
    _insert(history, history_fields, audit, connection, returning=False)
    return ids


def write_plan(plan: ImportPlan, *, user: Any) -> None:
    """Write a plan without errors: bulk inserts and updates, each with its audit rows.

    Call inside a transaction (import_people does). The system is recorded as no user.
    """
    user = recorded_user(user)
    reason = _("import of %(file)s") % {"file": plan.filename}
    now = timezone.now()
    audit = {"user": user, "reason": reason, "now": now}
    history = {
        "default_user": user,
        "batch_size": BATCH_SIZE,
        "default_change_reason": reason,
        "default_date": now,
    }
    people = list(plan.people.values())

    new = [person for person in people if person.pk is None]
    ids = _create_with_history(Person, [person_fields(p, plan.office) for p in new], **audit)
    for person, pk in zip(new, ids, strict=True):
        person.pk = pk

    changed = [person for person in people if person.changed]
    if changed:
        fields = sorted(set().union(*(person.changed for person in changed)) | {"name_key"})
        objs = []
        for batch in _chunks(changed):
            loaded = Person.objects.in_bulk([person.pk for person in batch])
            for person in batch:
                obj = loaded[person.pk]
                for name in fields:
                    setattr(obj, name, getattr(person, name))
                objs.append(obj)
        bulk_update_with_history(objs, Person, fields, **history)

    _create_with_history(
        Citizenship,
        [
            {"person_id": person.pk, "country_id": country}
            for person in people
            for country in sorted(person.new_citizenships)
        ],
        **audit,
    )
    _create_with_history(
        Affiliation,
        [
            {"person_id": person.pk, "organisation_id": organisation, "role": role}
            for person in people
            for organisation, role in person.new_affiliations
        ],
        **audit,
    )

    enrolments = [
        (person, enrolment)
        for person in people
        for enrolment in person.enrolments.values()
        if enrolment.pk is None
        or enrolment.changed
        or any(p.pk is None or p.changed for p in enrolment.placements.values())
    ]
    new_enrolments = [(person, e) for person, e in enrolments if e.pk is None]
    ids = _create_with_history(
        Enrolment,
        [
            {
                "person_id": person.pk,
                "edition_id": e.edition_id,
                "state": str(e.state),
                "state_reason": e.state_reason,
                "completed_on": e.completed_on,
            }
            for person, e in new_enrolments
        ],
        **audit,
    )
    for (_person, enrolment), pk in zip(new_enrolments, ids, strict=True):
        enrolment.pk = pk
    _update_changed(
        Enrolment,
        [e for _p, e in enrolments if e.changed],
        ("state", "state_reason", "completed_on"),
        history,
    )

    placements = [
        (enrolment, placement)
        for _person, enrolment in enrolments
        for placement in enrolment.placements.values()
    ]
    _create_with_history(
        Placement,
        [
            {
                "enrolment_id": enrolment.pk,
                "host_id": p.host_id,
                "start": p.start,
                "end": p.end,
                "status": str(p.status),
            }
            for enrolment, p in placements
            if p.pk is None
        ],
        **audit,
    )
    _update_changed(
        Placement,
        [p for _e, p in placements if p.pk is not None and p.changed],
        ("start", "end", "status"),
        history,
    )


def _update_changed(
    model: Any, records: list[Any], fields: tuple[str, ...], history: dict[str, Any]
) -> None:
    if not records:
        return
    objs = []
    for batch in _chunks(records):
        loaded = model.objects.in_bulk([record.pk for record in batch])
        for record in batch:
            obj = loaded[record.pk]
            for name in fields:
                setattr(obj, name, getattr(record, name))
            objs.append(obj)
    bulk_update_with_history(objs, model, list(fields), **history)
