"""Sign-ins and ids for bench_web, run in the benchmark's database: `python -m bench.web_fixture`.

Creates an officer of the office that keeps the benchmark data set, prints one JSON line with
a session cookie, an API token and the ids of the pages to measure (the busiest edition's
report, a person with a full record, a common name to search for).
"""

import json
import os
import sys


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chancery.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db.models import Count
    from django.test import Client

    from chancery.accounts.models import Role, User
    from chancery.accounts.services import create_token, grant_role
    from chancery.core.actors import SYSTEM
    from chancery.directory.models import Organisation, Person
    from chancery.events.models import Event
    from chancery.programmes.models import Enrolment

    office = Organisation.objects.get(kind="academy", name_en="Academy of Diplomacy")
    user, _created = User.objects.get_or_create(username="bench-officer")
    if not user.role_assignments.exists():
        grant_role(actor=SYSTEM, user=user, role=Role.OFFICER, organisation=office)
    _token, secret = create_token(user=user, name="bench")
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    # The busiest edition: the one with the most events (and so attendance) behind its report.
    busiest = (
        Event.objects.values("edition")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("edition", flat=True)
        .first()
    )
    # A person with enrolments, affiliations and citizenships.
    person = (
        Enrolment.objects.values("person")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("person", flat=True)
        .first()
    )
    # A common family name (as typed in Cyrillic), long enough to be a real search.
    common = next(
        name
        for name in Person.objects.exclude(family_name_cyrl="")
        .values("family_name_cyrl")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("family_name_cyrl", flat=True)
        if len(name) >= 5
    )
    print(
        json.dumps(
            {
                "cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}",
                "token": secret,
                "edition": busiest,
                "person": person,
                "search": common,
                "attendances_in_edition": Event.objects.filter(edition=busiest).aggregate(
                    n=Count("attendances")
                )["n"],
                "events_in_edition": Event.objects.filter(edition=busiest).count(),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
