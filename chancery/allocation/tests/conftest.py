from typing import Any

import pytest

from chancery.allocation.tests.factories import (
    CountryRound,
    Setup,
    make_country_round,
    make_setup,
)


@pytest.fixture
def setup(cast: Any) -> Setup:
    return make_setup(cast)


@pytest.fixture
def countries(cast: Any) -> CountryRound:
    return make_country_round(cast)
