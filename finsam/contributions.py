"""How a year's total contribution (ägarbidrag) is split among the members, lag (2003:1210) § 5.

The state pays one half (Försäkringskassan pays it for FK and AF together), the region(s) one
quarter and the kommuner one quarter, split among themselves by the förbund's key. The exact shares
are fractions; they are rounded once, to whole kronor, by the largest-remainder method over all
members together, so the parts always add up to the total.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from finsam.errors import DomainError
from finsam.models import Association, Member

STATE_SHARE = Fraction(1, 2)
REGION_SHARE = Fraction(1, 4)
MUNICIPAL_SHARE = Fraction(1, 4)

TOTAL_NOT_WHOLE_KRONOR = "Totalbeloppet ska anges i hela kronor och får inte vara negativt."
NO_FK = "Förbundet saknar Försäkringskassan som medlem; statens hälft kan inte fördelas."
NO_REGION = "Förbundet saknar en region som medlem; regionernas fjärdedel kan inte fördelas."
NO_MUNICIPALITY = "Förbundet saknar en kommun som medlem; kommunernas fjärdedel kan inte fördelas."
MISSING_POPULATION = "Folkmängd saknas för {names}; den behövs för fördelningen."
MISSING_FIXED_SHARE = "Fast andel saknas för {names}; den behövs för fördelningen."
FIXED_SHARES_NOT_100 = (
    "Kommunernas fasta andelar ska tillsammans vara 100 %, men är {total} %. Ändra andelarna."
)

NOTE_FK_PAYS_STATE = "Betalar statens hälft, för Försäkringskassan och Arbetsförmedlingen"
NOTE_AF_PAID_BY_FK = "Statens hälft betalas av Försäkringskassan"


class ContributionSplitError(DomainError, ValueError):
    """The split cannot be made; the message says why, in Swedish, and is shown to the user (a
    ValueError too, as callers have caught it so far)."""


@dataclass(frozen=True)
class ContributionShare:
    member: Member
    share: Fraction  # exact share of the total, before rounding
    amount: Decimal  # whole kronor
    note: str = ""


def largest_remainder(total: int, weights: Sequence[Fraction]) -> list[int]:
    """Whole parts of ``total`` proportional to ``weights`` (which sum to 1), summing to ``total``.

    Each part is first rounded down; the kronor left over go one each to the parts with the
    largest fractional remainders, ties to the earlier part, so the result is deterministic.
    """
    exact = [total * weight for weight in weights]
    parts = [math.floor(value) for value in exact]
    left_over = total - sum(parts)
    by_remainder = sorted(range(len(exact)), key=lambda i: (-(exact[i] - parts[i]), i))
    for index in by_remainder[:left_over]:
        parts[index] += 1
    return parts


def _proportional(members: Sequence[Member], weight_of) -> dict[int, Fraction]:
    weights = {member.pk: Fraction(weight_of(member)) for member in members}
    total = sum(weights.values())
    return {pk: weight / total for pk, weight in weights.items()}


def _require_population(members: Sequence[Member]) -> None:
    missing = [member.name for member in members if not member.population]
    if missing:
        raise ContributionSplitError(MISSING_POPULATION.format(names=", ".join(missing)))


def _municipal_weights(municipalities: Sequence[Member], key: str) -> dict[int, Fraction]:
    if key == Association.SplitKey.EQUAL:
        return {member.pk: Fraction(1, len(municipalities)) for member in municipalities}
    if key == Association.SplitKey.FIXED:
        missing = [member.name for member in municipalities if member.fixed_share is None]
        if missing:
            raise ContributionSplitError(MISSING_FIXED_SHARE.format(names=", ".join(missing)))
        shares = [Fraction(member.fixed_share or 0) for member in municipalities]
        if sum(shares) != 100:
            total = Decimal(sum(member.fixed_share or 0 for member in municipalities))
            raise ContributionSplitError(
                FIXED_SHARES_NOT_100.format(total=f"{total.normalize():f}")
            )
        return {
            member.pk: share / 100 for member, share in zip(municipalities, shares, strict=True)
        }
    _require_population(municipalities)
    return _proportional(municipalities, lambda member: member.population)


def split_contributions(
    total: Decimal | int, members: Iterable[Member], key: str
) -> list[ContributionShare]:
    """Each member's part of ``total`` kronor under § 5, in the order the members were given."""
    total = Decimal(total)
    if total < 0 or total != total.to_integral_value():
        raise ContributionSplitError(TOTAL_NOT_WHOLE_KRONOR)
    members = list(members)
    by_kind = {kind: [m for m in members if m.kind == kind] for kind in Member.Kind.values}
    if not by_kind[Member.Kind.FK]:
        raise ContributionSplitError(NO_FK)
    if not by_kind[Member.Kind.REGION]:
        raise ContributionSplitError(NO_REGION)
    if not by_kind[Member.Kind.KOMMUN]:
        raise ContributionSplitError(NO_MUNICIPALITY)

    regions = by_kind[Member.Kind.REGION]
    if len(regions) > 1:
        _require_population(regions)
    region_weights = _proportional(regions, lambda member: member.population or 1)
    municipal_weights = _municipal_weights(by_kind[Member.Kind.KOMMUN], key)
    state_payer = by_kind[Member.Kind.FK][0]

    shares: dict[int, Fraction] = {member.pk: Fraction(0) for member in members}
    shares[state_payer.pk] = STATE_SHARE
    for pk, weight in region_weights.items():
        shares[pk] = REGION_SHARE * weight
    for pk, weight in municipal_weights.items():
        shares[pk] = MUNICIPAL_SHARE * weight

    amounts = largest_remainder(int(total), [shares[member.pk] for member in members])
    notes = {state_payer.pk: NOTE_FK_PAYS_STATE}
    notes.update({member.pk: NOTE_AF_PAID_BY_FK for member in by_kind[Member.Kind.AF]})
    return [
        ContributionShare(
            member=member,
            share=shares[member.pk],
            amount=Decimal(amount),
            note=notes.get(member.pk, ""),
        )
        for member, amount in zip(members, amounts, strict=True)
    ]
