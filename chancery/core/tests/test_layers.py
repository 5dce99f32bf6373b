"""The import contracts of pyproject.toml (`lint-imports`, which make lint runs): every app has
its layer, core the bottom one, and the contract "pure" names the Makefile's PURE_MODULES, no
more and no fewer."""

import re
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]


def _contract(contract_id: str) -> dict[str, Any]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return next(c for c in config["contracts"] if c["id"] == contract_id)


def _makefile_pure_modules() -> set[str]:
    text = (ROOT / "Makefile").read_text().replace("\\\n", " ")
    found = re.search(r"^PURE_MODULES := (.*)$", text, re.MULTILINE)
    assert found is not None
    paths = found.group(1).split()
    return {path.removesuffix(".py").replace("/", ".") for path in paths}


def test_the_pure_contract_names_the_makefiles_pure_modules() -> None:
    assert set(_contract("pure")["source_modules"]) == _makefile_pure_modules()


def test_core_is_the_bottom_layer_and_the_site_above_every_app() -> None:
    layers = _contract("layers")["layers"]
    apps = {path.name for path in (ROOT / "chancery").iterdir() if (path / "apps.py").exists()}
    named = {name.split(".")[1] for layer in layers for name in re.split(r"\s*\|\s*", layer)}
    assert apps <= named  # every app has its place
    assert layers[-1] == "chancery.core" and layers.index("chancery.site") == 2
