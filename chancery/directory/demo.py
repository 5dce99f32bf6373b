"""Demo directory: the organisations and people of the three source programmes.

Facts (names, class years, citizenships, dates) come from the programmes' public records;
every descriptive text is written for the demo. Names marked "demo" are invented.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from chancery.core.actors import SYSTEM
from chancery.directory import services
from chancery.directory.models import (
    AffiliationRole,
    ConsentKind,
    Country,
    Organisation,
    OrganisationKind,
    Person,
)

DEMO_NOTE = "Invented for the demo."

# (given, family, class year as the source writes it, citizenship or None)
JPO_ALUMNI = [
    ("Dinara", "Mussabalina", "'11", "KZ"),
    ("Elnura", "Omurkulova", "'11", "KG"),
    ("Daniyar", "Suyunov", "'05", "KG"),
    ("Shoira", "Olimova", "'11", "TJ"),
    ("Bibigul", "Izbair", "'12", "KZ"),
    ("Natalia", "Zakharchenko", "'12", "KG"),
    ("Cholpon", "Aitakhunova", "'12", "KG"),
    ("Anahita", "Saymidinova", "'12", "TJ"),
    ("Ahmad Munir", "Faruhee", "'13", "AF"),
    ("Aliya", "Sadykova", "'10", "KZ"),
    ("Begaim", "Akimbaeva", "'13", "KG"),
    ("Reina", "Artur kyzy", "'13", "KG"),
    ("Uguloy", "Mukhtorova", "'13", "TJ"),
    ("Sakina", "Qasemi", "'14", "AF"),
    ("Emil", "Ibraev", "'14", "KG"),
    ("Nurbek", "Bekmurzaev", "'14", "KG"),
    ("Idrees", "Muhammad", "'15", "AF"),
    ("Anna", "Savchenko", "'15", "KZ"),
    ("Elvira", "Kalmurzaeva", "'15", "KG"),
    ("Sino", "Ruziev", "'15", "TJ"),
    ("Vassiliy", "Lakhonin", "’14", None),
    ("Yermek", "Abilgaziev", "’15", None),
]

CYRILLIC = {
    "Mussabalina": ("Динара", "Мусабалина"),
    "Omurkulova": ("Элнура", "Омуркулова"),
    "Suyunov": ("Данияр", "Суюнов"),
    "Savchenko": ("Анна", "Савченко"),
    "Abilgaziev": ("Ермек", "Абилгазиев"),
}

# The embassies' countries, with their names in Russian and Kazakh as an embassy's name needs
# them (the genitive: «Посольство Турции», «Түркияның елшілігі»), made from the country's own
# name in the directory (Country.name_ru, name_kk: «Турция», «Түркия»). The English name is
# made from Country.name_en itself, so an embassy and its Model UN delegation name the country
# alike (test_demo_names.py checks both).
EMBASSIES = [
    ("BR", "Бразилии", "Бразилияның"),
    ("GE", "Грузии", "Грузияның"),
    ("DE", "Германии", "Германияның"),
    ("JP", "Японии", "Жапонияның"),
    ("PL", "Польши", "Польшаның"),
    ("TR", "Турции", "Түркияның"),
    ("KR", "Республики Корея", "Корея Республикасының"),
]


def country_in_english(country: Country) -> str:
    """The country's English name as it reads inside a sentence: "the Republic of Korea",
    "Türkiye"."""
    name = country.name_en
    first = name.split(" ", 1)[0]
    return (
        f"the {name}"
        if first
        in {"Republic", "Democratic", "United", "Russian", "Kingdom", "Netherlands", "Philippines"}
        else name
    )


# (English, Russian, Kazakh)
SCHOOLS = [
    ("School-Lyceum No. 8", "Школа-лицей № 8", "№ 8 мектеп-лицейі"),
    ("Gymnasium No. 12", "Гимназия № 12", "№ 12 гимназия"),
    ("School No. 27", "Школа № 27", "№ 27 мектеп"),
    ("Lyceum No. 35", "Лицей № 35", "№ 35 лицей"),
    ("School-Gymnasium No. 41", "Школа-гимназия № 41", "№ 41 мектеп-гимназия"),
    ("School No. 54", "Школа № 54", "№ 54 мектеп"),
    ("Bilim-Innovation Lyceum", "Лицей «Білім-Инновация»", "Білім-Инновация лицейі"),
]


def parse_class_year(text: str) -> int:
    """'11 or ’11 (typographic apostrophe) → 2011."""
    digits = text.strip().lstrip("'’‘`")
    return 2000 + int(digits)


@dataclass
class Directory:
    """What the demo of later modules builds on."""

    academy: Organisation
    mfa_kz: Organisation
    mfa_kg: Organisation
    mfa_af: Organisation
    mfa_tj: Organisation
    kg_agency: Organisation
    public_administration: Organisation
    institute_of_diplomacy: Organisation
    hub: Organisation
    multilateral_department: Organisation
    kg_security_department: Organisation
    embassies: list[Organisation]
    schools: list[Organisation]
    chairs_school: Organisation
    university: Organisation
    mun_office: Organisation
    project_office: Organisation
    alumni: list[Person]
    people: dict[str, Person]


def _country(code: str) -> Country:
    return Country.objects.get(alpha2=code)


def build(actor: Any = SYSTEM) -> Directory:
    """Create the demo organisations and people through the services."""

    keeper: dict[str, Organisation] = {}

    def org(name: str, kind: str, country: str | None, **extra: Any) -> Organisation:
        # The Academy's office recorded the demo directory: its officers keep every entry.
        return services.create_organisation(
            actor=actor,
            name_en=name,
            kind=kind,
            country=_country(country) if country else None,
            owner=keeper.get("academy"),
            **extra,
        )

    academy = keeper["academy"] = org(
        "OSCE Academy in Bishkek",
        OrganisationKind.ACADEMY,
        "KG",
        short_name="OSCE Academy",
        name_ru="Академия ОБСЕ в Бишкеке",
        name_kk="Бішкектегі ЕҚЫҰ Академиясы",
        notes="Runs the Junior Public Officers' programme for its graduates.",
    )
    mfa_kz = org(
        "Ministry of Foreign Affairs of the Republic of Kazakhstan",
        OrganisationKind.MINISTRY,
        "KZ",
        short_name="MFA Kazakhstan",
        name_ru="Министерство иностранных дел Республики Казахстан",
        name_kk="Қазақстан Республикасының Сыртқы істер министрлігі",
    )
    mfa_kg = org(
        "Ministry of Foreign Affairs of the Kyrgyz Republic",
        OrganisationKind.MINISTRY,
        "KG",
        short_name="MFA Kyrgyzstan",
        name_ru="Министерство иностранных дел Кыргызской Республики",
        name_kk="Қырғыз Республикасының Сыртқы істер министрлігі",
    )
    mfa_af = org(
        "Ministry of Foreign Affairs of Afghanistan",
        OrganisationKind.MINISTRY,
        "AF",
        short_name="MFA Afghanistan",
        name_ru="Министерство иностранных дел Афганистана",
        name_kk="Ауғанстанның Сыртқы істер министрлігі",
    )
    mfa_tj = org(
        "Ministry of Foreign Affairs of the Republic of Tajikistan",
        OrganisationKind.MINISTRY,
        "TJ",
        short_name="MFA Tajikistan",
        name_ru="Министерство иностранных дел Республики Таджикистан",
        name_kk="Тәжікстан Республикасының Сыртқы істер министрлігі",
    )
    economy_kg = org(
        "Ministry of Economy of the Kyrgyz Republic",
        OrganisationKind.MINISTRY,
        "KG",
        name_ru="Министерство экономики Кыргызской Республики",
        name_kk="Қырғыз Республикасының Экономика министрлігі",
    )
    kg_agency = org(
        "State Agency for Investment and Export Promotion",
        OrganisationKind.STATE_AGENCY,
        "KG",
        parent=economy_kg,
        name_ru="Государственное агентство по продвижению инвестиций и экспорта",
        name_kk="Инвестициялар мен экспортты ілгерілету жөніндегі мемлекеттік агенттік",
    )
    multilateral = org(
        "Department of Multilateral Cooperation",
        OrganisationKind.DEPARTMENT,
        "KZ",
        parent=mfa_kz,
        name_ru="Департамент многостороннего сотрудничества",
        name_kk="Көпжақты ынтымақтастық департаменті",
    )
    kg_security = org(
        "Department of International Organisations and Security",
        OrganisationKind.DEPARTMENT,
        "KG",
        parent=mfa_kg,
        name_ru="Департамент международных организаций и безопасности",
        name_kk="Халықаралық ұйымдар және қауіпсіздік департаменті",
    )
    public_administration = org(
        "Academy of Public Administration under the President of the Republic of Kazakhstan",
        OrganisationKind.ACADEMY,
        "KZ",
        short_name="Academy of Public Administration",
        name_ru="Академия государственного управления при Президенте Республики Казахстан",
        name_kk="Қазақстан Республикасының Президенті жанындағы Мемлекеттік басқару академиясы",
    )
    institute = org(
        "Institute of Diplomacy",
        OrganisationKind.DEPARTMENT,
        "KZ",
        parent=public_administration,
        name_ru="Институт дипломатии",
        name_kk="Дипломатия институты",
    )
    hub = org(
        "Regional Hub of Civil Service",
        OrganisationKind.INTERNATIONAL,
        "KZ",
        short_name="Civil Service Hub",
        name_ru="Региональный хаб в сфере государственной службы",
        name_kk="Мемлекеттік қызмет саласындағы өңірлік хаб",
        notes="Regional platform for civil-service cooperation, hosted in Astana.",
    )
    project_office = org(
        "Central Project Office for the Rukhani Zhangyru programme",
        OrganisationKind.OTHER,
        "KZ",
        name_ru="Центральный проектный офис программы «Рухани жаңғыру»",
        name_kk="«Рухани жаңғыру» бағдарламасының Орталық жобалық кеңсесі",
    )
    embassies = [
        org(
            f"Embassy of {country_in_english(_country(code))} in Kazakhstan",
            OrganisationKind.EMBASSY,
            code,
            name_ru=f"Посольство {russian} в Казахстане",
            name_kk=f"{kazakh} Қазақстандағы елшілігі",
        )
        for code, russian, kazakh in EMBASSIES
    ]
    schools = [
        org(
            f"{name}, Astana",
            OrganisationKind.SCHOOL,
            "KZ",
            name_ru=f"{russian}, Астана",
            name_kk=f"{kazakh}, Астана",
            notes="School name invented for the demo.",
        )
        for name, russian, kazakh in SCHOOLS
    ]
    chairs_school = org(
        "Nazarbayev Intellectual School of Physics and Mathematics, Astana",
        OrganisationKind.SCHOOL,
        "KZ",
        short_name="NIS PhysMath",
        name_ru="Назарбаев Интеллектуальная школа физико-математического направления, Астана",
        name_kk="Физика-математика бағытындағы Назарбаев Зияткерлік мектебі, Астана",
    )
    university = org(
        "Nazarbayev University",
        OrganisationKind.UNIVERSITY,
        "KZ",
        name_ru="Назарбаев Университет",
        name_kk="Назарбаев Университеті",
    )
    mun_office = org(
        "Central Asian Model UN Coordination Office",
        OrganisationKind.OTHER,
        "KZ",
        name_ru="Координационный офис Модели ООН Центральной Азии",
        name_kk="Орталық Азия БҰҰ моделін үйлестіру кеңсесі",
    )

    alumni = []
    for given, family, year, citizenship in JPO_ALUMNI:
        given_cyrl, family_cyrl = CYRILLIC.get(family, ("", ""))
        alumnus = services.create_person(
            actor=actor,
            owner=academy,
            given_name=given,
            family_name=family,
            given_name_cyrl=given_cyrl,
            family_name_cyrl=family_cyrl,
            class_year=parse_class_year(year),
            email=f"{given.split()[0].lower()}.{family.split()[0].lower()}@alumni.example.org",
            citizenships=[_country(citizenship)] if citizenship else [],
            notes="" if citizenship else "Citizenship not stated in the programme records.",
        )
        services.add_affiliation(
            actor=actor,
            person=alumnus,
            organisation=academy,
            role=AffiliationRole.ALUMNUS,
            end=date(alumnus.class_year or 2000, 6, 30),
        )
        alumni.append(alumnus)
    by_family = {p.family_name: p for p in alumni}

    # The same alumnus entered again from a Cyrillic form: the duplicate report finds it.
    services.create_person(
        actor=actor,
        owner=academy,
        given_name_cyrl="Данияр",
        family_name_cyrl="Суюнов",
        email="daniyar.suyunov@alumni.example.org",
        citizenships=[_country("KG")],
        notes="Entered from a paper form in Cyrillic.",
    )
    services.add_affiliation(
        actor=actor,
        person=by_family["Suyunov"],
        organisation=kg_security,
        role=AffiliationRole.INTERN,
    )

    def person(
        given: str,
        family: str,
        owner: Organisation,
        where: Organisation,
        role: str,
        title: str = "",
        citizenship: str = "KZ",
        **extra: Any,
    ) -> Person:
        record = services.create_person(
            actor=actor,
            owner=owner,
            given_name=given,
            family_name=family,
            citizenships=[_country(citizenship)],
            **extra,
        )
        services.add_affiliation(
            actor=actor, person=record, organisation=where, role=role, title=title
        )
        return record

    people = {
        "idrissov": person(
            "Erlan",
            "Idrissov",
            mfa_kz,
            mfa_kz,
            AffiliationRole.STAFF,
            "Minister of Foreign Affairs",
            given_name_cyrl="Ерлан",
            family_name_cyrl="Идрисов",
        ),
        "baimenov": person(
            "Alikhan",
            "Baimenov",
            mfa_kz,
            hub,
            AffiliationRole.STAFF,
            "Chairman of the Steering Committee",
            given_name_cyrl="Алихан",
            family_name_cyrl="Байменов",
        ),
        "abdrasilov": person(
            "Bolatbek", "Abdrasilov", mfa_kz, public_administration, AffiliationRole.STAFF, "Rector"
        ),
        "abdrakhmanov": person(
            "Kairat",
            "Abdrakhmanov",
            mfa_kz,
            mfa_kz,
            AffiliationRole.STAFF,
            "Minister of Foreign Affairs",
        ),
        "mukasheva": person(
            "Aisha",
            "Mukasheva",
            mfa_kz,
            project_office,
            AffiliationRole.STAFF,
            "Manager of the Jas Diplomat project",
        ),
        "kim": person(
            "Jin-dong",
            "Kim",
            mfa_kz,
            embassies[6],
            AffiliationRole.DIPLOMAT,
            "Counsellor",
            citizenship="KR",
        ),
        "supervisor": person(
            "Aigerim",
            "Tulegenova",
            mfa_kg,
            kg_security,
            AffiliationRole.SUPERVISOR,
            "Head of division",
            citizenship="KG",
            notes=DEMO_NOTE,
        ),
        "liaison": person(
            "Katarzyna",
            "Nowak",
            mfa_kz,
            embassies[4],
            AffiliationRole.DIPLOMAT,
            "Second Secretary",
            citizenship="PL",
            notes=DEMO_NOTE,
        ),
        "coordinator": person(
            "Gulnara",
            "Serikbayeva",
            mfa_kz,
            schools[0],
            AffiliationRole.TEACHER,
            "Teacher of English",
            notes=DEMO_NOTE,
            given_name_cyrl="Гүлнара",
            family_name_cyrl="Серікбаева",
        ),
    }
    people.update(_pupils(actor, mfa_kz, schools[0], chairs_school))
    return Directory(
        academy=academy,
        mfa_kz=mfa_kz,
        mfa_kg=mfa_kg,
        mfa_af=mfa_af,
        mfa_tj=mfa_tj,
        kg_agency=kg_agency,
        public_administration=public_administration,
        institute_of_diplomacy=institute,
        hub=hub,
        multilateral_department=multilateral,
        kg_security_department=kg_security,
        embassies=embassies,
        schools=schools,
        chairs_school=chairs_school,
        university=university,
        mun_office=mun_office,
        project_office=project_office,
        alumni=alumni,
        people=people,
    )


def _pupils(
    actor: Any, office: Organisation, school: Organisation, chairs_school: Organisation
) -> dict[str, Person]:
    """Pupils registered in October 2018 with their guardians' consents."""
    registered = date(2018, 10, 20)
    pupils: dict[str, Person] = {}
    cast = [
        ("pupil", "Aruzhan", "Bekova", "Saule", date(2003, 4, 12), school, True),
        ("pupil_no_media", "Timur", "Zhaksylykov", "Nurlan", date(2003, 9, 2), school, False),
        ("chair", "Dana", "Omarova", "Aigul", date(2002, 2, 17), chairs_school, True),
    ]
    for key, given, family, guardian_given, born, where, media in cast:
        guardian = services.create_person(
            actor=actor,
            owner=office,
            given_name=guardian_given,
            family_name=family,
            notes=DEMO_NOTE,
        )
        pupil = services.create_person(
            actor=actor,
            owner=office,
            given_name=given,
            family_name=family,
            birth_date=born,
            guardian=guardian,
            citizenships=[_country("KZ")],
            notes=DEMO_NOTE,
        )
        services.record_consent(
            actor=actor,
            person=pupil,
            kind=ConsentKind.DATA_PROCESSING,
            given_by=guardian,
            given_on=registered,
        )
        if media:
            services.record_consent(
                actor=actor,
                person=pupil,
                kind=ConsentKind.MEDIA,
                given_by=guardian,
                given_on=registered,
            )
        services.add_affiliation(
            actor=actor,
            person=pupil,
            organisation=where,
            role=AffiliationRole.PUPIL,
            start=registered,
        )
        pupils[key] = pupil
    # Timur's father is asked again, by e-mail, for the photos: the link is still pending.
    services.request_consent(
        actor=actor,
        person=pupils["pupil_no_media"],
        guardian=pupils["pupil_no_media"].guardian,
        guardian_email="nurlan.zhaksylykov@example.kz",
        kinds=[ConsentKind.MEDIA],
        language="kk",
    )
    return pupils
