"""The test cast, shared by every test module.

Alice is an officer of the Academy's office; Bob is a viewer there; Charlie is an officer of
another office (the Ministry) and must not see the Academy's records; Pat and Quinn are
participants whose records the Academy keeps; Sam supervises interns at a ministry department.
"""

import importlib
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from chancery.accounts.models import Role, User
from chancery.accounts.services import grant_role
from chancery.core.actors import SYSTEM
from chancery.directory import services
from chancery.directory.models import AffiliationRole, Country, Organisation, Person

PASSWORD = "correct horse battery staple"  # noqa: S105 - test users only


@dataclass
class Cast:
    academy: Organisation
    ministry: Organisation
    department: Organisation
    alice: User
    bob: User
    charlie: User
    sam: User
    pat: User
    quinn: User
    pat_person: Person
    quinn_person: Person
    intern: Person
    kazakhstan: Country

    def client_for(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client


def _user(
    username: str, role: str, organisation: Organisation, person: Person | None = None
) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, person=person)
    grant_role(actor=SYSTEM, user=user, role=role, organisation=organisation)
    return user


def load_reference_data() -> None:
    """Put back what data migrations load (countries, the Model UN goals and rule presets):
    a transactional test ends by flushing every table, and the next one would find none."""
    from django.apps import apps

    from chancery.mun.models import SustainableDevelopmentGoal

    if not Country.objects.exists():
        migration = importlib.import_module("chancery.directory.migrations.0002_load_countries")
        migration.load_countries(apps, None)
        importlib.import_module("chancery.directory.migrations.0010_country_display_names").rename(
            apps, None
        )
    if not SustainableDevelopmentGoal.objects.exists():
        importlib.import_module("chancery.mun.migrations.0002_reference_data").load(apps, None)


@pytest.fixture(autouse=True)
def _reference_data_in_transactional_tests(request: pytest.FixtureRequest) -> None:
    marker = request.node.get_closest_marker("django_db")
    if (marker is not None and marker.kwargs.get("transaction")) or (
        "transactional_db" in request.fixturenames
    ):
        request.getfixturevalue("transactional_db")
        load_reference_data()


@pytest.fixture(autouse=True)
def no_rate_limits(settings: Any) -> None:
    """Suites send hundreds of requests a minute as one user; core/tests/test_ratelimits.py
    turns the limits on."""
    settings.RATELIMIT_ENABLE = False


@pytest.fixture(autouse=True)
def _default_language() -> Any:
    """Each test starts in the default language: Django's LocaleMiddleware leaves the language
    of the last request active in the thread (a server activates it anew for each request),
    and a test of a command or a service must not read the previous test's Kazakh page."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Hashing with PBKDF2 costs a third of a second a user; tests don't need the strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def cast(db: Any) -> Cast:
    kazakhstan = Country.objects.get(alpha2="KZ")
    academy = services.create_organisation(
        actor=SYSTEM, name_en="Test Academy", kind="academy", country=kazakhstan
    )
    ministry = services.create_organisation(
        actor=SYSTEM, name_en="Test Ministry", kind="ministry", country=kazakhstan
    )
    department = services.create_organisation(
        actor=SYSTEM, name_en="Test Department", kind="department", parent=ministry, owner=ministry
    )
    pat_person = services.create_person(
        actor=SYSTEM,
        owner=academy,
        given_name="Pat",
        family_name="Example",
        citizenships=[kazakhstan],
    )
    quinn_person = services.create_person(
        actor=SYSTEM, owner=academy, given_name="Quinn", family_name="Sample"
    )
    intern = services.create_person(
        actor=SYSTEM, owner=academy, given_name="Ivan", family_name="Internov"
    )
    services.add_affiliation(
        actor=SYSTEM, person=intern, organisation=department, role=AffiliationRole.INTERN
    )
    return Cast(
        academy=academy,
        ministry=ministry,
        department=department,
        alice=_user("alice", Role.OFFICER, academy),
        bob=_user("bob", Role.VIEWER, academy),
        charlie=_user("charlie", Role.OFFICER, ministry),
        sam=_user("sam", Role.SUPERVISOR, department),
        pat=_user("pat", Role.PARTICIPANT, academy, pat_person),
        quinn=_user("quinn", Role.PARTICIPANT, academy, quinn_person),
        pat_person=pat_person,
        quinn_person=quinn_person,
        intern=intern,
        kazakhstan=kazakhstan,
    )


class Mailbox:
    """What a real SMTP server on 127.0.0.1 received, as parsed messages."""

    def __init__(self) -> None:
        import email
        import email.policy

        self._parse = lambda raw: email.message_from_bytes(raw, policy=email.policy.default)
        self.messages: list[Any] = []
        self.port = 0  # where the server listens

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = self._parse(envelope.original_content or envelope.content)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"

    def to(self, address: str) -> list[Any]:
        return [m for m in self.messages if address in m["X-Envelope-To"]]

    @staticmethod
    def text(message: Any) -> str:
        """The plain-text body of a message."""
        part = message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""

    @staticmethod
    def html(message: Any) -> str:
        part = message.get_body(preferencelist=("html",))
        return part.get_content() if part is not None else ""


@pytest.fixture
def smtp(settings: Any) -> Any:
    """An SMTP server (aiosmtpd) on a free port of 127.0.0.1; yields the mailbox of what arrived.

    Mail flows as in production: the `default` mailer is the outbox (a row in OutgoingMail) and
    the delivery task, run at once at commit (the immediate task backend), sends it to this
    server through the `delivery` mailer. A test sees delivery when its transaction commits:
    `@pytest.mark.django_db(transaction=True)` or `django_capture_on_commit_callbacks`.
    """
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        **settings.MAILERS,
        "default": {"BACKEND": "chancery.notifications.backends.OutboxBackend"},
        "delivery": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 10},
        },
    }
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    mailbox.port = port
    try:
        yield mailbox
    finally:
        controller.stop()
