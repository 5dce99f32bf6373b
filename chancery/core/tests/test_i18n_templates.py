"""No template holds user-visible text that is not marked for translation.

Every template under chancery/*/templates and templates/ is lexed with Django's template lexer;
tags, variables and comments become a placeholder (keeping line breaks, so lines still match),
the body of {% blocktranslate %} and {% comment %} and of <script>/<style> is skipped, and the HTML
that is left is parsed: its text and its user-visible attributes (title, placeholder, aria-label,
alt, the value of buttons, data-confirm...) must not hold a word outside a short allow-list.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.template.base import DebugLexer, TokenType

ROOT = Path(settings.BASE_DIR)
TEMPLATE_DIRS = [ROOT / "templates", *sorted(ROOT.glob("chancery/*/templates"))]
MARK = "\ue000"  # a private-use character: neither a letter nor a space

# Attributes whose value a reader sees or hears.
VISIBLE_ATTRIBUTES = {
    "title",
    "placeholder",
    "aria-label",
    "aria-description",
    "alt",
    "label",
    "data-confirm",
    "aria-roledescription",
    "aria-valuetext",
}
VALUE_SHOWN_BY = {"submit", "button", "reset"}
# Brand names, symbols and codes that read the same in every language.
ALLOWED_WORDS = {
    "Chancery",
    "htmx",
    "API",
    "OpenAPI",
    "JSON",
    "CSV",
    "XLSX",
    "PDF",
    "QR",
    "UTC",
    "iCal",
    "ISO",
    "ID",
    "URL",
    "SHA",
    "k",
    "©",
}
WORD = re.compile(r"[^\W\d_]+")
FILE_NAME = re.compile(r"[\w\-\ue000]*\.(?:json|py|csv|xlsx|pdf|ics)\b")
# Not prose: scripts, styles, and code or commands shown as they are typed.
SKIPPED_ELEMENTS = {"script", "style", "code", "pre", "kbd", "samp"}


def template_files() -> list[Path]:
    return sorted(
        path
        for folder in TEMPLATE_DIRS
        for path in folder.rglob("*")
        if path.is_file() and path.suffix in {".html", ".txt", ".xml", ".ics"}
    )


def _masked(source: str) -> str:
    """The source with every tag, variable and comment (and untranslated-free blocks) masked."""
    tokens = DebugLexer(source).tokenize()
    parts: list[str] = []
    skipping: str | None = None
    for token in tokens:
        start, end = token.position
        raw = source[start:end]
        keep_lines = "\n" * raw.count("\n")
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents.split() else ""
            if skipping is None and name in {"blocktranslate", "blocktrans", "comment", "verbatim"}:
                skipping = {
                    "blocktranslate": "endblocktranslate",
                    "blocktrans": "endblocktrans",
                    "comment": "endcomment",
                    "verbatim": "endverbatim",
                }[name]
            elif skipping == name:
                skipping = None
            parts.append(MARK + keep_lines)
        elif token.token_type == TokenType.TEXT and skipping is None:
            parts.append(raw)
        else:
            parts.append(MARK + keep_lines)
    return "".join(parts)


def unmarked(text: str) -> bool:
    """Whether `text` holds a word a reader would need translated."""
    words = WORD.findall(FILE_NAME.sub(" ", text).replace(MARK, " "))
    return any(word not in ALLOWED_WORDS for word in words)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self.skip_depth = 0

    def _report(self, text: str) -> None:
        if unmarked(text):
            stripped = text.replace(MARK, " ")
            leading = stripped[: len(stripped) - len(stripped.lstrip())]
            self.found.append((self.getpos()[0] + leading.count("\n"), " ".join(stripped.split())))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_ELEMENTS:
            self.skip_depth += 1
        values = dict(attrs)
        for name, value in attrs:
            visible = name in VISIBLE_ATTRIBUTES or (
                tag == "input" and name == "value" and (values.get("type") or "") in VALUE_SHOWN_BY
            )
            if visible and value:
                self._report(value)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in SKIPPED_ELEMENTS:
            self.skip_depth -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_ELEMENTS and self.skip_depth:
            self.skip_depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self._report(data)


def unmarked_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of every user-visible literal not marked for translation."""
    collector = _Collector()
    collector.feed(_masked(source))
    collector.close()
    return collector.found


def test_the_walk_finds_the_templates() -> None:
    files = template_files()
    assert len(files) > 50
    assert ROOT / "templates" / "base.html" in files


def test_the_check_catches_unmarked_text_and_attributes() -> None:
    source = (
        '{% load i18n %}<h1>{% translate "Fine" %}</h1>\n'
        "<p>{{ count }} people</p>\n"
        '<input placeholder="Search" title="{% translate \'Fine\' %}">\n'
        "{% blocktranslate %}Marked {{ x }} text{% endblocktranslate %}\n"
        '<button type="submit" aria-label="Close">×</button>\n'
        '<input type="submit" value="Send"><button value="raw">{% translate "Go" %}</button>\n'
        '<!-- a comment --><script>var words = "not seen";</script>© Chancery 2026\n'
        '{% comment %}Notes for developers{% endcomment %}<a href="/x" class="big word">\n'
        '{% if a %}\n  Unmarked\n{% endif %}</a><td{% if b %} class="muted"{% endif %}>'
        '<code>python lottery.py draw-{{ pk }}.json</code> <a href="/r">draw-{{ pk }}.json</a>'
    )
    assert unmarked_literals(source) == [
        (2, "people"),
        (3, "Search"),
        (5, "Close"),
        (6, "Send"),
        (10, "Unmarked"),
    ]


def test_templates_hold_no_unmarked_user_visible_text() -> None:
    problems = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for path in template_files()
        for line, text in unmarked_literals(path.read_text(encoding="utf-8"))
    ]
    assert not problems, "Unmarked text in templates:\n" + "\n".join(problems)
