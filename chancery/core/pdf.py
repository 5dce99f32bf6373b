"""What every PDF of Chancery shares: the DejaVu Sans fonts (Latin, Cyrillic and the Kazakh
letters ә ғ қ ң ө ұ ү һ і), the colours, fitting a line to a width, and a person's name in the
script a language prefers.

Used by the programme certificates (`chancery.programmes.certificates`) and the Model UN
documents (`chancery.mun.documents`).
"""

import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

logger = logging.getLogger(__name__)

# Debian's fonts-dejavu-core; settings.CERTIFICATE_FONT_DIR may name another folder.
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"),)
FONT_FILES = {"DejaVuSans": "DejaVuSans.ttf", "DejaVuSans-Bold": "DejaVuSans-Bold.ttf"}
INK = Color(0.114, 0.153, 0.2)
ACCENT = Color(0.122, 0.306, 0.475)
MUTED = Color(0.357, 0.404, 0.459)
CYRILLIC_LANGUAGES = ("ru", "kk")


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    cyrillic: bool


@cache
def fonts(folders: tuple[Path, ...] = FONT_DIRS) -> Fonts:
    """Register DejaVu Sans once (from the configured folder, else `folders`); without it,
    Helvetica for Latin-only text and a warning."""
    configured = getattr(settings, "CERTIFICATE_FONT_DIR", None)
    searched = (Path(configured), *folders) if configured else folders
    for folder in searched:
        regular = folder / FONT_FILES["DejaVuSans"]
        if not regular.is_file():
            continue
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
        bold = folder / FONT_FILES["DejaVuSans-Bold"]
        if bold.is_file():
            pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
            return Fonts("DejaVuSans", "DejaVuSans-Bold", cyrillic=True)
        return Fonts("DejaVuSans", "DejaVuSans", cyrillic=True)
    logger.warning(
        "DejaVu Sans not found in %s (Debian package fonts-dejavu-core): "
        "PDFs are drawn in Helvetica, in English, without Cyrillic names.",
        ", ".join(str(folder) for folder in searched),
    )
    return Fonts("Helvetica", "Helvetica-Bold", cyrillic=False)


def fitted(text: str, font: str, size: float, width: float) -> float:
    """The largest size up to `size` at which `text` fits in `width` (8 pt at least)."""
    while size > 8 and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def centred(
    canvas: Canvas,
    text: str,
    y: float,
    font: str,
    size: float,
    color: Color = INK,
    margin: float = 80,
) -> None:
    """`text` centred on the page at height `y`, shrunk to fit between the side margins."""
    page_width = canvas._pagesize[0]  # type: ignore[attr-defined]  # reportlab keeps it private
    canvas.setFont(font, fitted(text, font, size, page_width - 2 * margin))
    canvas.setFillColor(color)
    canvas.drawCentredString(page_width / 2, y, text)


def name_in_script(person: Any, language: str) -> str:
    """A person's name in the script `language` prefers: Cyrillic for Russian and Kazakh when
    the record has it, Latin otherwise; the display name when neither is filled in."""
    latin, cyrillic = person.latin_name, person.cyrillic_name
    preferred = (cyrillic, latin) if language[:2] in CYRILLIC_LANGUAGES else (latin, cyrillic)
    return next((name for name in preferred if name), person.display_name or str(person))
