"""Template tags of the public forms: `{% proof_field field proof kept %}` (portal.core.forms)."""

from django import template

from portal.core import forms

register = template.Library()


@register.simple_tag(takes_context=True)
def proof_field(context, field, proof=None, kept=""):
    """A proof upload (`portal.core.forms.proof_field`), read-only where the page's `readonly` is set."""
    return forms.proof_field(field, proof, kept, readonly=bool(context.get("readonly")))
