from django.db import migrations

# The catalogue is loaded by 0004 once every table of it exists.


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_initial")]

    operations = []
