from typing import Any

import pytest

from chancery.allocation.tests.factories import Setup, make_setup


@pytest.fixture
def setup(cast: Any) -> Setup:
    return make_setup(cast)
