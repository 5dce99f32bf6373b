"""`make screenshots`: every role's main pages in English, Russian and Kazakh, on a phone
(390 × 844) and a desktop (1280 × 800), and the Model UN projector at 1920 × 1080, saved as PNG
files into CHANCERY_SHOTS (default var/screenshots/) with an index.html to look through them
in a minute. Each page must answer 200 and, on the phone, fit its width.

Marked `screenshots`: `make test` leaves it out (pytest's addopts), `make screenshots` runs it.
"""

import html
import os
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser

from tests.e2e.pages import main_pages, sign_in, switch_to

pytestmark = [pytest.mark.browser, pytest.mark.screenshots]

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


@pytest.fixture
def demo(transactional_db: None) -> dict[str, list[str]]:
    call_command("demo", stdout=StringIO())
    return main_pages()


def _name(username: str, path: str) -> str:
    cleaned = "".join(c if c.isalnum() else "-" for c in path.strip("/")) or "home"
    return f"{username or 'visitor'}--{cleaned}"[:120]


def test_screenshots_of_every_role_s_pages(
    demo: dict[str, list[str]], browser: Browser, live_server: Any
) -> None:
    from chancery.accounts.models import User
    from chancery.mun import services
    from chancery.mun.models import Committee

    folder = Path(os.environ.get("CHANCERY_SHOTS", "var/screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    shots: list[tuple[str, str, str, str]] = []
    too_wide = []
    for size, viewport in SIZES.items():
        for username, paths in demo.items():
            context = browser.new_context(viewport=viewport)
            page = context.new_page()
            try:
                if username:
                    sign_in(page, base, username)
                for language in ("en", "ru", "kk"):
                    switch_to(page, base, language)
                    for path in paths:
                        response = page.goto(f"{base}{path}")
                        assert response is not None and response.status == 200, path
                        file = f"{language}--{size}--{_name(username, path)}.png"
                        page.screenshot(path=str(folder / file), full_page=True)
                        shots.append((language, size, username or "visitor", file))
                        if size == "phone" and page.evaluate(
                            "document.documentElement.scrollWidth > innerWidth"
                        ):
                            too_wide.append(f"{language} {username} {path}")
            finally:
                context.close()
    committee = Committee.objects.order_by("pk").first()
    assert committee is not None
    session = services.open_session(committee=committee, actor=User.objects.get(username="officer"))
    for width, height in ((1920, 1080), (1280, 720), (1024, 768)):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        response = page.goto(f"{base}/mun/screen/{session.projector_token}/")
        assert response is not None and response.status == 200
        file = f"en--projector-{width}x{height}--screen.png"
        page.screenshot(path=str(folder / file))
        shots.append(("en", f"projector {width}×{height}", "screen", file))
        context.close()
    rows = "\n".join(
        f"<figure><figcaption>{html.escape(f'{lang} · {size} · {who}')}</figcaption>"
        f'<a href="{file}"><img src="{file}" loading="lazy" width="320"></a></figure>'
        for lang, size, who, file in shots
    )
    (folder / "index.html").write_text(
        "<!doctype html><meta charset=utf-8><title>Chancery screenshots</title>"
        "<style>body{font-family:sans-serif;display:flex;flex-wrap:wrap;gap:12px}"
        "figure{margin:0}img{border:1px solid #ccc}</style>" + rows,
        encoding="utf-8",
    )
    assert not too_wide, "wider than a phone: " + "; ".join(too_wide)
