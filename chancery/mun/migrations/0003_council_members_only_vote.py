"""Security Council profiles: only the council's members vote, on procedural matters too.

The council presets were seeded saying observers vote on procedure, so seated observers were
counted in the "nine of fifteen" (UN Charter Art. 27 counts the members only).  The engine
now refuses a profile with the veto whose observers vote, so every such row is corrected.
"""

from django.db import migrations


def members_only(apps, schema_editor):
    RuleProfile = apps.get_model("mun", "RuleProfile")
    RuleProfile.objects.filter(veto=True, observers_vote_on_procedure=True).update(
        observers_vote_on_procedure=False)


class Migration(migrations.Migration):
    dependencies = [("mun", "0002_reference_data")]
    # Going back does not restore the miscount: the engine refuses those rows.
    operations = [migrations.RunPython(members_only, migrations.RunPython.noop)]
