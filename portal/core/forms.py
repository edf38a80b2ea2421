"""How every public form renders: one field template with the label, a red star on
required fields, help text and the errors next to the input, tied to it for screen readers."""

from django import forms
from django.forms import BoundField
from django.forms.renderers import TemplatesSetting
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from .text import clean_text

# Widgets whose value is typed as is and must reach the server unchanged.
VERBATIM_WIDGETS = (forms.PasswordInput, forms.HiddenInput)


def frozen_context(value):
    """`value` (a widget's template context) as a key that tells apart everything its template
    can print differently: containers in order, every leaf with its type."""
    if isinstance(value, dict):
        return ("dict", tuple((key, frozen_context(item)) for key, item in value.items()))
    if isinstance(value, list | tuple):
        return ("list", tuple(frozen_context(item) for item in value))
    if value is None or isinstance(value, bool | int | float):
        return (type(value).__name__, value)
    return (type(value).__name__, str(value))


class WidgetMemo:
    """Widgets' HTML per template, language and whole context, kept in the worker's memory: a
    widget's template prints only its context (name, value, attributes, choices), and Django
    renders a select through a template per option — a 国民经济行业分类 select is dozens of
    renders. Never one context's HTML for another (the key is all of it)."""

    def __init__(self, max_entries: int = 1000):
        self.max_entries = max_entries
        self._known: dict = {}

    def render(self, template_name: str, context: dict, render) -> str:
        """The HTML `render()` gives for `template_name` and `context` (a widget's), once."""
        key = (template_name, translation.get_language(), frozen_context(context["widget"]))
        html = self._known.get(key)
        if html is None:
            html = render()
            if len(self._known) >= self.max_entries:
                self._known.clear()
            self._known[key] = html
        return html


WIDGETS = WidgetMemo()


class PortalFormRenderer(TemplatesSetting):
    """Django's renderer over the project's templates, except that a field's group — what
    `{{ form.name.as_field_group }}` and `{{ form }}` print for each field — is written in
    Python by `field_group` (its template took a quarter of the filing form's time, issue 21),
    and Django's own widgets come from the memo (`WIDGETS`)."""

    field_template_name = "portal/field_group"  # no template: see render

    def render(self, template_name, context, request=None):
        if template_name == self.field_template_name:
            return field_group(context["field"])
        if request is None and template_name.startswith("django/forms/widgets/") and set(context) == {"widget"}:
            return WIDGETS.render(template_name, context, lambda: super(PortalFormRenderer, self).render(
                template_name, context, request))
        return super().render(template_name, context, request)


def field_group(field: BoundField) -> str:
    """One field as every public form shows it: the label (class "required" for a required
    field or one marked `show_required`), the input with its `input_suffix` (万元, 人, 个月),
    the help text and the errors, tied to the input by id (`<id>_helptext`, `<id>_error`, see
    DescribedBoundField); a checkbox with its label after it and an optional `link_url` /
    `link_text`; a hidden field alone. Everything shown is escaped."""
    if field.is_hidden:
        return str(field)
    options = field.field
    checkbox = getattr(options.widget, "input_type", None) == "checkbox"
    help_text = format_html('<p class="help" id="{}_helptext">{}</p>', field.auto_id, field.help_text) \
        if field.help_text else ""
    errors = format_html('<div class="errorlist" id="{}_error">{}</div>', field.auto_id,
                         format_html_join("", "<p>{}</p>", ((error,) for error in field.errors))) \
        if field.errors else ""
    classes = "form-row" + (" has-error" if field.errors else "") + (" form-row-checkbox" if checkbox else "")
    if checkbox:
        link_url, link_text = getattr(options, "link_url", None), getattr(options, "link_text", None)
        link = format_html(' <a href="{}" target="_blank" rel="noopener">{}</a>', link_url, link_text) if link_url \
            else format_html(" {}", link_text) if link_text else ""
        head = ""
        control = format_html('<span class="checkbox-line">{}<label for="{}">{}</label>{}</span>',
                              field, field.id_for_label, field.label, link)
    else:
        required = options.required or getattr(options, "show_required", False)
        head = format_html('<label for="{}"{}>{}</label>', field.id_for_label,
                           mark_safe(' class="required"') if required else "", field.label)  # noqa: S308 - a constant
        suffix = getattr(options, "input_suffix", None)
        control = format_html('<span class="input-with-suffix">{}<span class="input-suffix">{}</span></span>',
                              field, suffix) if suffix else str(field)
    return format_html('<div class="{}" id="row-{}">{}<div class="form-control">{}{}{}</div></div>',
                       classes, field.html_name, head, control, help_text, errors)


# What a proof upload accepts (the server checks the content as well: portal.core.files).
PROOF_ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


def proof_field(field: BoundField, proof=None, kept="", readonly: bool = False) -> str:
    """A proof upload as every filing shows it: the label (class "required" when the field is
    marked `show_required`), 上传 control (left out when `readonly`), the hidden token of a file
    kept from a refused submit (`kept`), the file already on record (`proof`, a PrivateFile,
    linked through the permission-checking view), the formats and the template link
    (`template_url` / `template_text` on the field), and the errors — ids as in `field_group`."""
    options = field.field
    described = f"{field.auto_id}_error {field.auto_id}_helptext" if field.errors else f"{field.auto_id}_helptext"
    upload = "" if readonly else format_html(
        '<input type="file" name="{}" id="{}" accept="{}" aria-describedby="{}">',
        field.html_name, field.id_for_label, PROOF_ACCEPT, described)
    on_record = format_html('<p class="upload-kept">已上传：<a href="{}">{}</a>{}</p>',
                            reverse("private-file", args=[proof.pk]), proof.original_name,
                            "" if readonly else "（如需更换，请重新选择文件）") if proof else ""
    template_url = getattr(options, "template_url", None)
    template = format_html(' <a href="{}">{}</a>', template_url, getattr(options, "template_text", "")) \
        if template_url else ""
    errors = format_html('<div class="errorlist" id="{}_error">{}</div>', field.auto_id,
                         format_html_join("", "<p>{}</p>", ((error,) for error in field.errors))) \
        if field.errors else ""
    return format_html(
        '<div class="form-row{}" id="row-{}"><label for="{}"{}>{}</label><div class="form-control">{}'
        '<input type="hidden" name="{}__kept" value="{}">{}<p class="help" id="{}_helptext">PDF、JPG或PNG格式，'
        '不超过10M。{}</p>{}</div></div>',
        " has-error" if field.errors else "", field.name, field.id_for_label,
        mark_safe(' class="required"') if getattr(options, "show_required", False) else "",  # noqa: S308
        field.label, upload, field.html_name, kept or "", on_record, field.auto_id, template, errors)


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
