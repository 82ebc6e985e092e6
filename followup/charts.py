"""Charts of the statistics, drawn on the server by matplotlib: as SVG inline in the page, as
a PNG in the PDF (see _png), each beside its data table (the table is what a screen reader
reads; the chart is an image with a title).

Only the object-oriented API (matplotlib.figure.Figure with its own canvas): no pyplot, so no
global figure state shared between requests. Text is drawn as paths in DejaVu Sans
(matplotlib's own font), so the SVG looks the same in every browser, as the PNG does. The
output is deterministic (no date, ids from a fixed salt) so that the same figures give the
same bytes. Suppressed counts ("<5") are not drawn: the chart says so under it.

The pages' Content-Security-Policy allows no inline style, and an SVG inline in a page is
governed by it: matplotlib's `style="..."` attributes and its `<style>` element become SVG
presentation attributes (fill="…", stroke="…"), which are markup, not style, and look the same.

Drawing costs (#12): matplotlib takes 60–100 ms of CPU for one chart, and a page shows two, the
yearly return's PDF two per insats. So each chart is drawn once with fixed margins (no
tight_layout, no bbox_inches="tight": each laid the figure out by drawing it, which doubled
the cost) and kept in Django's cache under a hash of everything it draws (see _memoised): the
SVG is a pure function of those figures, so it can show no one anything but what they asked
for. Text stays as paths: as <text> (svg.fonttype "none") it would cost a fifth less to draw
and a browser without DejaVu Sans would draw it in another font.
"""

import base64
import hashlib
import io
import math
import re
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from followup.suppression import Table

# The salt matplotlib hashes its SVG ids with: fixed, so that the output is deterministic.
# Set in the configuration matplotlib reads when it writes an SVG (there is no argument for it);
# the same value for every chart, so no request changes it for another.
matplotlib.rcParams["svg.hashsalt"] = "finsam"
matplotlib.rcParams["svg.fonttype"] = "path"
matplotlib.rcParams["font.family"] = "DejaVu Sans"

WOMEN_COLOUR = "#7b3294"
MEN_COLOUR = "#008837"
BEFORE_COLOUR = "#92c5de"
AFTER_COLOUR = "#0571b0"
NOT_DRAWN = "Antal under 5 ritas inte (visas som <5 i tabellen)."
# Part of every chart's cache key: raise it whenever the drawing here changes, so that no SVG
# drawn by an older version is served.
CHART_VERSION = 2
# The resolution of a chart drawn for print: ~160 dpi at the width it has on an A4 page.
PRINT_DPI = 150
# How long a drawn chart is kept (seconds): it never goes stale, this only frees the cache.
CHART_TIMEOUT = 7 * 24 * 3600
# The room around the axes, as fractions of the figure, fixed rather than computed by
# tight_layout (which lays the figure out by drawing it): what tight_layout chose for a year's
# figures, with room for four-digit counts on the y axis and the rotated labels below.
OVER_TIME_MARGINS = {"left": 0.09, "right": 0.98, "bottom": 0.2, "top": 0.95}
BEFORE_AFTER_MARGINS = {"left": 0.09, "right": 0.98, "bottom": 0.2, "top": 0.9, "wspace": 0.19}

# The CSS properties matplotlib writes that SVG also has as presentation attributes. Any other
# property stops the drawing (ValueError), so that a new matplotlib cannot bring back a style
# the policy would block, or silently lose one.
PRESENTATION_ATTRIBUTES = frozenset(
    {
        "clip-path",
        "clip-rule",
        "color",
        "display",
        "fill",
        "fill-opacity",
        "fill-rule",
        "font-family",
        "font-size",
        "font-style",
        "font-weight",
        "opacity",
        "stroke",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-miterlimit",
        "stroke-opacity",
        "stroke-width",
        "text-anchor",
        "visibility",
    }
)
# matplotlib's one style sheet: every element round-joined and butt-capped unless it says
# otherwise. matplotlib writes joins and caps on the drawn elements themselves, never on a group,
# so the same values on the <svg> element, inherited, draw the same.
MATPLOTLIB_STYLESHEET = (
    '<style type="text/css">*{stroke-linejoin: round; stroke-linecap: butt}</style>'
)
STYLESHEET_ATTRIBUTES = 'stroke-linejoin="round" stroke-linecap="butt"'


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    svg: SafeString  # the drawing: inline SVG on a page, an <img> of a PNG in the PDF
    table: Table
    note: str


def _svg(figure: Figure, *, key: str, title: str) -> str:
    """The figure as inline SVG markup: an image with a title, ids made unique to the chart.

    Drawn once: the margins are fixed (see MARGINS), so neither tight_layout nor
    bbox_inches="tight" has to lay the figure out by drawing it first (each doubled the cost)."""
    buffer = io.StringIO()
    FigureCanvasSVG(figure)
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    # Who drew it, in RDF: nothing a reader of the page needs.
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, count=1, flags=re.DOTALL)
    text = _without_style(text)
    # Ids unique in the page: each chart's ids (and every reference to one) get its own prefix.
    ids = set(re.findall(r'id="([^"]+)"', text))
    if ids:
        names = "|".join(re.escape(name) for name in sorted(ids, key=len, reverse=True))
        text = re.sub(
            rf'(id="|#)({names})(?=[")])', lambda match: f"{match[1]}{key}-{match[2]}", text
        )
    title_id = f"{key}-title"
    text = re.sub(
        r'<svg([^>]*?) width="[^"]+" height="[^"]+"',
        rf'<svg\1 role="img" aria-labelledby="{title_id}" class="chart-svg"',
        text,
        count=1,
    )
    opening_end = text.index(">") + 1
    return (
        text[:opening_end] + f'<title id="{title_id}">{escape(title)}</title>' + text[opening_end:]
    )


def _png(figure: Figure, *, title: str) -> str:
    """The figure as an image for print: a PNG in a data URL, its title as the alternative
    text. WeasyPrint draws matplotlib's SVG slowly (~0.4 s a chart, its text being glyph
    paths): the yearly return's PDF has two charts per insats, so on a förbund with thirty
    insatser the SVGs took more time than all the rest of its 200 pages (#12); a PNG takes it
    ~20 ms."""
    buffer = io.BytesIO()
    FigureCanvasAgg(figure)
    # No metadata (matplotlib writes its version as "Software"): the same figures, the same bytes.
    figure.savefig(
        buffer, format="png", dpi=PRINT_DPI, facecolor="white", metadata={"Software": None}
    )
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img class="chart-image" alt="{escape(title)}" src="data:image/png;base64,{data}">'


def _presentation(match: re.Match) -> str:
    """One `style="a: b; c: d"` attribute as `a="b" c="d"`."""
    attributes = []
    for declaration in match.group(1).split(";"):
        if not declaration.strip():
            continue
        name, value = (part.strip() for part in declaration.split(":", 1))
        if name not in PRESENTATION_ATTRIBUTES:
            raise ValueError(f"matplotlib wrote a style SVG has no attribute for: {name}")
        attributes.append(f'{name}="{value}"')
    return " ".join(attributes)


def _without_style(text: str) -> str:
    """The SVG with its styles as presentation attributes (see the module's docstring)."""
    if MATPLOTLIB_STYLESHEET not in text or text.count("<style") != 1:
        raise ValueError("matplotlib wrote a style sheet other than the one we translate")
    text = re.sub(r"<defs>\s*" + re.escape(MATPLOTLIB_STYLESHEET) + r"\s*</defs>", "", text)
    if MATPLOTLIB_STYLESHEET in text:  # the sheet shared its <defs> with other definitions
        text = text.replace(MATPLOTLIB_STYLESHEET, "")
    text = text.replace("<svg ", f"<svg {STYLESHEET_ATTRIBUTES} ", 1)
    return re.sub(r'style="([^"]*)"', _presentation, text)


def _values(table: Table, column: int) -> list[float]:
    """A column of the table as it may be drawn: suppressed cells are gaps (NaN)."""
    return [
        float(row.cells[column].value) if row.cells[column].exact else math.nan
        for row in table.rows
    ]


def _memoised(
    kind: str, draw, table: Table, *, key: str, title: str, raster: bool = False
) -> SafeString:
    """The chart's markup (inline SVG, or with ``raster`` an <img> of a PNG for print), drawn
    once per distinct input. It is a pure function of what is hashed here (the kind of chart,
    the ids' prefix, the title, the whole table: labels, values, what is shown of each, and
    the format), of this module's drawing (CHART_VERSION) and of matplotlib's: so the cache can
    hold no one's figures but those asked for with exactly these numbers, and a chart costs a
    cache read where the numbers have not changed."""
    memo = cache_key(kind, table, key=key, title=title, raster=raster)
    markup = cache.get(memo)
    if markup is None:
        figure = draw(table)
        markup = _png(figure, title=title) if raster else _svg(figure, key=key, title=title)
        cache.set(memo, markup, CHART_TIMEOUT)
    return mark_safe(markup)


def cache_key(kind: str, table: Table, *, key: str, title: str, raster: bool = False) -> str:
    inputs = repr((CHART_VERSION, matplotlib.__version__, kind, key, title, table, raster))
    return "followup-chart:" + hashlib.sha256(inputs.encode()).hexdigest()


def before_after(table: Table, *, key: str = "fore-efter", raster: bool = False) -> Chart:
    """Sysselsättning before and after, for women and for men: two panels of paired bars."""
    title = "Sysselsättning före och efter, kvinnor och män (avslutade under perioden)"
    svg = _memoised(
        "before_after", _before_after_figure, table, key=key, title=title, raster=raster
    )
    return Chart(key, title, svg, table, NOT_DRAWN)


def _before_after_figure(table: Table) -> Figure:
    figure = Figure(figsize=(8, 3.4))
    figure.subplots_adjust(**BEFORE_AFTER_MARGINS)
    labels = [row.label for row in table.rows]
    positions = list(range(len(labels)))
    width = 0.38
    axes = figure.subplots(1, 2, sharey=True)
    for panel, (axis, name) in enumerate(zip(axes, ("Kvinnor", "Män"), strict=True)):
        before = _values(table, panel * 2)
        after = _values(table, panel * 2 + 1)
        axis.bar(
            [p - width / 2 for p in positions], before, width, label="Före", color=BEFORE_COLOUR
        )
        axis.bar(
            [p + width / 2 for p in positions], after, width, label="Efter", color=AFTER_COLOUR
        )
        # A fixed place (y=1): matplotlib would otherwise measure the axes to place it.
        axis.set_title(name, y=1)
        if all(math.isnan(value) or value == 0 for value in before + after):
            axis.text(
                0.5,
                0.5,
                "Inga staplar:\nalla antal är 0 eller under 5",
                ha="center",
                va="center",
                transform=axis.transAxes,
                fontsize=9,
                color="#444444",
            )
        axis.set_xticks(positions, labels, rotation=20, ha="right", fontsize=8)
        axis.spines[["top", "right"]].set_visible(False)
        axis.yaxis.get_major_locator().set_params(integer=True)
    drawn = [value for column in range(4) for value in _values(table, column)]
    if all(math.isnan(value) or value == 0 for value in drawn):
        axes[0].set_ylim(0, 5)  # shared by both panels: whole people, not 0,01 steps
    else:
        # Once both panels are drawn: fixing the limits earlier would cut off the bars of the
        # second panel where they are higher than the first's.
        axes[0].set_ylim(bottom=0)
    axes[0].set_ylabel("Antal deltagare")
    axes[0].legend(frameon=False, fontsize=8)
    return figure


def over_time(table: Table, *, key: str = "over-tid", raster: bool = False) -> Chart:
    """Participants month by month, women and men."""
    title = "Deltagare per månad, kvinnor och män"
    svg = _memoised("over_time", _over_time_figure, table, key=key, title=title, raster=raster)
    return Chart(key, title, svg, table, NOT_DRAWN)


def _over_time_figure(table: Table) -> Figure:
    figure = Figure(figsize=(8, 3))
    figure.subplots_adjust(**OVER_TIME_MARGINS)
    axis = figure.subplots()
    labels = [row.label for row in table.rows]
    positions = list(range(len(labels)))
    for column, (name, colour) in enumerate((("Kvinnor", WOMEN_COLOUR), ("Män", MEN_COLOUR))):
        axis.plot(positions, _values(table, column), marker="o", label=name, color=colour)
    step = max(1, len(labels) // 12)
    axis.set_xticks(positions[::step], labels[::step], rotation=30, ha="right", fontsize=8)
    axis.set_ylabel("Antal deltagare")
    axis.set_ylim(bottom=0)
    axis.spines[["top", "right"]].set_visible(False)
    axis.yaxis.get_major_locator().set_params(integer=True)
    if all(math.isnan(value) for column in (0, 1) for value in _values(table, column)):
        axis.text(
            0.5,
            0.5,
            "Inga punkter: alla antal under 5",
            ha="center",
            va="center",
            transform=axis.transAxes,
            fontsize=9,
            color="#444444",
        )
    axis.legend(frameon=False, fontsize=8)
    return figure


def charts_for(statistics, *, prefix: str = "", raster: bool = False) -> list[Chart]:
    """The charts of one statistics block; ``prefix`` keeps ids apart when several blocks are
    on one page (the PDF); ``raster`` draws them as PNG for print (see _png)."""
    return [
        before_after(statistics.occupation, key=f"{prefix}fore-efter", raster=raster),
        over_time(statistics.over_time, key=f"{prefix}over-tid", raster=raster),
    ]
