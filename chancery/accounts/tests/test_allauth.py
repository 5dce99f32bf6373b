"""Account flows through django-allauth: sign-in by user name or e-mail address, throttling,
closed sign-up, password reset, a changed address used once verified, the second factor."""

import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core import mail
from django.core.cache import cache
from django.test import Client

from chancery.accounts.models import User
from conftest import PASSWORD


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """allauth counts wrong codes in the cache, by user id; ids come back in each test."""
    cache.clear()


def _login(client: Client, login: str, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post("/accounts/login/", {"username": login, "password": password}, **extra)


def _signed_in_as(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def _link(text: object) -> str:
    found = re.search(r"https?://[^\s/]+(/accounts/\S+)", str(text))
    assert found, text
    return found.group(1)


def test_the_sign_in_page_offers_a_password_reset(db: Any) -> None:
    page = Client().get("/accounts/login/").content.decode()
    assert 'id="id_username"' in page
    assert 'href="/accounts/password/reset/"' in page


def test_it_signs_in_with_the_user_name_or_the_e_mail_address(cast: Any) -> None:
    cast.alice.email = "alice@example.org"
    cast.alice.save()
    by_name = Client()
    assert _login(by_name, "alice").status_code == 302
    assert _signed_in_as(by_name) == str(cast.alice.pk)
    by_address = Client()
    assert _login(by_address, "Alice@Example.org").status_code == 302
    assert _signed_in_as(by_address) == str(cast.alice.pk)


def test_wrong_passwords_typed_with_the_e_mail_address_still_pause_the_address(cast: Any) -> None:
    cast.alice.email = "alice@example.org"
    cast.alice.save()
    client = Client(REMOTE_ADDR="198.51.100.50")
    answers = [_login(client, "alice@example.org", "wrong").status_code for _ in range(5)]
    assert answers == [200, 200, 200, 200, 429]
    locked = _login(client, "alice@example.org")
    assert locked.status_code == 429
    assert _signed_in_as(client) is None


def test_public_sign_up_is_closed(db: Any) -> None:
    client = Client()
    page = client.get("/accounts/signup/")
    assert page.status_code == 200
    assert "closed" in page.content.decode().lower()
    client.post(
        "/accounts/signup/",
        {
            "username": "eve",
            "email": "eve@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert not User.objects.filter(username="eve").exists()


def test_a_forgotten_password_is_reset_through_the_link_sent_by_e_mail(cast: Any) -> None:
    cast.pat.email = "pat@example.org"
    cast.pat.save()
    client = Client()
    sent = client.post("/accounts/password/reset/", {"email": "pat@example.org"})
    assert sent.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["pat@example.org"]
    link = client.get(_link(mail.outbox[0].body))
    form_url = link["Location"] if link.status_code == 302 else link.request["PATH_INFO"]
    done = client.post(
        form_url, {"password1": "a new Passphrase 42", "password2": "a new Passphrase 42"}
    )
    assert done.status_code == 302
    assert _login(Client(), "pat").status_code == 200  # the old password no longer works
    assert _login(Client(), "pat", "a new Passphrase 42").status_code == 302


@pytest.mark.parametrize("recorded", [True, False], ids=["address-recorded", "user-email-only"])
def test_a_changed_address_is_used_only_once_verified(cast: Any, recorded: bool) -> None:
    cast.pat.email = "pat@example.org"
    cast.pat.save()
    if recorded:  # as an invitation leaves it; accounts made before allauth have none
        EmailAddress.objects.create(
            user=cast.pat, email="pat@example.org", verified=True, primary=True
        )
    client = cast.client_for(cast.pat)
    answer = client.post("/accounts/email/", {"action_add": "", "email": "pat@new.example"})
    assert answer.status_code == 302
    cast.pat.refresh_from_db()
    assert cast.pat.email == "pat@example.org"
    assert mail.outbox[-1].to == ["pat@new.example"]
    # A sign-in by the unverified address finds nobody.
    assert _login(Client(), "pat@new.example").status_code == 200
    confirm = _link(mail.outbox[-1].body)
    client.post(confirm)
    cast.pat.refresh_from_db()
    assert cast.pat.email == "pat@new.example"
    assert list(
        EmailAddress.objects.filter(user=cast.pat).values_list("email", "verified", "primary")
    ) == [("pat@new.example", True, True)]


def test_the_profile_links_to_the_e_mail_address_and_the_second_factor(cast: Any) -> None:
    page = cast.client_for(cast.pat).get("/accounts/profile/").content.decode()
    assert 'href="/accounts/email/"' in page
    assert 'href="/accounts/2fa/"' in page


@pytest.fixture
def require_2fa(settings: Any) -> None:
    settings.REQUIRE_2FA = True


def test_with_require_2fa_an_officer_must_set_up_totp_first(cast: Any, require_2fa: None) -> None:
    client = Client()
    assert _login(client, "alice")["Location"] == "/"
    answer = client.get("/directory/people/")
    assert answer.status_code == 302
    assert answer["Location"] == "/accounts/2fa/totp/activate/"
    # allauth asks for the password again before a second factor is set up.
    asked = client.get("/accounts/2fa/totp/activate/")
    assert asked["Location"].startswith("/accounts/reauthenticate/")
    client.post(asked["Location"], {"password": PASSWORD})
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200
    assert client.get("/accounts/profile/")["Location"] == "/accounts/2fa/totp/activate/"
    secret = client.session["mfa.totp.secret"]
    client.post("/accounts/2fa/totp/activate/", {"code": _current_code(secret)})
    assert Authenticator.objects.filter(user=cast.alice).exists()
    assert client.get("/directory/people/").status_code == 200


def test_with_require_2fa_a_participant_and_a_superuser(cast: Any, require_2fa: None) -> None:
    assert cast.client_for(cast.pat).get("/programmes/mine/").status_code == 200
    admin = User.objects.create_superuser("root", "root@example.org", PASSWORD)
    answer = cast.client_for(admin).get("/")
    assert answer["Location"] == "/accounts/2fa/totp/activate/"


def test_without_require_2fa_nobody_is_sent_to_the_set_up(cast: Any) -> None:
    assert cast.client_for(cast.alice).get("/directory/people/").status_code == 200


def _current_code(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def test_an_officer_signs_in_with_a_totp_code(cast: Any) -> None:
    secret = generate_totp_secret()
    TOTP.activate(cast.alice, secret)
    client = Client()
    first = _login(client, "alice")
    assert first["Location"] == "/accounts/2fa/authenticate/"
    assert _signed_in_as(client) is None
    assert client.post("/accounts/2fa/authenticate/", {"code": "000000"}).status_code == 200
    assert _signed_in_as(client) is None
    done = client.post("/accounts/2fa/authenticate/", {"code": _current_code(secret)})
    assert done["Location"] == "/"
    assert _signed_in_as(client) == str(cast.alice.pk)


def test_a_recovery_code_signs_in_once(cast: Any) -> None:
    TOTP.activate(cast.alice, generate_totp_secret())
    codes = RecoveryCodes.activate(cast.alice).get_unused_codes()
    client = Client()
    _login(client, "alice")
    done = client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert done.status_code == 302
    assert _signed_in_as(client) == str(cast.alice.pk)
    again = Client()
    _login(again, "alice")
    assert again.post("/accounts/2fa/authenticate/", {"code": codes[0]}).status_code == 200
    assert _signed_in_as(again) is None
    recovery = Authenticator.objects.get(user=cast.alice, type=Authenticator.Type.RECOVERY_CODES)
    assert len(RecoveryCodes(recovery).get_unused_codes()) == len(codes) - 1


def _latin_words(html: str) -> set[str]:
    """Latin-script words a reader sees in the page's <main> (not tags, attributes of no text,
    scripts, the secret or the codes marked translate="no")."""
    main = re.split(r"<main[^>]*>", html, maxsplit=1)[1].split("</main>", 1)[0]
    main = re.sub(r'<(\w+)[^>]*translate="no"[^>]*>.*?</\1>', " ", main, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", main)
    alts = re.findall(r'(?:alt|placeholder|aria-label|title)="([^"]*)"', main)
    return {
        word
        for word in re.findall(r"[A-Za-z]{2,}", text + " ".join(alts))
        if word not in {"Chancery", "QR", "pat", "example", "org", "new"}
    }


def test_the_account_pages_in_kazakh_show_no_english(cast: Any, settings: Any) -> None:
    cast.pat.email = "pat@example.org"
    cast.pat.language = "kk"
    cast.pat.save()
    anonymous = Client(headers={"accept-language": "kk"})
    pages = {
        url: anonymous.get(url)
        for url in (
            "/accounts/login/",
            "/accounts/password/reset/",
            "/accounts/password/reset/done/",
            "/accounts/password/reset/key/done/",
            "/accounts/signup/",
            "/accounts/password/reset/key/1-bad/",
        )
    }
    wrong = anonymous.post("/accounts/login/", {"username": "pat", "password": "wrong"})
    pages["wrong password"] = wrong
    anonymous.post("/accounts/password/reset/", {"email": "pat@example.org"})
    link = _link(mail.outbox[-1].body)
    body = re.sub(r"https?://\S+", "", str(mail.outbox[-1].body)).replace("Chancery", "")
    assert not re.search(r"[A-Za-z]{4,}", body), body
    assert not re.search(r"[A-Za-z]{4,}", mail.outbox[-1].subject.replace("Chancery", ""))
    opened = anonymous.get(link, follow=True)
    pages["reset form"] = opened
    client = Client(headers={"accept-language": "kk"})  # the sign-in page was in Kazakh
    _login(client, "pat")
    asked = client.get("/accounts/2fa/totp/activate/")
    pages["reauthenticate"] = client.get(asked["Location"])
    client.post(asked["Location"], {"password": PASSWORD})
    for url in (
        "/accounts/email/",
        "/accounts/2fa/",
        "/accounts/2fa/totp/activate/",
        "/accounts/logout/",
    ):
        pages[url] = client.get(url)
    secret = client.session["mfa.totp.secret"]
    activated = client.post(
        "/accounts/2fa/totp/activate/", {"code": _current_code(secret)}, follow=True
    )
    pages["recovery codes"] = activated
    pages["2fa index, on"] = client.get("/accounts/2fa/")
    pages["email sent"] = client.post(
        "/accounts/email/", {"action_add": "", "email": "pat@new.example"}, follow=True
    )
    second = Client(headers={"accept-language": "kk"})
    _login(second, "pat")
    pages["authenticate"] = second.get("/accounts/2fa/authenticate/")
    pages["wrong code"] = second.post("/accounts/2fa/authenticate/", {"code": "000000"})
    for name, page in pages.items():
        assert page.status_code == 200, name
        html = page.content.decode()
        assert 'lang="kk"' in html, name
        assert _latin_words(html) == set(), (name, _latin_words(html))


def test_allauths_other_pages_render_inside_chancerys_page(cast: Any) -> None:
    client = Client()
    _login(client, "pat")
    page = client.get("/accounts/password/change/").content.decode()
    assert '<main id="main">' in page
    assert 'class="form-grid"' in page
    changed = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "another Passphrase 9",
            "password2": "another Passphrase 9",
        },
    )
    assert changed.status_code == 302
    assert _login(Client(), "pat", "another Passphrase 9").status_code == 302


def test_wrong_second_factor_codes_are_throttled(cast: Any) -> None:
    secret = generate_totp_secret()
    TOTP.activate(cast.alice, secret)
    client = Client()
    _login(client, "alice")
    for _ in range(5):
        assert client.post("/accounts/2fa/authenticate/", {"code": "000000"}).status_code == 200
    refused = client.post("/accounts/2fa/authenticate/", {"code": _current_code(secret)})
    assert refused.status_code == 200
    assert "Too many failed sign-ins" in refused.content.decode()
    assert _signed_in_as(client) is None


def test_the_admin_signs_in_through_allauths_sign_in(cast: Any) -> None:
    answer = Client().get("/admin/login/?next=/admin/")
    assert answer.status_code == 302
    assert answer["Location"].startswith("/accounts/login/?next=")
    admin = User.objects.create_superuser("root", "root@example.org", PASSWORD)
    TOTP.activate(admin, generate_totp_secret())
    client = Client()
    client.post("/admin/login/", {"username": "root", "password": PASSWORD})
    assert _signed_in_as(client) is None  # the admin's own form would have skipped the code
