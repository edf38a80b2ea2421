"""The enterprise's form of a question (see `models`): its text and an optional file, kept
across a refused submission like every proof."""

from django import forms

from ..files.forms import KeepsProofs
from ..forms import PortalForm


class InquiryForm(KeepsProofs, PortalForm):
    """Each kind names its text field (the name posted), its label and help, and the file's label."""

    text_field = "text"
    text_label = "异议内容"
    text_help = ""
    max_length = 1000
    attachment_label = "附件（可选）"

    def __init__(self, *args, owner=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner, self.user = owner, user
        self.fields[self.text_field] = forms.CharField(
            label=self.text_label, max_length=self.max_length, help_text=self.text_help,
            widget=forms.Textarea(attrs={"rows": 4}),
            error_messages={"required": f"请填写{self.text_label}。",
                            "max_length": f"{self.text_label}不能超过{self.max_length}字。"},
        )
        self.fields[self.text_field].show_required = True
        self.proof_file_field("attachment", self.attachment_label)

    @property
    def text_bound_field(self):
        return self[self.text_field]

    def question(self) -> dict:
        """What `services.ask` takes from the cleaned form: text and attachment."""
        return {"text": self.cleaned_data[self.text_field], "attachment": self.cleaned_data.get("attachment")}

    def clean(self):
        cleaned = super().clean()
        self.clean_proofs(cleaned)
        return cleaned
