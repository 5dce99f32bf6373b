"""Request ids on answers and log lines, Prometheus metrics for the operator only."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from chancery.core.models import Job, JobKind, JobStatus

ROOT = Path(__file__).resolve().parents[3]


def test_every_answer_carries_a_request_id_and_keeps_a_proxys(db: Any) -> None:
    answer = Client().get("/accounts/login/")
    assert len(answer["X-Request-ID"]) == 32
    given = Client().get("/accounts/login/", HTTP_X_REQUEST_ID="lb-7f3a9c21-0001")
    assert given["X-Request-ID"] == "lb-7f3a9c21-0001"
    odd = Client().get("/accounts/login/", HTTP_X_REQUEST_ID="<script>")
    assert odd["X-Request-ID"] != "<script>" and len(odd["X-Request-ID"]) == 32


def test_log_lines_written_during_a_request_carry_its_id(
    cast: Any, caplog: pytest.LogCaptureFixture
) -> None:
    from chancery.core.logs import RequestIdFilter

    caplog.handler.addFilter(RequestIdFilter())
    caplog.set_level(logging.WARNING)
    answer = cast.client_for(cast.alice).get("/no-such-page/", HTTP_X_REQUEST_ID="trace-0042ab")
    assert answer.status_code == 404
    assert [
        getattr(r, "request_id", None) for r in caplog.records if "no-such-page" in r.getMessage()
    ] == ["trace-0042ab"]


def test_metrics_are_for_the_operator_only(cast: Any, settings: Any) -> None:
    settings.METRICS_TOKEN = "scraper-secret-0123456789"
    assert Client().get("/metrics").status_code == 401
    assert cast.client_for(cast.alice).get("/metrics").status_code == 403
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    Job.objects.create(kind=JobKind.EXPORT, title="x", status=JobStatus.FAILED)
    Client().get("/accounts/login/")
    answer = Client().get("/metrics", HTTP_AUTHORIZATION="Bearer scraper-secret-0123456789")
    assert answer.status_code == 200
    text = answer.content.decode()
    assert 'chancery_jobs{status="failed"} 1.0' in text
    assert 'chancery_requests_total{method="GET",status="200"}' in text
    assert "chancery_request_seconds_bucket" in text and "chancery_request_queries_count" in text


def test_json_logs_are_one_object_a_line_with_the_request_id(tmp_path: Path) -> None:
    env = {**os.environ, "LOG_FORMAT": "json", "CHANCERY_VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "chancery",
            "shell",
            "--no-imports",
            "-c",
            "import logging; from chancery.core.logs import request_id; "
            "request_id.set('abc12345'); logging.getLogger('chancery').warning('hello %s', 'there')",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    [line] = [line for line in result.stderr.splitlines() if line.startswith("{")]
    record = json.loads(line)
    assert (record["level"], record["name"], record["request_id"], record["message"]) == (
        "WARNING",
        "chancery",
        "abc12345",
        "hello there",
    )
    assert "time" in record
