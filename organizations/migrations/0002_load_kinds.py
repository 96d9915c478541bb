from django.db import migrations


def load(apps, schema_editor):
    from organizations.kinds import load_kinds

    load_kinds(apps.get_model("organizations", "OrganizationKind"))


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
