import json
import subprocess
import sys
from datetime import date, datetime
from io import StringIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from chancery.draws import lottery, services

ALMATY = ZoneInfo("Asia/Almaty")


@pytest.fixture
def record(cast: Any, tmp_path: Path) -> dict[str, Any]:
    draw = services.create_draw(
        actor=cast.alice,
        owner=cast.academy,
        title="Selection",
        kind="select",
        k=2,
        pool=["A", "B", "C", "D"],
        sources=[{"name": "Lottery", "form": "numbers", "known_on": "2030-01-02"}],
    )
    draw = services.announce_draw(actor=cast.alice, draw=draw, on=date(2030, 1, 1))
    draw = services.conduct_draw(
        actor=cast.alice, draw=draw, values=["5 17 23"], at=datetime(2030, 1, 2, 9, tzinfo=ALMATY)
    )
    return dict(draw.record)


def _verify(record: dict[str, Any], tmp_path: Path) -> int:
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record))
    try:
        call_command("draw", "verify", str(path))
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


TAMPERINGS = {
    "lists": lambda r: {**r, "pool": ["A", "B", "C", "E"]},
    "values": lambda r: {**r, "values": ["5 17 24"]},
    "result": lambda r: {**r, "result": list(reversed(r["result"]))},
    "fingerprint": lambda r: {**r, "fingerprint": "0" * 64},
}


def test_an_untouched_record_verifies(record: dict[str, Any], tmp_path: Path) -> None:
    assert _verify(record, tmp_path) == 0


@pytest.mark.parametrize("what", sorted(TAMPERINGS))
def test_the_verify_command_detects_tampering(
    record: dict[str, Any], tmp_path: Path, what: str
) -> None:
    assert _verify(TAMPERINGS[what](record), tmp_path) == 1


@pytest.mark.parametrize("what", sorted(TAMPERINGS))
def test_the_standalone_script_detects_tampering(
    record: dict[str, Any], tmp_path: Path, what: str
) -> None:
    path = tmp_path / "record.json"
    path.write_text(json.dumps(TAMPERINGS[what](record)))
    script = tmp_path / "lottery.py"
    script.write_bytes(Path(lottery.__file__).read_bytes())
    result = subprocess.run(
        [sys.executable, "-I", str(script), str(path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    path.write_text(json.dumps(record))
    clean = subprocess.run(
        [sys.executable, "-I", str(script), str(path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert clean.returncode == 0, clean.stdout + clean.stderr


def test_an_unreadable_file_is_a_clear_error(tmp_path: Path, db: Any) -> None:
    (tmp_path / "bad.json").write_text("{nope")
    with pytest.raises(CommandError, match="cannot be verified: it is not valid JSON"):
        call_command("draw", "verify", str(tmp_path / "bad.json"))
    with pytest.raises(CommandError, match="cannot read"):
        call_command("draw", "verify", str(tmp_path / "missing.json"))


def _script(path: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "lottery.py"
    script.write_bytes(Path(lottery.__file__).read_bytes())
    return subprocess.run(
        [sys.executable, "-I", str(script), str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={"PYTHONIOENCODING": "utf-8"},
        check=False,
        cwd=tmp_path,
    )


def _command(path: Path) -> tuple[int, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("draw", "verify", str(path), stdout=out, stderr=err)
    except CommandError as error:
        return 2, str(error)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue() + err.getvalue()
    return 0, out.getvalue()


def test_the_verify_command_prints_the_fingerprint_key_and_result(
    record: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record))
    status, out = _command(path)
    assert status == 0
    assert out.startswith("OK")
    assert f"fingerprint: {record['fingerprint']}" in out
    assert f"key: {record['key']}" in out
    assert f"1. {record['result'][0]}" in out
    assert out.splitlines()[1:] == _script(path, tmp_path).stdout.splitlines()[1:]


def _duplicated_result(record: dict[str, Any]) -> bytes:
    text = json.dumps(record)
    return (
        text[:-1] + ', "result": ' + json.dumps(list(reversed(record["result"]))) + "}"
    ).encode()


READINGS = {
    "a duplicated result key": (_duplicated_result, False),
    "a key duplicated inside a source": (
        lambda r: (
            json.dumps(r).replace('"form": "numbers"', '"form": "numbers", "form": "text"').encode()
        ),
        False,
    ),
    "a UTF-8 byte order mark": (lambda r: b"\xef\xbb\xbf" + json.dumps(r).encode(), True),
    "deep nesting": (lambda r: b"[" * 100_000 + b"]" * 100_000, False),
    "NaN": (lambda r: json.dumps({**r, "extra": float("nan")}).encode(), False),
}


@pytest.mark.parametrize("what", sorted(READINGS))
def test_the_verify_command_and_the_script_read_records_alike(
    record: dict[str, Any], tmp_path: Path, what: str
) -> None:
    make, verifies = READINGS[what]
    path = tmp_path / "record.json"
    path.write_bytes(make(record))
    status, message = _command(path)
    script = _script(path, tmp_path)
    assert "Traceback" not in message + script.stderr
    if verifies:
        assert (status, script.returncode) == (0, 0), message + script.stderr
    else:
        assert status == 2 and script.returncode == 2, message + script.stdout + script.stderr
        assert message.startswith("record:")


def test_the_command_and_the_script_refuse_a_record_conducted_too_early(
    record: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "record.json"
    path.write_text(json.dumps({**record, "conducted_at": "2030-01-01T23:59:59+05:00"}))
    status, message = _command(path)
    script = _script(path, tmp_path)
    assert status == 1 and script.returncode == 1
    assert "before the value of “Lottery” (known on 2 Jan 2030)" in message
    assert "before the value of 'Lottery'" in script.stdout
