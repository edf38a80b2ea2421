"""The body blocks shared by every article page type (notices, policies, guides)."""

from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

TABLE_OPTIONS = {
    "contextMenu": ["row_above", "row_below", "---------", "col_left", "col_right", "---------",
                    "remove_row", "remove_col", "---------", "undo", "redo"],
    "language": "zh-CN",
}


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="标题文字", max_length=120)
    level = blocks.ChoiceBlock(
        label="级别", choices=[("h2", "二级标题"), ("h3", "三级标题")], default="h2"
    )

    class Meta:
        icon = "title"
        label = "小标题"
        template = "blocks/heading_block.html"
        preview_value = {"text": "一、申报条件", "level": "h2"}


class CalloutBlock(blocks.StructBlock):
    text = blocks.RichTextBlock(label="内容", features=["bold", "link"])

    class Meta:
        icon = "warning"
        label = "提示框"
        template = "blocks/callout_block.html"
        preview_value = {"text": "<p>请于截止日期前完成填报。</p>"}


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label="段落",
        icon="pilcrow",
        features=["bold", "italic", "ol", "ul", "link", "document-link", "hr"],
        template="blocks/paragraph_block.html",
        preview_value="<p>为进一步完善企业创新积分制，现将有关事项通知如下。</p>",
    )
    image = ImageBlock(label="图片", template="blocks/image_block.html")
    table = TableBlock(
        label="表格", table_options=TABLE_OPTIONS, template="blocks/table_block.html"
    )
    callout = CalloutBlock()

    class Meta:
        block_counts = {}


class AttachmentsBlock(blocks.StreamBlock):
    document = DocumentChooserBlock(label="附件", icon="doc-full")
