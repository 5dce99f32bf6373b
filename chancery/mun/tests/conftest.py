from typing import Any

import pytest

from chancery.mun.tests.factories import Mun, make_mun
from conftest import PASSWORD


@pytest.fixture
def mun(cast: Any) -> Mun:
    return make_mun(cast, PASSWORD)


@pytest.fixture
def harvard(cast: Any) -> Mun:
    return make_mun(cast, PASSWORD, profile="harvard")
