"""Proof uploads in forms (证明文件): each upload is checked and stored as a private file as
soon as its form is cleaned, and a refused form hands it back as a signed token, so nobody
uploads the same file twice because another field was wrong."""

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError

from .models import PrivateFile
from .services import store

# The salt of the tokens already handed out (valid for 7 days) keeps its first name.
KEPT_FILE_SALT = "enterprise_business.kept-proof"
KEPT_MAX_AGE = 7 * 24 * 3600


class KeepsProofs:
    """Form mixin: every FileField of the form is a proof. Needs `self.owner` (the account the
    files belong to) and `self.user` (who uploads); `stored_proof(name)` says which file is
    already on record."""

    def proof_file_field(self, name, label, required=False):
        self.fields[name] = forms.FileField(label=label, required=False)
        self.fields[name].show_required = required
        self.fields[f"{name}__kept"] = forms.CharField(widget=forms.HiddenInput, required=False)
        return self.fields[name]

    @property
    def kept(self):
        if not hasattr(self, "_kept"):
            self._kept = {}
        return self._kept

    @property
    def kept_tokens(self):
        """{field name: token} for the template, which cannot call kept_token(name)."""
        return {name: self.kept_token(name) for name in self.kept}

    def stored_proof(self, name):
        return None

    def current_file(self, name):
        return self.kept.get(name) or self.stored_proof(name)

    def kept_token(self, name):
        proof = self.kept.get(name)
        return signing.dumps(proof.pk, salt=KEPT_FILE_SALT) if proof else ""

    def clean_proofs(self, cleaned):
        for name, field in self.fields.items():
            if isinstance(field, forms.FileField):
                try:
                    cleaned[name] = self._clean_proof(name, cleaned.get(name))
                except ValidationError as error:
                    self.add_error(name, error)

    def _clean_proof(self, name, upload):
        if upload:
            self.kept[name] = store(upload, self.owner, self.user)
            return self.kept[name]
        token = self.data.get(self.add_prefix(f"{name}__kept"))
        if token:
            try:
                file_id = signing.loads(token, salt=KEPT_FILE_SALT, max_age=KEPT_MAX_AGE)
                self.kept[name] = PrivateFile.objects.get(pk=file_id, owner=self.owner)
            except (signing.BadSignature, PrivateFile.DoesNotExist):
                pass
        return self.current_file(name)
