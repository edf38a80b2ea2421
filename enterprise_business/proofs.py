"""Proof uploads in forms (证明文件): each upload is checked and stored as a private
`ProofFile` as soon as its form is cleaned, and a refused form hands it back as a signed
token, so an enterprise never uploads the same file twice because another field was wrong."""

import logging
from contextlib import contextmanager

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Sum

from . import audit
from .models import ProofFile
from .uploads import ENTERPRISE_QUOTA_BYTES, check_proof

KEPT_FILE_SALT = "enterprise_business.kept-proof"
KEPT_MAX_AGE = 7 * 24 * 3600
STORAGE_UNAVAILABLE = "文件存储服务暂时不可用，请稍后重试。"

logger = logging.getLogger(__name__)


@contextmanager
def storage_errors():
    """A failing private storage (the S3 endpoint down, a full disk) becomes the form error the
    user reads at the file's field, instead of a server error."""
    try:
        yield
    except ValidationError:
        raise
    except Exception as error:  # botocore's, OSError: whatever the storage backend raises
        logger.error("Private storage unavailable: %r", error)
        raise ValidationError(STORAGE_UNAVAILABLE, code="storage_unavailable") from error


def store_proof(upload, enterprise, user) -> ProofFile:
    content_type = check_proof(upload)
    used = ProofFile.objects.filter(enterprise=enterprise).aggregate(total=Sum("size"))["total"] or 0
    if used + upload.size > ENTERPRISE_QUOTA_BYTES:
        raise ValidationError("本企业上传的文件总量已达上限，请联系平台管理员。")
    proof = ProofFile(enterprise=enterprise, original_name=upload.name[-200:], size=upload.size,
                      content_type=content_type, uploaded_by=user)
    with storage_errors():
        proof.file.save(upload.name, upload, save=False)
    try:
        proof.save()
    except Exception:
        proof.file.delete(save=False)  # no stored file without its row
        raise
    audit.record(audit.Kind.UPLOAD, actor=user, target=f"证明文件 #{proof.pk}", detail=proof.original_name)
    return proof


class KeepsProofs:
    """Form mixin: every FileField of the form is a proof. Needs `self.enterprise` and
    `self.user`; `stored_proof(name)` says which file is already on record."""

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
            self.kept[name] = store_proof(upload, self.enterprise, self.user)
            return self.kept[name]
        token = self.data.get(self.add_prefix(f"{name}__kept"))
        if token:
            try:
                proof_id = signing.loads(token, salt=KEPT_FILE_SALT, max_age=KEPT_MAX_AGE)
                self.kept[name] = ProofFile.objects.get(pk=proof_id, enterprise=self.enterprise)
            except (signing.BadSignature, ProofFile.DoesNotExist):
                pass
        return self.current_file(name)
