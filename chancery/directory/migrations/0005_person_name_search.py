from django.db import DatabaseError, migrations, models, transaction

TRIGRAM_INDEX = "person_name_key_trgm"


def add_trigram_index(apps, schema_editor):
    """On PostgreSQL, a trigram index for the search of a part of a name (LIKE '%word%').

    The pg_trgm extension may need rights the database user lacks: then the search works as
    before, by reading the (smaller) name index.
    """
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        try:
            with transaction.atomic(using=connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DatabaseError:
            return
        cursor.execute(f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON directory_person "
                       "USING gin (name_key gin_trgm_ops)")


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    """Name search without reading the whole people table."""

    dependencies = [
        ("directory", "0004_person_list_order"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["name_key", "owner"], name="person_name_search"),
        ),
        migrations.RunPython(add_trigram_index, drop_trigram_index, elidable=True),
    ]
