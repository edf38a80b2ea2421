"""Typesetting demo attachments and proofs as real PDF files with Chinese text."""

import io

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

# A CID font built into every PDF reader: nothing to ship or embed for Chinese text.
FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

TITLE_STYLE = ParagraphStyle("title", fontName=FONT, fontSize=18, leading=28, alignment=TA_CENTER, spaceAfter=12)
BODY_STYLE = ParagraphStyle("body", fontName=FONT, fontSize=12, leading=22, firstLineIndent=24, wordWrap="CJK")


def make_pdf(title: str, paragraphs: list[str]) -> bytes:
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, title=title, author="高新区企业创新积分管理平台",
        leftMargin=25 * mm, rightMargin=25 * mm, topMargin=25 * mm, bottomMargin=25 * mm,
    )
    story = [Paragraph(title, TITLE_STYLE), Spacer(1, 6)]
    story += [Paragraph(text, BODY_STYLE) for text in paragraphs]
    document.build(story)
    return buffer.getvalue()


def pdf_upload(title: str, paragraphs: list[str] | None = None):
    """An uploaded PDF named `<title>.pdf`, as a form would receive it: a demo proof document."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = paragraphs or ["本文件为演示用证明材料，内容为虚构数据。"]
    return SimpleUploadedFile(f"{title}.pdf", make_pdf(title, text), content_type="application/pdf")
