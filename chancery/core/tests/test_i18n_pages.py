"""Every page of the demo, in Russian and in Kazakh, shows no English, from any source.

The demo is loaded once (the `demo` command, as test_demo.py does); every URL pattern that takes
no argument, or whose arguments the demo's records can fill, is opened with GET by each demo
role and by an anonymous visitor. In each HTML page the text nodes and user-visible attributes
are compared, whole, with the catalogue's msgids whose translation differs from the msgid: such
a text left in English means a string is not marked, not translated, or translated but not
compiled. Every text is also read for English prose (chancery/core/tests/english.py: two
adjacent frequent English words), which finds what no catalogue knows: a template's text, a
form's label, a reason an engine returns, a service's message or a record's text not marked or
not written in the reader's language. Text inside an element that declares another language
(lang="en" on a name kept in English, the language switcher) is content, not interface, and is
left out.

The catalogues themselves must have no untranslated and no fuzzy entry.
"""

import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from typing import Any, NamedTuple

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from chancery.accounts.models import User
from chancery.core.tests.english import english_phrases

LANGUAGES = ("ru", "kk")
ROLES = (
    "officer",
    "viewer",
    "supervisor",
    "participant",
    "coordinator",
    "liaison",
    "chair",
    "reviewer",
    "applicant",
)
LOCALE = Path(settings.BASE_DIR) / "locale"
PER_ROUTE = 3  # records tried for each pattern with arguments, per role
VISIBLE_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "data-confirm", "label"}
# Not interface: scripts and styles, code, and a textarea's content (what was typed, as in an
# input's value: the English description of an edit form is English).
SKIPPED = {"script", "style", "code", "pre", "kbd", "samp", "textarea"}
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[sd]|\{[^}]*\}")
# Skipped routes: downloads and feeds (not HTML), the admin and the API (Django's and ninja's),
# a picker's suggestions (the options of a datalist, names as recorded).
NOT_PAGES = re.compile(
    r"^(admin/|api/|i18n/)|\.(?:json|ics|pdf|py|csv|xlsx)$|<str:fmt>|/image$"
    r"|/file$|^(?:healthz|livez|readyz)$|/live/$|/choices/$"
)


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def english_msgids(language: str) -> set[str]:
    """Whole texts that, seen on a page in `language`, can only be untranslated interface.

    The languages' own names (the switcher and the profile's choice show each language in
    itself) are left out.
    """
    found: set[str] = set()
    for entry in catalogue(language):
        if entry.obsolete or entry.msgid_plural or PLACEHOLDER.search(entry.msgid):
            continue
        text = " ".join(entry.msgid.split())
        if entry.msgstr and entry.msgstr != entry.msgid and re.search(r"[A-Za-z]{2}", text):
            found.add(text)
    return found - {str(name) for _code, name in settings.LANGUAGES}


class _PageText(HTMLParser):
    """Text nodes and visible attributes, without what is declared as another language."""

    def __init__(self, language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack: list[tuple[str, bool]] = []  # (tag, in another language or skipped)
        self.texts: list[str] = []

    def _hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        lang = (values.get("lang") or "").split("-")[0]
        hidden = (
            self._hidden()
            or tag in SKIPPED
            or bool(lang and lang != self.language)
            or values.get("translate") == "no"
        )
        if not hidden:
            for name, value in attrs:
                shown = name in VISIBLE_ATTRIBUTES or (
                    tag == "input"
                    and name == "value"
                    and values.get("type") in {"submit", "button", "reset"}
                )
                if shown and value:
                    self.texts.append(" ".join(value.split()))
        if tag not in VOID:
            self.stack.append((tag, hidden))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self._hidden():
            self.texts.append(text)


def page_texts(html: str, language: str) -> list[str]:
    parser = _PageText(language)
    parser.feed(html)
    parser.close()
    return parser.texts


def _routes(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _records() -> dict[str, Callable[[], list[Model]]]:
    """Which records fill the argument that follows a path segment."""
    from chancery.agreements.models import Agreement, Document
    from chancery.allocation.models import Round, RoundHost
    from chancery.directory.models import Affiliation, Consent, Organisation, Person
    from chancery.draws.models import Draw
    from chancery.events.models import Attendance, Event, MediaLink, Photo
    from chancery.programmes.models import (
        Certificate,
        EligibilityRule,
        Enrolment,
        Placement,
        Programme,
    )

    def some(queryset: Any) -> Callable[[], list[Model]]:
        return lambda: list(queryset.order_by("pk")[:PER_ROUTE])

    from chancery.programmes.models import Edition

    records: dict[str, Callable[[], list[Model]]] = {
        "people": some(Person.objects.all()),
        "organisations": some(Organisation.objects.all()),
        "affiliations": some(Affiliation.objects.all()),
        "consents": some(Consent.objects.all()),
        "agreements": some(Agreement.objects.all()),
        "documents": some(Document.objects.all()),
        "editions": lambda: list(Edition.objects.order_by("pk")),
        "rounds": some(Round.objects.all()),
        "hosts": some(RoundHost.objects.all()),
        "draws": some(Draw.objects.all()),
        "events": some(Event.objects.all()),
        "attendances": some(Attendance.objects.all()),
        "links": some(MediaLink.objects.all()),
        "photos": some(Photo.objects.all()),
        "programmes": lambda: list(Programme.objects.all()),
        "rules": some(EligibilityRule.objects.all()),
        "enrolments": some(Enrolment.objects.all()),
        "placements": some(Placement.objects.all()),
        "verify": some(Certificate.objects.all()),
    }
    return records


def concrete_urls(route: str) -> list[str]:
    """URLs for a route: each argument filled from the demo (one argument at most)."""
    arguments = re.findall(r"<[^>]+>", route)
    if not arguments:
        return ["/" + route]
    if len(arguments) > 1:
        return []
    segment = route.split("<")[0].rstrip("/").split("/")[-1]
    fill = _records().get(segment)
    if fill is None:
        return []
    urls = []
    for record in fill():
        value = getattr(record, "code", None) if "<str:" in arguments[0] else record.pk
        urls.append("/" + route.replace(arguments[0], str(value)))
    return urls


def _pages() -> list[str]:
    urls: list[str] = []
    for route in sorted(set(_routes(get_resolver().url_patterns))):
        if NOT_PAGES.search(route):
            continue
        urls += concrete_urls(route)
    return urls


# Content, not interface, that a translated page may show in English (by URL prefix). The
# demo pairing draw's "Schools" and "Embassies" are no longer here: they are stored in English
# and named in the reader's language (draws.wording.list_label).
CONTENT: dict[str, set[str]] = {}

# Text a person typed into a field that holds one language only: it is shown as it was written
# (the demo writes it in English), so it is left out of a page's text before the page is read
# for English prose. Names, titles and descriptions that have a field per language
# (organisations, programmes, events with their descriptions and venues, calls, agreement
# titles and summaries, signatories' titles, Model UN conferences' titles and themes, committees and
# agenda items) are not here: the demo fills all three. What is here is a record as it was
# made: a draw's lists and sources (its fingerprint covers them), a message as it was sent to
# its recipient, minutes as they were taken, a testimonial in the language it was written in.
ONE_LANGUAGE_FIELDS = {
    "agreements.ScopeItem": ("text",),
    "agreements.Commitment": ("description",),
    "directory.Organisation": ("short_name", "notes"),
    "directory.Person": ("notes",),
    "directory.Affiliation": ("title",),
    "draws.Draw": ("title", "pool", "left", "right", "sources", "redraw_reason"),
    "mun.Conference": ("venue",),
    "mun.Officer": ("title",),
    "mun.DraftResolution": ("title",),
    "notifications.Notification": ("subject", "text"),
    "notifications.OutgoingMail": ("subject", "text"),
    "programmes.EligibilityRule": ("label",),
    "programmes.Edition": ("name",),
    "programmes.Enrolment": ("override_reason",),
    "programmes.Testimonial": ("text",),
    "programmes.Participation": ("partner_role",),
}


class Typed(NamedTuple):
    """Texts typed in one language, and a pattern that finds them in a page's text."""

    texts: frozenset[str]
    pattern: re.Pattern[str]

    def leave_out(self, text: str) -> str:
        # A long text may be shown cut short ("Hello Anna, We have received…"): the cut is typed.
        if text.endswith("…") and any(typed.startswith(text[:-1].rstrip()) for typed in self.texts):
            return ""
        return self.pattern.sub(" | ", text)


def _strings(value: Any) -> Iterator[str]:
    """The texts a field's value holds (a JSON field's strings, at any depth), whole and line
    by line (a template may show each line apart)."""
    if isinstance(value, str):
        yield " ".join(value.split())
        for line in value.splitlines():
            if line.strip():
                yield " ".join(line.split())
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def one_language_texts() -> Typed | None:
    """Every text the demo typed into a one-language field."""
    from django.apps import apps

    texts: set[str] = set()
    for label, fields in ONE_LANGUAGE_FIELDS.items():
        for row in apps.get_model(label).objects.values_list(*fields):
            texts.update(text for value in row for text in _strings(value) if english_phrases(text))
    if not texts:
        return None
    ordered = sorted(texts, key=len, reverse=True)
    return Typed(frozenset(texts), re.compile("|".join(re.escape(text) for text in ordered)))


def values_as_typed() -> re.Pattern[str]:
    """A list of three or more values a file must hold as they are typed, whatever the page's
    language: the stored values of the models' choices ("applied, eligible, ineligible") and
    the import files' column names ("email, role, organisation")."""
    from django.apps import apps

    from chancery.reports.imports import COLUMNS

    values = {name for name, _help in COLUMNS}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            for value, _label in getattr(field, "flatchoices", None) or ():
                if isinstance(value, str) and re.fullmatch(r"[a-z_]+", value):
                    values.add(value)
    one = "|".join(sorted(values, key=len, reverse=True))
    return re.compile(rf"\b(?:{one})(?:, (?:{one})){{2,}}\b")


def english_in(
    text: str, typed: Typed | None, as_typed: re.Pattern[str] | None = None
) -> list[str]:
    """The English phrases of a page's text, once what was typed in one language and lists of
    values to type are left out."""
    phrases = english_phrases(text)
    if phrases and typed is not None:
        text = typed.leave_out(text)
        phrases = english_phrases(text)
    if phrases and as_typed is not None:
        phrases = english_phrases(as_typed.sub(" | ", text))
    return phrases


def untranslated(
    client: Client,
    urls: list[str],
    language: str,
    english: set[str],
    who: str,
    typed: Typed | None = None,
    as_typed: re.Pattern[str] | None = None,
) -> tuple[list[str], int]:
    problems, seen = [], 0
    for url in urls:
        response = client.get(url, headers={"accept-language": language})
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        seen += 1
        html = response.content.decode()
        # A fragment (a form's fields fetched by htmx) is read for its texts; a page declares
        # its language too.
        if "<html" in html[:500] and f'lang="{language}"' not in html[:500]:
            problems.append(f"{who} {url}: the page does not declare lang={language}")
        for text in page_texts(html, language):
            content = {
                word
                for prefix, words in CONTENT.items()
                if url.startswith("/" + prefix)
                for word in words
            }
            if text in content:
                continue
            if text in english:
                problems.append(f"{who} {url}: {text!r}")
            elif phrases := english_in(text, typed, as_typed):
                problems.append(f"{who} {url}: {text!r} (English: {', '.join(phrases)})")
    return problems, seen


def test_the_page_text_reader_keeps_interface_and_leaves_other_languages_out() -> None:
    html = (
        '<html lang="ru"><body><h1>Programmes</h1><p lang="en">Ministry <b>x</b></p>'
        '<a translate="no">officer</a>'
        '<select><option lang="kk">Қазақша</option></select><input type="submit" '
        'value="Save"><img alt="Logo"><br><script>var a = "Save";</script><p>Ok</p>'
    )
    assert page_texts(html, "ru") == ["Programmes", "Save", "Logo", "Ok"]


@pytest.mark.parametrize(
    ("text", "phrases"),
    [
        ("— Select an option —", ["Select an option"]),
        ("s1 is already on the speakers' list", ["is already on the speakers' list"]),
        ("Министерство — Ministry of Foreign Affairs", ["Ministry of Foreign Affairs"]),
        ("Dinara Mussabalina", []),
        ("Jas Diplomat Model UN", []),
        ("JPO 2011", []),
        ("dinara.mussabalina@alumni.example.org, https://example.org/the/page", []),
        ("citizenship_in", []),
        ("Сохранить", []),
        ("Save", []),
    ],
)
def test_english_prose_is_two_adjacent_frequent_english_words(
    text: str, phrases: list[str]
) -> None:
    assert english_phrases(text) == phrases


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_has_no_missing_or_fuzzy_entry(language: str) -> None:
    po = catalogue(language)
    missing = [entry.msgid for entry in po.untranslated_entries() if not entry.obsolete]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries() if not entry.obsolete]
    assert not missing, f"{len(missing)} untranslated in {language}: {missing[:20]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {language}: {fuzzy[:20]}"
    assert po.percent_translated() == 100


@pytest.mark.django_db(transaction=False)
def test_every_demo_page_is_translated_in_russian_and_kazakh() -> None:
    call_command("demo", stdout=StringIO())
    urls = _pages()
    assert len(urls) > 80
    typed, as_typed = one_language_texts(), values_as_typed()
    problems: list[str] = []
    pages = 0
    for language in LANGUAGES:
        english = english_msgids(language)
        assert len(english) > 500
        User.objects.update(language=language)
        found, seen = untranslated(
            Client(), urls, language, english, f"{language} anonymous", typed, as_typed
        )
        problems += found
        pages += seen
        for role in ROLES:
            client = Client()
            client.force_login(User.objects.get(username=role))
            found, seen = untranslated(
                client, urls, language, english, f"{language} {role}", typed, as_typed
            )
            problems += found
            pages += seen
    assert pages > 300
    assert not problems, f"{len(problems)} English texts on translated pages:\n" + "\n".join(
        sorted(set(problems))
    )
