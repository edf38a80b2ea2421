"""portal.core.admin's lean list parts: the widget memo of the filters renders what Django
renders, once per widget context and language, and never one context's HTML for another."""

import pytest
from django import forms
from django.forms.renderers import get_default_renderer
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.core.admin import WidgetMemoRenderer
from portal.core.forms import WidgetMemo
from portal.core.forms import frozen_context as _frozen

CHOICES = [("", "全部"), ("submitted", "待审核"), ("approved", "已通过")]


def rendered(renderer, value, widget=None):
    return (widget or forms.RadioSelect(choices=CHOICES)).render("status", value, attrs={"id": "id_status"},
                                                                 renderer=renderer)


def test_the_memo_renders_what_django_renders_for_each_value():
    memo = WidgetMemoRenderer(WidgetMemo())
    for value in ("", "submitted", "approved", "submitted"):
        assert rendered(memo, value) == rendered(get_default_renderer(), value)
    assert rendered(memo, "submitted") != rendered(memo, "approved")
    assert len(memo.memo._known) == 3  # one entry per value: the fourth was read from the memo


def test_the_memo_tells_apart_choices_attributes_and_languages():
    memo = WidgetMemoRenderer(WidgetMemo())
    before = rendered(memo, "submitted")
    renamed = forms.RadioSelect(choices=[*CHOICES[:2], ("approved", "审核通过")])
    assert "审核通过" in rendered(memo, "submitted", renamed) and "审核通过" not in before
    assert 'class="w-x"' in forms.TextInput(attrs={"class": "w-x"}).render("q", "", renderer=memo)
    assert 'class="w-x"' not in forms.TextInput().render("q", "", renderer=memo)
    with translation.override("en"):
        assert rendered(memo, "submitted") == before
    assert len({key[1] for key in memo.memo._known}) == 2


def test_a_frozen_context_keeps_types_and_order_apart():
    assert _frozen({"value": None}) != _frozen({"value": "None"})
    assert _frozen({"value": 1}) != _frozen({"value": "1"})
    assert _frozen({"a": 1, "b": 2}) != _frozen({"b": 2, "a": 1})


def _cells(html):
    """[[(tag, class, text)]] of a table's header and body rows, whitespace collapsed."""
    from html.parser import HTMLParser

    class Cells(HTMLParser):
        def __init__(self):
            super().__init__()
            self.rows, self.cell = [], None

        def handle_starttag(self, tag, attrs):
            if tag == "tr":
                self.rows.append([])
            elif tag in ("td", "th"):
                self.cell = [tag, dict(attrs).get("class") or "", ""]
            elif tag == "a" and self.cell is not None:
                self.cell[2] += f"<a {dict(attrs)['href']}>"

        def handle_data(self, data):
            if self.cell is not None:
                self.cell[2] += data

        def handle_endtag(self, tag):
            if tag in ("td", "th") and self.cell is not None:
                self.rows[-1].append((self.cell[0], self.cell[1], " ".join(self.cell[2].split())))
                self.cell = None

    parser = Cells()
    parser.feed(html)
    return parser.rows


@pytest.mark.django_db
def test_the_lean_table_writes_the_cells_wagtails_table_writes(rf):
    """Text escaped once (markup pasted into a name shows as text), safe HTML kept, blanks,
    dates in local time, localised numbers and the title's link: cell for cell as Wagtail's
    templates write them."""
    import datetime
    from types import SimpleNamespace

    from django.utils import timezone
    from django.utils.safestring import mark_safe
    from wagtail.admin.ui.tables import Column, Table, TitleColumn

    from portal.core.admin import LeanColumn, LeanTable

    rows = [SimpleNamespace(pk=1, name='<b>"甲&乙"</b>有限公司', note=mark_safe("<em>已核</em>"), amount=1234.5,
                            day=datetime.date(2025, 5, 1),
                            at=timezone.make_aware(datetime.datetime(2025, 5, 1, 23, 30), datetime.UTC)),
            SimpleNamespace(pk=2, name="乙公司", note=None, amount=None, day=None, at=None)]

    def columns(plain):
        return [TitleColumn("name", label="企业名称", get_url=lambda row: f"/admin/x/{row.pk}/?a=1&b=2"),
                *((Column if plain else LeanColumn)(name, label=name) for name in ("note", "amount", "day", "at"))]

    context = {"request": rf.get("/admin/x/")}
    with translation.override("zh-hans"):
        wagtail = Table(columns(True), rows).render_html(context)
        lean = LeanTable(columns(False), rows).render_html(context)
    assert _cells(lean) == _cells(wagtail)
    assert "&lt;b&gt;&quot;甲&amp;乙&quot;&lt;/b&gt;" in lean and "<em>已核</em>" in lean
    assert "2025年5月2日 07:30" in lean  # in Asia/Shanghai, as the admin writes dates


WORD_TEXT = st.text(st.one_of(st.characters(codec="utf-8", exclude_categories=("Cs",)),
                              st.sampled_from('<>&"\'\u00a0\u200b\u3000“”‘’\r\n\t')), max_size=30)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None)
@given(texts=st.lists(st.tuples(WORD_TEXT, WORD_TEXT), min_size=1, max_size=4))
def test_any_text_is_written_as_wagtails_table_writes_it(texts):
    """Whatever is typed or pasted (markup, quotes, Word's spaces and breaks, any script), each
    cell of the lean table reads as Wagtail's template-rendered cell."""
    from types import SimpleNamespace

    from django.test import RequestFactory
    from wagtail.admin.ui.tables import Column, Table, TitleColumn

    from portal.core.admin import LeanColumn, LeanTable

    rows = [SimpleNamespace(pk=i, name=name, note=note) for i, (name, note) in enumerate(texts)]

    def columns(plain):
        return [TitleColumn("name", label="企业名称", get_url=lambda row: f"/admin/x/{row.pk}/?q=<&>"),
                (Column if plain else LeanColumn)("note", label="备注")]

    context = {"request": RequestFactory().get("/admin/x/")}
    assert _cells(LeanTable(columns(False), rows).render_html(context)) == \
        _cells(Table(columns(True), rows).render_html(context))


def _squeezed(html: str) -> str:
    """Markup with the template's layout whitespace taken out (runs collapsed, none beside a tag)."""
    import re

    return re.sub(r"\s*(<[^>]*>)\s*", r"\1", " ".join(html.split())).replace("<th >", "<th>")


QUERY_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=8)


@pytest.mark.django_db
@settings(max_examples=80, deadline=None)
@given(label=WORD_TEXT, classname=st.sampled_from(["", "title", 'a"b']),
       sort_key=st.sampled_from([None, "enterprise", "submitted_at"]),
       ordering=st.sampled_from([None, "enterprise", "-enterprise", "submitted_at", "-submitted_at", "status"]),
       query=st.dictionaries(st.sampled_from(["p", "q", "ordering", "batch", "状态"]), QUERY_TEXT, max_size=4),
       titles=st.booleans())
def test_a_column_header_is_written_as_wagtails_template_writes_it(label, classname, sort_key, ordering, query,
                                                                  titles):
    """The sorting link (the query kept, the page dropped, the order flipped), arrow, title and
    label of a header: as wagtailadmin/tables/column_header.html writes them, for any label
    and query."""
    from django.test import RequestFactory
    from wagtail.admin.ui.tables import Column, Table

    from portal.core.admin import _lean_header

    column = Column("enterprise", label=label, classname=classname or None, sort_key=sort_key,
                    ascending_title_text="升序 <a>" if titles else None)
    table = Table([column], [], ordering=ordering, base_url="/admin/points/")
    context = {"request": RequestFactory().get("/admin/points/", query), "table": table}
    with translation.override("zh-hans"):
        assert _squeezed(_lean_header(column, context)) == _squeezed(column.render_header_html(context))


def test_a_header_with_a_template_of_its_own_keeps_it():
    from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column

    from portal.core.admin import _lean_header

    class Flagged(Column):
        def get_header_context_data(self, parent_context):
            return {**super().get_header_context_data(parent_context), "flag": True}

    context = {"request": object(), "table": None}
    assert _lean_header(BulkActionsCheckboxColumn("select", obj_type="page"), context) is None
    assert _lean_header(Flagged("x"), context) is None
    assert _lean_header(Column("x"), {"table": None}) is None  # no request: no query to keep


@settings(max_examples=80, deadline=None)
@given(rows=st.integers(min_value=1, max_value=3_000_000), where=st.floats(min_value=0, max_value=1),
       query=st.dictionaries(st.sampled_from(["p", "q", "batch", "ordering", "状态"]), QUERY_TEXT, max_size=4),
       language=st.sampled_from(["zh-hans", "en"]))
def test_the_pagination_is_written_as_wagtails_template_writes_it(rows, where, query, language):
    """Page n of m, previous and next, the elided numbers around the page and the count, each
    link keeping the query but for the page: as wagtailadmin/shared/pagination_nav.html writes
    them, for any size, page and query."""
    import re

    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from wagtail.admin.paginator import WagtailPaginator

    from portal.core.admin import lean_pagination

    paginator = WagtailPaginator(range(rows), 20)
    page = paginator.page(1 + int(where * (paginator.num_pages - 1)))
    request = RequestFactory().get("/admin/points/", query)
    elided = list(paginator.get_elided_page_range(page.number))
    with translation.override(language):
        ours = lean_pagination({"page_obj": page, "request": request, "index_url": "/admin/points/",
                                "elided_page_range": elided})
        wagtails = render_to_string("wagtailadmin/shared/pagination_nav.html", {
            "items": page, "linkurl": "/admin/points/", "elided_page_range": elided, "request": request})

    def squeezed(html):
        return re.sub(r"\s+>", ">", _squeezed(html))

    assert squeezed(ours) == squeezed(wagtails)
