"""Builds the public portal's demo content: page tree, articles, attachments, site settings.

Idempotent: what exists already (found by slug or title) is left as it is, so running
it again after an editor changed something never undoes their work.
"""

from datetime import date

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, Site

from guides.models import GuideIndexPage, GuidePage
from home.models import HomePage, PortalSettings, StandardPage
from notices.models import NoticeIndexPage, NoticePage
from policies.models import PolicyIndexPage, PolicyPage

from . import content
from .pdf import make_pdf

SECTIONS = [
    # (index model, slug, title, intro, article model, items)
    (NoticeIndexPage, "notices", "通知公告", "<p>发布企业创新积分工作的通知、公示和公告。</p>",
     NoticePage, content.NOTICES),
    (PolicyIndexPage, "policies", "政策文件", "<p>国家、省、市和高新区关于企业创新积分制的政策文件。</p>",
     PolicyPage, content.POLICIES),
    (GuideIndexPage, "guides", "操作说明", "<p>平台使用说明和常见问题解答。</p>",
     GuidePage, content.GUIDES),
]

PORTAL_SETTINGS = {
    "support_company": "大连鸿源数据科技有限公司",
    "contact_phone": "0411-88149459",
    "consult_phone": "0411-88149459",
    "tech_phone": "17615043504",
    "ip_platform_url": "https://ip.dlhitech.gov.cn/",
}


def build(report) -> None:
    home = HomePage.objects.get()
    _configure_home(home, report)
    _configure_settings(home, report)
    collection = _collection()
    for index_model, slug, title, intro, article_model, items in SECTIONS:
        index = _index_page(home, index_model, slug, title, intro, report)
        created = 0
        for item in items:
            if article_model.objects.child_of(index).filter(slug=item["slug"]).exists():
                continue
            _add_article(index, article_model, item, collection)
            created += 1
        report(f"{title}：新建 {created} 篇，共 {article_model.objects.live().count()} 篇")


def _configure_home(home, report) -> None:
    if home.banner_text:
        return
    home.banner_text = "汇聚企业创新数据，量化评价企业创新能力，为优质科技企业精准对接政策与金融资源。"
    home.save_revision().publish()
    report("首页横幅已设置")


def _configure_settings(home, report) -> None:
    site = Site.objects.get(is_default_site=True)
    portal = PortalSettings.for_site(site)
    changed = [name for name, value in PORTAL_SETTINGS.items() if not getattr(portal, name)]
    for name in changed:
        setattr(portal, name, PORTAL_SETTINGS[name])
    if portal.consent_page is None:
        portal.consent_page = _consent_page(home)
        changed.append("consent_page")
    if changed:
        portal.save()
        report("门户设置（页脚联系方式、外部平台入口、《知情同意书》）已填写")


def _consent_page(home):
    page = StandardPage.objects.child_of(home).filter(slug="consent").first()
    if page is None:
        page = home.add_child(instance=StandardPage(title="知情同意书", slug="consent", body=_body(content.CONSENT)))
        page.save_revision().publish()
    return page


def _collection():
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name="门户附件").first()
    return existing or root.add_child(name="门户附件")


def _index_page(home, model, slug, title, intro, report):
    index = model.objects.child_of(home).filter(slug=slug).first()
    if index is None:
        index = home.add_child(instance=model(title=title, slug=slug, intro=intro))
        index.save_revision().publish()
        report(f"栏目 /{slug}/ 已创建")
    return index


def _document(collection, attachment):
    Document = get_document_model()
    existing = Document.objects.filter(title=attachment["title"], collection=collection).first()
    if existing:
        return existing
    document = Document(title=attachment["title"], collection=collection)
    pdf = make_pdf(attachment["title"], attachment["paragraphs"])
    document.file.save(attachment["filename"], ContentFile(pdf), save=False)
    document._set_document_file_metadata()
    document.save()
    return document


def _body(blocks):
    raw = []
    for block_type, value in blocks:
        if block_type == "heading":
            raw.append({"type": "heading", "value": {"text": value, "level": "h2"}})
        elif block_type == "paragraph":
            raw.append({"type": "paragraph", "value": value})
        elif block_type == "callout":
            raw.append({"type": "callout", "value": {"text": value}})
        elif block_type == "table":
            raw.append({
                "type": "table",
                "value": {
                    "data": [value["header"], *value["rows"]],
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                    "table_header_choice": "row",
                    "table_caption": value.get("caption", ""),
                },
            })
        else:
            raise ValueError(f"Unknown demo block type {block_type!r}")
    return raw


def _add_article(index, model, item, collection) -> None:
    fields = {
        "title": item["title"],
        "slug": item["slug"],
        "date": date.fromisoformat(item["date"]),
        "summary": item.get("summary", ""),
        "body": _body(item["body"]),
        "attachments": [
            {"type": "document", "value": _document(collection, attachment).pk}
            for attachment in item.get("attachments", [])
        ],
    }
    for extra in ("issuer", "document_number"):
        if extra in item:
            fields[extra] = item[extra]
    page = index.add_child(instance=model(**fields))
    page.save_revision().publish()
