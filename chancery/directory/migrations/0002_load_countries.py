"""Load ISO 3166-1 countries with Russian and Kazakh names from the pycountry data set."""

import gettext

from django.db import migrations


def load_countries(apps, schema_editor):
    import pycountry

    Country = apps.get_model("directory", "Country")
    translations = {
        lang: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang],
                                  fallback=True)
        for lang in ("ru", "kk")
    }
    rows = []
    for entry in pycountry.countries:
        # Official names can be long ("Korea, Republic of"); the common name reads better.
        english = getattr(entry, "common_name", None) or entry.name
        rows.append(Country(
            alpha2=entry.alpha_2,
            alpha3=entry.alpha_3,
            numeric=entry.numeric,
            name_en=english,
            name_ru=translations["ru"].gettext(entry.name),
            name_kk=translations["kk"].gettext(entry.name),
        ))
    Country.objects.bulk_create(rows, ignore_conflicts=True)


def unload_countries(apps, schema_editor):
    apps.get_model("directory", "Country").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(load_countries, unload_countries)]
