"""BudgetVersion.status → state: one word for a workflow position across the project."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("budget", "0004_budget_line_from_chart"),
    ]

    operations = [
        # The constraint names the field, so it is dropped and made again around the rename.
        migrations.RemoveConstraint(
            model_name="budgetversion",
            name="budget_version_adopted_has_date",
        ),
        migrations.RenameField(
            model_name="budgetversion",
            old_name="status",
            new_name="state",
        ),
        migrations.RenameField(
            model_name="historicalbudgetversion",
            old_name="status",
            new_name="state",
        ),
        migrations.AddConstraint(
            model_name="budgetversion",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("state", "draft"), ("adopted_on__isnull", False), _connector="OR"
                ),
                name="budget_version_adopted_has_date",
            ),
        ),
    ]
