"""The criteria of seed 002 § 3 and seed 004, checked against an application.

The check flags; it never blocks. It runs on prefetched data (owner, parties, commitments,
budget rows), so a list of applications can show it without a query per row.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from applications.models import Application, BudgetRow
from finsam.models import Member
from finsam.money import format_kronor


@dataclass(frozen=True)
class Criterion:
    label: str
    met: bool
    detail: str


@dataclass(frozen=True)
class OwnFunds:
    """The parties' own funds as the application states them twice: in their commitments
    (section Organisation) and in the budget rows (section Ekonomi), in kronor.

    The commitments carry no year, so the two are compared in total, over the whole period."""

    organisation: Decimal
    budget: Decimal

    @property
    def difference(self) -> Decimal:
        return self.organisation - self.budget

    @property
    def gap(self) -> Decimal:
        """The difference, however it falls: what the page and the flag show."""
        return abs(self.difference)

    @property
    def agree(self) -> bool:
        return self.difference == 0

    @property
    def stated(self) -> bool:
        return bool(self.organisation or self.budget)


def own_funds(application: Application) -> OwnFunds:
    """Both figures, from the prefetched commitments and budget rows."""
    return OwnFunds(
        organisation=sum(
            (row.own_contribution for row in application.commitments.all()), Decimal(0)
        ),
        budget=sum(
            (
                row.amount
                for row in application.budget_rows.all()
                if row.kind == BudgetRow.Kind.OWN_FUNDS
            ),
            Decimal(0),
        ),
    )


OWN_FUNDS_LABEL = "Parternas egna medel stämmer med budgeten"
OWN_FUNDS_NONE = "Inga egna medel angivna."
OWN_FUNDS_AGREE = "{amount} kr både i parternas åtaganden och i budgeten."
OWN_FUNDS_DIFFER = (
    "Parternas åtaganden (Organisation) anger {organisation} kr i egna medel, budgeten "
    "(Ekonomi) {budget} kr totalt: en skillnad på {difference} kr."
)


def own_funds_criterion(funds: OwnFunds) -> Criterion:
    if not funds.stated:
        detail = OWN_FUNDS_NONE
    elif funds.agree:
        detail = OWN_FUNDS_AGREE.format(amount=format_kronor(funds.budget))
    else:
        detail = OWN_FUNDS_DIFFER.format(
            organisation=format_kronor(funds.organisation),
            budget=format_kronor(funds.budget),
            difference=format_kronor(funds.gap),
        )
    return Criterion(OWN_FUNDS_LABEL, funds.agree, detail)


def parties_involved(owner: Member | None, parties) -> set[str]:
    """The parties involved, where all kommuner together count as one party (seed 004)."""
    members = [*parties, *([owner] if owner else [])]
    return {member.kind for member in members if member.kind}


def end_limit(start: datetime.date, years: int) -> datetime.date:
    """The last day an insats starting on ``start`` may run: ``years`` years, less one day."""
    try:
        anniversary = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        anniversary = start.replace(year=start.year + years, day=28)
    return anniversary - datetime.timedelta(days=1)


# The long texts check() reads (whether the uppföljning and implementering are written): a
# list that shows the criteria reads these and may leave the other long texts unread.
CRITERIA_TEXTS = ("followup", "implementation")


def check(application: Application, max_years: int) -> list[Criterion]:
    owner = application.owner
    members = list(application.parties.all())
    involved = parties_involved(owner, members)
    cost_years = {
        row.year for row in application.budget_rows.all() if row.kind == BudgetRow.Kind.COST
    }
    missing_years = [year for year in application.years if year not in cost_years]

    criteria = [
        Criterion(
            "Minst två parter deltar",
            len(involved) >= 2,
            f"{len(involved)} part(er): "
            + (", ".join(sorted(str(Member.Kind(k).label) for k in involved)) or "inga angivna")
            + " (kommunerna räknas som en part).",
        ),
        Criterion(
            "Huvudmannen är medlem i förbundet",
            owner is not None and owner.association_id == application.association_id,
            str(owner) if owner else "Ingen huvudman angiven.",
        ),
    ]
    if application.period_start and application.period_end:
        limit = end_limit(application.period_start, max_years)
        criteria.append(
            Criterion(
                f"Insatstiden är högst {max_years} år",
                application.period_end <= limit,
                f"{application.period_start:%Y-%m-%d} – {application.period_end:%Y-%m-%d}",
            )
        )
    else:
        criteria.append(Criterion(f"Insatstiden är högst {max_years} år", False, "Period saknas."))
    followup_written = bool(application.followup.strip())
    if not followup_written:
        followup_detail = "Uppföljning saknas."
    elif not application.national_followup:
        followup_detail = "Rapportering i den nationella uppföljningen är inte planerad."
    else:
        followup_detail = "Planerad, även i Uppföljning Finsam."
    if not application.years:
        budget_detail = "Period saknas."
    elif missing_years:
        budget_detail = "Saknas för " + ", ".join(map(str, missing_years)) + "."
    else:
        budget_detail = "Budget för " + ", ".join(map(str, application.years)) + "."
    implementation_written = bool(application.implementation.strip())
    criteria += [
        Criterion(
            "Uppföljning är planerad, även i den nationella uppföljningen",
            followup_written and application.national_followup,
            followup_detail,
        ),
        Criterion(
            "Plan för implementering eller avveckling finns",
            implementation_written,
            "Beskriven." if implementation_written else "Saknas.",
        ),
        Criterion(
            "Budget finns för varje år",
            bool(application.years) and not missing_years,
            budget_detail,
        ),
        own_funds_criterion(own_funds(application)),
    ]
    return criteria
