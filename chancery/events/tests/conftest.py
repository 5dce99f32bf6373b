"""Fixtures of the events tests: a small outreach edition with two pairings, and the demo."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from chancery.events.tests.factories import Outreach, make_outreach
from conftest import PASSWORD


@pytest.fixture
def outreach(cast: Any) -> Outreach:
    """Cast's Academy runs an outreach programme; Alice is its officer, Bob its viewer."""
    return make_outreach(cast, PASSWORD)


@pytest.fixture
def demo(db: object) -> None:
    call_command("demo", stdout=StringIO())
