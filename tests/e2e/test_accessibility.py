"""Every role's main pages, in English, Russian and Kazakh, checked by axe-core for WCAG 2.1 A and
AA failures. axe is vendored here (tests/e2e/vendor, MPL-2.0) and put into the page by the test
only: the site never serves it. The browser context bypasses the site's CSP for that one script.
"""

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser

from tests.e2e.pages import main_pages, sign_in, switch_to

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe-4.14.1.min.js").read_text()
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def demo(transactional_db: None) -> dict[str, list[str]]:
    call_command("demo", stdout=StringIO())
    return main_pages()


def test_no_page_of_any_role_fails_wcag_21_aa_in_three_languages(
    demo: dict[str, list[str]], browser: Browser, live_server: Any
) -> None:
    base = live_server.url
    failures = []
    for username, paths in demo.items():
        context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 800})
        page = context.new_page()
        try:
            if username:
                sign_in(page, base, username)
            for language in ("en", "ru", "kk"):
                switch_to(page, base, language)
                for path in paths:
                    response = page.goto(f"{base}{path}")
                    assert response is not None and response.status == 200, (username, path)
                    page.evaluate(AXE)
                    result = page.evaluate(
                        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
                    )
                    failures += [
                        f"{username or 'visitor'} {language} {path}: {v['id']} "
                        f"({v['help']}) at {v['nodes'][0]['target']}"
                        for v in result["violations"]
                    ]
        finally:
            context.close()
    assert not failures, "\n".join(failures)
