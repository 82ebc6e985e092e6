from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finsam.contributions import (
    FIXED_SHARES_NOT_100,
    MISSING_POPULATION,
    NO_FK,
    NO_REGION,
    NOTE_AF_PAID_BY_FK,
    NOTE_FK_PAYS_STATE,
    TOTAL_NOT_WHOLE_KRONOR,
    ContributionSplitError,
    largest_remainder,
    split_contributions,
)
from finsam.models import Association, Member

POPULATION = Association.SplitKey.POPULATION
EQUAL = Association.SplitKey.EQUAL
FIXED = Association.SplitKey.FIXED


def member(pk, kind, name=None, population=None, fixed_share=None):
    # Unsaved members are enough: the split is pure arithmetic on what it is given.
    return Member(
        pk=pk,
        kind=kind,
        name=name or f"{kind} {pk}",
        population=population,
        fixed_share=None if fixed_share is None else Decimal(fixed_share),
    )


def landskrona_svalov():
    return [
        member(1, "kommun", "Landskrona stad", 46_529),
        member(2, "kommun", "Svalövs kommun", 14_428),
        member(3, "region", "Region Skåne"),
        member(4, "fk", "Försäkringskassan"),
        member(5, "af", "Arbetsförmedlingen"),
    ]


def amounts(shares):
    return {share.member.name: share.amount for share in shares}


def test_seed_004_total_split_by_population_adds_up_to_the_total():
    shares = split_contributions(Decimal("5440000"), landskrona_svalov(), POPULATION)

    assert amounts(shares) == {
        "Landskrona stad": Decimal("1038100"),  # 1 360 000 × 46 529 / 60 957 = 1 038 099,66
        "Svalövs kommun": Decimal("321900"),  # 1 360 000 × 14 428 / 60 957 = 321 900,34
        "Region Skåne": Decimal("1360000"),
        "Försäkringskassan": Decimal("2720000"),
        "Arbetsförmedlingen": Decimal("0"),
    }
    assert sum(s.amount for s in shares) == Decimal("5440000")


def test_fk_pays_the_state_half_for_fk_and_af_and_says_so():
    shares = {s.member.kind: s for s in split_contributions(1000, landskrona_svalov(), POPULATION)}

    assert shares["fk"].share == Fraction(1, 2)
    assert shares["fk"].note == NOTE_FK_PAYS_STATE
    assert shares["af"].amount == 0
    assert shares["af"].note == NOTE_AF_PAID_BY_FK


def test_equal_key_gives_the_left_over_krona_to_the_first_kommun():
    members = [member(1, "kommun"), member(2, "kommun"), member(3, "kommun")]
    members += [member(4, "region"), member(5, "fk"), member(6, "af")]

    shares = split_contributions(100, members, EQUAL)

    # The kommuner share 25 kr: 8,33 each; one krona is left over and goes to the first.
    assert [s.amount for s in shares] == [9, 8, 8, 25, 50, 0]


def test_fixed_key_uses_the_percentages():
    members = [member(1, "kommun", fixed_share="70"), member(2, "kommun", fixed_share="30")]
    members += [member(3, "region"), member(4, "fk")]

    shares = split_contributions(1_000_000, members, FIXED)

    assert [s.amount for s in shares] == [175_000, 75_000, 250_000, 500_000]


def test_fixed_shares_must_add_up_to_100_percent():
    members = [member(1, "kommun", fixed_share="70"), member(2, "kommun", fixed_share="20")]
    members += [member(3, "region"), member(4, "fk")]

    with pytest.raises(ContributionSplitError) as error:
        split_contributions(1000, members, FIXED)

    assert str(error.value) == FIXED_SHARES_NOT_100.format(total="90")


def test_fixed_key_needs_every_kommuns_share():
    members = [member(1, "kommun", fixed_share="100"), member(2, "kommun", "Åby kommun")]
    members += [member(3, "region"), member(4, "fk")]

    with pytest.raises(ContributionSplitError, match="Fast andel saknas för Åby kommun"):
        split_contributions(1000, members, FIXED)


def test_several_regions_split_their_quarter_by_population():
    members = [member(1, "kommun", population=1), member(2, "region", population=300_000)]
    members += [member(3, "region", population=100_000), member(4, "fk")]

    shares = split_contributions(400_000, members, POPULATION)

    assert [s.amount for s in shares] == [100_000, 75_000, 25_000, 200_000]


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ([member(1, "kommun", population=1), member(2, "region")], NO_FK),
        ([member(1, "kommun", population=1), member(2, "fk")], NO_REGION),
    ],
)
def test_a_missing_party_is_refused_with_a_swedish_message(members, message):
    with pytest.raises(ContributionSplitError, match=message):
        split_contributions(1000, members, POPULATION)


def test_population_key_needs_every_population():
    members = [member(1, "kommun", "Åby kommun"), member(2, "region"), member(3, "fk")]

    with pytest.raises(ContributionSplitError) as error:
        split_contributions(1000, members, POPULATION)

    assert str(error.value) == MISSING_POPULATION.format(names="Åby kommun")


@pytest.mark.parametrize("total", [Decimal("100.50"), Decimal("-1")])
def test_total_must_be_whole_non_negative_kronor(total):
    with pytest.raises(ContributionSplitError, match=TOTAL_NOT_WHOLE_KRONOR):
        split_contributions(total, landskrona_svalov(), POPULATION)


def test_largest_remainder_breaks_ties_by_position():
    thirds = [Fraction(1, 3)] * 3
    assert largest_remainder(2, thirds) == [1, 1, 0]
    assert largest_remainder(0, thirds) == [0, 0, 0]


@st.composite
def associations(draw):
    key = draw(st.sampled_from([POPULATION, EQUAL, FIXED]))
    kommuner = draw(st.integers(min_value=1, max_value=8))
    cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=kommuner - 1, max_size=kommuner - 1)))
    percentages = [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
    pk = iter(range(1, 100))
    members = [
        member(next(pk), "kommun", population=draw(st.integers(1, 1_000_000)), fixed_share=p)
        for p in percentages
    ]
    regions = draw(st.integers(min_value=1, max_value=3))
    members += [
        member(next(pk), "region", population=draw(st.integers(1, 2_000_000)))
        for _ in range(regions)
    ]
    members += [member(next(pk), "fk"), member(next(pk), "af")]
    return draw(st.permutations(members)), key


@settings(max_examples=500, deadline=None)
@given(total=st.integers(min_value=0, max_value=10**11), association=associations())
def test_shares_are_whole_kronor_within_a_krona_of_exact_and_sum_to_the_total(total, association):
    members, key = association

    shares = split_contributions(Decimal(total), members, key)

    assert sum(s.amount for s in shares) == total
    assert sum(s.share for s in shares) == 1
    for share in shares:
        assert share.amount == share.amount.to_integral_value()
        assert abs(Fraction(int(share.amount)) - total * share.share) < 1
    by_kind = {}
    for share in shares:
        by_kind[share.member.kind] = by_kind.get(share.member.kind, 0) + share.share
    assert by_kind == {
        "fk": Fraction(1, 2),
        "af": 0,
        "region": Fraction(1, 4),
        "kommun": Fraction(1, 4),
    }
