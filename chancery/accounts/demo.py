"""One demo login per role, each linked to a person of the demo directory."""

from typing import Any

from chancery.accounts import services
from chancery.accounts.models import Role, User
from chancery.core.actors import SYSTEM
from chancery.directory.demo import Directory

DEMO_PASSWORD = "chancery-demo"  # noqa: S105 - printed for the demo, on purpose


def build(directory: Directory, actor: Any = SYSTEM) -> list[tuple[str, str, str]]:
    """Create the demo users; returns (username, password, what they see) rows."""
    people = directory.people
    cast = [
        (
            "officer",
            Role.OFFICER,
            [directory.academy, directory.mfa_kz],
            None,
            "programme officer of the OSCE Academy and the MFA of Kazakhstan",
        ),
        (
            "supervisor",
            Role.SUPERVISOR,
            [directory.kg_security_department],
            people["supervisor"],
            "host supervisor at the MFA of Kyrgyzstan (interns to evaluate)",
        ),
        (
            "participant",
            Role.PARTICIPANT,
            [directory.academy],
            directory.alumni[17],
            "JPO alumna Anna Savchenko",
        ),
        (
            "coordinator",
            Role.COORDINATOR,
            [directory.schools[0]],
            people["coordinator"],
            "school coordinator (teacher)",
        ),
        (
            "liaison",
            Role.LIAISON,
            [directory.embassies[4]],
            people["liaison"],
            "embassy liaison (Poland, paired with the coordinator's school)",
        ),
        ("chair", Role.CHAIR, [directory.chairs_school], people["chair"], "Model UN chair (pupil)"),
        ("viewer", Role.VIEWER, [directory.mfa_kz], None, "read-only viewer at the MFA"),
    ]
    rows = []
    for username, role, organisations, person, description in cast:
        user = User.objects.create_user(username=username, password=DEMO_PASSWORD, person=person)
        for organisation in organisations:
            services.grant_role(actor=actor, user=user, role=role, organisation=organisation)
        rows.append((username, DEMO_PASSWORD, description))
    User.objects.create_superuser(
        username="admin", password=DEMO_PASSWORD, email="admin@example.org"
    )
    rows.append(("admin", DEMO_PASSWORD, "administrator (Django admin at /admin/)"))
    return rows
