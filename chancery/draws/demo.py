"""The Jas Diplomat pairing draw of October 2018, announced and conducted."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_noop

from chancery.core.actors import SYSTEM
from chancery.directory.demo import Directory
from chancery.draws import services
from chancery.draws.models import Draw


def build(directory: Directory, edition: Any = None, actor: Any = SYSTEM) -> Draw:
    """Pair the seven schools with the seven embassies, as at the project's launch."""
    draw = services.create_draw(
        actor=actor,
        owner=directory.mfa_kz,
        edition=edition,
        title="Jas Diplomat 2018: pairing of schools and embassies",
        kind="pair",
        left_label=gettext_noop("Schools"),
        right_label=gettext_noop("Embassies"),
        left=[school.name_en for school in directory.schools],
        right=[embassy.name_en for embassy in directory.embassies],
        sources=[
            {
                "name": "Dice thrown by pupils at the launch",
                "form": "numbers",
                "known_on": "2018-10-26",
                "description": "Five dice thrown in the hall of the Ministry, read out aloud.",
            },
            {
                "name": "KASE index close on 25 October 2018",
                "form": "numbers",
                "known_on": "2018-10-25",
                "description": "Closing value published by the Kazakhstan Stock Exchange.",
            },
        ],
    )
    draw = services.announce_draw(actor=actor, draw=draw, on=date(2018, 10, 22))
    # Conducted at the launch on 26 October, the day the last source (the dice) was known.
    return services.conduct_draw(
        actor=actor,
        draw=draw,
        values=["4 2 6 1 5", "2396.27"],
        at=datetime(2018, 10, 26, 11, 30, tzinfo=ZoneInfo("Asia/Almaty")),
    )
