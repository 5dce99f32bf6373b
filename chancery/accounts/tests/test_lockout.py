"""Sign-in throttling per client address and per account, with the address the proxy reports."""

from typing import Any

import pytest
from django.test import Client, RequestFactory

from chancery.core.clients import client_address
from conftest import PASSWORD

PROXY = "10.0.0.2"  # the HTTPS proxy in front of the app, as the app sees it


def _login(
    username: str, password: str, *, remote: str = "127.0.0.1", forwarded: str | None = None
) -> Any:
    headers = {"x-forwarded-for": forwarded} if forwarded is not None else {}
    return Client(REMOTE_ADDR=remote).post(
        "/accounts/login/", {"username": username, "password": password}, headers=headers
    )


def _signed_in(response: Any) -> bool:
    return response.status_code == 302


@pytest.fixture
def behind_proxy(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 1


def test_it_pauses_an_address_after_five_wrong_passwords_whatever_the_username(cast: Any) -> None:
    for _ in range(5):
        _login("alice", "wrong", remote="198.51.100.7")
    assert _login("bob", PASSWORD, remote="198.51.100.7").status_code == 429
    assert _signed_in(_login("bob", PASSWORD, remote="198.51.100.8"))


def test_it_stops_one_password_sprayed_over_many_usernames(cast: Any) -> None:
    names = ["alice", "bob", "charlie", "sam", "pat", "quinn", "nobody", "admin"]
    answers = [_login(name, "Summer2024!", remote="198.51.100.9").status_code for name in names]
    assert answers[:4] == [200] * 4
    assert set(answers[5:]) == {429}
    assert _login("sam", PASSWORD, remote="198.51.100.9").status_code == 429


def test_guesses_from_elsewhere_behind_the_proxy_do_not_lock_the_owner_out(
    cast: Any, behind_proxy: None
) -> None:
    assert _signed_in(_login("alice", PASSWORD, remote=PROXY, forwarded="203.0.113.5"))
    for attacker in range(30):
        _login("alice", "wrong", remote=PROXY, forwarded=f"192.0.2.{attacker}")
    assert _signed_in(_login("alice", PASSWORD, remote=PROXY, forwarded="203.0.113.5"))


def test_an_account_guessed_at_from_many_addresses_is_paused_where_it_never_signed_in(
    cast: Any, behind_proxy: None
) -> None:
    for attacker in range(20):
        _login("alice", "wrong", remote=PROXY, forwarded=f"192.0.2.{attacker}")
    assert _login("alice", PASSWORD, remote=PROXY, forwarded="192.0.2.200").status_code == 429
    assert _signed_in(_login("bob", PASSWORD, remote=PROXY, forwarded="192.0.2.200"))


def test_a_client_cannot_pick_its_address_by_sending_x_forwarded_for(
    cast: Any, behind_proxy: None
) -> None:
    """The proxy appends the address it saw: only the right-most entry is the client's."""
    for fake in range(5):
        _login("alice", "wrong", remote=PROXY, forwarded=f"192.0.2.{fake}, 198.51.100.20")
    assert (
        _login("bob", PASSWORD, remote=PROXY, forwarded="192.0.2.99, 198.51.100.20").status_code
        == 429
    )
    assert _signed_in(_login("bob", PASSWORD, remote=PROXY, forwarded="198.51.100.21"))


def test_without_a_configured_proxy_x_forwarded_for_is_ignored(cast: Any) -> None:
    for fake in range(5):
        _login("alice", "wrong", remote="198.51.100.30", forwarded=f"192.0.2.{fake}")
    assert (
        _login("bob", PASSWORD, remote="198.51.100.30", forwarded="192.0.2.99").status_code == 429
    )


def test_an_ipv6_client_counts_as_its_whole_network(cast: Any) -> None:
    for host in range(1, 6):
        _login("alice", "wrong", remote=f"2001:db8:1:2::{host}")
    assert _login("bob", PASSWORD, remote="2001:db8:1:2:ffff::1").status_code == 429
    assert _signed_in(_login("bob", PASSWORD, remote="2001:db8:1:3::1"))


def test_signing_in_to_ones_own_account_does_not_wipe_the_guesses_at_others(cast: Any) -> None:
    for _ in range(4):
        _login("alice", "wrong", remote="198.51.100.40")
    assert _signed_in(_login("bob", PASSWORD, remote="198.51.100.40"))
    assert _login("alice", "wrong", remote="198.51.100.40").status_code == 429


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "192.0.2.1", "10.0.0.2"),
        (1, "192.0.2.1", "192.0.2.1"),
        (1, "192.0.2.1, 198.51.100.1", "198.51.100.1"),
        (2, "192.0.2.1, 198.51.100.1, 10.0.0.9", "198.51.100.1"),
        (2, "198.51.100.1", "10.0.0.2"),  # fewer entries than proxies: the header is not theirs
        (1, "not-an-address", "10.0.0.2"),
        (1, "", "10.0.0.2"),
        (1, "::ffff:192.0.2.3", "192.0.2.3"),
    ],
)
def test_the_client_address_is_read_from_the_proxies_configured(
    settings: Any, count: int, forwarded: str, expected: str
) -> None:
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected
