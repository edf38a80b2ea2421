"""Builds the public portal's demo content from data files: the home page, 门户设置, the
《知情同意书》 page (home/demo/portal.yaml), and — for each section app — its index page and
articles with real PDF attachments (`build_section`, called by notices, policies and guides).

Idempotent: what exists already (found by slug or title) is left as it is, so running
it again after an editor changed something never undoes their work.
"""

from pathlib import Path

import yaml
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, Site

from home.models import HomePage, PortalSettings, StandardPage
from portal.core.demo.pdf import make_pdf

PORTAL_DATA = Path(__file__).with_name("portal.yaml")
ATTACHMENT_COLLECTION = "门户附件"


def read(path: Path) -> dict:
    """One demo data file (YAML, UTF-8); dates written as 2024-03-12 come back as `date`."""
    with path.open(encoding="utf-8") as data:
        return yaml.safe_load(data)


def build(report) -> None:
    data = read(PORTAL_DATA)
    home = HomePage.objects.get()
    if not home.banner_text:
        home.banner_text = data["home"]["banner_text"]
        home.save_revision().publish()
        report("首页横幅已设置")
    _configure_settings(home, data, report)


def build_section(index_model, article_model, data_file: Path, report) -> None:
    """The section's index page under the home page and every article of `data_file` that is
    not there yet (by slug). `data_file` holds `index: {slug, title, intro}` and `articles`:
    [{slug, title, date, summary?, issuer?, document_number?, body, attachments?}]."""
    data = read(data_file)
    home = HomePage.objects.get()
    index = index_model.objects.child_of(home).filter(slug=data["index"]["slug"]).first()
    if index is None:
        index = home.add_child(instance=index_model(**data["index"]))
        index.save_revision().publish()
        report(f"栏目 /{index.slug}/ 已创建")
    collection = _collection()
    created = 0
    for item in data["articles"]:
        if article_model.objects.child_of(index).filter(slug=item["slug"]).exists():
            continue
        page = index.add_child(instance=article_model(**_article_fields(item, collection)))
        page.save_revision().publish()
        created += 1
    report(f"{index.title}：新建 {created} 篇，共 {article_model.objects.live().count()} 篇")


def _configure_settings(home, data, report) -> None:
    site = Site.objects.get(is_default_site=True)
    portal = PortalSettings.for_site(site)
    changed = [name for name, value in data["settings"].items() if not getattr(portal, name)]
    for name in changed:
        setattr(portal, name, data["settings"][name])
    if portal.consent_page is None:
        portal.consent_page = _consent_page(home, data["consent"])
        changed.append("consent_page")
    if changed:
        portal.save()
        report("门户设置（页脚联系方式、外部平台入口、《知情同意书》）已填写")


def _consent_page(home, consent):
    page = StandardPage.objects.child_of(home).filter(slug=consent["slug"]).first()
    if page is None:
        page = home.add_child(instance=StandardPage(title=consent["title"], slug=consent["slug"],
                                                    body=_body(consent["body"])))
        page.save_revision().publish()
    return page


def _collection():
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=ATTACHMENT_COLLECTION).first()
    return existing or root.add_child(name=ATTACHMENT_COLLECTION)


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


def _rich_text(value: str) -> str:
    # The data files put one paragraph per line for reading; the stored HTML has none between.
    return "".join(value.splitlines())


def _body(blocks: list[dict]) -> list[dict]:
    """Body blocks of a data file ({heading: 文字}, {paragraph: html}, {callout: html},
    {table: {caption, header, rows}}) as StreamField raw data. Raises ValueError on any other."""
    raw = []
    for block in blocks:
        (block_type, value), = block.items()
        if block_type == "heading":
            raw.append({"type": "heading", "value": {"text": value, "level": "h2"}})
        elif block_type == "paragraph":
            raw.append({"type": "paragraph", "value": _rich_text(value)})
        elif block_type == "callout":
            raw.append({"type": "callout", "value": {"text": _rich_text(value)}})
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


def _article_fields(item: dict, collection) -> dict:
    attachments = item.get("attachments", [])
    return {
        **{name: value for name, value in item.items() if name not in ("body", "attachments")},
        "body": _body(item["body"]),
        "attachments": [{"type": "document", "value": _document(collection, a).pk} for a in attachments],
    }
