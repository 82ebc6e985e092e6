"""The yearly return, Uppföljning Finsam (#10 § 6): for a förbund and a year, a row per insats
(what Försäkringskassan's follow-up asks for) and the förbund's own lines; as a workbook, a CSV
and, for the board, the PDF "Uppföljning <år>" with the statistics of every insats.

Counts of people are published as everywhere outside the register: 1–4 as "<5", a total hidden
where it would give a hidden count away (followup.suppression). Sums of money and of planned
participants are formulas in the workbook, written with their values.
"""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from xlsxwriter import Workbook

from applications.models import (
    Application,
    Initiative,
    InitiativeGrant,
    Orientation,
    ParticipantTarget,
)
from budget import selectors as budget_selectors
from budget.models import Actual
from finsam.downloads import render_pdf
from finsam.models import Association
from finsam.spreadsheets import WORKBOOK_OPTIONS, csv_text, sheet_text
from followup import charts, statistics
from followup.models import AnonymousCount, Gender, Participant
from followup.selectors import year_bounds
from followup.suppression import NOTE, ByGender, total
from followup.suppression import Count as Shown

ZERO = Decimal(0)
GRANTED = (Application.State.GRANTED, Application.State.PARTLY_GRANTED)
KRONOR_FORMAT = "#,##0;-#,##0"
HEADER_COLOUR = "#1F4E79"

COLUMNS = [
    "Insats",
    "Inriktning",
    "Målgrupp",
    "Start",
    "Slut",
    "Beviljat för året (kr)",
    "Utfall för året (kr)",
    "Planerade deltagare",
    "Nya kvinnor",
    "Nya män",
    "Nya totalt",
    "Deltagare kvinnor",
    "Deltagare män",
    "Deltagare totalt",
    "Anonyma kvinnor",
    "Anonyma män",
]
# The columns (0-based) that are money or planned participants: summed by formulas.
SUMMED = (5, 6, 7)
FIRST_COUNT = 8
EXPLANATION = (
    "Nya: började under året. Deltagare: registrerade som deltog någon dag under året, och "
    "anonyma deltagare som räknades under årets månader (de räknas också som nya). Planerade "
    "deltagare: deltagarmålen i den senast beviljade ansökan som inte gäller arbete eller "
    "studier. Utfall: det som bokförts på insatsen i budgetens utfall under året."
)


@dataclass
class ReturnRow:
    initiative: Initiative
    target_groups: str
    granted: Decimal
    actual: Decimal
    planned: int | None
    new: ByGender
    took_part: ByGender
    anonymous: ByGender

    @property
    def orientation(self) -> str:
        return (
            "Individinriktad"
            if self.initiative.orientation == Orientation.INDIVIDUAL
            else "Strukturövergripande"
        )

    @property
    def counts(self) -> list[Shown]:
        return [
            self.new.women,
            self.new.men,
            self.new.total,
            self.took_part.women,
            self.took_part.men,
            self.took_part.total,
            self.anonymous.women,
            self.anonymous.men,
        ]


@dataclass
class AssociationLines:
    basis: str  # "utfall" for a closed year, "budget" for an open one, "" without a budget

    @property
    def basis_text(self) -> str:
        return f"enligt {self.basis}" if self.basis else "ingen budget för året"

    contributions: Decimal | None
    administrative_costs: Decimal | None
    equity: Decimal | None


@dataclass
class YearlyReturn:
    association: Association
    year: int
    rows: list[ReturnRow]
    lines: AssociationLines

    @property
    def granted(self) -> Decimal:
        return sum((row.granted for row in self.rows), ZERO)

    @property
    def actual(self) -> Decimal:
        return sum((row.actual for row in self.rows), ZERO)

    @property
    def planned(self) -> int:
        return sum(row.planned or 0 for row in self.rows)

    @property
    def count_totals(self) -> list[Shown]:
        """Each count column's sum over the insatser, suppressed where it would tell."""
        return [
            total([row.counts[index] for row in self.rows]) for index in range(len(COLUMNS) - 8)
        ]


def _planned(
    applications: list[tuple[object, int]], targets_of: dict[int, list[tuple[str, int]]]
) -> int | None:
    """The planned participants: the latest granted application's targets that count people
    (not those about work or studies, which are outcomes). ``applications`` are (date, pk)."""
    for _date, pk in sorted(applications, reverse=True):
        numbers = [
            number
            for text, number in targets_of.get(pk, [])
            if "arbete" not in text.lower() and "studie" not in text.lower()
        ]
        if numbers:
            return sum(numbers)
    return None


def yearly_return(*, association: Association, year: int) -> YearlyReturn:
    """The return's figures: the insatser that ran some day of the year, each with its money
    and participants, and the förbund's lines. Seventeen queries, whatever the number of
    insatser and participants (insatser; applications, their target groups and targets;
    grants; actuals; the register; the anonymous counts; the budget periods (seven) and the
    contributions (two))."""
    start, end = year_bounds(year)
    initiatives = list(
        Initiative.objects.for_association(association)
        .filter(period_start__lte=end)
        .filter(Q(ended_on__isnull=True, period_end__gte=start) | Q(ended_on__gte=start))
        .order_by("name")
    )
    pks = [item.pk for item in initiatives]
    # The granted applications, their target groups and their targets as plain values (three
    # queries, as a prefetch would be, without a model instance and a manager per row).
    applications_of: dict[int, list[tuple[object, int]]] = {}
    for pk, initiative_id, date in Application.objects.filter(
        initiative__in=pks, state__in=GRANTED
    ).values_list("pk", "initiative", "date"):
        applications_of.setdefault(initiative_id, []).append((date, pk))
    granted_pks = [pk for items in applications_of.values() for _date, pk in items]
    groups_of: dict[int, list[str]] = {}
    for application_id, name in (
        Application.target_groups.through.objects.filter(application__in=granted_pks)
        .order_by("targetgroup__association", "targetgroup__position", "targetgroup__name")
        .values_list("application", "targetgroup__name")
    ):
        groups_of.setdefault(application_id, []).append(name)
    targets_of: dict[int, list[tuple[str, int]]] = {}
    for application_id, text, number in (
        ParticipantTarget.objects.filter(application__in=granted_pks)
        .order_by("pk")
        .values_list("application", "text", "number")
    ):
        targets_of.setdefault(application_id, []).append((text, number))
    granted = dict(
        InitiativeGrant.objects.filter(initiative__in=pks, year=year)
        .values("initiative")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("initiative", "total")
    )
    actual = initiative_actuals_in_year(association=association, year=year)
    registered: dict[tuple[int, str], dict] = {
        (row["initiative"], row["gender"]): row
        for row in Participant.objects.filter(initiative__in=pks)
        .values("initiative", "gender")
        .annotate(
            new=statistics.CountWhere("{t}.started_on BETWEEN %s AND %s", start, end),
            took_part=statistics.active_count(start, end),
        )
        .order_by()
    }
    anonymous = {
        row["initiative"]: (row["women"], row["men"])
        for row in AnonymousCount.objects.filter(initiative__in=pks, month__year=year)
        .values("initiative")
        .annotate(women=Coalesce(Sum("women"), 0), men=Coalesce(Sum("men"), 0))
        .order_by()
    }
    rows = []
    for item in initiatives:
        women_anonymous, men_anonymous = anonymous.get(item.pk, (0, 0))

        def figure(key, item=item):
            return [
                registered.get((item.pk, gender), {}).get(key, 0)
                for gender in (Gender.WOMAN, Gender.MAN)
            ]

        new_women, new_men = figure("new")
        part_women, part_men = figure("took_part")
        applications = applications_of.get(item.pk, [])
        groups = []
        for _date, application_pk in applications:
            for name in groups_of.get(application_pk, []):
                if name not in groups:
                    groups.append(name)
        rows.append(
            ReturnRow(
                initiative=item,
                target_groups=", ".join(groups),
                granted=granted.get(item.pk, ZERO),
                actual=actual.get(item.pk, ZERO),
                planned=_planned(applications, targets_of),
                new=ByGender.of(new_women + women_anonymous, new_men + men_anonymous),
                took_part=ByGender.of(part_women + women_anonymous, part_men + men_anonymous),
                anonymous=ByGender.of(women_anonymous, men_anonymous),
            )
        )
    return YearlyReturn(association, year, rows, _association_lines(association, year))


def initiative_actuals_in_year(*, association: Association, year: int) -> dict[int, Decimal]:
    """What the budget's actuals booked on each insats of the förbund in ``year`` (one query):
    the same rows budget.selectors.initiative_actuals_by_year sums for one insats."""
    return dict(
        Actual.objects.filter(
            initiative__association=association, initiative__isnull=False, month__year=year
        )
        .values("initiative")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("initiative", "total")
    )


def _association_lines(association: Association, year: int) -> AssociationLines:
    period = next(
        (
            period
            for period in budget_selectors.periods_for(association).values()
            if period.budget.period_start.year == year
        ),
        None,
    )
    if period is None:
        return AssociationLines("", None, None, None)
    contributions = budget_selectors.contributions_for(period)
    return AssociationLines(
        basis="utfall" if period.closed else "budget",
        contributions=contributions.total,
        administrative_costs=period.basis.operating_costs,
        equity=period.equity.closing if period.equity else None,
    )


# The workbook and the CSV


def _letter(column: int) -> str:
    return chr(ord("A") + column)


def return_xlsx(data: YearlyReturn) -> bytes:
    """One workbook: the insatser (a row each, sums as formulas) and the förbund's lines."""
    buffer = io.BytesIO()
    workbook = Workbook(buffer, {"in_memory": True, **WORKBOOK_OPTIONS})
    title = workbook.add_format({"bold": True, "font_size": 12})
    header = workbook.add_format(
        {
            "bold": True,
            "font_color": "#FFFFFF",
            "bg_color": HEADER_COLOUR,
            "pattern": 1,
            "text_wrap": True,
            "valign": "bottom",
        }
    )
    bold = workbook.add_format({"bold": True})
    kronor = workbook.add_format({"num_format": KRONOR_FORMAT, "align": "right"})
    kronor_bold = workbook.add_format({"num_format": KRONOR_FORMAT, "align": "right", "bold": True})
    number = workbook.add_format({"num_format": "0", "align": "right"})
    number_bold = workbook.add_format({"num_format": "0", "align": "right", "bold": True})
    text_right = workbook.add_format({"align": "right"})
    text_right_bold = workbook.add_format({"align": "right", "bold": True})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})

    sheet = workbook.add_worksheet("Insatser")
    name = sheet_text(data.association.name)
    sheet.write_string(0, 0, f"{name} – Uppföljning Finsam {data.year}", title)
    sheet.write_string(1, 0, f"Utskriven {timezone.localdate():%Y-%m-%d}. Belopp i kronor.")
    header_row = 3
    for column, label in enumerate(COLUMNS):
        sheet.write_string(header_row, column, label, header)
    sheet.set_row(header_row, 45)
    first = header_row + 1
    for offset, row in enumerate(data.rows):
        index = first + offset
        sheet.write_string(index, 0, sheet_text(row.initiative.name))
        sheet.write_string(index, 1, sheet_text(row.orientation))
        sheet.write_string(index, 2, sheet_text(row.target_groups))
        sheet.write_string(index, 3, f"{row.initiative.period_start:%Y-%m-%d}")
        sheet.write_string(index, 4, f"{row.initiative.last_day:%Y-%m-%d}")
        sheet.write_number(index, 5, float(row.granted), kronor)
        sheet.write_number(index, 6, float(row.actual), kronor)
        if row.planned is None:
            sheet.write_blank(index, 7, None, number)
        else:
            sheet.write_number(index, 7, row.planned, number)
        for column, cell in enumerate(row.counts, start=FIRST_COUNT):
            _count_cell(sheet, index, column, cell, number, text_right)
    last = first + len(data.rows) - 1
    sum_index = last + 1
    sheet.write_string(sum_index, 0, "Summa", bold)
    sums = {5: data.granted, 6: data.actual, 7: data.planned}
    for column in SUMMED:
        letter = _letter(column)
        formula = f"=SUM({letter}{first + 1}:{letter}{last + 1})" if data.rows else "=0"
        cell_format = kronor_bold if column in (5, 6) else number_bold
        sheet.write_formula(sum_index, column, formula, cell_format, float(sums[column]))
    for offset, cell in enumerate(data.count_totals):
        column = FIRST_COUNT + offset
        exact = all(row.counts[offset].exact for row in data.rows)
        if exact and data.rows:
            letter = _letter(column)
            sheet.write_formula(
                sum_index,
                column,
                f"=SUM({letter}{first + 1}:{letter}{last + 1})",
                number_bold,
                cell.value,
            )
        else:
            _count_cell(sheet, sum_index, column, cell, number_bold, text_right_bold)
    notes_row = sum_index + 2
    for offset, text in enumerate((EXPLANATION, NOTE)):
        sheet.merge_range(notes_row + offset, 0, notes_row + offset, 7, text, wrap)
        sheet.set_row(notes_row + offset, 45)
    sheet.set_column(0, 0, 36)
    sheet.set_column(1, 2, 22)
    sheet.set_column(3, 4, 11)
    sheet.set_column(5, len(COLUMNS) - 1, 12)
    sheet.freeze_panes(header_row + 1, 1)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)

    lines = workbook.add_worksheet("Förbundet")
    lines.write_string(0, 0, f"{name} – förbundet {data.year}", title)
    lines.write_string(
        1, 0, f"Belopp i kronor. Kostnader och eget kapital: {data.lines.basis_text}."
    )
    lines.write_string(3, 0, "Post", header)
    lines.write_string(3, 1, "Belopp (kr)", header)
    values = [
        ("Ägarbidrag totalt", data.lines.contributions),
        ("Administrativa kostnader (verksamhetens kostnader)", data.lines.administrative_costs),
        ("Eget kapital vid årets slut", data.lines.equity),
    ]
    for offset, (label, value) in enumerate(values):
        lines.write_string(4 + offset, 0, label)
        if value is None:
            lines.write_string(4 + offset, 1, "–", text_right)
        else:
            lines.write_number(4 + offset, 1, float(value), kronor)
    lines.write_string(7, 0, "Beviljat till insatser för året")
    lines.write_formula(7, 1, f"=Insatser!F{sum_index + 1}", kronor, float(data.granted))
    lines.write_string(8, 0, "Utfall på insatser under året")
    lines.write_formula(8, 1, f"=Insatser!G{sum_index + 1}", kronor, float(data.actual))
    lines.set_column(0, 0, 50)
    lines.set_column(1, 1, 16)
    workbook.close()
    return buffer.getvalue()


def _count_cell(sheet, row: int, column: int, cell: Shown, number_format, text_format) -> None:
    if cell.exact:
        sheet.write_number(row, column, cell.value, number_format)
    else:
        sheet.write_string(row, column, cell.text, text_format)


def _csv_amount(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value:.2f}".replace(".", ",")


def _csv_count(cell: Shown) -> str:
    return str(cell.value) if cell.exact else cell.text


def return_csv(data: YearlyReturn) -> bytes:
    """The same figures as the workbook, semicolon-separated with decimal commas (as Excel in
    Swedish opens it), UTF-8 with a byte order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in data.rows:
        writer.writerow(
            [
                csv_text(row.initiative.name),
                csv_text(row.orientation),
                csv_text(row.target_groups),
                f"{row.initiative.period_start:%Y-%m-%d}",
                f"{row.initiative.last_day:%Y-%m-%d}",
                _csv_amount(row.granted),
                _csv_amount(row.actual),
                "" if row.planned is None else str(row.planned),
                *(_csv_count(cell) for cell in row.counts),
            ]
        )
    writer.writerow(
        [
            "Summa",
            "",
            "",
            "",
            "",
            _csv_amount(data.granted),
            _csv_amount(data.actual),
            str(data.planned),
            *(_csv_count(cell) for cell in data.count_totals),
        ]
    )
    writer.writerow([])
    writer.writerow(["Förbundet", csv_text(data.lines.basis_text)])
    writer.writerow(["Ägarbidrag totalt", _csv_amount(data.lines.contributions)])
    writer.writerow(
        [
            "Administrativa kostnader (verksamhetens kostnader)",
            _csv_amount(data.lines.administrative_costs),
        ]
    )
    writer.writerow(["Eget kapital vid årets slut", _csv_amount(data.lines.equity)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def return_pdf(data: YearlyReturn) -> bytes:
    """Uppföljning <år> for the board: the return's table, the förbund's statistics for the
    year and every insats's, with their charts."""
    stats = statistics.statistics_for(
        association=data.association, period=statistics.Period.year(data.year), each_in_full=True
    )
    blocks = [
        {
            "heading": "Hela förbundet",
            "statistics": stats.total,
            "charts": charts.charts_for(stats.total, prefix="total-", raster=True),
        }
    ] + [
        {
            "heading": item.name,
            "statistics": item_stats,
            "charts": charts.charts_for(item_stats, prefix=f"i{item.pk}-", raster=True),
        }
        for item, item_stats in stats.initiatives
    ]
    return render_pdf(
        "followup/statistics/return_pdf.html",
        {
            "data": data,
            "blocks": blocks,
            "targets": stats.targets,
            "title": f"Uppföljning {data.year}",
            "printed": timezone.localdate(),
            "explanation": EXPLANATION,
            "suppression_note": NOTE,
        },
    )


def filename(association: Association, year: int, extension: str) -> str:
    return f"uppfoljning-finsam-{year}.{extension}"
