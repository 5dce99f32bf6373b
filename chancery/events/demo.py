"""Demo events of Jas Diplomat 2018: the launch, a lecture, a visit and a concert or a
presentation for each pairing, and the closing Model UN meeting on 14 December.

The dates and titles are invented for the demo within the season the programme's records
describe (a launch at the ministry on 26 October, a Model UN meeting on the eve of
Independence Day); every description is written for the demo.
"""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from chancery.core.actors import SYSTEM
from chancery.directory.demo import EMBASSIES, Directory, country_in_english
from chancery.events import services
from chancery.events.models import Event, EventKind
from chancery.programmes.models import Edition

ALMATY = ZoneInfo("Asia/Almaty")
# The ministry's building, where the season opens and closes (English, Russian, Kazakh).
MINISTRY = (
    "Ministry of Foreign Affairs, Astana",
    "Министерство иностранных дел, Астана",
    "Сыртқы істер министрлігі, Астана",
)

# Per embassy country: the lecture's subject in Russian and Kazakh.
LECTURE_TITLES = {
    "BR": ("Бразилия и Амазония", "Бразилия және Амазонка"),
    "GE": ("Грузия на Шёлковом пути", "Жібек жолындағы Грузия"),
    "DE": ("Как принимают закон в Берлине", "Берлинде заң қалай қабылданады"),
    "JP": ("Дипломатия Японии в Азии", "Жапонияның Азиядағы дипломатиясы"),
    "PL": ("Польша в Европейском союзе", "Еуропалық одақтағы Польша"),
    "TR": ("Турция между двумя континентами", "Екі құрлық арасындағы Түркия"),
    "KR": ("Корея и Центральная Азия", "Корея және Орталық Азия"),
}
TODAYS_DIPLOMACY = ("Дипломатия сегодня", "Бүгінгі дипломатия")
# The country inside a title, in the genitive (Russian, Kazakh): «Песни Японии».
GENITIVE = {code: (russian, kazakh) for code, russian, kazakh in EMBASSIES}

# Per embassy country: the line about the lecture's subject in Russian and Kazakh.
LECTURE_LINES = {
    "BR": (
        "Леса, реки и договоры, которые их охраняют.",
        "Ормандар, өзендер және оларды қорғайтын шарттар.",
    ),
    "GE": (
        "Как небольшая страна связывает Чёрное море и Азию.",
        "Шағын ел Қара теңіз бен Азияны қалай жалғайды.",
    ),
    "DE": (
        "От законопроекта в министерстве до голосования в бундестаге.",
        "Министрліктегі заң жобасынан Бундестагтағы дауыс беруге дейін.",
    ),
    "JP": (
        "Помощь, торговля и культура как инструменты внешней политики.",
        "Көмек, сауда және мәдениет — сыртқы саясаттың құралдары.",
    ),
    "PL": (
        "Что вступление в Евросоюз изменило для одной семьи из Кракова.",
        "Еуроодаққа кіру Краковтағы бір отбасының өмірін қалай өзгертті.",
    ),
    "TR": (
        "География как первая данность дипломатии.",
        "География — дипломатияның ең алғашқы шындығы.",
    ),
    "KR": (
        "Студенты, заводы и общая история переселения.",
        "Студенттер, зауыттар және қоныс аударудың ортақ тарихы.",
    ),
}
WHAT_AN_EMBASSY_DOES = ("Чем занимается посольство.", "Елшілік немен айналысады.")

# The descriptions of the launch, the visits, the finales and the Model UN meeting
# (English, Russian, Kazakh).
LAUNCH_LINE = (
    "Schools meet their embassies: the pairs are drawn in the hall, with dice thrown by the "
    "pupils.",
    "Школы знакомятся со своими посольствами: пары определяет жеребьёвка в зале, кубики "
    "бросают сами ученики.",
    "Мектептер өз елшіліктерімен танысады: жұптар залда жеребе арқылы анықталады, ойын "
    "сүйектерін оқушылардың өздері лақтырады.",
)
VISIT_LINE = (
    "A tour of the chancery and a talk with the consular section.",
    "Экскурсия по канцелярии посольства и беседа с сотрудниками консульского отдела.",
    "Елшілік кеңсесін аралау және консулдық бөлім қызметкерлерімен әңгіме.",
)
CONCERT_LINE = (
    "Pupils sing and play pieces they learnt with the embassy.",
    "Ученики поют и исполняют произведения, которые разучили вместе с посольством.",
    "Оқушылар елшілікпен бірге үйренген ән-күйлерді орындайды.",
)
PRESENTATION_LINE = (
    "Pupils present their project to the ambassador and parents.",
    "Ученики представляют свой проект послу и родителям.",
    "Оқушылар өз жобаларын елшіге және ата-аналарға таныстырады.",
)
MODEL_UN_LINE = (
    "On the eve of Independence Day every school speaks for its embassy's country in a "
    "General Assembly chaired by pupils.",
    "Накануне Дня независимости каждая школа выступает от имени страны своего посольства на "
    "Генеральной Ассамблее, которую ведут сами ученики.",
    "Тәуелсіздік күні қарсаңында әр мектеп оқушылардың өздері төрағалық ететін Бас Ассамблеяда "
    "өз елшілігінің елі атынан сөз сөйлейді.",
)


def _texts(name: str, texts: tuple[str, str, str]) -> dict[str, str]:
    """A text in English, Russian and Kazakh as the event's fields: venue, venue_ru, venue_kk."""
    english, russian, kazakh = texts
    return {name: english, f"{name}_ru": russian, f"{name}_kk": kazakh}


# Per embassy country: the lecture's subject and a line about it.
LECTURES = {
    "BR": ("Brazil and the Amazon", "Forests, rivers and the treaties that protect them."),
    "GE": ("Georgia on the Silk Road", "How a small country links the Black Sea and Asia."),
    "DE": ("How a law is made in Berlin", "From a draft in a ministry to a vote in the Bundestag."),
    "JP": ("Japan's diplomacy in Asia", "Aid, trade and culture as tools of foreign policy."),
    "PL": (
        "Poland in the European Union",
        "What joining the Union changed for a family in Kraków.",
    ),
    "TR": ("Türkiye between two continents", "Geography as the first fact of diplomacy."),
    "KR": ("Korea and Central Asia", "Students, factories and a shared history of migration."),
}


# Weekdays of the season: a lecture, a visit and a finale for each of the seven pairings.
LECTURE_DAYS = [5, 6, 7, 8, 9, 12, 13]  # November
VISIT_DAYS = [19, 20, 21, 22, 23, 26, 27]  # November
FINALE_DAYS = [3, 4, 5, 6, 7, 10, 11]  # December


def _at(day: int, month: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2018, month, day, hour, minute, tzinfo=ALMATY)


def build(d: Directory, edition: Edition, actor: Any = SYSTEM) -> list[Event]:
    """Create the season's events and the demo pupils' attendance."""
    events: list[Event] = []

    def event(**fields: Any) -> Event:
        created = services.create_event(actor=actor, edition=edition, **fields)
        events.append(created)
        return created

    launch = event(
        kind=EventKind.CEREMONY,
        title="Launch of Jas Diplomat 2018",
        title_ru="Открытие сезона «Жас дипломат» 2018",
        title_kk="«Жас дипломат» 2018 маусымының ашылуы",
        public=True,
        starts_at=_at(26, 10, 11),
        ends_at=_at(26, 10, 13),
        **_texts("venue", MINISTRY),
        organisers=[d.mfa_kz, d.project_office],
        speakers=[d.people["mukasheva"]],
        **_texts("description", LAUNCH_LINE),
    )
    home = None
    pairings = edition.pairings.order_by("pk").select_related("school", "embassy__country")
    for index, pairing in enumerate(pairings):
        school, embassy = pairing.school, pairing.embassy
        code = embassy.country_id or ""
        # The country as the directory names it (Country.name_en), as its delegation reads.
        country = (
            country_in_english(embassy.country)
            if embassy.country is not None
            else "our partner country"
        )
        subject, line = LECTURES.get(code, ("Diplomacy today", "What an embassy does."))
        subject_ru, subject_kk = LECTURE_TITLES.get(code, TODAYS_DIPLOMACY)
        line_ru, line_kk = LECTURE_LINES.get(code, WHAT_AN_EMBASSY_DOES)
        at_school = (school.name_en, school.name_ru or "", school.name_kk or "")
        in_the_hall = (
            f"Assembly hall, {school.name_en}",
            f"Актовый зал, {school.name_ru}",
            f"Мәжіліс залы, {school.name_kk}",
        )
        at_embassy = (embassy.name_en, embassy.name_ru or "", embassy.name_kk or "")
        of_country_ru, of_country_kk = GENITIVE.get(code, ("страны-партнёра", "серіктес елдің"))
        country_ru = embassy.country.name_ru if embassy.country else "страна-партнёр"
        country_kk = embassy.country.name_kk if embassy.country else "серіктес ел"
        speakers = [
            p
            for key, p in d.people.items()
            if key in {"liaison", "kim"} and p.affiliations.filter(organisation=embassy).exists()
        ]
        lecture = event(
            kind=EventKind.LECTURE,
            title=subject,
            title_ru=subject_ru,
            title_kk=subject_kk,
            **_texts("description", (line, line_ru, line_kk)),
            public=True,
            starts_at=_at(LECTURE_DAYS[index], 11, 10),
            ends_at=_at(LECTURE_DAYS[index], 11, 11, 30),
            **_texts("venue", at_school),
            organisers=[school, embassy],
            pairings=[pairing],
            speakers=speakers,
        )
        visit = event(
            kind=EventKind.VISIT,
            title=f"Pupils of {school.short_name or school.name_en} visit the {embassy.name_en}",
            title_ru=f"{school.name_ru}: визит в {embassy.name_ru}",
            title_kk=f"{school.name_kk}: {embassy.name_kk}не сапар",
            **_texts("description", VISIT_LINE),
            starts_at=_at(VISIT_DAYS[index], 11, 15),
            ends_at=_at(VISIT_DAYS[index], 11, 17),
            **_texts("venue", at_embassy),
            organisers=[embassy],
            pairings=[pairing],
        )
        if index % 2 == 0:
            finale = event(
                kind=EventKind.CONCERT,
                title=f"Songs of {country}",
                title_ru=f"Песни {of_country_ru}",
                title_kk=f"{of_country_kk} әндері",
                **_texts("description", CONCERT_LINE),
                public=True,
                starts_at=_at(FINALE_DAYS[index], 12, 16),
                ends_at=_at(FINALE_DAYS[index], 12, 18),
                **_texts("venue", in_the_hall),
                organisers=[school, embassy, d.university],
                pairings=[pairing],
            )
        else:
            finale = event(
                kind=EventKind.PRESENTATION,
                title=f"What we learnt about {country}",
                title_ru=f"Что мы узнали о стране {country_ru}",
                title_kk=f"{country_kk} туралы не білдік",
                **_texts("description", PRESENTATION_LINE),
                public=True,
                starts_at=_at(FINALE_DAYS[index], 12, 14),
                ends_at=_at(FINALE_DAYS[index], 12, 16),
                **_texts("venue", in_the_hall),
                organisers=[school, embassy],
                pairings=[pairing],
            )
        if school.pk == d.schools[0].pk:
            home = (lecture, visit, finale)
    model_un = event(
        kind=EventKind.MODEL_UN,
        title="Jas Diplomat Model UN: the closing session",
        title_ru="Модель ООН «Жас дипломат»: заключительное заседание",
        title_kk="«Жас дипломат» БҰҰ моделі: қорытынды отырыс",
        public=True,
        starts_at=_at(14, 12, 10),
        ends_at=_at(14, 12, 16),
        **_texts("venue", MINISTRY),
        organisers=[d.mfa_kz, d.mun_office, d.chairs_school],
        **_texts("description", MODEL_UN_LINE),
    )
    pupils = [d.people["pupil"], d.people["pupil_no_media"]]
    for happening in [launch, *(home or ()), model_un]:
        for pupil in pupils:
            services.record_attendance(
                actor=actor, event=happening, person=pupil, at=happening.starts_at
            )
    services.record_attendance(
        actor=actor, event=model_un, person=d.people["chair"], at=model_un.starts_at
    )
    return events
