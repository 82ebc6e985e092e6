# The members taking part in an application are its parties (deltagande parter); the word
# Participant is kept for a deltagare in follow-up (DESIGN.md § 8).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0001_initial"),
        ("finsam", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(
            model_name="application", old_name="participants", new_name="parties"
        ),
        migrations.RenameModel(
            old_name="HistoricalApplication_participants", new_name="HistoricalApplication_parties"
        ),
        migrations.AlterModelOptions(
            name="historicalapplication_parties",
            options={"verbose_name": "HistoricalApplication_parties"},
        ),
    ]
