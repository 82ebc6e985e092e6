"""Small counts are not published (DESIGN.md § 7): outside the register itself, a count of 1–4
people is shown as "<5", and a total is hidden where it, with the parts beside it, would give a
hidden count away (13 in all with 10 men tells that 3 are women)."""

from dataclasses import dataclass

from finsam.money import grouped

SMALLEST_SHOWN = 5
SMALL = "<5"
HIDDEN = "dold"
NOTE = (
    "Antal mellan 1 och 4 visas som <5, så att ingen enskild deltagare kan pekas ut. En summa "
    "som tillsammans med talen bredvid skulle avslöja ett sådant antal visas som ”dold”."
)


def is_small(count: int | None) -> bool:
    return count is not None and 0 < count < SMALLEST_SHOWN


def shown(count: int | None) -> str:
    """A count as it may be published: 3 → '<5', 0 → '0', 1250 → '1 250'."""
    if count is None:
        return "–"
    if is_small(count):
        return SMALL
    return _digits(count)


def _digits(count: int) -> str:
    """Below a thousand there is nothing to group: the digits as they are, without the locale
    formatting that a statistics page would otherwise ask for thousands of times."""
    return str(count) if 0 <= count < 1000 else grouped(count)


@dataclass(frozen=True)
class Count:
    """A count and the text it may be published as."""

    value: int
    text: str

    @property
    def exact(self) -> bool:
        return self.text not in (SMALL, HIDDEN)

    def __str__(self):
        return self.text


def count(value: int) -> Count:
    return Count(value, shown(value))


def total(parts: list[Count], *other_parts: list[Count]) -> Count:
    """The sum of ``parts``, hidden where exactly one of them is not shown exactly: the total
    less the others would give it away. ``other_parts`` are further ways the same total is made
    up (a year's total of women and men, and of its months)."""
    value = sum(part.value for part in parts)
    if is_small(value):
        return Count(value, SMALL)
    for partition in (parts, *other_parts):
        if sum(1 for part in partition if not part.exact) == 1:
            return Count(value, HIDDEN)
    return Count(value, _digits(value))


@dataclass(frozen=True)
class ByGender:
    """Women, men and their total, as they may be published."""

    women: Count
    men: Count
    total: Count

    @property
    def cells(self) -> list[Count]:
        return [self.women, self.men, self.total]

    @classmethod
    def of(cls, women: int, men: int) -> "ByGender":
        cells = [count(women), count(men)]
        return cls(cells[0], cells[1], total(cells))

    @classmethod
    def summed(cls, rows: list["ByGender"]) -> "ByGender":
        """The sum of several rows (years), each cell hidden where its column would tell."""
        women = total([row.women for row in rows])
        men = total([row.men for row in rows])
        return cls(women, men, total([women, men], [row.total for row in rows]))


# Cross tables (the statistics pages, #10 § 5): every cell and every total as it may be
# published. Added beside the functions above, which keep what they give their callers.
TABLE_NOTE = (
    "I tabellerna visas antal mellan 1 och 4 som <5, så att ingen enskild deltagare kan pekas "
    "ut. Ett antal eller en summa som tillsammans med de andra talen (eller med summorna i "
    "andra tabeller) skulle avslöja ett sådant antal visas som ”dold”."
)


@dataclass(frozen=True)
class TableRow:
    label: str
    cells: list[Count]
    total: Count | None


@dataclass(frozen=True)
class Table:
    """A table of counts: rows × columns, with row totals and column totals where they mean
    something (a participant counted once per row and column), suppressed cell by cell."""

    caption: str
    columns: list[str]
    rows: list[TableRow]
    column_totals: list[Count] | None
    grand_total: Count | None
    row_heading: str = ""

    @property
    def any_small(self) -> bool:
        return any(not cell.exact for row in self.rows for cell in row.cells)

    @property
    def is_empty(self) -> bool:
        return all(cell.value == 0 for row in self.rows for cell in row.cells)


def table(
    caption: str,
    columns: list[str],
    rows: list[tuple[str, list[int]]],
    *,
    row_totals: bool = True,
    column_totals: bool = True,
    row_heading: str = "",
) -> Table:
    """A cross table as it may be published: each cell 1–4 as "<5", and each total hidden
    where exactly one of the counts it sums is not shown exactly (the total less the others
    would give it away). The grand total is checked against the row totals and the column
    totals both."""
    values = [list(row_values) for _label, row_values in rows]
    hidden = _complementary(values, rows=row_totals, columns=column_totals)
    cells = [
        [
            Count(value, HIDDEN) if (r, c) in hidden else count(value)
            for c, value in enumerate(row_values)
        ]
        for r, row_values in enumerate(values)
    ]
    shown_rows = [
        TableRow(label, row_cells, total(row_cells) if row_totals else None)
        for (label, _values), row_cells in zip(rows, cells, strict=True)
    ]
    columns_shown = None
    grand = None
    if column_totals:
        columns_shown = [total([row[index] for row in cells]) for index in range(len(columns))]
        if row_totals:
            grand = total(columns_shown, [row.total for row in shown_rows])
    return Table(caption, columns, shown_rows, columns_shown, grand, row_heading)


def _complementary(values: list[list[int]], *, rows: bool, columns: bool) -> set[tuple[int, int]]:
    """Cells to hide beside the small ones: where a row (or column) whose sum is published,
    here or in another table, holds exactly one small cell, the smallest other count in it is
    hidden too, until no summed line holds exactly one (the sum less the others would give the
    small one away). Rows are checked where ``rows`` are summed, columns where ``columns``."""
    hidden: set[tuple[int, int]] = set()
    height = len(values)
    width = len(values[0]) if values else 0
    lines = []
    if rows:
        lines += [[(r, c) for c in range(width)] for r in range(height)]
    if columns:
        lines += [[(r, c) for r in range(height)] for c in range(width)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            withheld = [
                cell for cell in line if cell in hidden or is_small(values[cell[0]][cell[1]])
            ]
            if len(withheld) != 1:
                continue
            others = [
                cell for cell in line if cell not in withheld and values[cell[0]][cell[1]] > 0
            ]
            if others:
                hidden.add(min(others, key=lambda cell: (values[cell[0]][cell[1]], cell)))
                changed = True
    return hidden
