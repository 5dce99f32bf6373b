"""A synthetic national-scale data set for benchmarks (`chancery bench-data --scale N`).

At scale 1: 100 000 people, 5 000 organisations (ministries with departments, agencies, the
academy that keeps the records, embassies, universities, schools), 20 years of editions of six
programmes (four internship and training programmes, two outreach programmes), 300 000
enrolments, 50 000 outreach events and 1 000 000 attendance records; smaller or larger scales
keep the proportions (the 20 years and six programmes stay).

Rows are written with `bulk_create` in batches: no audit-history rows are written for the
bulk data (only the pairing draws go through the services, so they are real, verifiable
draws). The same seed and the same final year give the same data set.

Who is who:
- students and graduates (55 %) apply to the internship and training editions around their
  class year; completed internships have a placement at a ministry or one of its departments,
  with a supervisor from its staff;
- pupils (30 %) belong to a school taking part in one outreach edition, with data and (mostly)
  media consents, given by a guardian (3 %) while they are minors;
- diplomats (5 %) at the embassies, who speak at and attend their pairing's events;
- teachers (3 %) at the schools, the schools' contact persons;
- staff (4 %) of ministries and departments, the supervisors.
Names are drawn from Kazakh, Russian, Uzbek, Tajik, Kyrgyz and Korean names in Latin script,
Cyrillic script or both; about one person in 300 is recorded twice (a likely duplicate).
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Model

from chancery.agreements.models import Agreement, Party
from chancery.core.actors import SYSTEM
from chancery.directory.models import (
    Affiliation,
    Citizenship,
    Consent,
    Country,
    Organisation,
    Person,
)
from chancery.directory.names import name_key
from chancery.draws import services as draw_services
from chancery.events.models import Attendance, Event
from chancery.programmes import services as programme_services
from chancery.programmes.models import Edition, Enrolment, Participation, Placement, Programme

PEOPLE = 100_000
ORGANISATIONS = 5_000
ENROLMENTS = 300_000
EVENTS = 50_000
ATTENDANCES = 1_000_000
YEARS = 20
SEED = 20_251_123
BATCH = 5_000
ALMATY = ZoneInfo("Asia/Almaty")

# Shares of the people and the organisations.
PEOPLE_SHARES = {
    "student": 0.55,
    "pupil": 0.30,
    "guardian": 0.03,
    "diplomat": 0.05,
    "teacher": 0.03,
    "staff": 0.04,
}
ORGANISATION_SHARES = {
    "ministry": 0.004,
    "department": 0.06,
    "agency": 0.01,
    "international": 0.006,
    "embassy": 0.036,
    "university": 0.03,
}

MALE = [
    ("Daniyar", "Данияр"), ("Timur", "Тимур"), ("Rustam", "Рустам"), ("Nurlan", "Нурлан"),
    ("Yerlan", "Ерлан"), ("Askar", "Аскар"), ("Ruslan", "Руслан"), ("Arman", "Арман"),
    ("Bakhtiyor", "Бахтиёр"), ("Farrukh", "Фаррух"), ("Aidos", "Айдос"), ("Yerzhan", "Ержан"),
    ("Nursultan", "Нурсултан"), ("Marat", "Марат"), ("Serik", "Серик"), ("Dauren", "Даурен"),
    ("Alibek", "Алибек"), ("Azamat", "Азамат"), ("Bekzat", "Бекзат"), ("Olzhas", "Олжас"),
    ("Sanzhar", "Санжар"), ("Temirlan", "Темирлан"), ("Dmitry", "Дмитрий"),
    ("Alexander", "Александр"), ("Sergey", "Сергей"), ("Andrey", "Андрей"), ("Ilya", "Илья"),
    ("Maksim", "Максим"), ("Sherzod", "Шерзод"), ("Jamshid", "Джамшид"), ("Firdavs", "Фирдавс"),
    ("Umed", "Умед"), ("Bolot", "Болот"), ("Aibek", "Айбек"), ("Kanat", "Канат"),
    ("Murat", "Мурат"), ("Zhandos", "Жандос"), ("Islam", "Ислам"), ("Adil", "Адиль"),
    ("Yerbol", "Ербол"),
]  # fmt: skip
FEMALE = [
    ("Aigerim", "Айгерим"), ("Firuza", "Фируза"), ("Dilnoza", "Дильноза"), ("Asel", "Асель"),
    ("Madina", "Мадина"), ("Gulnara", "Гульнара"), ("Saule", "Сауле"), ("Zarina", "Зарина"),
    ("Kamila", "Камила"), ("Malika", "Малика"), ("Aruzhan", "Аружан"), ("Dana", "Дана"),
    ("Ainur", "Айнур"), ("Zhanar", "Жанар"), ("Dinara", "Динара"), ("Aliya", "Алия"),
    ("Assem", "Асем"), ("Togzhan", "Тогжан"), ("Akbota", "Акбота"), ("Moldir", "Молдир"),
    ("Tomiris", "Томирис"), ("Anel", "Анель"), ("Olga", "Ольга"), ("Yelena", "Елена"),
    ("Anna", "Анна"), ("Tatyana", "Татьяна"), ("Yekaterina", "Екатерина"), ("Natalya", "Наталья"),
    ("Nilufar", "Нилуфар"), ("Shakhnoza", "Шахноза"), ("Mehrona", "Мехрона"),
    ("Nigora", "Нигора"), ("Cholpon", "Чолпон"), ("Aizhan", "Айжан"), ("Gaukhar", "Гаухар"),
    ("Laura", "Лаура"), ("Balnur", "Балнур"), ("Indira", "Индира"), ("Karina", "Карина"),
    ("Sabina", "Сабина"),
]  # fmt: skip
# Family names with a masculine and a feminine form (the same when there is one form).
FAMILY_ROOTS = [
    ("Suyunov", "Суюнов"), ("Nazarov", "Назаров"), ("Karimov", "Каримов"),
    ("Rakhimov", "Рахимов"), ("Bekov", "Беков"), ("Zhaksylykov", "Жаксылыков"),
    ("Abdullaev", "Абдуллаев"), ("Tokayev", "Токаев"), ("Ismoilov", "Исмоилов"),
    ("Omarov", "Омаров"), ("Sadykov", "Садыков"), ("Yusupov", "Юсупов"),
    ("Mukhametov", "Мухаметов"), ("Ergashev", "Эргашев"), ("Kasymov", "Касымов"),
    ("Akhmedov", "Ахмедов"), ("Nurmagambetov", "Нурмагамбетов"), ("Rashidov", "Рашидов"),
    ("Tursunov", "Турсунов"), ("Aliev", "Алиев"), ("Abenov", "Абенов"),
    ("Baimukhanov", "Баймуханов"), ("Dzhaksybekov", "Джаксыбеков"), ("Yesenov", "Есенов"),
    ("Zhumabayev", "Жумабаев"), ("Iskakov", "Искаков"), ("Kenzhebayev", "Кенжебаев"),
    ("Mamyrov", "Мамыров"), ("Nurpeisov", "Нурпеисов"), ("Ospanov", "Оспанов"),
    ("Sarsenbayev", "Сарсенбаев"), ("Tulegenov", "Тулегенов"), ("Utegenov", "Утегенов"),
    ("Khamitov", "Хамитов"), ("Shaikenov", "Шайкенов"), ("Yermekov", "Ермеков"),
    ("Amanov", "Аманов"), ("Bekturov", "Бектуров"), ("Dosanov", "Досанов"),
    ("Zhakupov", "Жакупов"), ("Kaliyev", "Калиев"), ("Mukanov", "Муканов"),
    ("Nurlanov", "Нурланов"), ("Serikbayev", "Серикбаев"), ("Temirov", "Темиров"),
    ("Ivanov", "Иванов"), ("Petrov", "Петров"), ("Smirnov", "Смирнов"), ("Kuznetsov", "Кузнецов"),
    ("Popov", "Попов"), ("Volkov", "Волков"), ("Morozov", "Морозов"), ("Sokolov", "Соколов"),
    ("Lebedev", "Лебедев"), ("Novikov", "Новиков"), ("Fedorov", "Фёдоров"),
    ("Mirzoev", "Мирзоев"), ("Rahmonov", "Рахмонов"), ("Safarov", "Сафаров"),
    ("Sharipov", "Шарипов"), ("Davlatov", "Давлатов"), ("Kurbanov", "Курбанов"),
    ("Usmonov", "Усмонов"), ("Toshmatov", "Тошматов"), ("Abdurakhmanov", "Абдурахманов"),
    ("Dzhumaliev", "Джумалиев"), ("Osmonov", "Осмонов"), ("Sydykov", "Сыдыков"),
    ("Mamatov", "Маматов"), ("Asanov", "Асанов"), ("Kadyrov", "Кадыров"),
    ("Ibragimov", "Ибрагимов"), ("Galiev", "Галиев"), ("Zakirov", "Закиров"),
    ("Kim", "Ким"), ("Pak", "Пак"), ("Li", "Ли"), ("Tsoi", "Цой"), ("Khan", "Хан"),
    ("Shin", "Шин"),
]  # fmt: skip
SINGLE_FORM = {"Kim", "Pak", "Li", "Tsoi", "Khan", "Shin"}

CITIES = [
    ("Astana", "Астана", "Астана"), ("Almaty", "Алматы", "Алматы"),
    ("Shymkent", "Шымкент", "Шымкент"), ("Karaganda", "Караганда", "Қарағанды"),
    ("Aktobe", "Актобе", "Ақтөбе"), ("Taraz", "Тараз", "Тараз"),
    ("Pavlodar", "Павлодар", "Павлодар"), ("Oskemen", "Усть-Каменогорск", "Өскемен"),
    ("Semey", "Семей", "Семей"), ("Atyrau", "Атырау", "Атырау"),
    ("Kostanay", "Костанай", "Қостанай"), ("Kyzylorda", "Кызылорда", "Қызылорда"),
    ("Oral", "Уральск", "Орал"), ("Petropavl", "Петропавловск", "Петропавл"),
    ("Aktau", "Актау", "Ақтау"), ("Turkistan", "Туркестан", "Түркістан"),
    ("Kokshetau", "Кокшетау", "Көкшетау"), ("Taldykorgan", "Талдыкорган", "Талдықорған"),
    ("Zhezkazgan", "Жезказган", "Жезқазған"), ("Ekibastuz", "Экибастуз", "Екібастұз"),
]  # fmt: skip
MINISTRIES = [
    ("Ministry of Foreign Affairs", "Министерство иностранных дел", "Сыртқы істер министрлігі"),
    ("Ministry of Education", "Министерство просвещения", "Оқу-ағарту министрлігі"),
    (
        "Ministry of Science and Higher Education",
        "Министерство науки и высшего образования",
        "Ғылым және жоғары білім министрлігі",
    ),
    ("Ministry of Finance", "Министерство финансов", "Қаржы министрлігі"),
    (
        "Ministry of National Economy",
        "Министерство национальной экономики",
        "Ұлттық экономика министрлігі",
    ),
    ("Ministry of Justice", "Министерство юстиции", "Әділет министрлігі"),
    (
        "Ministry of Trade and Integration",
        "Министерство торговли и интеграции",
        "Сауда және интеграция министрлігі",
    ),
    (
        "Ministry of Culture and Information",
        "Министерство культуры и информации",
        "Мәдениет және ақпарат министрлігі",
    ),
    ("Ministry of Energy", "Министерство энергетики", "Энергетика министрлігі"),
    ("Ministry of Health", "Министерство здравоохранения", "Денсаулық сақтау министрлігі"),
    ("Ministry of Defence", "Министерство обороны", "Қорғаныс министрлігі"),
    ("Ministry of Internal Affairs", "Министерство внутренних дел", "Ішкі істер министрлігі"),
    ("Ministry of Agriculture", "Министерство сельского хозяйства", "Ауыл шаруашылығы министрлігі"),
    ("Ministry of Ecology", "Министерство экологии", "Экология министрлігі"),
    (
        "Ministry of Labour and Social Protection",
        "Министерство труда и социальной защиты",
        "Еңбек және халықты әлеуметтік қорғау министрлігі",
    ),
    (
        "Ministry of Digital Development",
        "Министерство цифрового развития",
        "Цифрлық даму министрлігі",
    ),
    ("Ministry of Transport", "Министерство транспорта", "Көлік министрлігі"),
    (
        "Ministry of Industry and Construction",
        "Министерство промышленности и строительства",
        "Өнеркәсіп және құрылыс министрлігі",
    ),
    (
        "Ministry of Tourism and Sports",
        "Министерство туризма и спорта",
        "Туризм және спорт министрлігі",
    ),
    (
        "Ministry of Emergency Situations",
        "Министерство по чрезвычайным ситуациям",
        "Төтенше жағдайлар министрлігі",
    ),
]
DEPARTMENTS = [
    ("Department of Europe", "Департамент Европы"),
    ("Department of Asia", "Департамент Азии"),
    ("Department of the Americas", "Департамент Америки"),
    ("Department of Multilateral Cooperation", "Департамент многостороннего сотрудничества"),
    ("Legal Department", "Юридический департамент"),
    ("Consular Service Department", "Департамент консульской службы"),
    ("Department of Economic Diplomacy", "Департамент экономической дипломатии"),
    ("Protocol Department", "Департамент протокола"),
    ("Human Resources Department", "Департамент кадров"),
    ("Department of International Cooperation", "Департамент международного сотрудничества"),
    ("Strategic Planning Department", "Департамент стратегического планирования"),
    ("Press Service", "Пресс-служба"),
    ("Department of Information Technology", "Департамент информационных технологий"),
    ("Department of Arms Control", "Департамент контроля над вооружениями"),
    ("Department of Central Asia", "Департамент Центральной Азии"),
]
AGENCIES = [
    ("Agency for Civil Service Affairs", "Агентство по делам государственной службы"),
    ("Agency for Strategic Planning", "Агентство по стратегическому планированию"),
    ("Statistics Bureau", "Бюро национальной статистики"),
    ("Investment Promotion Agency", "Агентство по привлечению инвестиций"),
    ("Development Agency", "Агентство по развитию"),
]
INTERNATIONAL = [
    ("OSCE Programme Office", "Офис программ ОБСЕ"),
    ("UNDP Country Office", "Офис ПРООН"),
    ("UNICEF Country Office", "Офис ЮНИСЕФ"),
    ("EU Delegation", "Представительство ЕС"),
    ("UNESCO Cluster Office", "Кластерное бюро ЮНЕСКО"),
    ("IOM Mission", "Миссия МОМ"),
]
UNIVERSITY_SUBJECTS = [
    ("University of International Relations", "Университет международных отношений"),
    ("State University", "Государственный университет"),
    ("University of Economics", "Экономический университет"),
    ("Pedagogical University", "Педагогический университет"),
    ("Technical University", "Технический университет"),
    ("Law Academy", "Юридическая академия"),
    ("University of Languages", "Университет иностранных языков"),
]
KINDS = [
    ("lecture", 30),
    ("visit", 18),
    ("concert", 8),
    ("presentation", 18),
    ("seminar", 10),
    ("conference", 4),
    ("roundtable", 6),
    ("ceremony", 3),
    ("other", 3),
]
TOPICS = [
    "foreign policy",
    "culture and traditions",
    "language and literature",
    "history of diplomatic relations",
    "economy and trade",
    "education abroad",
    "climate and water",
    "national holidays",
    "music",
    "cuisine",
    "sport",
    "science",
]
PROGRAMMES = [
    # (English, Russian, Kazakh, kind, months, weight of its enrolments or events)
    (
        "Ministry internships for graduates",
        "Стажировки выпускников в министерствах",
        "Түлектердің министрліктердегі тағылымдамасы",
        "internship",
        3,
        0.45,
    ),
    (
        "Junior professional officers",
        "Младшие профессиональные сотрудники",
        "Кіші кәсіби қызметкерлер",
        "internship",
        6,
        0.15,
    ),
    (
        "Training of foreign diplomats",
        "Обучение иностранных дипломатов",
        "Шетелдік дипломаттарды оқыту",
        "training",
        1,
        0.15,
    ),
    (
        "Summer school of diplomacy",
        "Летняя школа дипломатии",
        "Дипломатияның жазғы мектебі",
        "training",
        1,
        0.25,
    ),
    ("Jas Diplomat", "Жас дипломат", "Жас дипломат", "outreach", 8, 0.7),
    (
        "Jas Diplomat in the regions",
        "Жас дипломат в регионах",
        "Өңірлердегі Жас дипломат",
        "outreach",
        8,
        0.3,
    ),
]


def scaled(total: int, scale: float, minimum: int = 1) -> int:
    return max(minimum, round(total * scale))


def targets(scale: float) -> dict[str, int]:
    """The number of rows of each kind the generator writes at `scale`."""
    return {
        "people": scaled(PEOPLE, scale, 60),
        "organisations": scaled(ORGANISATIONS, scale, 20),
        "enrolments": scaled(ENROLMENTS, scale, 80),
        "events": scaled(EVENTS, scale, 40),
        "attendances": scaled(ATTENDANCES, scale, 400),
    }


def split(total: int, weights: Sequence[float]) -> list[int]:
    """`total` split in proportion to `weights`, largest remainders first; sums to `total`."""
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    parts = [int(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


@lru_cache(maxsize=100_000)
def person_key(given: str, family: str, given_cyrl: str, family_cyrl: str) -> str:
    """directory.services._refresh_name_key for a name without a display name."""
    return name_key(given or given_cyrl, family or family_cyrl)


def _feminine(latin: str, cyrillic: str) -> tuple[str, str]:
    if latin in SINGLE_FORM:
        return latin, cyrillic
    return latin + "a", cyrillic + "а"


@dataclass
class OutreachPlan:
    programme: int
    year: int
    schools: list[int]
    embassies: list[int]
    events: int = 0
    edition_id: int = 0
    pupils: dict[int, list[int]] = field(default_factory=dict)  # school id → person ids


class Generator:
    """Builds the data set; `run()` writes it and returns the counts."""

    def __init__(
        self,
        scale: float,
        *,
        seed: int = SEED,
        final_year: int | None = None,
        batch_size: int = BATCH,
        log: Callable[[str], None] | None = None,
    ) -> None:
        if scale <= 0:
            raise ValueError("scale must be positive")
        self.scale = scale
        self.rng = random.Random(seed)  # noqa: S311  # synthetic data, not secrets
        self.final_year = final_year or date.today().year
        self.first_year = self.final_year - YEARS + 1
        self.batch_size = batch_size
        self.log = log or (lambda _text: None)
        self.want = targets(scale)
        self.counts: dict[str, int] = defaultdict(int)
        self.today = date(self.final_year, 11, 15)
        self._started = time.perf_counter()

    # Writing

    def _save(self, model: type[Model], objects: Iterable[Model]) -> list[Any]:
        """bulk_create in batches; returns the saved objects with their ids."""
        saved: list[Any] = []
        batch: list[Model] = []
        for obj in objects:
            batch.append(obj)
            if len(batch) >= self.batch_size:
                saved += model._default_manager.bulk_create(batch)
                batch = []
        if batch:
            saved += model._default_manager.bulk_create(batch)
        self.counts[model._meta.label] += len(saved)
        return saved

    def _step(self, text: str) -> None:
        self.log(f"{time.perf_counter() - self._started:7.1f} s  {text}")

    def run(self) -> dict[str, int]:
        steps = [
            self.organisations,
            self.plan_outreach,
            self.people,
            self.programmes,
            self.outreach,
            self.events,
            self.attendances,
            self.enrolments,
            self.agreements,
        ]
        for step in steps:
            with transaction.atomic():
                step()
        # Fresh statistics for the query planner, as autovacuum (PostgreSQL) or a periodic
        # ANALYZE (SQLite) would give a database that grew over years.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self._step("done (statistics analysed)")
        return dict(self.counts)

    # Organisations

    def organisations(self) -> None:
        rng = self.rng
        total = self.want["organisations"]
        n = {kind: max(1, round(total * share)) for kind, share in ORGANISATION_SHARES.items()}
        countries = list(Country.objects.exclude(alpha2="KZ").order_by("alpha2"))
        n["embassy"] = max(2, min(n["embassy"], len(countries)))
        n["school"] = max(2, total - sum(n.values()) - 1)  # one more: the academy
        self.kz = Country.objects.get(alpha2="KZ")
        self.countries = countries

        self.academy = self._save(
            Organisation,
            [
                Organisation(
                    kind="academy",
                    name_en="Academy of Diplomacy",
                    name_ru="Академия дипломатии",
                    name_kk="Дипломатия академиясы",
                    short_name="AD",
                    country=self.kz,
                )
            ],
        )[0]
        ministries = []
        for i in range(n["ministry"]):
            en, ru, kk = MINISTRIES[i % len(MINISTRIES)]
            suffix = f" ({i // len(MINISTRIES) + 1})" if i >= len(MINISTRIES) else ""
            ministries.append(
                Organisation(
                    kind="ministry",
                    name_en=en + suffix,
                    name_ru=ru + suffix,
                    name_kk=kk + suffix,
                    country=self.kz,
                )
            )
        self.ministries = self._save(Organisation, ministries)
        departments = []
        for i in range(n["department"]):
            # The foreign ministry has the most departments.
            parent = self.ministries[0] if i % 3 == 0 else self.ministries[i % len(ministries)]
            en, ru = DEPARTMENTS[i % len(DEPARTMENTS)]
            number = i // len(DEPARTMENTS) + 1
            departments.append(
                Organisation(
                    kind="department",
                    name_en=f"{en} {number}, {parent.name_en}",
                    name_ru=f"{ru} {number}, {parent.name_ru}",
                    parent=parent,
                    country=self.kz,
                )
            )
        self.departments = self._save(Organisation, departments)
        self.children: dict[int, list[Any]] = defaultdict(list)
        for department in self.departments:
            self.children[department.parent_id].append(department)
        others = []
        for i in range(n["agency"]):
            en, ru = AGENCIES[i % len(AGENCIES)]
            city = CITIES[i % len(CITIES)]
            others.append(
                Organisation(
                    kind="agency",
                    name_en=f"{en}, {city[0]}",
                    name_ru=f"{ru}, {city[1]}",
                    country=self.kz,
                )
            )
        for i in range(n["international"]):
            en, ru = INTERNATIONAL[i % len(INTERNATIONAL)]
            city = CITIES[i % len(CITIES)]
            others.append(
                Organisation(
                    kind="international",
                    name_en=f"{en} in {city[0]}",
                    name_ru=f"{ru} в г. {city[1]}",
                )
            )
        self._save(Organisation, others)
        embassies = []
        for country in rng.sample(countries, n["embassy"]):
            embassies.append(
                Organisation(
                    kind="embassy",
                    name_en=f"Embassy of {country.name_en} in Kazakhstan",
                    name_ru=f"Посольство в Казахстане: {country.name_ru or country.name_en}",
                    country=country,
                )
            )
        self.embassies = self._save(Organisation, embassies)
        universities = []
        for i in range(n["university"]):
            en, ru = UNIVERSITY_SUBJECTS[i % len(UNIVERSITY_SUBJECTS)]
            city = CITIES[(i // len(UNIVERSITY_SUBJECTS)) % len(CITIES)]
            number = i // (len(UNIVERSITY_SUBJECTS) * len(CITIES))
            tail = f" {number + 1}" if number else ""
            universities.append(
                Organisation(
                    kind="university",
                    name_en=f"{city[0]} {en}{tail}",
                    name_ru=f"{ru}{tail}, {city[1]}",
                    country=self.kz,
                )
            )
        self.universities = self._save(Organisation, universities)
        schools = []
        for i in range(n["school"]):
            city = CITIES[0] if i % 4 == 0 else rng.choice(CITIES)
            number = i + 1
            schools.append(
                Organisation(
                    kind="school",
                    name_en=f"School-lyceum No. {number}, {city[0]}",
                    name_ru=f"Школа-лицей № {number}, {city[1]}",
                    name_kk=f"№ {number} мектеп-лицей, {city[2]}",
                    country=self.kz,
                )
            )
        self.schools = self._save(Organisation, schools)
        self._step(f"{Organisation.objects.count()} organisations")

    # Outreach editions are planned first: pupils belong to the schools that take part.

    def plan_outreach(self) -> None:
        rng = self.rng
        outreach = [i for i, p in enumerate(PROGRAMMES) if p[3] == "outreach"]
        most = min(len(self.schools), len(self.embassies))
        # Schools that take part come back year after year: a pool a few times the largest
        # edition, not every school of the country.
        regular = self.schools[: max(most, min(len(self.schools), 4 * most))]
        self.plans: list[OutreachPlan] = []
        for programme in outreach:
            largest = max(2, min(most, 40 if PROGRAMMES[programme][5] > 0.5 else 25))
            for k in range(YEARS):
                size = max(2, min(most, round(largest * (0.3 + 0.7 * k / (YEARS - 1)))))
                self.plans.append(
                    OutreachPlan(
                        programme=programme,
                        year=self.first_year + k,
                        schools=[s.pk for s in rng.sample(regular, size)],
                        embassies=[e.pk for e in rng.sample(self.embassies, size)],
                    )
                )
        # Later seasons are busier: events grow with the year and the programme's weight.
        weights = [
            PROGRAMMES[p.programme][5] * (1 + (p.year - self.first_year) / 4) for p in self.plans
        ]
        for plan, events in zip(self.plans, split(self.want["events"], weights), strict=True):
            plan.events = events

    # People

    def _name(self, female: bool) -> tuple[str, str, str, str]:
        rng = self.rng
        given, given_cyrl = rng.choice(FEMALE if female else MALE)
        family, family_cyrl = rng.choice(FAMILY_ROOTS)
        if female:
            family, family_cyrl = _feminine(family, family_cyrl)
        script = rng.random()
        if script < 0.10:
            return "", "", given_cyrl, family_cyrl
        if script < 0.45:
            return given, family, "", ""
        return given, family, given_cyrl, family_cyrl

    def _birth(self, year: int) -> date:
        return date(year, self.rng.randint(1, 12), self.rng.randint(1, 28))

    def people(self) -> None:
        rng = self.rng
        total = self.want["people"]
        counts = dict(zip(PEOPLE_SHARES, split(total, list(PEOPLE_SHARES.values())), strict=True))
        twins = max(1, total // 300)
        counts["student"] -= twins
        people: list[Person] = []
        roles: list[tuple[str, Any]] = []  # (category, extra) per person, in order

        def add(
            category: str,
            born: date | None,
            extra: Any = None,
            *,
            female: bool | None = None,
            email: bool = True,
            class_year: int | None = None,
        ) -> None:
            female = rng.random() < 0.5 if female is None else female
            given, family, given_cyrl, family_cyrl = self._name(female)
            latin = f"{given}.{family}".lower() if given else f"person{len(people)}"
            people.append(
                Person(
                    given_name=given,
                    family_name=family,
                    given_name_cyrl=given_cyrl,
                    family_name_cyrl=family_cyrl,
                    birth_date=born,
                    class_year=class_year,
                    email=f"{latin}.{len(people)}@example.kz" if email else "",
                    phone=f"+7 7{rng.randint(0, 99):02d} {rng.randint(0, 9_999_999):07d}"
                    if rng.random() < 0.4
                    else "",
                    owner=self.academy,
                    name_key=person_key(given, family, given_cyrl, family_cyrl),
                )
            )
            roles.append((category, extra))

        last = self.final_year
        for _ in range(counts["student"]):
            class_year = rng.randint(self.first_year - 2, last + 1)
            add(
                "student",
                self._birth(class_year - 22 + rng.randint(-1, 2)),
                rng.choice(self.universities),
                class_year=class_year,
            )
        # Pupils: spread over the outreach editions' schools, in proportion to their events.
        slots = [(plan, school) for plan in self.plans for school in plan.schools]
        slot_weights = [plan.events / len(plan.schools) for plan, _school in slots]
        for (plan, school), n in zip(slots, split(counts["pupil"], slot_weights), strict=True):
            for _ in range(n):
                add(
                    "pupil",
                    self._birth(plan.year - rng.randint(13, 16)),
                    (plan, school),
                    email=rng.random() < 0.3,
                )
        for _ in range(counts["guardian"]):
            add("guardian", self._birth(rng.randint(1965, 1990)), None, email=True)
        for i in range(counts["diplomat"]):
            add(
                "diplomat",
                self._birth(rng.randint(1960, 1995)),
                self.embassies[i % len(self.embassies)],
            )
        taking_part = [s for plan in self.plans for s in plan.schools]
        for i in range(counts["teacher"]):
            school = taking_part[i] if i < len(taking_part) else rng.choice(self.schools).pk
            add("teacher", self._birth(rng.randint(1960, 1998)), school)
        workplaces = self.ministries + self.departments
        for i in range(counts["staff"]):
            add("staff", self._birth(rng.randint(1960, 1998)), workplaces[i % len(workplaces)])

        # About one in 300 is recorded twice: the same person in the other script.
        for i in rng.sample(range(len(people)), 3 * twins):
            twin = people[i]
            if len(people) >= total:
                break
            if not (twin.given_name and twin.given_name_cyrl and twin.birth_date):
                continue
            people.append(
                Person(
                    given_name_cyrl=twin.given_name_cyrl,
                    family_name_cyrl=twin.family_name_cyrl,
                    birth_date=twin.birth_date,
                    email=twin.email,
                    owner=self.academy,
                    name_key=person_key("", "", twin.given_name_cyrl, twin.family_name_cyrl),
                )
            )
            roles.append(("twin", None))
        # Fill up to the exact count with more students.
        while len(people) < total:
            class_year = rng.randint(self.first_year, last)
            add(
                "student",
                self._birth(class_year - 22),
                rng.choice(self.universities),
                class_year=class_year,
            )
        people = people[:total]
        roles = roles[:total]
        saved = self._save(Person, people)
        self._step(f"{len(saved)} people")

        self.students: list[tuple[int, int]] = []  # (person id, class year)
        self.pupils_of_plan: dict[int, list[int]] = defaultdict(list)  # id(plan) → pupils
        self.diplomats: dict[int, list[int]] = defaultdict(list)  # embassy → people
        self.teachers: dict[int, list[int]] = defaultdict(list)  # school → people
        self.staff: dict[int, list[int]] = defaultdict(list)  # workplace → people
        self.guardians: list[Person] = []
        self.everyone = [p.pk for p in saved]
        affiliations, citizenships, consents = [], [], []
        wards: list[Person] = []
        central_asia = [
            c
            for c in self.countries
            if c.alpha2 in {"UZ", "KG", "TJ", "TM", "AF", "RU", "MN", "CN"}
        ]
        for person, (category, extra) in zip(saved, roles, strict=True):
            pk = person.pk
            if category == "student":
                self.students.append((pk, person.class_year))
                start = date(person.class_year - 4, 9, 1)
                end = date(person.class_year, 6, 30)
                affiliations.append(
                    Affiliation(
                        person_id=pk,
                        organisation=extra,
                        start=start,
                        role="student" if end >= self.today else "alumnus",
                        end=end if end < self.today else None,
                    )
                )
            elif category == "pupil":
                plan, school = extra
                plan.pupils.setdefault(school, []).append(pk)
                self.pupils_of_plan[id(plan)].append(pk)
                affiliations.append(
                    Affiliation(
                        person_id=pk,
                        organisation_id=school,
                        role="pupil",
                        start=date(plan.year, 9, 1),
                        end=date(plan.year + 1, 5, 31),
                    )
                )
                if person.is_minor(self.today):
                    wards.append(person)
                else:
                    for kind in ("data", "media") if rng.random() < 0.8 else ("data",):
                        consents.append(
                            Consent(
                                person_id=pk,
                                given_by_id=pk,
                                kind=kind,
                                given_on=date(plan.year, 9, 15),
                            )
                        )
            elif category == "guardian":
                self.guardians.append(person)
            elif category == "diplomat":
                self.diplomats[extra.pk].append(pk)
                affiliations.append(
                    Affiliation(
                        person_id=pk,
                        organisation=extra,
                        role="diplomat",
                        title=rng.choice(
                            [
                                "Ambassador",
                                "Counsellor",
                                "First Secretary",
                                "Second Secretary",
                                "Attaché",
                            ]
                        ),
                        start=date(rng.randint(self.final_year - 4, self.final_year), 9, 1),
                    )
                )
                citizenships.append(Citizenship(person_id=pk, country_id=extra.country_id))
                continue
            elif category == "teacher":
                self.teachers[extra].append(pk)
                affiliations.append(
                    Affiliation(
                        person_id=pk, organisation_id=extra, role="teacher", title="Teacher"
                    )
                )
            elif category == "staff":
                self.staff[extra.pk].append(pk)
                if extra.parent_id:
                    self.staff[extra.parent_id].append(pk)
                affiliations.append(
                    Affiliation(
                        person_id=pk,
                        organisation=extra,
                        role="supervisor" if rng.random() < 0.4 else "staff",
                        start=date(rng.randint(self.first_year, self.final_year), 1, 15),
                    )
                )
            picked = rng.random()
            if category == "twin" or picked < 0.12:
                continue  # no known citizenship
            if category == "student" and picked < 0.3:
                country = rng.choice(central_asia).alpha2 if central_asia else "KZ"
            else:
                country = "KZ"
            citizenships.append(Citizenship(person_id=pk, country_id=country))
            if picked > 0.97 and country == "KZ" and central_asia:
                citizenships.append(
                    Citizenship(person_id=pk, country_id=rng.choice(central_asia).alpha2)
                )
        # Minors' consents are given by a guardian (a guardian may have several wards).
        for i, ward in enumerate(wards):
            guardian = self.guardians[i % len(self.guardians)] if self.guardians else None
            if guardian is not None:
                ward.guardian_id = guardian.pk
            giver = guardian.pk if guardian else ward.pk
            season = ward.birth_date.year + 14 if ward.birth_date else self.final_year
            for kind in ("data", "media") if rng.random() < 0.8 else ("data",):
                consents.append(
                    Consent(
                        person_id=ward.pk,
                        given_by_id=giver,
                        kind=kind,
                        given_on=date(min(season, self.final_year), 9, 15),
                    )
                )
        Person.objects.bulk_update(
            [w for w in wards if w.guardian_id], ["guardian"], batch_size=self.batch_size
        )
        self._save(Affiliation, affiliations)
        self._save(Citizenship, citizenships)
        self._save(Consent, consents)
        self._step(
            f"{len(affiliations)} affiliations, {len(citizenships)} citizenships, "
            f"{len(consents)} consents"
        )

    # Programmes and editions

    def programmes(self) -> None:
        programmes = self._save(
            Programme,
            [
                Programme(
                    name_en=en,
                    name_ru=ru,
                    name_kk=kk,
                    kind=kind,
                    owner=self.academy,
                    default_duration_months=months,
                    description=f"{en}: a synthetic programme of the benchmark data set.",
                )
                for en, ru, kk, kind, months, _weight in PROGRAMMES
            ],
        )
        self.programme_objects = programmes
        editions = []
        for index, programme in enumerate(programmes):
            for year in range(self.first_year, self.final_year + 1):
                if programme.kind == "outreach":
                    starts, ends = date(year, 10, 1), date(year + 1, 5, 31)
                    opens = closes = None
                    capacity = None
                elif programme.kind == "internship":
                    starts, ends = date(year, 9, 1), date(year, 12, 20)
                    opens, closes = date(year, 3, 1), date(year, 5, 31)
                    capacity = 40 + index * 10
                else:
                    starts, ends = date(year, 7, 1), date(year, 7, 28)
                    opens, closes = date(year, 2, 1), date(year, 4, 30)
                    capacity = 60
                editions.append(
                    Edition(
                        programme=programme,
                        name=f"{programme.name_en} {year}",
                        year=year,
                        starts_on=starts,
                        ends_on=ends,
                        capacity=capacity,
                        applications_open=opens,
                        applications_close=closes,
                    )
                )
        saved = self._save(Edition, editions)
        keys = [
            (index, year)
            for index in range(len(programmes))
            for year in range(self.first_year, self.final_year + 1)
        ]
        self.editions: dict[tuple[int, int], Any] = dict(zip(keys, saved, strict=True))
        for plan in self.plans:
            plan.edition_id = self.editions[(plan.programme, plan.year)].pk
        self._step(f"{len(programmes)} programmes, {len(saved)} editions")

    def outreach(self) -> None:
        """Participations, then a real announced and conducted pairing draw per edition."""

        names = dict(
            Organisation.objects.filter(kind__in=["school", "embassy"]).values_list("pk", "name_en")
        )
        participations = []
        partner = self.universities[0]
        for plan in self.plans:
            for school in plan.schools:
                teachers = self.teachers.get(school)
                contact = teachers[0] if teachers else None
                participations.append(
                    Participation(
                        edition_id=plan.edition_id,
                        organisation_id=school,
                        role="school",
                        contact_id=contact,
                    )
                )
            for embassy in plan.embassies:
                diplomats = self.diplomats.get(embassy)
                contact = diplomats[0] if diplomats else None
                participations.append(
                    Participation(
                        edition_id=plan.edition_id,
                        organisation_id=embassy,
                        role="embassy",
                        contact_id=contact,
                    )
                )
            participations.append(
                Participation(
                    edition_id=plan.edition_id,
                    organisation=partner,
                    role="partner",
                    partner_role="Student volunteers",
                )
            )
        self._save(Participation, participations)
        self.pairings: dict[int, list[Any]] = {}
        for plan in self.plans:
            edition = self.editions[(plan.programme, plan.year)]
            announced = date(plan.year, 9, 20)
            draw = draw_services.create_draw(
                actor=SYSTEM,
                owner=self.academy,
                edition=edition,
                title=f"{edition.name}: pairing of schools and embassies",
                kind="pair",
                left_label="Schools",
                right_label="Embassies",
                left=[names[s] for s in plan.schools],
                right=[names[e] for e in plan.embassies],
                sources=[
                    {
                        "name": f"Dice thrown at the launch of {edition.name}",
                        "form": "numbers",
                        "known_on": (announced + timedelta(days=5)).isoformat(),
                        "description": "Five dice thrown in public.",
                    }
                ],
            )
            draw = draw_services.announce_draw(actor=SYSTEM, draw=draw, on=announced)
            draw = draw_services.conduct_draw(
                actor=SYSTEM,
                draw=draw,
                values=[" ".join(str(self.rng.randint(1, 6)) for _ in range(5))],
                at=datetime(plan.year, 9, 25, 12, tzinfo=ALMATY),
            )  # the sources' day
            self.pairings[id(plan)] = programme_services.pair_by_draw(
                actor=SYSTEM, edition=edition, draw=draw
            )
        self._step(f"{len(participations)} participations, {len(self.plans)} pairing draws")

    # Events and attendance

    def events(self) -> None:
        rng = self.rng
        kinds, weights = zip(*KINDS, strict=True)
        names = {e.pk: e.country.name_en for e in self.embassies}
        events: list[Event] = []
        self.event_plan: list[tuple[OutreachPlan, Any]] = []  # (plan, pairing or None)
        for plan in self.plans:
            pairings = self.pairings[id(plan)]
            season = date(plan.year, 10, 1)
            days = (date(plan.year + 1, 5, 31) - season).days
            for i in range(plan.events):
                last = i == plan.events - 1
                pairing = None if last or rng.random() < 0.1 else rng.choice(pairings)
                kind = "model_un" if last else rng.choices(kinds, weights)[0]
                day = season + timedelta(days=days if last else rng.randrange(days))
                hour = rng.choice([9, 10, 11, 14, 15, 16])
                starts = datetime(day.year, day.month, day.day, hour, tzinfo=ALMATY).astimezone(UTC)
                topic = rng.choice(TOPICS)
                country = names[pairing.embassy_id] if pairing else "the world"
                title = (
                    "Model UN meeting of the season"
                    if last
                    else f"{dict(KINDS_LABELS)[kind]}: {country}, {topic}"
                )
                events.append(
                    Event(
                        edition_id=plan.edition_id,
                        kind=kind,
                        title=title[:200],
                        starts_at=starts,
                        ends_at=starts + timedelta(hours=rng.choice([1, 2, 3])),
                        venue=(
                            f"Embassy of {country}" if kind == "visit" else "School assembly hall"
                        ),
                        public=rng.random() < 0.6,
                        hashtag="#jasdiplomat",
                        description=f"A {kind} on {topic} for the pupils of the paired school.",
                    )
                )
                self.event_plan.append((plan, pairing))
        saved = self._save(Event, events)
        pairing_rows, speaker_rows, organiser_rows = [], [], []
        for event, (_plan, pairing) in zip(saved, self.event_plan, strict=True):
            if pairing is None:
                organiser_rows.append(
                    Event.organisers.through(event_id=event.pk, organisation_id=self.academy.pk)
                )
                continue
            # mypy does not see these link models of a translated model (type: ignore[misc])
            pairing_rows.append(
                Event.pairings.through(  # type: ignore[misc]
                    event_id=event.pk, pairing_id=pairing.pk
                )
            )
            organiser_rows.append(
                Event.organisers.through(event_id=event.pk, organisation_id=pairing.embassy_id)
            )
            diplomats = self.diplomats.get(pairing.embassy_id)
            if diplomats and event.kind in {"lecture", "presentation", "seminar"}:
                speaker_rows.append(
                    Event.speakers.through(  # type: ignore[misc]
                        event_id=event.pk, person_id=rng.choice(diplomats)
                    )
                )
        self._save(Event.pairings.through, pairing_rows)
        self._save(Event.speakers.through, speaker_rows)
        self._save(Event.organisers.through, organiser_rows)
        self.event_rows = saved
        self._step(f"{len(saved)} events")

    def attendances(self) -> None:
        rng = self.rng
        total = self.want["attendances"]
        n_events = len(self.event_rows)
        sizes = split(total, [rng.uniform(0.5, 1.5) for _ in range(n_events)])
        volunteers = [pk for pk, _year in self.students] or self.everyone
        now = datetime(self.today.year, self.today.month, self.today.day, tzinfo=UTC)

        def rows() -> Iterable[Attendance]:
            for event, (plan, pairing), size in zip(
                self.event_rows, self.event_plan, sizes, strict=True
            ):
                if pairing is not None:
                    pool = list(plan.pupils.get(pairing.school_id, []))
                    pool += self.teachers.get(pairing.school_id, [])
                    pool += self.diplomats.get(pairing.embassy_id, [])[:6]
                else:
                    pool = list(self.pupils_of_plan[id(plan)])
                if len(pool) < size:  # the edition's other pupils, then student volunteers
                    seen = set(pool)
                    more = [p for p in self.pupils_of_plan[id(plan)] if p not in seen]
                    pool += more
                    if len(pool) < size:
                        seen.update(more)
                        pool += [
                            p
                            for p in rng.sample(volunteers, min(len(volunteers), 2 * size))
                            if p not in seen
                        ]
                past = event.starts_at < now
                for person in rng.sample(pool, min(size, len(pool))):
                    attended = past and rng.random() < 0.88
                    yield Attendance(
                        event_id=event.pk,
                        person_id=person,
                        attended=attended,
                        checked_at=event.starts_at + timedelta(minutes=rng.randint(-20, 15))
                        if attended
                        else None,
                    )

        self._save(Attendance, rows())
        self._step(f"{self.counts[Attendance._meta.label]} attendance records")

    # Enrolments and placements

    def enrolments(self) -> None:
        rng = self.rng
        plain = [(i, p) for i, p in enumerate(PROGRAMMES) if p[3] != "outreach"]
        keys = [
            (i, year) for i, _p in plain for year in range(self.first_year, self.final_year + 1)
        ]
        weights = [PROGRAMMES[i][5] * (1 + (year - self.first_year) / 10) for i, year in keys]
        by_year: dict[int, list[int]] = defaultdict(list)
        for pk, class_year in self.students:
            by_year[class_year].append(pk)
        everyone = [pk for pk, _year in self.students] or self.everyone
        hosts = self.ministries
        enrolments: list[Enrolment] = []
        for (index, year), n in zip(keys, split(self.want["enrolments"], weights), strict=True):
            edition = self.editions[(index, year)]
            pool = [pk for y in range(year - 1, year + 5) for pk in by_year.get(y, [])]
            if len(pool) < n:
                pool = everyone
            chosen = rng.sample(pool, min(n, len(pool)))
            current = year == self.final_year
            for person in chosen:
                if current:
                    state = rng.choices(
                        [
                            "applied",
                            "eligible",
                            "ineligible",
                            "selected",
                            "placed",
                            "active",
                            "withdrawn",
                        ],
                        [30, 25, 15, 10, 8, 10, 2],
                    )[0]
                else:
                    state = rng.choices(
                        ["completed", "ineligible", "eligible", "withdrawn"], [35, 25, 35, 5]
                    )[0]
                applied = (edition.applications_open or date(year, 1, 10)) + timedelta(
                    days=rng.randrange(60)
                )
                enrolments.append(
                    Enrolment(
                        edition=edition,
                        person_id=person,
                        state=state,
                        applied_on=applied,
                        state_reason="Took up a job offer." if state == "withdrawn" else "",
                        preferred_host=rng.choice(hosts)
                        if PROGRAMMES[index][3] == "internship" and rng.random() < 0.5
                        else None,
                        completed_on=edition.ends_on if state == "completed" else None,
                        motivation="I want to learn how foreign policy is made."
                        if rng.random() < 0.3
                        else "",
                    )
                )
        saved = self._save(Enrolment, enrolments)
        placements = []
        for enrolment in saved:
            edition = enrolment.edition
            if edition.programme.kind != "internship" or enrolment.state not in {
                "placed",
                "active",
                "completed",
            }:
                continue
            host = enrolment.preferred_host or rng.choice(hosts)
            departments = self.children.get(host.pk)
            department = rng.choice(departments) if departments and rng.random() < 0.7 else None
            staff = self.staff.get((department or host).pk)
            status = {"placed": "planned", "active": "active", "completed": "completed"}[
                enrolment.state
            ]
            placements.append(
                Placement(
                    enrolment_id=enrolment.pk,
                    host=host,
                    department=department,
                    supervisor_id=rng.choice(staff) if staff else None,
                    start=edition.starts_on,
                    end=edition.ends_on,
                    status=status,
                )
            )
        self._save(Placement, placements)
        self._step(f"{len(saved)} enrolments, {len(placements)} placements")

    def agreements(self) -> None:
        rng = self.rng
        n = max(3, round(60 * self.scale))
        partners = self.ministries + self.embassies + self.universities
        agreements = []
        counterparts = []
        for i in range(n):
            counterpart = partners[i % len(partners)]
            signed = date(
                rng.randint(self.first_year, self.final_year),
                rng.randint(1, 12),
                rng.randint(1, 28),
            )
            kind = rng.choice(["bilateral", "memorandum", "inter_agency"])
            agreements.append(
                Agreement(
                    title=f"Cooperation in training: Academy of Diplomacy and "
                    f"{counterpart.name_en} ({i + 1})"[:300],
                    kind=kind,
                    owner=self.academy,
                    signed_on=signed,
                    in_force_from=signed,
                    term_months=rng.choice([12, 24, 36, 60]),
                    renewal=rng.choice(["none", "automatic", "by_agreement"]),
                )
            )
            counterparts.append(counterpart)
        saved = self._save(Agreement, agreements)
        parties = []
        for agreement, counterpart in zip(saved, counterparts, strict=True):
            parties.append(Party(agreement_id=agreement.pk, organisation=self.academy))
            parties.append(Party(agreement_id=agreement.pk, organisation=counterpart))
        self._save(Party, parties)
        self._step(f"{len(saved)} agreements")


KINDS_LABELS = [
    ("lecture", "Lecture"),
    ("visit", "Visit to the embassy"),
    ("concert", "Concert"),
    ("presentation", "Presentation"),
    ("seminar", "Seminar"),
    ("conference", "Conference"),
    ("roundtable", "Roundtable"),
    ("ceremony", "Ceremony"),
    ("other", "Meeting"),
    ("model_un", "Model UN meeting"),
]


def database_holds_data() -> dict[str, int]:
    """Counts of the records that make a database not empty (countries come with migrate)."""

    counts = {
        "people": Person.objects.count(),
        "organisations": Organisation.objects.count(),
        "programmes": Programme.objects.count(),
    }
    return {name: n for name, n in counts.items() if n}


def build(
    scale: float,
    *,
    seed: int = SEED,
    final_year: int | None = None,
    batch_size: int = BATCH,
    log: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Write the data set; returns the number of rows written per model label."""
    return Generator(scale, seed=seed, final_year=final_year, batch_size=batch_size, log=log).run()
