"""Organisations get the office that keeps them.

An entry already recorded is given to the office of the officer who created it (the first
entry of its history, that user's first office); an office's own entry is changed by its
officers whoever keeps it (see directory.queries.organisations_editable_by). Entries
nobody can be traced for (created by imports or the command line) are kept by no office:
only administrators change them, until one of them hands the entry to an office.
"""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models


def give_owners(apps: Any, schema_editor: Any) -> None:
    organisation_model = apps.get_model("directory", "Organisation")
    history = apps.get_model("directory", "HistoricalOrganisation")
    roles = apps.get_model("accounts", "RoleAssignment")
    offices: dict[int, int] = {}
    for user_id, office_id in roles.objects.filter(role="officer").order_by(
            "organisation_id").values_list("user_id", "organisation_id"):
        offices.setdefault(user_id, office_id)
    creators = dict(history.objects.filter(history_type="+", history_user_id__isnull=False)
                    .values_list("id", "history_user_id"))
    for organisation in organisation_model.objects.filter(owner__isnull=True).iterator():
        owner = offices.get(creators.get(organisation.pk, 0))
        if owner is not None:
            organisation_model.objects.filter(pk=organisation.pk).update(owner_id=owner)


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0007_person_history_by_office'),
        ('accounts', '0002_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalorganisation',
            name='owner',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='The office that keeps this entry: only its officers change it.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='directory.organisation', verbose_name='record kept by'),
        ),
        migrations.AddField(
            model_name='organisation',
            name='owner',
            field=models.ForeignKey(blank=True, help_text='The office that keeps this entry: only its officers change it.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='organisations_kept', to='directory.organisation', verbose_name='record kept by'),
        ),
        migrations.RunPython(give_owners, migrations.RunPython.noop),
    ]
