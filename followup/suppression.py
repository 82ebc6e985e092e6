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
    return SMALL if is_small(count) else grouped(count)


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
    return Count(value, grouped(value))


@dataclass(frozen=True)
class ByGender:
    """Women, men and their total, as they may be published."""

    women: Count
    men: Count
    total: Count

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
