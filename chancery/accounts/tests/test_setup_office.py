"""`chancery setup-office`: a fresh installation's first office and officer."""

import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from chancery.accounts.models import Role, RoleAssignment, User
from chancery.directory.models import Organisation

STRONG = "a long and unusual passphrase 41"


def _password_file(tmp_path: Path, password: str) -> str:
    path = tmp_path / "password"
    path.write_text(password + "\n", encoding="utf-8")
    return str(path)


@pytest.mark.django_db
def test_it_creates_the_first_office_and_its_officer(tmp_path: Path) -> None:
    out = StringIO()
    call_command(
        "setup_office",
        "--name",
        "Academy of Diplomacy",
        "--country",
        "kz",
        "--username",
        "first",
        "--email",
        "first@example.org",
        "--password-file",
        _password_file(tmp_path, STRONG),
        stdout=out,
    )
    office = Organisation.objects.get(name_en="Academy of Diplomacy")
    assert office.kind == "academy" and office.country_id == "KZ"
    user = User.objects.get(username="first")
    assert user.check_password(STRONG) and user.email == "first@example.org"
    assert not user.is_staff and not user.is_superuser
    assert RoleAssignment.objects.filter(user=user, role=Role.OFFICER, organisation=office).exists()
    assert EmailAddress.objects.filter(user=user, verified=True, primary=True).exists()
    assert "first is its officer" in out.getvalue()


@pytest.mark.django_db
def test_it_reads_the_password_from_the_environment(monkeypatch: Any) -> None:
    monkeypatch.setenv("CHANCERY_OFFICER_PASSWORD", STRONG)
    call_command(
        "setup_office",
        "--name",
        "Ministry",
        "--kind",
        "ministry",
        "--username",
        "first",
        "--email",
        "first@example.org",
        stdout=StringIO(),
    )
    assert User.objects.get(username="first").check_password(STRONG)


@pytest.mark.django_db
def test_it_refuses_a_weak_password_with_the_validators_reasons(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as caught:
        call_command(
            "setup_office",
            "--name",
            "Academy",
            "--username",
            "first",
            "--email",
            "first@example.org",
            "--password-file",
            _password_file(tmp_path, "12345678"),
        )
    assert "password: " in str(caught.value)
    assert "too common" in str(caught.value) and "entirely numeric" in str(caught.value)
    assert not Organisation.objects.filter(name_en="Academy").exists()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_it_refuses_once_an_office_exists(tmp_path: Path) -> None:
    password = _password_file(tmp_path, STRONG)
    call_command(
        "setup_office",
        "--name",
        "Academy",
        "--username",
        "first",
        "--email",
        "first@example.org",
        "--password-file",
        password,
        stdout=StringIO(),
    )
    with pytest.raises(
        CommandError, match="--name: This installation already has an office, Academy"
    ):
        call_command(
            "setup_office",
            "--name",
            "Academy",
            "--username",
            "second",
            "--email",
            "second@example.org",
            "--password-file",
            password,
        )
    assert Organisation.objects.filter(name_en="Academy").count() == 1
    assert not User.objects.filter(username="second").exists()


@pytest.mark.django_db
def test_bad_input_names_the_option(tmp_path: Path, monkeypatch: Any) -> None:
    password = _password_file(tmp_path, STRONG)
    with pytest.raises(CommandError, match="--email: "):
        call_command(
            "setup_office",
            "--name",
            "Academy",
            "--username",
            "first",
            "--email",
            "not an address",
            "--password-file",
            password,
        )
    with pytest.raises(CommandError, match="--country: "):
        call_command(
            "setup_office",
            "--name",
            "Academy",
            "--username",
            "first",
            "--email",
            "first@example.org",
            "--country",
            "XX",
            "--password-file",
            password,
        )
    with pytest.raises(CommandError, match="--password-file: "):
        call_command(
            "setup_office",
            "--name",
            "Academy",
            "--username",
            "first",
            "--email",
            "first@example.org",
            "--password-file",
            str(tmp_path / "missing"),
        )
    monkeypatch.delenv("CHANCERY_OFFICER_PASSWORD", raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    with pytest.raises(CommandError, match="password: give --password-file"):
        call_command(
            "setup_office",
            "--name",
            "Academy",
            "--username",
            "first",
            "--email",
            "first@example.org",
        )
    assert not Organisation.objects.filter(name_en="Academy").exists()


def test_the_console_command_takes_the_hyphenated_name() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "chancery", "setup-office", "--help"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "--password-file" in result.stdout
