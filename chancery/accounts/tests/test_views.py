from typing import Any

from django.test import Client

from conftest import PASSWORD


def _login(client: Client, username: str, password: str) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_it_signs_in_with_the_right_password(cast: Any) -> None:
    client = Client()
    response = _login(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_wrong_password_is_refused_with_a_message(cast: Any) -> None:
    response = _login(Client(), "alice", "wrong")
    assert response.status_code == 200
    assert "Please enter a correct" in response.content.decode()


def test_it_throttles_repeated_failed_logins(cast: Any) -> None:
    client = Client()
    for _ in range(5):
        _login(client, "alice", "wrong")
    locked = _login(client, "alice", PASSWORD)
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_profile_language_wins_over_the_browser(cast: Any) -> None:
    client = cast.client_for(cast.alice)
    client.post("/accounts/profile/", {"action": "language", "language": "kk"})
    cast.alice.refresh_from_db()
    assert cast.alice.language == "kk"
    page = client.get("/", headers={"accept-language": "ru"})
    assert '<html lang="kk">' in page.content.decode()
    assert page["Content-Language"] == "kk"


def test_a_users_language_stays_with_their_request(cast: Any) -> None:
    """The thread goes on in the language it had: a worker or the next code run there must not
    keep the last user's language."""
    from django.utils import translation

    cast.alice.language = "kk"
    cast.alice.save()
    with translation.override("en"):
        cast.client_for(cast.alice).get("/")
        assert translation.get_language() == "en"


def test_the_language_switcher_works_without_a_profile_choice(cast: Any) -> None:
    client = cast.client_for(cast.alice)
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    assert '<html lang="ru">' in client.get("/").content.decode()


def test_a_token_is_shown_once_and_then_only_its_hash_is_kept(cast: Any) -> None:
    client = cast.client_for(cast.alice)
    page = client.post("/accounts/profile/", {"action": "token", "name": "script"})
    body = page.content.decode()
    secret = body.split('<code id="new-token">')[1].split("</code>")[0]
    assert secret.startswith("chy_")
    token = cast.alice.api_tokens.get()
    assert secret not in token.digest
    api = Client().get("/api/accounts/me", headers={"authorization": f"Bearer {secret}"})
    assert api.json()["username"] == "alice"
    client.post("/accounts/profile/", {"action": "revoke", "token": str(token.pk)})
    again = Client().get("/api/accounts/me", headers={"authorization": f"Bearer {secret}"})
    assert again.status_code == 401


def test_the_switcher_also_changes_a_language_saved_in_the_profile(cast: Any) -> None:
    client = cast.client_for(cast.alice)
    client.post("/accounts/profile/", {"action": "language", "language": "kk"})
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    cast.alice.refresh_from_db()
    assert cast.alice.language == "ru"
    assert '<html lang="ru">' in client.get("/").content.decode()
