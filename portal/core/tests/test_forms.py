"""portal.core.forms.field_group: how every public form shows a field — written in Python, so
these pin the markup the pages, the browser tests and screen readers rely on."""

from bs4 import BeautifulSoup
from django import forms
from django.utils.html import escape
from hypothesis import given
from hypothesis import strategies as st

from portal.core.forms import PortalForm


class Filing(PortalForm):
    name = forms.CharField(label="企业名称<b>", help_text="与营业执照一致 & 完整")
    revenue = forms.DecimalField(label="营业收入", required=False)
    staff = forms.IntegerField(label="职工人数", required=False)
    agree = forms.BooleanField(label="我已阅读并同意")
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revenue"].input_suffix = "万元"
        self.fields["staff"].show_required = True
        self.fields["agree"].link_url, self.fields["agree"].link_text = "/privacy/", "《隐私政策》"


def row(form, name):
    return BeautifulSoup(str(form[name].as_field_group()), "html.parser").div


def test_a_label_is_tied_to_its_input_and_marked_when_required():
    form = Filing()
    name = row(form, "name")
    assert name["id"] == "row-name" and name["class"] == ["form-row"]
    label = name.label
    assert label["for"] == "id_name" and label["class"] == ["required"] and label.string == "企业名称<b>"
    assert name.input["id"] == "id_name"
    assert row(form, "revenue").label.get("class") is None
    assert row(form, "staff").label["class"] == ["required"]


def test_help_text_is_escaped_and_described_by_the_input():
    name = row(Filing(), "name")
    help_text = name.find("p", class_="help")
    assert help_text["id"] == "id_name_helptext" and help_text.string == "与营业执照一致 & 完整"
    assert "id_name_helptext" in name.input["aria-describedby"]
    assert "<b>" not in str(Filing()["name"].as_field_group()).replace("&lt;b&gt;", "")


def test_the_unit_follows_the_input():
    suffix = row(Filing(), "revenue").find("span", class_="input-with-suffix")
    assert [child.name for child in suffix.children] == ["input", "span"] and suffix.span.string == "万元"


def test_errors_are_shown_at_the_field_and_read_out_with_it():
    form = Filing(data={"name": "", "revenue": "一百", "agree": ""})
    assert not form.is_valid()
    revenue = row(form, "revenue")
    assert "has-error" in revenue["class"]
    errors = revenue.find("div", class_="errorlist")
    assert errors["id"] == "id_revenue_error" and [p.string for p in errors.find_all("p")] == ["输入一个数字。"]
    assert revenue.input["aria-describedby"].split()[0] == "id_revenue_error"


def test_a_checkbox_has_its_label_and_link_after_it():
    agree = row(Filing(), "agree")
    assert agree["class"] == ["form-row", "form-row-checkbox"]
    line = agree.find("span", class_="checkbox-line")
    assert [child.name for child in line.find_all(True)] == ["input", "label", "a"]
    assert line.label["for"] == "id_agree" and line.a["href"] == "/privacy/" and line.a.string == "《隐私政策》"
    assert line.a["target"] == "_blank" and line.a["rel"] == ["noopener"]


def test_a_hidden_field_is_only_its_input():
    assert str(Filing()["token"].as_field_group()) == '<input type="hidden" name="token" id="id_token">'


def test_the_whole_form_renders_each_field_group():
    page = BeautifulSoup(str(Filing()), "html.parser")
    assert [row["id"] for row in page.find_all("div", class_="form-row")] == \
        ["row-name", "row-revenue", "row-staff", "row-agree"]


class Proofs(PortalForm):
    proof = forms.FileField(label="社保证明文件", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proof"].show_required = True
        self.fields["proof"].template_url, self.fields["proof"].template_text = "/documents/1/", "下载模板"


class OnRecord:
    pk, original_name = 42, "社保<证明>.pdf"


def proof_row(form, **kwargs):
    from portal.core.forms import proof_field

    return BeautifulSoup(proof_field(form["proof"], **kwargs), "html.parser").div


def test_a_proof_upload_has_its_label_formats_and_template_tied_to_the_input():
    row = proof_row(Proofs())
    upload = row.find("input", type="file")
    assert row["id"] == "row-proof" and row.label["for"] == upload["id"] == "id_proof"
    assert row.label["class"] == ["required"] and upload["accept"].startswith(".pdf,.jpg")
    assert upload["aria-describedby"] == "id_proof_helptext"
    help_text = row.find("p", class_="help")
    assert help_text["id"] == "id_proof_helptext" and help_text.a["href"] == "/documents/1/"
    assert "PDF、JPG或PNG格式，不超过10M。" in help_text.text and row.find("p", class_="upload-kept") is None


def test_a_kept_or_recorded_proof_is_shown_escaped_and_sent_back():
    row = proof_row(Proofs(), proof=OnRecord(), kept="token-1")
    assert row.find("input", type="hidden")["value"] == "token-1"
    kept = row.find("p", class_="upload-kept")
    assert kept.a.string == "社保<证明>.pdf" and kept.a["href"].endswith("/42/") and "如需更换" in kept.text


def test_read_only_there_is_no_upload_control_and_errors_are_read_out():
    row = proof_row(Proofs(), proof=OnRecord(), readonly=True)
    assert row.find("input", type="file") is None and "如需更换" not in row.text
    form = Proofs(data={})
    form.add_error("proof", "请上传社保证明文件。")
    row = proof_row(form)
    assert "has-error" in row["class"] and row.find("div", class_="errorlist").p.string == "请上传社保证明文件。"
    assert row.find("input", type="file")["aria-describedby"] == "id_proof_error id_proof_helptext"
    assert row.find("input", type="hidden")["value"] == ""


def test_django_widgets_come_from_the_memo_and_render_as_django_does():
    from django.forms.renderers import DjangoTemplates

    from portal.core.forms import WIDGETS

    industries = [("", "请选择")] + [(f"C{n}", f"制造业{n}") for n in range(40)]
    widget = forms.Select(choices=industries)
    plain = DjangoTemplates()
    for value in ("C3", "C7", "C3", ""):
        assert widget.render("industry", value, attrs={"id": "id_industry"}) == \
            widget.render("industry", value, attrs={"id": "id_industry"}, renderer=plain)
    keys = [key for key in WIDGETS._known if key[0] == "django/forms/widgets/select.html"]
    assert len({key[2] for key in keys}) >= 3  # C3, C7 and blank: three contexts, three entries
    assert 'value="C7" selected' in widget.render("industry", "C7")
    assert 'value="C3" selected' not in widget.render("industry", "C7")


@given(value=st.text(max_size=30), labels=st.lists(st.text(max_size=12), min_size=1, max_size=6),
       required=st.booleans())
def test_any_value_and_choices_render_through_the_memo_as_django_renders_them(value, labels, required):
    from django.forms.renderers import DjangoTemplates

    choices = [(f"v{n}", label) for n, label in enumerate(labels)]
    for widget in (forms.Select(choices=choices), forms.TextInput(attrs={"required": required})):
        shown = value if isinstance(widget, forms.TextInput) else f"v{len(value) % len(labels)}"
        assert widget.render("f", shown) == widget.render("f", shown, renderer=DjangoTemplates())


@given(label=st.text(max_size=20), help_text=st.text(max_size=40))
def test_any_label_and_help_text_are_escaped_in_the_field_group(label, help_text):
    class Typed(PortalForm):
        name = forms.CharField(label=label, help_text=help_text)

    html = str(Typed()["name"].as_field_group())
    row = BeautifulSoup(html, "html.parser").div
    # Whatever the text, the markup stays one label and one help paragraph, and the text is in
    # them escaped. (Compared in the markup: html.parser turns a lone "\r" into a space.)
    assert len(row.find_all("label")) == 1 and f'class="required">{escape(label)}</label>' in html
    if help_text:
        assert len(row.find_all("p", class_="help")) == 1
        assert f'id="id_name_helptext">{escape(help_text)}</p>' in html
