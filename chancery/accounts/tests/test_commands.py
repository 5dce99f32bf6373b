from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client


def test_a_token_made_on_the_command_line_authenticates_api_calls(cast: Any) -> None:
    out = StringIO()
    call_command(
        "token", "create", "alice", "--name", "nightly export", stdout=out, stderr=StringIO()
    )
    secret = out.getvalue().strip()
    response = Client().get("/api/accounts/me", headers={"authorization": f"Bearer {secret}"})
    assert response.json()["username"] == "alice"
    listing = StringIO()
    call_command("token", "list", "alice", stdout=listing)
    assert "nightly export" in listing.getvalue()


def test_an_unknown_user_is_named_in_the_error(cast: Any) -> None:
    with pytest.raises(CommandError, match="username: no user called 'nobody'"):
        call_command("token", "create", "nobody")


def test_revoking_an_unknown_token_says_so(cast: Any) -> None:
    with pytest.raises(CommandError, match="token_id"):
        call_command("token", "revoke", "alice", "99999999999999999999999")
    with pytest.raises(CommandError, match="no active token #42"):
        call_command("token", "revoke", "alice", "42")
