"""The programme desk (统计): the panels of figures staff read about a filing batch — on the
统计 page, and the few marked `on_home` on the admin home too — contributed by the apps that
own the figures.

An app registers a panel with `register`: who may see it (`visible(user)`), how its figures
are read (`figures(user, batch)` → the panel template's context, in a fixed number of
queries whatever the number of enterprises), the models whose rows they count, and its
template. Figures are kept in the shared cache per panel, batch, user and day until a row of
one of those models is saved or deleted, or the user's rights change: the aggregates over
every filing of a batch are read once per change, not on every visit of the admin home. The page that shows the desk
(enterprise_business.desk) asks `panels_for(user, batch)` and so never shows a figure to a
role that may not see it, nor imports the apps above it. `bars` turns figures into the
widths of a server-drawn SVG bar chart (no inline style: the widths are SVG attributes)."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.utils import timezone, translation

from .generations import rows_of
from .sidebar import RIGHTS

# How long unchanged figures are kept (a new day's figures have a key of their own).
FIGURES_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Panel:
    name: str
    title: str
    order: int
    template: str
    visible: Callable
    figures: Callable
    on_home: bool
    counts: tuple[str, ...]


PANELS: dict[str, Panel] = {}


def register(name: str, title: str, *, order: int, template: str, visible: Callable, counts: tuple[str, ...],
             on_home: bool = False):
    """Decorator: `figures(user, batch) -> dict` (picklable) reads panel `name` (titled `title`,
    shown in `order`, rendered with `template`) for users for whom `visible(user)` is true;
    `counts` are the "app_label.Model" labels of every model the figures read, whose saves and
    deletions make them read again (`generations.rows_of`: a change made with `QuerySet.update`
    or COPY must be followed by a save that does, or invalidate the rows itself); `on_home` puts
    it on the admin home as well as on the 统计 page (the home is everyone's first page: only a
    light summary belongs there, the rest is one link away)."""

    def decorate(figures):
        PANELS[name] = Panel(name, title, order, template, visible, figures, on_home, tuple(counts))
        return figures

    return decorate


def panels_for(user, batch, *, home: bool = False) -> list[dict]:
    """[{"panel": Panel, "title", "template", **figures}] of every panel `user` may see, in
    order, read for `batch` (None: no batch yet, and then no panel): from the shared cache
    when nothing they count changed (one cache read for all), else read and kept."""
    if batch is None:
        return []
    shown = sorted((p for p in PANELS.values() if (p.on_home or not home) and p.visible(user)),
                   key=lambda p: p.order)
    # The figures depend on the day (ages in working days), the user's rights (rows of the
    # queues it may open, its department's questions, its bank's applications) and language.
    context = ":".join((RIGHTS.current(), str(batch.pk), str(user.pk), timezone.localdate().isoformat(),
                        translation.get_language() or ""))
    keys = {p.name: f"desk:{p.name}:{':'.join(rows_of(label).current() for label in p.counts)}:{context}"
            for p in shown}
    known = cache.get_many(keys.values())
    panels = []
    for p in shown:
        figures = known.get(keys[p.name])
        if figures is None:
            figures = p.figures(user, batch)
            cache.set(keys[p.name], figures, FIGURES_SECONDS)
        panels.append({"panel": p, "title": p.title, "template": p.template, **figures})
    return panels


CHART_WIDTH = 300  # the SVG bars' full width, in SVG user units


def bars(rows, value=lambda row: row["count"]) -> list[dict]:
    """Each row (a dict) with "bar": its value's width in a chart CHART_WIDTH wide, the largest
    value full width, a value above zero at least 1 wide; "y": its offset (24 per row)."""
    rows = list(rows)
    largest = max((Decimal(value(row) or 0) for row in rows), default=Decimal(0))
    for index, row in enumerate(rows):
        amount = Decimal(value(row) or 0)
        width = 0 if largest <= 0 or amount <= 0 else max(1, int(amount * CHART_WIDTH / largest))
        row.update(bar=width, y=index * 24)
    return rows
