"""How every public form renders: one field template with the label, a red star on
required fields, help text and the errors next to the input, tied to it for screen readers."""

from django import forms
from django.forms import BoundField
from django.forms.renderers import TemplatesSetting

from .text import clean_text

# Widgets whose value is typed as is and must reach the server unchanged.
VERBATIM_WIDGETS = (forms.PasswordInput, forms.HiddenInput)


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


class CleansTypedText:
    """Form mixin: every text a person typed is cleaned before validation (control, zero-width
    and direction characters dropped; line breaks kept in a Textarea, a space elsewhere;
    trimmed), so a name pasted from Word with a vertical tab is stored, counted and shown as
    the letters it holds. Passwords and hidden fields are left as sent."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            self.data = self.data.copy()
            for name, field in self.fields.items():
                key = self.add_prefix(name)
                if isinstance(field, forms.CharField) and not isinstance(field.widget, VERBATIM_WIDGETS) \
                        and isinstance(self.data.get(key), str):
                    self.data[key] = clean_text(self.data[key], multiline=isinstance(field.widget, forms.Textarea),
                                                compatibility=False)


class PortalForm(CleansTypedText, forms.Form):
    """The base of every form the public and enterprises fill in."""

    bound_field_class = DescribedBoundField


def text_input(autocomplete=None, **attrs):
    """A text input with the browser's autocomplete hint (`username`, `tel`, `off`, …)."""
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    return forms.TextInput(attrs=attrs)


class PortalModelForm(CleansTypedText, forms.ModelForm):
    """The base of every public form built from a model: labels and lengths come from the model."""

    bound_field_class = DescribedBoundField
