"""Demo call: the coming JPO edition published as an open call, with two questions, two
required documents, and applications in several states (drafts and submitted)."""

from datetime import datetime, time, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chancery.accounts.demo import DEMO_PASSWORD
from chancery.accounts.models import User
from chancery.calls import services
from chancery.calls.models import Call
from chancery.programmes.models import Edition

_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

APPLICANTS = [
    # username, given name, family name, submitted
    ("aigerim", "Aigerim", "Nurlanova", True),
    ("timur", "Timur", "Bekov", True),
    ("madina", "Madina", "Rakhimova", False),
    ("daniyar", "Daniyar", "Seitkali", False),
]


def _deadline(edition: Edition) -> datetime:
    """18:00 in the office's time zone on the edition's last day of applications (or in two
    months), and never already past."""
    day = edition.applications_close or (timezone.localdate() + timedelta(days=60))
    moment = timezone.make_aware(datetime.combine(day, time(18, 0)))
    return max(moment, timezone.now() + timedelta(days=30))


def build(actor: Any = None) -> Call | None:
    """The call of the JPO edition still taking applications; returns it (None without one)."""
    edition = (Edition.objects.filter(programme__kind="internship",
                                      name__startswith="JPO",
                                      starts_on__gt=timezone.localdate())
               .order_by("-year").first())
    if edition is None:
        return None
    call = services.create_call(
        actor=actor, edition=edition, slug=f"jpo-{edition.year}",
        title_en=f"Junior Public Officers {edition.year}",
        title_ru=f"Младшие госслужащие (JPO) {edition.year}",
        title_kk=f"Кіші мемлекеттік қызметшілер (JPO) {edition.year}",
        intro_en="Three months in a ministry or agency of the region, with a supervisor.",
        intro_ru="Три месяца в министерстве или ведомстве региона, с руководителем.",
        intro_kk="Өңірдегі министрлікте не ведомствода үш ай, жетекшімен.",
        eligible_en="Graduates of the OSCE Academy's master's programmes.",
        eligible_ru="Выпускники магистерских программ Академии ОБСЕ.",
        eligible_kk="ЕҚЫҰ Академиясының магистратура бағдарламаларының түлектері.",
        deadline=_deadline(edition), published=True)
    university = services.add_question(
        actor=actor, call=call, kind="short", label_en="Your master's programme and year",
        label_ru="Ваша магистерская программа и год",
        label_kk="Магистратура бағдарламаңыз және жылы",
        position=1)
    motivation = services.add_question(
        actor=actor, call=call, kind="long", word_limit=300,
        label_en="Why do you want to serve as a JPO?",
        label_ru="Почему вы хотите участвовать в программе JPO?",
        label_kk="Неге JPO бағдарламасына қатысқыңыз келеді?", position=2)
    cv = services.add_document(actor=actor, call=call, name_en="CV", name_ru="Резюме",
                               name_kk="Түйіндеме", file_types="pdf,docx", max_mb=2, position=1)
    diploma = services.add_document(
        actor=actor, call=call, name_en="Diploma or transcript",
        name_ru="Диплом или выписка оценок", name_kk="Диплом не бағалар үзінділері",
        file_types="pdf,jpg,png", max_mb=5, position=2)
    from allauth.account.models import EmailAddress

    for username, given, family, submitted in APPLICANTS:
        user = User.objects.create_user(username=username, password=DEMO_PASSWORD,
                                        email=f"{username}@example.org")
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
        application = services.start_application(actor=user, call=call)
        services.save_draft(actor=user, application=application, given_name=given,
                            family_name=family, answers={
                                university.pk: "Politics and Security, 2026",
                                motivation.pk: "To put what I learnt to work in the region."
                                if submitted else ""})
        services.upload_file(actor=user, application=application, document=cv,
                             file=SimpleUploadedFile(f"cv-{username}.pdf", _PDF))
        if submitted:
            services.upload_file(actor=user, application=application, document=diploma,
                                 file=SimpleUploadedFile(f"diploma-{username}.pdf", _PDF))
            services.submit(actor=user, application=application)
    return call
