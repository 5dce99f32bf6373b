import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine

ROOT = Path(__file__).resolve().parents[3]


def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "HTTPS", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "-m", "chancery", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_the_deploy_check(tmp_path: Path) -> None:
    result = _check_deploy(
        {
            "SECRET_KEY": "x" * 60 + "production-secret-from-the-environment",
            "HTTPS": "on",
            "ALLOWED_HOSTS": "chancery.example.org",
            "CHANCERY_VAR_DIR": str(tmp_path),
        }
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deploy_check_warns_without_https(tmp_path: Path) -> None:
    result = _check_deploy({"SECRET_KEY": "y" * 70, "CHANCERY_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "SECURE_HSTS_SECONDS" in result.stdout + result.stderr


def test_a_bad_boolean_names_the_variable(tmp_path: Path) -> None:
    result = _check_deploy({"DEBUG": "perhaps", "CHANCERY_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "DEBUG must be on/off" in result.stderr


def test_the_secret_key_is_generated_once_into_var(tmp_path: Path) -> None:
    _check_deploy({"CHANCERY_VAR_DIR": str(tmp_path)})
    key = (tmp_path / "secret_key").read_text()
    _check_deploy({"CHANCERY_VAR_DIR": str(tmp_path)})
    assert (tmp_path / "secret_key").read_text() == key
    assert len(key) > 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def _setting_values(env: dict[str, str], code: str) -> str:
    """Run `code` after django.setup() with only `env` changed; its printed output."""
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("S3_", "SESSION_", "MAX_UPLOAD"))
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django\ndjango.setup()\n" + code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "chancery.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


STORAGE = (
    "from django.core.files.storage import storages\n"
    "s = storages['default']\n"
    "print(type(s).__name__, end=' ')\n"
)


def test_uploads_stay_in_media_root_without_a_bucket(tmp_path: Path) -> None:
    out = _setting_values(
        {"CHANCERY_VAR_DIR": str(tmp_path), "MEDIA_ROOT": str(tmp_path / "m")},
        STORAGE + "print(s.location)",
    )
    assert out == f"FileSystemStorage {tmp_path / 'm'}"


def test_uploads_go_to_an_s3_bucket_when_the_variables_are_set(tmp_path: Path) -> None:
    out = _setting_values(
        {
            "CHANCERY_VAR_DIR": str(tmp_path),
            "S3_BUCKET": "chancery-files",
            "S3_ENDPOINT_URL": "https://objects.example.org:9000",
            "S3_REGION": "kz-1",
            "S3_ACCESS_KEY_ID": "chancery",
            "S3_SECRET_ACCESS_KEY": "not-a-real-secret",
            "S3_PREFIX": "uploads",
            "S3_ADDRESSING_STYLE": "path",
        },
        STORAGE + "print(s.bucket_name, s.endpoint_url, s.location, s.file_overwrite)\n"
        "print(s.url('events/1/class.png'))",
    )
    first, url = out.splitlines()
    assert first == "S3Storage chancery-files https://objects.example.org:9000 uploads False"
    # A private bucket: the address is signed (computed by boto3, no request is made).
    assert url.startswith(
        "https://objects.example.org:9000/chancery-files/uploads/events/1/class.png?"
    )
    assert "X-Amz-Signature=" in url or "Signature=" in url


def test_session_expiry_is_configurable(tmp_path: Path) -> None:
    code = (
        "from django.conf import settings as s\n"
        "print(s.SESSION_COOKIE_AGE, s.SESSION_EXPIRE_AT_BROWSER_CLOSE, s.MAX_UPLOAD_MB)"
    )
    assert _setting_values({"CHANCERY_VAR_DIR": str(tmp_path)}, code) == "28800 True 10"
    assert (
        _setting_values(
            {
                "CHANCERY_VAR_DIR": str(tmp_path),
                "SESSION_COOKIE_AGE": "3600",
                "SESSION_EXPIRE_AT_BROWSER_CLOSE": "off",
                "MAX_UPLOAD_MB": "25",
            },
            code,
        )
        == "3600 False 25"
    )


def test_a_zero_upload_limit_is_refused(tmp_path: Path) -> None:
    result = _check_deploy({"MAX_UPLOAD_MB": "0", "CHANCERY_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "MAX_UPLOAD_MB must be 1 or more" in result.stderr


@pytest.mark.django_db
def test_a_sign_in_ends_with_the_browser_and_after_the_cookie_age(
    client: Any, django_user_model: Any, settings: Any
) -> None:
    django_user_model.objects.create_user("shift", password="a long passphrase 1")
    signed_in = client.post(
        "/accounts/login/", {"username": "shift", "password": "a long passphrase 1"}
    )
    assert signed_in.status_code == 302
    cookie = signed_in.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # a browser-session cookie
    assert client.get("/").status_code == 200
    start = datetime.now(UTC)
    with time_machine.travel(start + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)):
        assert client.get("/").status_code == 200  # still signed in near the end of the day
    with time_machine.travel(start + timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)):
        expired = client.get("/")
        assert expired.status_code == 302
        assert expired["Location"].startswith("/accounts/login/")


REDIS = "redis://127.0.0.1:6379/0"  # on every development and CI machine


def _shell(env: dict[str, str], code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "chancery", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_with_redis_url_every_process_shares_one_cache(tmp_path: Path) -> None:
    prefix = f"test-{os.getpid()}-{datetime.now(UTC).timestamp()}"
    env = {"REDIS_URL": REDIS, "CACHE_KEY_PREFIX": prefix, "CHANCERY_VAR_DIR": str(tmp_path)}
    _shell(env, "from django.core.cache import cache; cache.set('seen', 'by one', 60)")
    assert _shell(env, "from django.core.cache import cache; print(cache.get('seen'))") == (
        "by one"
    )
    assert _shell(
        env, "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    ) == ("django.core.cache.backends.redis.RedisCache")
    alone = {"REDIS_URL": "", "CHANCERY_VAR_DIR": str(tmp_path)}
    assert _shell(alone, "from django.core.cache import cache; print(cache.get('seen'))") == (
        "None"
    )
    _shell(env, "from django.core.cache import cache; cache.delete('seen')")


POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"  # on every development and CI machine


def test_behind_pgbouncer_and_with_a_pool_postgresql_is_reached_as_configured(
    tmp_path: Path,
) -> None:
    env = {
        "DATABASE_URL": POSTGRES,
        "DATABASE_PGBOUNCER": "on",
        "DATABASE_POOL": "on",
        "CHANCERY_VAR_DIR": str(tmp_path),
    }
    printed = _shell(
        env,
        (
            "from django.db import connection; d = connection.settings_dict; "
            "cursor = connection.cursor(); cursor.execute('SELECT 41 + 1'); "
            "print(d['DISABLE_SERVER_SIDE_CURSORS'], bool(d['OPTIONS']['pool']), d['CONN_MAX_AGE'],"
            " type(connection.pool).__name__, cursor.fetchone()[0])"
        ),
    )
    assert printed == "True True 0 ConnectionPool 42"
    plain = _shell(
        {"DATABASE_URL": POSTGRES, "CHANCERY_VAR_DIR": str(tmp_path)},
        (
            "from django.db import connection; d = connection.settings_dict; "
            "print(d['DISABLE_SERVER_SIDE_CURSORS'], 'pool' in d.get('OPTIONS', {}))"
        ),
    )
    assert plain == "False False"


def test_exports_read_the_replica_and_decisions_the_primary(tmp_path: Path) -> None:
    import shutil

    primary, replica = tmp_path / "primary.sqlite3", tmp_path / "replica.sqlite3"
    env = {
        "DATABASE_URL": f"sqlite:///{primary}",
        "CHANCERY_VAR_DIR": str(tmp_path),
        "DEBUG": "off",
    }
    subprocess.run(
        [sys.executable, "-m", "chancery", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        timeout=300,
    )
    make = (
        "from chancery.core.actors import SYSTEM; from chancery.directory import services; "
        "from chancery.directory.models import Organisation; "
        "office = Organisation.objects.first() or services.create_organisation("
        "actor=SYSTEM, name_en='Office', kind='academy'); "
        "services.create_person(actor=SYSTEM, owner=office, given_name='{name}', "
        "family_name='Person')"
    )
    _shell(env, make.format(name="Replicated"))
    shutil.copy(primary, replica)  # the replica as it was a moment ago
    _shell(env, make.format(name="Recent"))
    both = {**env, "DATABASE_REPLICA_URL": f"sqlite:///{replica}"}
    exported = subprocess.run(
        [sys.executable, "-m", "chancery", "export", "people"],
        cwd=ROOT,
        env={**os.environ, **both},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    assert "Replicated" in exported and "Recent" not in exported
    assert (
        _shell(both, "from chancery.directory.models import Person; print(Person.objects.count())")
        == "2"
    )
    alone = subprocess.run(
        [sys.executable, "-m", "chancery", "export", "people"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    assert "Replicated" in alone and "Recent" in alone
