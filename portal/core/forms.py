"""How every public form renders: one field template with the label, a red star on
required fields, help text and the errors next to the input, tied to it for screen readers."""

from django import forms
from django.forms import BoundField
from django.forms.renderers import TemplatesSetting


class PortalFormRenderer(TemplatesSetting):
    field_template_name = "includes/form_field.html"


class DescribedBoundField(BoundField):
    """Points the input's aria-describedby at its error list as well as its help text."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if self.errors:
            ids = [f"{self.auto_id}_error", *filter(None, [attrs.get("aria-describedby")])]
            attrs["aria-describedby"] = " ".join(ids)
        return attrs


class PortalForm(forms.Form):
    """The base of every form the public and enterprises fill in."""

    bound_field_class = DescribedBoundField


def text_input(autocomplete=None, **attrs):
    """A text input with the browser's autocomplete hint (`username`, `tel`, `off`, …)."""
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    return forms.TextInput(attrs=attrs)


class PortalModelForm(forms.ModelForm):
    """The base of every public form built from a model: labels and lengths come from the model."""

    bound_field_class = DescribedBoundField
