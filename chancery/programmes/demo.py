"""Demo agreements and programmes: the JPO internships 2011–2015 and the training of Tajik
diplomats, built through the services so every invariant and audit row holds.

Facts (dates, parties, class years, citizenships) follow the programmes' public records.
Where the records are silent (exact internship dates, departments) the demo uses a plausible
September-to-November internship in the class year and says so in the notes.
"""

from datetime import date
from typing import Any

from chancery.agreements import services as agreements
from chancery.agreements.models import add_months
from chancery.core.actors import SYSTEM
from chancery.directory import services as directory
from chancery.directory.demo import Directory
from chancery.directory.models import Country, Organisation, OrganisationKind, Person
from chancery.programmes import services
from chancery.programmes.models import Edition, Programme

HISTORICAL = (
    "Placed before the programme's records were kept in Chancery; taken from the "
    "programme's published list of alumni."
)
# Each alumna and alumnus writes in their own language (a testimonial is written once, in one
# language; the programme page shows the reader's first).
TESTIMONIALS = {
    "Mussabalina": (
        "kk",
        "Министрліктегі үш ай сыртқы саясаттың қалай жасалатынын көрсетті: әр хат, әр "
        "анықтама мұқият дайындалады. Сол тәжірибе мені дипломатия жолына бекітті.",
    ),
    "Qasemi": (
        "en",
        "The internship taught me the ministry's routines and convinced me to apply for "
        "a permanent post there.",
    ),
    "Ruziev": (
        "ru",
        "Стажировка помогла понять, как устроено министерство изнутри, а знакомства, "
        "которые я там завёл, выручают меня до сих пор.",
    ),
}


def build_agreements(directory_: Directory, actor: Any = SYSTEM) -> dict[str, Any]:
    """The three JPO agreements and the inter-agency agreement on training diplomats."""
    d = directory_
    jpo_kz = agreements.create_agreement(
        actor=actor,
        owner=d.academy,
        kind="bilateral",
        signed_on=date(2010, 9, 10),
        title="JPO internships: OSCE Academy and the Ministry of Foreign Affairs of Kazakhstan",
        title_ru="Стажировки младших госслужащих: Академия ОБСЕ и Министерство иностранных дел "
        "Республики Казахстан",
        title_kk="Кіші мемлекеттік қызметшілердің тағылымдамасы: ЕҚЫҰ Академиясы мен Қазақстан "
        "Республикасының Сыртқы істер министрлігі",
        parties=[{"organisation": d.academy}, {"organisation": d.mfa_kz}],
    )
    jpo_af = agreements.create_agreement(
        actor=actor,
        owner=d.academy,
        kind="bilateral",
        signed_on=date(2012, 5, 28),
        title="JPO internships: OSCE Academy and the Ministry of Foreign Affairs of Afghanistan",
        title_ru="Стажировки младших госслужащих: Академия ОБСЕ и Министерство иностранных дел "
        "Афганистана",
        title_kk="Кіші мемлекеттік қызметшілердің тағылымдамасы: ЕҚЫҰ Академиясы мен "
        "Ауғанстанның Сыртқы істер министрлігі",
        summary="The programme's records name the counterpart as a ministry of the Republic of "
        "Afghanistan; the demo takes it to be the foreign ministry.",
        summary_ru="В документах программы партнёром названо одно из министерств Республики "
        "Афганистан; в демонстрационных данных это министерство иностранных дел.",
        summary_kk="Бағдарлама құжаттарында серіктес ретінде Ауғанстан Республикасының бір "
        "министрлігі аталған; демо деректерде бұл — сыртқы істер министрлігі.",
        parties=[{"organisation": d.academy}, {"organisation": d.mfa_af}],
    )
    jpo_kg = agreements.create_agreement(
        actor=actor,
        owner=d.academy,
        kind="bilateral",
        signed_on=date(2017, 6, 16),
        title="JPO internships: OSCE Academy and the Kyrgyz State Agency for Investment and "
        "Export Promotion",
        title_ru="Стажировки младших госслужащих: Академия ОБСЕ и Государственное агентство по "
        "продвижению инвестиций и экспорта Кыргызской Республики",
        title_kk="Кіші мемлекеттік қызметшілердің тағылымдамасы: ЕҚЫҰ Академиясы мен Қырғыз "
        "Республикасының Инвестициялар мен экспортты ілгерілету жөніндегі мемлекеттік агенттігі",
        parties=[{"organisation": d.academy}, {"organisation": d.kg_agency}],
    )
    people = d.people
    training = agreements.create_agreement(
        actor=actor,
        owner=d.mfa_kz,
        kind="inter_agency",
        signed_on=date(2015, 3, 19),
        title="Training of foreign diplomats at Kazakhstan's academies",
        title_ru="Подготовка иностранных дипломатов в академиях Казахстана",
        title_kk="Шетелдік дипломаттарды Қазақстанның академияларында даярлау",
        summary="Signed at the Ministry of Foreign Affairs in Astana on 19 March; the year is "
        "taken as 2015 for the demo.",
        summary_ru="Подписано 19 марта в Министерстве иностранных дел в Астане; для "
        "демонстрационных данных принят 2015 год.",
        summary_kk="19 наурызда Астанадағы Сыртқы істер министрлігінде қол қойылды; демо "
        "деректер үшін 2015 жыл алынды.",
        parties=[
            {
                "organisation": d.mfa_kz,
                "signatory": people["idrissov"],
                "signatory_title": "Minister of Foreign Affairs",
                "signatory_title_ru": "Министр иностранных дел",
                "signatory_title_kk": "Сыртқы істер министрі",
            },
            {
                "organisation": d.hub,
                "signatory": people["baimenov"],
                "signatory_title": "Chairman of the Steering Committee",
                "signatory_title_ru": "Председатель Руководящего комитета",
                "signatory_title_kk": "Басқарушы комитеттің төрағасы",
            },
            {
                "organisation": d.public_administration,
                "signatory": people["abdrasilov"],
                "signatory_title": "Rector",
                "signatory_title_ru": "Ректор",
                "signatory_title_kk": "Ректор",
            },
        ],
        scope=[
            "Scholarships for civil servants at the Institute of Diplomacy",
            "New methods of teaching foreign policy, developed and put into practice",
            "Exchange of information and analysis",
            "Training programmes and advice on how diplomats are trained",
            "Joint research projects",
            "Exchange of experts and teaching staff",
            "Joint conferences, seminars and roundtables",
        ],
    )
    return {"jpo_kz": jpo_kz, "jpo_af": jpo_af, "jpo_kg": jpo_kg, "training": training}


def _country(code: str) -> Country:
    return Country.objects.get(alpha2=code)


def _complete(
    actor: Any,
    edition: Edition,
    person: Person,
    host: Organisation,
    start: date,
    end: date,
    override: str = "",
    department: Organisation | None = None,
    supervisor: Person | None = None,
) -> Any:
    enrolment = services.apply(
        actor=actor,
        edition=edition,
        person=person,
        preferred_host=department or host,
        on=date(start.year, 6, 1),
    )
    if enrolment.state == "ineligible":
        services.override_eligibility(
            actor=actor, enrolment=enrolment, reason=override or HISTORICAL
        )
    services.select(actor=actor, enrolment=enrolment)
    services.place(
        actor=actor,
        enrolment=enrolment,
        host=host,
        department=department,
        supervisor=supervisor,
        start=start,
        end=end,
    )
    services.start(actor=actor, enrolment=enrolment)
    return services.complete(actor=actor, enrolment=enrolment, on=end)


def build_jpo(d: Directory, agreements_: dict[str, Any], actor: Any = SYSTEM) -> Programme:
    """The JPO programme with its rules, an edition a year and the 22 alumni completed."""
    programme = services.create_programme(
        actor=actor,
        owner=d.academy,
        kind="internship",
        default_duration_months=3,
        name_en="Junior Public Officers' Programme",
        name_ru="Программа младших госслужащих",
        name_kk="Кіші мемлекеттік қызметшілер бағдарламасы",
        description="Graduates of the Academy intern for three months at the foreign ministry "
        "or another state agency of the country of their citizenship.",
        description_ru="Выпускники Академии три месяца стажируются в министерстве иностранных "
        "дел или другом государственном органе страны своего гражданства.",
        description_kk="Академия түлектері азаматтығы бар елдің сыртқы істер министрлігінде "
        "немесе басқа мемлекеттік органында үш ай тағылымдамадан өтеді.",
        agreements=[agreements_["jpo_kz"], agreements_["jpo_af"], agreements_["jpo_kg"]],
    )
    rules: list[tuple[str, dict[str, Any], str]] = [
        (
            "graduate_of",
            {"organisation": d.academy.pk, "name": "OSCE Academy"},
            "A graduate of the Academy",
        ),
        (
            "citizenship_in",
            {"countries": ["KZ", "KG", "AF"]},
            "A citizen of Kazakhstan, Kyrgyzstan or Afghanistan",
        ),
        ("host_country_is_citizenship", {}, "Hosted in the country of their citizenship"),
        ("host_covered_by_agreement", {}, "The host is party to an agreement in force"),
    ]
    for kind, params, label in rules:
        services.add_rule(actor=actor, programme=programme, kind=kind, params=params, label=label)
    editions = {
        year: services.create_edition(
            actor=actor,
            programme=programme,
            name=f"JPO {year}",
            year=year,
            starts_on=date(year, 9, 1),
            ends_on=date(year, 11, 30),
            applications_open=date(year, 5, 1),
            applications_close=date(year, 6, 30),
        )
        for year in range(2011, 2016)
    }
    unknown_mfa = directory.create_organisation(
        actor=actor,
        kind=OrganisationKind.MINISTRY,
        owner=d.academy,
        name_en="Ministry of Foreign Affairs (country not recorded)",
        name_ru="Министерство иностранных дел (страна не указана)",
        name_kk="Сыртқы істер министрлігі (елі көрсетілмеген)",
        notes="The programme's records name the foreign ministry without its country.",
    )
    ministries = {"KZ": d.mfa_kz, "KG": d.mfa_kg, "AF": d.mfa_af, "TJ": d.mfa_tj}
    # The Kyrgyz interns serve in the department of the demo supervisor, who has their
    # evaluations to write (the records keep no departments: an invention of the demo).
    supervised = {"KG": (d.kg_security_department, d.people["supervisor"])}
    for person in d.alumni:
        codes = list(person.citizenship_set.values_list("country_id", flat=True))
        host = ministries[codes[0]] if codes else unknown_mfa
        department, supervisor = supervised.get(codes[0], (None, None)) if codes else (None, None)
        year = max(person.class_year or 2011, 2011)
        enrolment = _complete(
            actor,
            editions[year],
            person,
            host,
            date(year, 9, 1),
            date(year, 11, 30),
            department=department,
            supervisor=supervisor,
        )
        services.issue_certificate(actor=actor, enrolment=enrolment)
        if person.family_name in TESTIMONIALS:
            services.write_testimonial(
                actor=actor,
                enrolment=enrolment,
                language=TESTIMONIALS[person.family_name][0],
                text=TESTIMONIALS[person.family_name][1],
                publish=True,
                on=date(year, 12, 10),
            )
    today = date.today()
    services.create_edition(
        actor=actor,
        programme=programme,
        name=f"JPO {today.year + 1}",
        year=today.year + 1,
        starts_on=date(today.year + 1, 9, 1),
        ends_on=date(today.year + 1, 11, 30),
        applications_open=date(today.year, 1, 1),
        applications_close=date(today.year + 1, 6, 30),
        capacity=6,
    )
    return programme


def build_training(d: Directory, agreements_: dict[str, Any], actor: Any = SYSTEM) -> Programme:
    """The course for Tajik diplomats: one completed, one still in training."""
    programme = services.create_programme(
        actor=actor,
        owner=d.mfa_kz,
        kind="training",
        default_duration_months=10,
        name_en="Training of foreign diplomats at the Institute of Diplomacy",
        name_ru="Обучение иностранных дипломатов в Институте дипломатии",
        name_kk="Шетелдік дипломаттарды Дипломатия институтында оқыту",
        description="A course for diplomats of neighbouring countries under the inter-agency "
        "agreement of March 2015.",
        description_ru="Курс для дипломатов соседних стран по межведомственному соглашению "
        "марта 2015 года.",
        description_kk="2015 жылғы наурыздағы ведомствоаралық келісім бойынша көрші елдердің "
        "дипломаттарына арналған курс.",
        agreements=[agreements_["training"]],
    )
    agreements.add_commitment(
        actor=actor,
        agreement=agreements_["training"],
        quota=2,
        programme=programme,
        citizenship=_country("TJ"),
        counts="completed",
        description="Train two diplomats of Tajikistan at the Institute of Diplomacy",
    )
    edition = services.create_edition(
        actor=actor,
        programme=programme,
        name="2015–2016",
        year=2015,
        starts_on=date(2015, 9, 1),
        ends_on=date(2016, 6, 30),
    )
    trainees = [
        directory.create_person(
            actor=actor,
            owner=d.mfa_kz,
            given_name=given,
            family_name=family,
            citizenships=[_country("TJ")],
            notes="Invented for the demo.",
        )
        for given, family in (("Farrukh", "Nazarov"), ("Manizha", "Rahimova"))
    ]
    _complete(
        actor, edition, trainees[0], d.institute_of_diplomacy, date(2015, 9, 1), date(2016, 6, 30)
    )
    enrolment = services.apply(
        actor=actor,
        edition=edition,
        person=trainees[1],
        preferred_host=d.institute_of_diplomacy,
        on=date(2015, 6, 1),
    )
    services.select(actor=actor, enrolment=enrolment)
    services.place(
        actor=actor,
        enrolment=enrolment,
        host=d.public_administration,
        department=d.institute_of_diplomacy,
        start=date(2016, 9, 1),
        end=date(2017, 6, 30),
    )
    services.start(actor=actor, enrolment=enrolment)
    return programme


def build_outreach(d: Directory, actor: Any = SYSTEM) -> Edition:
    """Jas Diplomat 2018: seven schools, seven embassies and two partners."""
    programme = services.create_programme(
        actor=actor,
        owner=d.mfa_kz,
        kind="outreach",
        default_duration_months=2,
        name_en="Jas Diplomat",
        name_kk="Жас дипломат",
        name_ru="Жас дипломат",
        description="Embassies and Astana schools paired by a public draw: lectures, visits, "
        "concerts and presentations through the autumn, and a Model UN meeting "
        "at the ministry to close the season. Hashtag #jasdiplomat.",
        description_ru="Посольства и школы Астаны, составившие пары по открытой жеребьёвке: "
        "лекции, визиты, концерты и презентации всю осень и заседание Модели "
        "ООН в министерстве в завершение сезона. Хештег #jasdiplomat.",
        description_kk="Ашық жеребе арқылы жұп құрған елшіліктер мен Астана мектептері: күз "
        "бойы дәрістер, сапарлар, концерттер мен таныстырылымдар, ал маусым "
        "министрліктегі БҰҰ моделінің отырысымен аяқталады. Хэштег #jasdiplomat.",
    )
    edition = services.create_edition(
        actor=actor,
        programme=programme,
        name="Jas Diplomat 2018",
        year=2018,
        starts_on=date(2018, 10, 26),
        ends_on=date(2018, 12, 14),
    )
    contacts = {
        d.schools[0].pk: d.people["coordinator"],
        d.embassies[4].pk: d.people["liaison"],
        d.embassies[6].pk: d.people["kim"],
    }
    for school in d.schools:
        services.add_participation(
            actor=actor,
            edition=edition,
            organisation=school,
            role="school",
            contact=contacts.get(school.pk),
        )
    for embassy in d.embassies:
        services.add_participation(
            actor=actor,
            edition=edition,
            organisation=embassy,
            role="embassy",
            contact=contacts.get(embassy.pk),
        )
    services.add_participation(
        actor=actor,
        edition=edition,
        organisation=d.university,
        role="partner",
        partner_role="Student volunteers",
    )
    services.add_participation(
        actor=actor,
        edition=edition,
        organisation=d.mun_office,
        role="partner",
        partner_role="Model UN coordination",
    )
    services.add_participation(
        actor=actor,
        edition=edition,
        organisation=d.chairs_school,
        role="partner",
        partner_role="Pupils chair the Model UN meeting",
    )
    return edition


def pair(edition: Edition, draw: Any, actor: Any = SYSTEM) -> None:
    """Create the Jas Diplomat pairings from the conducted draw."""
    services.pair_by_draw(actor=actor, edition=edition, draw=draw)


def build_current(d: Directory, jpo: Programme, training: Programme, actor: Any = SYSTEM) -> Any:
    """Today's work, invented for the demo and dated from the day it is loaded, so the reminders
    have something to tell: an agreement whose term ends in about ten weeks with a commitment
    behind (to the officers), and a Kyrgyz alumnus whose internship in the demo supervisor's
    department ended three days ago (the evaluation to the supervisor, the final report to him).
    """
    from datetime import timedelta

    today = date.today()
    start, end = today - timedelta(days=94), today - timedelta(days=3)
    edition = services.create_edition(
        actor=actor,
        programme=jpo,
        name=f"JPO {start.year}",
        year=start.year,
        starts_on=start,
        ends_on=end,
        applications_open=start - timedelta(days=120),
        applications_close=start - timedelta(days=30),
    )
    intern = next(
        person
        for person in d.alumni
        if person != d.alumni[17] and person.citizenship_set.filter(country_id="KG").exists()
    )
    department, supervisor = d.kg_security_department, d.people["supervisor"]
    enrolment = services.apply(
        actor=actor,
        edition=edition,
        person=intern,
        preferred_host=department,
        on=start - timedelta(days=60),
    )
    if enrolment.state == "ineligible":
        services.override_eligibility(
            actor=actor,
            enrolment=enrolment,
            reason="The office accepts the ministry as host, as for the earlier Kyrgyz interns "
            "(invented for the demo).",
        )
    services.select(actor=actor, enrolment=enrolment)
    services.place(
        actor=actor,
        enrolment=enrolment,
        host=d.mfa_kg,
        department=department,
        supervisor=supervisor,
        start=start,
        end=end,
    )
    services.start(actor=actor, enrolment=enrolment)
    memorandum = agreements.create_agreement(
        actor=actor,
        owner=d.mfa_kz,
        kind="memorandum",
        term_months=24,
        signed_on=add_months(today, -24) + timedelta(days=75),
        title="Student trainees at the Institute of Diplomacy: MFA of Kazakhstan and "
        "Nazarbayev University",
        title_ru="Студенческая стажировка в Институте дипломатии: МИД Казахстана и "
        "Назарбаев Университет",
        title_kk="Дипломатия институтындағы студенттер тағылымдамасы: Қазақстан СІМ мен "
        "Назарбаев Университеті",
        summary="Invented for the demo, dated from the day the demo is loaded: a two-year "
        "memorandum ending in about ten weeks, with a commitment behind.",
        summary_ru="Придуман для демонстрации и датирован от дня загрузки данных: меморандум "
        "на два года, который истекает примерно через десять недель, а обязательство по нему "
        "отстаёт.",
        summary_kk="Демо үшін ойдан шығарылған, мерзімі деректер жүктелген күннен саналады: "
        "шамамен он аптадан кейін аяқталатын екі жылдық меморандум, оның міндеттемесі "
        "орындалмай тұр.",
        parties=[{"organisation": d.mfa_kz}, {"organisation": d.university}],
    )
    agreements.add_commitment(
        actor=actor,
        agreement=memorandum,
        quota=4,
        programme=training,
        counts="started",
        description="Four students of the university trained at the Institute of Diplomacy",
    )
    return memorandum


def build(d: Directory, actor: Any = SYSTEM) -> dict[str, Any]:
    """Agreements, the JPO, diplomat-training and Jas Diplomat programmes."""
    agreements_ = build_agreements(d, actor)
    jpo = build_jpo(d, agreements_, actor)
    training = build_training(d, agreements_, actor)
    return {
        "agreements": agreements_,
        "jpo": jpo,
        "training": training,
        "outreach": build_outreach(d, actor),
        "current": build_current(d, jpo, training, actor),
    }
