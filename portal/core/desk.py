"""The programme desk (统计): the panels of figures staff read about a filing batch — on the
统计 page, and the few marked `on_home` on the admin home too — contributed by the apps that
own the figures.

An app registers a panel with `register`: who may see it (`visible(user)`), how its figures
are read (`figures(user, batch)` → the panel template's context, in a fixed number of
queries whatever the number of enterprises) and its template. The page that shows the desk
(enterprise_business.desk) asks `panels_for(user, batch)` and so never shows a figure to a
role that may not see it, nor imports the apps above it. `bars` turns figures into the
widths of a server-drawn SVG bar chart (no inline style: the widths are SVG attributes)."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Panel:
    name: str
    title: str
    order: int
    template: str
    visible: Callable
    figures: Callable
    on_home: bool


PANELS: dict[str, Panel] = {}


def register(name: str, title: str, *, order: int, template: str, visible: Callable, on_home: bool = False):
    """Decorator: `figures(user, batch) -> dict` reads panel `name` (titled `title`, shown in
    `order`, rendered with `template`) for users for whom `visible(user)` is true; `on_home`
    puts it on the admin home as well as on the 统计 page (the home is everyone's first page:
    only a light summary belongs there, the rest is one link away)."""

    def decorate(figures):
        PANELS[name] = Panel(name, title, order, template, visible, figures, on_home)
        return figures

    return decorate


def panels_for(user, batch, *, home: bool = False) -> list[dict]:
    """[{"panel": Panel, "title", "template", **figures}] of every panel `user` may see, in
    order, read for `batch` (None: no batch yet, and then no panel)."""
    if batch is None:
        return []
    shown = sorted((p for p in PANELS.values() if (p.on_home or not home) and p.visible(user)),
                   key=lambda p: p.order)
    return [{"panel": p, "title": p.title, "template": p.template, **p.figures(user, batch)} for p in shown]


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
