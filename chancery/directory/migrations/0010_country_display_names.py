"""One name per country in all three languages: the display names where pycountry's disagree.

0002 loads the English common name ("South Korea", "Syria") but translates the official one
into Russian and Kazakh ("Республика Корея", "Сирия Араб Республикасы"), and keeps inverted
official names where there is no common one ("Palestine, State of"). So the same country read
"South Korea" in English and "Republic of Korea" in Russian, and an embassy, a Model UN
delegation and a citizenship could each name it differently.

The rule: the short name, the same in English, Russian and Kazakh; the two Koreas keep their
states' names, as the United Nations, a Model UN placard and their embassies use them. This
table is the one place these names are set; every page reads Country.name (the reader's
language), so the directory, the embassies' countries and Model UN show the same name.
"""

from django.db import migrations

# alpha-2: (English, Russian, Kazakh)
DISPLAY_NAMES = {
    "KR": ("Republic of Korea", "Республика Корея", "Корея Республикасы"),
    "KP": ("Democratic People's Republic of Korea",
           "Корейская Народно-Демократическая Республика",
           "Корея Халық Демократиялық Республикасы"),
    "BO": ("Bolivia", "Боливия", "Боливия"),
    "BN": ("Brunei", "Бруней", "Бруней"),
    "CD": ("Democratic Republic of the Congo", "Демократическая Республика Конго",
           "Конго Демократиялық Республикасы"),
    "CF": ("Central African Republic", "Центральноафриканская Республика",
           "Орталық Африка Республикасы"),
    "DO": ("Dominican Republic", "Доминиканская Республика", "Доминикан Республикасы"),
    "FM": ("Micronesia", "Микронезия", "Микронезия"),
    "GB": ("United Kingdom", "Великобритания", "Ұлыбритания"),
    "IR": ("Iran", "Иран", "Иран"),
    "LA": ("Laos", "Лаос", "Лаос"),
    "MD": ("Moldova", "Молдова", "Молдова"),
    "PS": ("Palestine", "Палестина", "Палестина"),
    "RU": ("Russia", "Россия", "Ресей"),
    "SY": ("Syria", "Сирия", "Сирия"),
    "TW": ("Taiwan", "Тайвань", "Тайвань"),
    "TZ": ("Tanzania", "Танзания", "Танзания"),
    "US": ("United States of America", "Соединённые Штаты Америки",
           "Америка Құрама Штаттары"),
    "VA": ("Vatican City", "Ватикан", "Ватикан"),
    "VE": ("Venezuela", "Венесуэла", "Венесуэла"),
    "VG": ("British Virgin Islands", "Британские Виргинские острова",
           "Британдық Виргин аралдары"),
    "VI": ("United States Virgin Islands", "Виргинские острова (США)",
           "Виргин аралдары (АҚШ)"),
    "VN": ("Vietnam", "Вьетнам", "Вьетнам"),
}


def rename(apps, schema_editor):
    Country = apps.get_model("directory", "Country")
    for code, (english, russian, kazakh) in DISPLAY_NAMES.items():
        Country.objects.filter(alpha2=code).update(name_en=english, name_ru=russian,
                                                   name_kk=kazakh)


def restore(apps, schema_editor):
    """Back to what 0002 loaded from pycountry."""
    import gettext

    import pycountry

    Country = apps.get_model("directory", "Country")
    translations = {lang: gettext.translation("iso3166-1", pycountry.LOCALES_DIR,
                                              languages=[lang], fallback=True)
                    for lang in ("ru", "kk")}
    for code in DISPLAY_NAMES:
        entry = pycountry.countries.get(alpha_2=code)
        if entry is None:
            continue
        Country.objects.filter(alpha2=code).update(
            name_en=getattr(entry, "common_name", None) or entry.name,
            name_ru=translations["ru"].gettext(entry.name),
            name_kk=translations["kk"].gettext(entry.name))


class Migration(migrations.Migration):
    dependencies = [("directory", "0009_consent_requests")]
    operations = [migrations.RunPython(rename, restore)]
