import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "HTTPS", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "-m", "chancery", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, check=False,
    )


def test_production_settings_pass_the_deploy_check(tmp_path: Path) -> None:
    result = _check_deploy({
        "SECRET_KEY": "x" * 60 + "production-secret-from-the-environment",
        "HTTPS": "on", "ALLOWED_HOSTS": "chancery.example.org",
        "CHANCERY_VAR_DIR": str(tmp_path),
    })
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
