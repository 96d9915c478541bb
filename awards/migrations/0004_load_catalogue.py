from django.db import migrations


def load(apps, schema_editor):
    from awards.catalogue_data import load_catalogue

    load_catalogue(lambda name: apps.get_model("awards", name))


class Migration(migrations.Migration):
    dependencies = [("awards", "0003_awards_workflow")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
