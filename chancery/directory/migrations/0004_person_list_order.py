from django.db import migrations, models


class Migration(migrations.Migration):
    """An index in the people list's order: one page is read from it, not sorted."""

    dependencies = [
        ("directory", "0003_organisation_names_per_language"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["family_name", "given_name", "id"],
                               name="person_list_order"),
        ),
    ]
