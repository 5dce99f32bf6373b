"""Demo call: the coming JPO edition published as an open call, with two questions, two
required documents, one referee each, and applications in several states.

Three alumni the Academy keeps open accounts under the address it has for them, so the call
recognises them (calls.queries.person_of): two submit (one referee's letter has arrived, the
other is awaited), one keeps a draft. A newcomer the Academy does not know keeps a draft with
the facts the rules ask of her. The demo login `applicant` is the first alumnus."""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chancery.accounts.demo import DEMO_PASSWORD
from chancery.accounts.models import User
from chancery.calls import services
from chancery.core.actors import SYSTEM
from chancery.directory.models import Person
from chancery.programmes.models import Edition

_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# username, submitted, referee (name, e-mail), whether the letter has arrived
ALUMNI = [
    ("applicant", True, ("Prof. Saltanat Ibraimova", "s.ibraimova@example.org"), True),
    ("applicant2", True, ("Dr. Marat Omarov", "m.omarov@example.org"), False),
    ("applicant3", False, None, False),
]
NEWCOMER = ("madina", "Madina", "Rakhimova", ["KZ"], date(2001, 4, 12))


def _deadline(edition: Edition) -> datetime:
    """18:00 in the office's time zone on the edition's last day of applications (or in two
    months), and never already past."""
    day = edition.applications_close or (timezone.localdate() + timedelta(days=60))
    moment = timezone.make_aware(datetime.combine(day, time(18, 0)))
    return max(moment, timezone.now() + timedelta(days=30))


def build(actor: Any = SYSTEM) -> list[tuple[str, str, str]]:
    """The call of the JPO edition still taking applications; returns the applicants' demo
    logins (none without such an edition)."""
    edition = (
        Edition.objects.filter(
            programme__kind="internship", name__startswith="JPO", starts_on__gt=timezone.localdate()
        )
        .order_by("-year")
        .first()
    )
    if edition is None:
        return []
    call = services.create_call(
        actor=actor,
        edition=edition,
        slug=f"jpo-{edition.year}",
        title_en=f"Junior Public Officers {edition.year}",
        title_ru=f"Младшие госслужащие (JPO) {edition.year}",
        title_kk=f"Кіші мемлекеттік қызметшілер (JPO) {edition.year}",
        intro_en="Three months in a ministry or agency of the region, with a supervisor.",
        intro_ru="Три месяца в министерстве или ведомстве региона, с руководителем.",
        intro_kk="Өңірдегі министрлікте не ведомствода үш ай, жетекшімен.",
        eligible_en="Graduates of the OSCE Academy's master's programmes.",
        eligible_ru="Выпускники магистерских программ Академии ОБСЕ.",
        eligible_kk="ЕҚЫҰ Академиясының магистратура бағдарламаларының түлектері.",
        deadline=_deadline(edition),
        published=True,
        referees=1,
    )
    university = services.add_question(
        actor=actor,
        call=call,
        kind="short",
        label_en="Your master's programme and year",
        label_ru="Ваша магистерская программа и год",
        label_kk="Магистратура бағдарламаңыз және жылы",
        position=1,
    )
    motivation = services.add_question(
        actor=actor,
        call=call,
        kind="long",
        word_limit=300,
        label_en="Why do you want to serve as a JPO?",
        label_ru="Почему вы хотите участвовать в программе JPO?",
        label_kk="Неге JPO бағдарламасына қатысқыңыз келеді?",
        position=2,
    )
    cv = services.add_document(
        actor=actor,
        call=call,
        name_en="CV",
        name_ru="Резюме",
        name_kk="Түйіндеме",
        file_types="pdf,docx",
        max_mb=2,
        position=1,
    )
    diploma = services.add_document(
        actor=actor,
        call=call,
        name_en="Diploma or transcript",
        name_ru="Диплом или выписка оценок",
        name_kk="Диплом не бағалар үзінділері",
        file_types="pdf,jpg,png",
        max_mb=5,
        position=2,
    )
    from allauth.account.models import EmailAddress

    def account(username: str, email: str) -> User:
        user = User.objects.create_user(username=username, password=DEMO_PASSWORD, email=email)
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        return user

    def draft(user: User, given: str, family: str, submitted: bool, **facts: Any) -> Any:
        application = services.start_application(actor=user, call=call)
        services.save_draft(
            actor=user,
            application=application,
            given_name=given,
            family_name=family,
            facts=facts or None,
            answers={
                university.pk: "Politics and Security, 2026",
                motivation.pk: "To put what I learnt to work in the region." if submitted else "",
            },
        )
        services.upload_file(
            actor=user,
            application=application,
            document=cv,
            file=SimpleUploadedFile(f"cv-{user.username}.pdf", _PDF),
        )
        return application

    # The latest graduates the Academy knows, with an address, a citizenship and no account.
    alumni = (
        Person.objects.filter(
            affiliations__role="alumnus",
            affiliations__organisation=edition.programme.owner,
            user__isnull=True,
            citizenships__alpha2__in=["KZ", "KG"],
        )
        .exclude(email="")
        .exclude(enrolments__edition=edition)
        .distinct()
        .order_by("-class_year", "pk")
    )
    logins = []
    for person, (username, submitted, referee, arrived) in zip(alumni, ALUMNI, strict=False):
        user = account(username, person.email)
        application = draft(user, person.given_name, person.family_name, submitted)
        if referee is not None:
            named = services.add_referee(
                actor=user, application=application, name=referee[0], email=referee[1]
            )
            if arrived:
                services.upload_letter(referee=named, file=SimpleUploadedFile("letter.pdf", _PDF))
        if submitted:
            services.upload_file(
                actor=user,
                application=application,
                document=diploma,
                file=SimpleUploadedFile(f"diploma-{username}.pdf", _PDF),
            )
            services.submit(actor=user, application=application)
        state = "submitted" if submitted else "draft"
        logins.append((username, DEMO_PASSWORD, f"{person}, applicant to {call.slug} ({state})"))
    username, given, family, citizenships, born = NEWCOMER
    draft(
        account(username, f"{username}@example.org"),
        given,
        family,
        False,
        citizenships=citizenships,
        birth_date=born,
    )
    return logins[:1]
