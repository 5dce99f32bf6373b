"""On SQLite, a full-text index of the people's name keys with the trigram tokenizer (FTS5), so a
search for part of a name reads the index as PostgreSQL reads its trigram index (0005).

The index is an external-content FTS5 table over directory_person, kept in step by triggers on
insert, update and delete; directory.queries.search_people asks it for words of three or more
characters. Elsewhere nothing is created.
"""

from django.db import migrations

TABLE = "directory_person_fts"

CREATE = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(name_key, content='directory_person', "
    "content_rowid='id', tokenize='trigram')",
    f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')",
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_insert AFTER INSERT ON directory_person BEGIN "
    f"INSERT INTO {TABLE}(rowid, name_key) VALUES (new.id, new.name_key); END",
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_delete AFTER DELETE ON directory_person BEGIN "
    f"INSERT INTO {TABLE}({TABLE}, rowid, name_key) VALUES ('delete', old.id, old.name_key); END",
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_update AFTER UPDATE OF name_key ON directory_person "
    f"BEGIN INSERT INTO {TABLE}({TABLE}, rowid, name_key) VALUES ('delete', old.id, "
    f"old.name_key); INSERT INTO {TABLE}(rowid, name_key) VALUES (new.id, new.name_key); END",
]
DROP = [f"DROP TRIGGER IF EXISTS {TABLE}_{event}" for event in ("insert", "delete", "update")] + [
    f"DROP TABLE IF EXISTS {TABLE}"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        with schema_editor.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    return run


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0010_country_display_names"),
    ]

    operations = [
        migrations.RunPython(_run(CREATE), _run(DROP), elidable=True),
    ]
