import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from chancery.draws import lottery, services


@pytest.fixture
def record(cast: Any, tmp_path: Path) -> dict[str, Any]:
    draw = services.create_draw(actor=cast.alice, owner=cast.academy, title="Selection",
                                kind="select", k=2, pool=["A", "B", "C", "D"],
                                sources=[{"name": "Lottery", "form": "numbers",
                                          "known_on": "2030-01-02"}])
    draw = services.announce_draw(actor=cast.alice, draw=draw, on=date(2030, 1, 1))
    draw = services.conduct_draw(actor=cast.alice, draw=draw, values=["5 17 23"])
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
def test_the_verify_command_detects_tampering(record: dict[str, Any], tmp_path: Path,
                                              what: str) -> None:
    assert _verify(TAMPERINGS[what](record), tmp_path) == 1


@pytest.mark.parametrize("what", sorted(TAMPERINGS))
def test_the_standalone_script_detects_tampering(record: dict[str, Any], tmp_path: Path,
                                                 what: str) -> None:
    path = tmp_path / "record.json"
    path.write_text(json.dumps(TAMPERINGS[what](record)))
    script = tmp_path / "lottery.py"
    script.write_bytes(Path(lottery.__file__).read_bytes())
    result = subprocess.run([sys.executable, "-I", str(script), str(path)], capture_output=True,
                            text=True, check=False, cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    path.write_text(json.dumps(record))
    clean = subprocess.run([sys.executable, "-I", str(script), str(path)], capture_output=True,
                           text=True, check=False, cwd=tmp_path)
    assert clean.returncode == 0, clean.stdout + clean.stderr


def test_an_unreadable_file_is_a_clear_error(tmp_path: Path, db: Any) -> None:
    (tmp_path / "bad.json").write_text("{nope")
    with pytest.raises(CommandError, match="is not a JSON file"):
        call_command("draw", "verify", str(tmp_path / "bad.json"))
    with pytest.raises(CommandError, match="cannot read"):
        call_command("draw", "verify", str(tmp_path / "missing.json"))
