from django.db import migrations


def lines_to_chart(apps, schema_editor):
    """Each budget line's group and name become a line of its förbund's chart; the history of
    budget lines points at the same chart lines."""
    BudgetLine = apps.get_model("budget", "BudgetLine")
    HistoricalBudgetLine = apps.get_model("budget", "HistoricalBudgetLine")
    BudgetVersion = apps.get_model("budget", "BudgetVersion")
    ChartLine = apps.get_model("budget", "ChartLine")
    association_of = dict(BudgetVersion.objects.values_list("pk", "budget__association_id"))
    chart = {}
    for model in (BudgetLine, HistoricalBudgetLine):
        for row in model.objects.order_by("position", "pk"):
            association = association_of.get(row.version_id)
            if association is None:  # history of a deleted version
                continue
            key = (association, row.group, row.name)
            if key not in chart:
                chart[key], _ = ChartLine.objects.get_or_create(
                    association_id=association,
                    group=row.group,
                    name=row.name,
                    defaults={"position": row.position},
                )
            row.line = chart[key]
            row.save(update_fields=["line"])


class Migration(migrations.Migration):
    """Data only: PostgreSQL refuses to alter a table with pending deferred foreign-key checks in
    the same transaction, so the schema changes before and after are migrations of their own."""

    dependencies = [("budget", "0002_chart_actuals_closing")]

    operations = [migrations.RunPython(lines_to_chart, migrations.RunPython.noop)]
