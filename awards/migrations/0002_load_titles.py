from django.db import migrations


def load(apps, schema_editor):
    from awards.titles import load_titles

    load_titles(apps.get_model("awards", "Title"))


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
