"""An ärende of a meeting's agenda written in Python (issue #12): the meeting page and the
meeting pack wrote each ärende through an ``{% include %}`` of about twenty tags, which cost the
meeting page a fifth of its time for fifteen ärenden. The markup is what the include wrote
(its text is kept in tests/test_meeting_views.py), element for element, each value escaped as
the template escaped it."""

from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from finsam.money import format_tkr
from finsam.templatetags.finsam_shell import pk_url

register = template.Library()


def _e(value) -> str:
    """``{{ value }}``: localised, then escaped unless it is safe."""
    return str(conditional_escape(localize(value)))


def _day(day) -> str:
    return f"{day:%Y-%m-%d}" if day else ""


def _decision(item):
    """The ärende's decision, None without one (as the template's ``{% if item.decision %}``)."""
    try:
        return item.decision
    except ObjectDoesNotExist:
        return None


def _criteria(entry) -> str:
    unmet, count = entry.unmet, len(entry.criteria)
    if not unmet:
        return f"Alla {count} uppfyllda"
    items = "".join(
        f'<li><span class="text-danger"><span aria-hidden="true">! </span>{_e(criterion.label)}'
        f"</span> – {_e(criterion.detail)}</li>"
        for criterion in unmet
    )
    return f'{len(unmet)} av {count} inte uppfyllda:<ul class="list-unstyled mb-0">{items}</ul>'


def _application(entry, application, pdf: bool, urls) -> str:
    budget = entry.budget
    years = budget.years if budget is not None else []
    sought = ", ".join(f"{format_tkr(year.sought)} tkr ({year.year:d})" for year in years)
    total = format_tkr(budget.sought) if budget is not None else ""
    recommendation = entry.recommendation
    recommended = (
        f"<strong>{_e(recommendation.get_recommendation_display())}</strong>: "
        f"{_e(recommendation.recommendation_text)}"
        if recommendation
        else "Ingen fastställd rekommendation."
    )
    linked = list(application.linked.all())
    together = (
        '<dt class="col-sm-3">Beslutas tillsammans med</dt><dd class="col-sm-9">'
        f"{'; '.join(_e(other) for other in linked)}</dd>"
        if linked
        else ""
    )
    owner = application.owner.name if application.owner_id else ""
    links = (
        ""
        if pdf
        else f'<p class="small"><a href="{urls["detail"](application.pk)}">Hela ansökan</a> · '
        f'<a href="{urls["pdf"](application.pk)}">Ansökan som PDF</a></p>'
    )
    return (
        '<dl class="row small mb-1">'
        f'<dt class="col-sm-3">Huvudman</dt><dd class="col-sm-9">{_e(owner or "–")}; period '
        f"{_day(application.period_start)} – {_day(application.period_end)}</dd>"
        '<dt class="col-sm-3">Sökt från förbundet</dt>'
        f'<dd class="col-sm-9">{sought}; totalt {total} tkr</dd>'
        f'<dt class="col-sm-3">Kriterier</dt><dd class="col-sm-9">{_criteria(entry)}</dd>'
        f'<dt class="col-sm-3">Rekommendation</dt><dd class="col-sm-9">{recommended}</dd>'
        f"{together}</dl>{links}"
    )


def _decided(decision) -> str:
    conditions = (
        f'<p class="mb-1 small">Villkor: {_e(decision.conditions)}</p>'
        if decision.conditions
        else ""
    )
    left = (
        '<p class="mb-1 small">Föredraganden lämnade rummet innan styrelsen fattade beslut.</p>'
        if decision.presenter_left
        else ""
    )
    recusals = "".join(
        f'<p class="mb-1 small">{_e(recusal.seat.person)} anmälde jäv ({_e(recusal.reason)}) '
        "och deltog inte i beslutet.</p>"
        for recusal in decision.recusals.all()
    )
    return (
        f'<div class="decision"><p class="mb-1"><strong>Beslut:</strong> {_e(decision.text)}</p>'
        f"{conditions}{left}{recusals}</div>"
    )


def _url_makers() -> dict:
    return {"detail": pk_url("applications:detail"), "pdf": pk_url("applications:pdf")}


def agenda_item_html(entry, pdf: bool, urls: dict) -> str:
    """One ärende (applications.selectors.PackItem): its heading (§ or number, title), kind and
    föredragande, for an application its owner, period, what it seeks, the criteria, the
    recommendation, what it is decided with and (not in the pack) its links, and the decision
    with its conditions and recusals."""
    item = entry.item
    pk = str(item.pk)
    number = f"§ {item.paragraph} " if item.paragraph else f"{_e(entry.number)}. "
    standard = item.is_standard
    about = ""
    if not standard or item.presenter:
        kind = "" if standard else _e(item.get_kind_display())
        presenter = ""
        if item.presenter:
            presenter = f"{'' if standard else ' · '}Föredragande: {_e(item.presenter)}"
        about = f'<p class="small mb-1">{kind}{presenter}</p>'
    application = item.application if item.application_id else None
    decision = _decision(item)
    return (
        f'<article class="agenda-item" aria-labelledby="arende-{pk}">'
        f'<h3 id="arende-{pk}" class="h5">{number}{_e(item.title)}</h3>{about}'
        f"{_application(entry, application, pdf, urls) if application else ''}"
        f"{_decided(decision) if decision else ''}</article>"
    )


@register.simple_tag
def agenda_item(entry, pdf=False):
    """One ärende, its links made from addresses reversed once a process (pk_url)."""
    return mark_safe(agenda_item_html(entry, bool(pdf), _url_makers()))
