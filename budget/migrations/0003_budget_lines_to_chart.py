from django.db import migrations


def lines_to_chart(apps, schema_editor):
    """Each budget line's group and name become a line of its förbund's chart. Two lines of one
    version with the same group and name become one (their amounts added), as a version now has a
    line of the chart once. History rows point at the chart line of their name where one exists;
    they never add lines to the chart."""
    BudgetLine = apps.get_model("budget", "BudgetLine")
    HistoricalBudgetLine = apps.get_model("budget", "HistoricalBudgetLine")
    BudgetVersion = apps.get_model("budget", "BudgetVersion")
    ChartLine = apps.get_model("budget", "ChartLine")
    association_of = dict(BudgetVersion.objects.values_list("pk", "budget__association_id"))
    chart = {}
    kept = {}
    for row in BudgetLine.objects.order_by("position", "pk"):
        key = (association_of[row.version_id], row.group, row.name)
        if key not in chart:
            chart[key], _ = ChartLine.objects.get_or_create(
                association_id=key[0],
                group=row.group,
                name=row.name,
                defaults={"position": row.position},
            )
        first = kept.get((row.version_id, chart[key].pk))
        if first is not None:
            first.amount += row.amount
            first.save(update_fields=["amount"])
            row.delete()
            continue
        row.line = chart[key]
        row.save(update_fields=["line"])
        kept[row.version_id, chart[key].pk] = row
    for row in HistoricalBudgetLine.objects.all():
        key = (association_of.get(row.version_id), row.group, row.name)
        if key in chart:
            row.line = chart[key]
            row.save(update_fields=["line"])


class Migration(migrations.Migration):
    """Data only: PostgreSQL refuses to alter a table with pending deferred foreign-key checks in
    the same transaction, so the schema changes before and after are migrations of their own."""

    dependencies = [("budget", "0002_chart_actuals_closing")]

    operations = [migrations.RunPython(lines_to_chart, migrations.RunPython.noop)]
