"""What the kernel shows in the Wagtail admin: the audit log (审计日志, for auditors) and the SMS
record (短信记录), both under 设置 and both read-only; and the read-only permission policy the
apps use for records the admin shows but never creates, edits or deletes; and the screens of a
table staff load from spreadsheets (its list and its import page, over `portal.core.imports`)."""

import hashlib
from functools import partial

import django_filters
from django.contrib.admin.utils import quote
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet, PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.formats import localize
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.timezone import template_localtime
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.cache import never_cache
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.templatetags.wagtailadmin_tags import icon, resolve_url
from wagtail.admin.ui.tables import BooleanColumn, Column, Table, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.coreutils import multigetattr
from wagtail.permission_policies import ModelPermissionPolicy

from . import workdays
from .forms import WIDGETS
from .generations import Memo, rows_of, shared_tokens
from .imports import enqueue_import
from .jobs.exports import ExportIndexView
from .models import AuditEvent, SmsMessage
from .sidebar import RIGHTS, rights_token


def _shown(value, empty=""):
    """A cell's value as the template tag `{{ value }}` prints it (local time, localised,
    escaped); `empty` for None or blank text."""
    if value is None:
        return empty
    if type(value) is str:  # most cells: no localisation to look up
        return escape(value) if value.strip() else empty
    if not str(value).strip():
        return empty
    return conditional_escape(localize(template_localtime(value)))


def _cell(column, content, classname=""):
    """A cell: `content` is markup (escaped already, or safe)."""
    classes = escape(" ".join(name for name in (column.classname, classname) if name))
    opening = f'<td class="{classes}">' if classes else "<td>"
    return mark_safe(f"{opening}{conditional_escape(content)}</td>")  # noqa: S308 - escaped


class LeanColumn(Column):
    """Wagtail's `Column` with its cell written in Python (the markup of
    wagtailadmin/tables/cell.html) instead of rendering a template per cell: a list page of 20
    rows × 5 columns spent two thirds of its time in those renders (issue 21)."""

    def render_cell_html(self, instance, parent_context):
        value = self.get_value(instance)
        return _cell(self, "" if value is None else _shown(value, self.empty_value_display))


class LeanTitleColumn(TitleColumn):
    """The first column: the row's title as a link to its page (edit or inspect), written in
    Python; without Wagtail's per-row menu of buttons (see LeanListing)."""

    # Reversed once per list with this number for the row's key, which each row's key replaces.
    PLACEHOLDER = 987654321987654321

    def get_link_url(self, instance, parent_context):
        if self._get_url_func or not self.url_name:
            return super().get_link_url(instance, parent_context)
        if getattr(self, "_url_pattern", None) is None:
            self._url_pattern = reverse(self.url_name, args=(self.PLACEHOLDER,)).split(str(self.PLACEHOLDER))
        return str(quote(multigetattr(instance, self.id_accessor))).join(self._url_pattern)

    def render_cell_html(self, instance, parent_context):
        title = _shown(self.get_value(instance), self.empty_value_display)
        url = self.get_link_url(instance, parent_context)
        link = f'<a href="{escape(url)}">{title}</a>' if url else title
        return _cell(self, mark_safe(f'<div class="title-wrapper">{link}</div>'), "title")  # noqa: S308 - escaped


class LeanBooleanColumn(BooleanColumn):
    """A tick, a cross or a question mark, read out as 是, 否 or 未知 (Wagtail's "Yes", "No",
    "Unknown"), written in Python with the markup of our wagtailadmin/tables/boolean_cell.html."""

    ICONS = {None: ("help", "default", gettext_lazy("Unknown")),
             True: ("check", "default w-text-positive-100", gettext_lazy("Yes")),
             False: ("cross", "default w-text-text-error", gettext_lazy("No"))}

    def render_cell_html(self, instance, parent_context):
        name, classname, label = self.ICONS[self.get_value(instance)]
        return _cell(self, format_html(
            '<svg class="icon icon-{} {}" aria-hidden="true"><use href="#icon-{}"></use></svg>'
            '<span class="w-sr-only">{}</span>', name, classname, name, label))


def _attrs(attrs) -> str:
    """HTML attributes as wagtailadmin/shared/attrs.html writes them (True: the bare name;
    False: left out), escaped."""
    return "".join(f" {escape(name)}" if value is True else f' {escape(name)}="{conditional_escape(value)}"'
                   for name, value in attrs.items() if value is not False)


def _querystring(request, **changes) -> str:
    """Wagtail's `{% querystring %}`: the request's query with `changes` (None: left out), as
    "?…" (escape it for HTML)."""
    query = request.GET.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = str(value)
    return "?" + query.urlencode()


def _lean_header(column, context) -> str | None:
    """A column's header as wagtailadmin/tables/column_header.html writes it (its sorting link
    and arrow), in Python; None for a column with a header of its own (another template or
    context), which keeps its template."""
    if (column.header_template_name != Column.header_template_name
            or type(column).render_header_html is not Column.render_header_html
            or type(column).get_header_context_data is not Column.get_header_context_data
            or context.get("request") is None):
        return None
    opening = f'<th class="{escape(column.classname)}">' if column.classname else "<th>"
    label = conditional_escape(column.label)
    if not column.sort_key:
        return f"{opening}{label}</th>"
    table = context["table"]
    if table.ordering == column.sort_key:  # sorted ascending by it: the link sorts descending
        ordering, arrow = f"-{column.sort_key}", "icon-arrow-up-after teal"
        title = column.descending_title_text or table.get_descending_title_text(column)
    else:
        ordering = column.sort_key
        arrow = "icon-arrow-down-after teal" if table.ordering == f"-{column.sort_key}" else "icon-arrow-down-after"
        title = column.ascending_title_text or table.get_ascending_title_text(column)
    href = conditional_escape(table.base_url) + escape(_querystring(context["request"], p=None, ordering=ordering))
    title = f' title="{conditional_escape(title)}"' if title else ""
    return f'{opening}<a href="{href}"{title} class="icon {arrow} label">{label}</a></th>'


# (icon name, class) -> wagtailadmin/shared/icon.html as Wagtail's `{% icon %}` renders it.
_icons: dict[tuple[str, str], str] = {}


def _icon(name: str, classname: str) -> str:
    html = _icons.get((name, classname))
    if html is None:
        html = _icons[(name, classname)] = render_to_string("wagtailadmin/shared/icon.html",
                                                             icon(name=name, classname=classname))
    return html


def lean_pagination(context) -> str:
    """wagtailadmin/shared/pagination_nav.html for a list's `page_obj` (the page's number, the
    links to the pages of `elided_page_range` around it, previous and next, each keeping the
    request's query), written in Python: its template loop, querystring tags and icons were a
    twentieth of a review queue."""
    page, request = context["page_obj"], context["request"]
    url_path = conditional_escape(resolve_url(context.get("index_url")))

    def href(number) -> str:
        return f' href="{url_path}{escape(_querystring(request, p=number))}"'

    numbers = []
    for number in context["elided_page_range"]:
        current = number == page.number
        classes = "pagination__page-number" + (" pagination__page-number--current" if current else "")
        if number == page.paginator.ELLIPSIS:
            numbers.append(f'<li class="{classes}"><span>{conditional_escape(number)}</span></li>')
        else:
            marked = ' aria-current="page"' if current else ""
            numbers.append(f'<li class="{classes}"><a{href(number)}{marked}>{intcomma(number)}</a></li>')
    previous = href(page.previous_page_number()) if page.has_previous() else ""
    following = href(page.next_page_number()) if page.has_next() else ""
    where = gettext("Page %(page_num)s of %(total_pages)s") % {
        "page_num": intcomma(page.number), "total_pages": intcomma(page.paginator.num_pages)}
    return mark_safe(  # noqa: S308 - every piece above is escaped or safe
        f'<nav class="pagination" aria-label="{escape(gettext("Pagination"))}">'
        f'<div class="pagination__start"><p>{escape(where)}</p></div><ul>'
        f'<li class="prev"><a{previous}>{_icon("arrow-left", "default")}{escape(gettext("Previous"))}</a></li>'
        + "".join(numbers)
        + f'<li class="next"><a{following}>{escape(gettext("Next"))}{_icon("arrow-right", "default")}</a></li>'
        f'</ul><div class="pagination__end">{conditional_escape(capfirst(page.paginator.items_count_label))}</div>'
        "</nav>")


# (LeanTable.row_memo_key, the row's primary key) -> the row's <tr>…</tr>, as this worker wrote it.
_known_rows: dict[tuple[str, object], str] = {}
# At most this many rows are kept per worker (then the memo starts again).
MAX_KNOWN_ROWS = 5000


# KnownPage's key (the list's row memo key, the rights, database, SQL and parameters, the page's
# slice) -> (its number of rows, its <tbody> content), as this worker wrote them.
_known_pages: dict[tuple, tuple[int, str]] = {}
# At most this many pages are kept per worker (then the memo starts again).
MAX_KNOWN_PAGES = 500


class KnownPage:
    """One page of a list's rows (a sliced queryset) whose table body this worker may have
    written before under the same `key`: the list, its columns and the generations its rows
    depend on (`LeanListing.memo_rows`), the rights, and the list's SQL and parameters (the
    user's filters, search, order and scope: `KnownCountPaginator.query_key`) with the page's
    slice. When it has, whether the page is empty, its length and its body come from the memo
    without reading the rows; otherwise the rows are read (iterating it) and `LeanTable` gives
    their body to `remember`."""

    def __init__(self, queryset: QuerySet, key: tuple):
        self.queryset, self.key = queryset, key
        self.known = _known_pages.get(key)

    def __bool__(self):
        return self.known[0] > 0 if self.known else bool(self.queryset)

    def __len__(self):
        return self.known[0] if self.known else len(self.queryset)

    def __iter__(self):
        return iter(self.queryset)

    def __getitem__(self, index):
        return self.queryset[index]

    def remember(self, rows: int, body: str) -> None:
        if len(_known_pages) >= MAX_KNOWN_PAGES:
            _known_pages.clear()
        _known_pages[self.key] = (rows, body)


class LeanTable(Table):
    """Wagtail's `Table` written in Python with the markup of wagtailadmin/tables/table.html:
    one string per row, joined, instead of a template loop with an include per row and a
    component tag per cell; cells are f-strings of escaped text (`format_html` escaped every
    piece again: a third of the queue's table). The column headers with Wagtail's own template
    are written in Python too (`_lean_header`: their sorting links and arrows); others keep
    their templates.

    `row_memo_key`: when given, a row's markup is kept in the worker's memory under it and the
    row's primary key, and written again only under a new key (see `LeanListing.memo_rows`);
    a `KnownPage` as the data gives the whole body when it knows it, and keeps it otherwise."""

    def __init__(self, *args, row_memo_key: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.row_memo_key = row_memo_key

    def _row_html(self, row, renderers, context) -> str:
        key = (self.row_memo_key, row.instance.pk) if self.row_memo_key else None
        html = _known_rows.get(key) if key else None
        if html is None:
            html = (f"<tr{_attrs(row.attrs)}>"
                    + "".join(conditional_escape(render(row.instance, {**context, "row": row})) for render in renderers)
                    + "</tr>")
            if key:
                if len(_known_rows) >= MAX_KNOWN_ROWS:
                    _known_rows.clear()
                _known_rows[key] = html
        return html

    def render_html(self, parent_context=None):
        context = self.get_context_data(parent_context or {})
        columns = list(self.columns.values())
        caption = self.get_caption()
        widths = "".join(f'<col width="{escape(column.width)}"/>' if column.width else "<col/>"
                         for column in columns) if self.has_column_widths() else ""
        head = "".join(_lean_header(column, context) or conditional_escape(column.header.render_html(context))
                       for column in columns)
        # A plain Column declared in a viewset's list_display is written as a LeanColumn is.
        renderers = [partial(LeanColumn.render_cell_html, column) if type(column) is Column
                     else column.render_cell_html for column in columns]
        page = self.data if isinstance(self.data, KnownPage) else None
        if page is not None and page.known:
            body = page.known[1]
        else:
            rows = [self._row_html(row, renderers, context) for row in self.rows]
            body = "".join(rows)
            if page is not None:
                page.remember(len(rows), body)
        caption = f'<caption class="w-sr-only">{escape(caption)}</caption>' if caption else ""
        header_row = f' class="{escape(self.header_row_classname)}"' if self.header_row_classname else ""
        return mark_safe(  # noqa: S308 - every piece above is escaped or safe
            f"<table{_attrs(self.attrs)}>{caption}{widths}<thead><tr{header_row}>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>")


class WidgetMemoRenderer:
    """The form renderer of a list's filters and search box: every widget's HTML, Wagtail's too,
    from a `WidgetMemo` (portal.core.forms.WIDGETS by default; the public forms memoise only
    Django's own widgets); a radio button or a select option is three nested templates each
    (a third of a review queue's templates)."""

    def __init__(self, memo=None):
        self.memo = memo or WIDGETS

    def __getattr__(self, name):
        from django.forms.renderers import get_default_renderer

        return getattr(get_default_renderer(), name)

    def render(self, template_name, context, request=None):
        from django.forms.renderers import get_default_renderer

        renderer = get_default_renderer()
        if request is not None or set(context) != {"widget"}:
            return renderer.render(template_name, context, request)
        return self.memo.render(template_name, context, lambda: renderer.render(template_name, context, request))


WIDGET_MEMO = WidgetMemoRenderer()


# "app_label.model" -> the rows a list's filters were asked to keep to, by value (KnownChoiceField).
_chosen: dict[str, Memo] = {}


class KnownChoiceField(django_filters.fields.ModelChoiceField):
    """django-filter's choice of a related row (a list filtered by 填报批次) that reads the chosen
    row from the worker's memo, per value, under the generation of the model's rows
    (`generations.rows_of`, so a rename shows within its second), instead of a query on every
    request of the list. A choice the memo does not know is looked up, and refused, as Django
    does; a restricted queryset (`limit_choices_to`) is always asked."""

    def to_python(self, value):
        queryset = self.queryset
        if (value in self.empty_values or (self.null_label is not None and value == self.null_value)
                or queryset.query.has_filters() or queryset.query.is_sliced):
            return super().to_python(value)
        label = queryset.model._meta.label
        memo = _chosen.get(label)
        if memo is None:
            memo = _chosen[label] = Memo(rows_of(label), max_entries=64)
        return memo.get((self.to_field_name, str(value)), lambda: super(KnownChoiceField, self).to_python(value))


# (view class, model, list_filter, base filter set) -> the filter set class Wagtail builds from them.
_filtersets: dict[tuple, type] = {}


class LeanCells:
    """IndexView mixin for lists whose rows keep Wagtail's title cell (with its per-row buttons:
    edit, copy, delete): every other cell is written in Python (`LeanTable`, `LeanColumn`), and
    the filters' and search box's widgets come from `WIDGET_MEMO`. The filter set class Wagtail
    builds from `list_filter` on every request is built once per worker, with `KnownChoiceField`
    for its choices of a related row."""

    table_class = LeanTable

    @cached_property
    def filterset_class(self):
        key = (type(self), self.model, repr(self.list_filter), self.base_filterset_class, bool(self.locale))
        filterset_class = _filtersets.get(key)
        if filterset_class is None:
            filterset_class = super().filterset_class
            for choice in (filterset_class.base_filters.values() if filterset_class else ()):
                if type(choice) is django_filters.ModelChoiceFilter:
                    choice.field_class = KnownChoiceField
            _filtersets[key] = filterset_class
        return filterset_class

    @cached_property
    def filters(self):
        filters = super().filters
        if filters is not None:
            filters.form.renderer = WIDGET_MEMO
        return filters

    @cached_property
    def search_form(self):
        form = super().search_form
        if form is not None:
            form.renderer = WIDGET_MEMO
        return form

    def _get_custom_column(self, field_name, column_class=Column, **kwargs):
        return super()._get_custom_column(field_name, LeanColumn if column_class is Column else column_class,
                                          **kwargs)


# How long a list's row count (or a report's rows) is kept while nothing it reads changes.
COUNT_SECONDS = 3600


def query_key(rows) -> tuple[str, str, str] | None:
    """(database, SQL, repr of the parameters) of a queryset; None for a list that is not a
    queryset or a query that matches nothing whatever the rows (Django's EmptyResultSet)."""
    if not isinstance(rows, QuerySet):
        return None
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:
        return None
    return rows.db, sql, repr(params)


def known_result(kind: str, key: tuple[str, str, str], counted: tuple[str, ...], rights: str | None, compute):
    """What `compute()` returns for the query `key` (`query_key`), from the shared cache while no
    row of the models `counted` ("app_label.Model") is saved or deleted (`generations.rows_of`)
    and no one's rights or groups change (`sidebar.RIGHTS`, as the request read it when given as
    `rights`: a list scoped to the user's department or bank reads its groups in its SQL);
    `kind` names what is kept ("count", a report's rows). The value must pickle and not be None."""
    generations = ":".join([rights or RIGHTS.current(), *(rows_of(label).current() for label in counted)])
    cache_key = f"{kind}:" + hashlib.sha256("\0".join([*key, generations]).encode()).hexdigest()
    value = cache.get(cache_key)
    if value is None:
        value = compute()
        cache.set(cache_key, value, COUNT_SECONDS)
    return value


class KnownCountPaginator(WagtailPaginator):
    """Wagtail's paginator whose row count — a COUNT over every matching row, 6 ms at 100,000
    filings — comes from the shared cache, per query (its SQL and parameters: the filters and
    search), while nothing it counts changes (`known_result`, over the models `counted` and the
    `rights`). A list that is not a queryset is counted as Wagtail does."""

    def __init__(self, *args, counted: tuple[str, ...] = (), rights: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.counted, self.rights = counted, rights

    @cached_property
    def query_key(self) -> tuple[str, str, str] | None:
        """`query_key` of the list, compiled once per request."""
        return query_key(self.object_list)

    @cached_property
    def count(self):
        if not self.counted or self.query_key is None:
            return super().count
        return known_result("count", self.query_key, self.counted, self.rights,
                            lambda: super(KnownCountPaginator, self).count)


class LeanListing(LeanCells):
    """IndexView mixin for long lists worked through page by page (the review queues): the
    table and every cell are written in Python (`LeanTable`, `LeanColumn`, `LeanTitleColumn`;
    `yes_no_column` is lean everywhere), and a row's only action is its title's link — no dropdown of per-row buttons,
    which on a read-only queue held that same link again. The pagination is written in Python
    (`lean_pagination`). Header, sorting, filters, search and export stay Wagtail's own. For
    lists whose rows need edit or delete buttons, use Wagtail's IndexView as it is.

    `counted`: the models ("app_label.Model") the list's rows, filters and search read; with
    them the row count comes from the shared cache until one of their rows changes
    (`KnownCountPaginator`).

    `memo_rows`: for a list whose cells show nothing but fields of the `counted` models (and the
    day: 审核时限), each row's markup is kept in the worker's memory (`LeanTable.row_memo_key`)
    under the list, its columns and where titles link, the language, time zone and day, and the
    `counted` models' shared generations read anew on every request — a row changed through any
    worker is written again on the next request. The rows shown are still the user's own query:
    the memo only spares writing a row the user may see. A queue's 20 rows were a fifth of it.
    A page's body is kept too, under the same key, the rights generation and the page's SQL
    (`KnownPage`): a page seen before under them is not read again (its rows: a sixth)."""

    table_class = LeanTable
    results_template_name = "core/admin/lean_index_results.html"
    counted: tuple[str, ...] = ()
    memo_rows = False

    def get_table_kwargs(self):
        kwargs = super().get_table_kwargs()
        if self.memo_rows and self.counted:
            kwargs["row_memo_key"] = self.row_memo_key
        return kwargs

    def paginate_queryset(self, queryset, page_size):
        paginator, page, rows, is_paginated = super().paginate_queryset(queryset, page_size)
        listed = getattr(paginator, "query_key", None)  # the list's SQL, compiled once for its count
        if self.memo_rows and self.counted and isinstance(rows, QuerySet) and listed is not None:
            # Under the rights too: a list scoped to the user's groups reads them in its SQL.
            rows = KnownPage(rows, (self.row_memo_key, rights_token(self.request), *listed,
                                    rows.query.low_mark, rows.query.high_mark))
        return paginator, page, rows, is_paginated

    @cached_property
    def row_memo_key(self) -> str:
        columns = tuple((column.name, type(column).__qualname__, getattr(column, "url_name", None))
                        for column in self.columns)
        return repr((type(self).__module__, type(self).__qualname__, columns, translation.get_language(),
                     timezone.get_current_timezone_name(), timezone.localdate().isoformat(),
                     shared_tokens([rows_of(label) for label in self.counted])))

    @property
    def paginator_class(self):
        return partial(KnownCountPaginator, counted=self.counted, rights=rights_token(self.request))

    def _get_title_column_class(self, column_class):
        return column_class

    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        # Where the titles link (the edit view, else the inspect view, else nowhere) is the same
        # for every row: the permission is asked once, not once a row as Wagtail's get_url does.
        if self.edit_url_name and self.user_has_permission("change"):
            url_name = self.edit_url_name
        elif self.inspect_url_name and self.user_has_any_permission({"add", "change", "delete", "view"}):
            url_name = self.inspect_url_name
        else:
            url_name = None
        return self._get_custom_column(field_name, LeanTitleColumn, url_name=url_name, **kwargs)


def yes_no_column(model, field_name):
    """A list column for a yes/no field: a tick or a cross, read out as 是 or 否, where Wagtail
    would print Python's True or False."""
    return LeanBooleanColumn(field_name, label=capfirst(model._meta.get_field(field_name).verbose_name),
                             sort_key=field_name)


class ReviewAgeColumn(Column):
    """审核时限 on a review list: for a row still waiting (its status field equals `waiting`),
    the day its review is due and how many working days it has waited, marked 已超期 past
    `workdays.REVIEW_WORKDAYS` (Chinese working days: holidays and 调休 counted as the State
    Council's calendar has them); blank for a decided row. Written in Python like LeanColumn."""

    def __init__(self, *, since="submitted_at", status="status", waiting="submitted"):
        super().__init__("review_age", label="审核时限")
        self.since, self.status, self.waiting = since, status, waiting

    def render_cell_html(self, instance, parent_context):
        since = getattr(instance, self.since)
        if since is None or getattr(instance, self.status) != self.waiting:
            return _cell(self, "")
        age = workdays.review_age(since)  # workdays.is_overdue, asked once
        overdue = mark_safe('<span class="w-status w-status--label review-overdue">已超期</span> ') \
            if age > workdays.REVIEW_WORKDAYS else ""  # noqa: S308 - a constant
        return _cell(self, format_html("{}已等待{}个工作日，{}前审核", overdue, age,
                                       f"{workdays.review_due(since):%Y-%m-%d}"))


class OwnLayoutInspectView(InspectView):
    """Wagtail's InspectView for a record whose template lays it out itself (a filing, a
    registration, an application, a run): Wagtail's list of every field's label and display
    value (`fields`, which only its own inspect template shows) is not built — on a points
    filing that was forty fields, their related rows among them, on every visit."""

    def get_fields_context(self):
        return []


class RoutedName(str):
    """A URL name of a viewset that is false when the viewset does not route it, so a view
    never links to (nor reverses) an edit, delete or add view that does not exist."""

    def __new__(cls, name, viewset):
        routed = super().__new__(cls, name)
        routed.viewset = viewset
        return routed

    def __bool__(self):
        return self.rpartition(":")[2] in self.viewset.routed_names


class OnlyRoutedViews:
    """ModelViewSet mixin for viewsets whose `get_urlpatterns` leaves views out (a list that is
    only read, inspected or decided): Wagtail hands every view the names of the edit, delete,
    add, history, … views and reverses them for anyone with the model permission (the
    superuser), which raised NoReverseMatch — a 500 — on the inspect page of a run."""

    @cached_property
    def routed_names(self) -> frozenset:
        return frozenset(pattern.name for pattern in self.get_urlpatterns())

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        return {key: RoutedName(value, self) if key.endswith("_url_name") and isinstance(value, str) and value
                else value for key, value in view_kwargs.items()}


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Records that the admin shows but never creates, edits or deletes."""

    def __init__(self, model, view_permissions):
        super().__init__(model)
        self.view_permissions = view_permissions

    def user_has_permission(self, user, action):
        if action == "view":
            return any(user.has_perm(permission) for permission in self.view_permissions)
        return False


class AuditViewSet(OnlyRoutedViews, ModelViewSet):
    """审计日志: read and export only, for auditors; nobody edits or deletes a line."""

    model = AuditEvent
    icon = "history"
    menu_label = "审计日志"
    add_to_settings_menu = True
    url_prefix = "audit-log"
    url_namespace = "audit_log"
    list_display = ["created_at", "kind", "outcome", "username", "ip_address", "target", "detail"]
    list_filter = {"kind": ["exact"], "outcome": ["exact"], "created_at": ["date__gte", "date__lte"]}
    search_fields = ["username", "target", "detail", "ip_address"]
    index_view_class = ExportIndexView
    list_export = ["created_at", "kind", "outcome", "username", "ip_address", "target", "detail"]
    export_filename = "审计日志"

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]


class SmsOutboxViewSet(OnlyRoutedViews, ModelViewSet):
    model = SmsMessage
    icon = "mail"
    menu_label = "短信记录"
    add_to_settings_menu = True
    url_prefix = "sms-outbox"
    url_namespace = "sms_outbox"
    list_display = ["phone_masked", "text", "status", "attempts", "next_attempt_at", "created_at"]
    list_filter = {"status": ["exact"], "created_at": ["date__gte", "date__lte"]}
    search_fields = ["text", "phone_masked"]

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]


class ImportIndexView(IndexView):
    """A table's list with the button that opens its spreadsheet import."""

    import_permission = ""
    import_url_name = ""

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.request.user.has_perm(self.import_permission):
            buttons.append(HeaderButton("导入CSV/XLSX文件", url=reverse(self.import_url_name), icon_name="upload"))
        return buttons


class ImportViewSet(OnlyRoutedViews, ModelViewSet):
    """A table staff load from spreadsheets: its list and its import page, which hands the file
    to the workers and shows the job's page (progress, then the report)."""

    importer = None  # a TableImport subclass
    import_title = ""

    @property
    def import_permission(self):
        return f"{self.model._meta.app_label}.add_{self.model._meta.model_name}"

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            import_permission=self.import_permission, import_url_name=f"{self.url_namespace}:import", **kwargs
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("import/", self.import_view, name="import"),
        ]

    @property
    def import_view(self):
        viewset = self

        @never_cache
        def import_table(request):
            if not request.user.has_perm(viewset.import_permission):
                raise PermissionDenied
            if request.method == "POST" and request.FILES.get("file"):
                return enqueue_import(request, viewset.importer(), request.FILES["file"], viewset.import_title)
            return render(request, "core/admin/import.html", {
                "title": viewset.import_title,
                "columns": [column.header for column in viewset.importer.columns],
                "index_url": f"{viewset.url_namespace}:index",
            })

        return import_table
