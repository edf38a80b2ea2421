"""portal.core.admin's lean list parts: the widget memo of the filters renders what Django
renders, once per widget context and language, and never one context's HTML for another."""

from django import forms
from django.forms.renderers import get_default_renderer
from django.utils import translation

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
