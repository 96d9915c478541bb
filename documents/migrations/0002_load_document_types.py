from django.db import migrations


def load(apps, schema_editor):
    from documents.types import load_document_types

    load_document_types(apps.get_model("documents", "DocumentType"))


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
