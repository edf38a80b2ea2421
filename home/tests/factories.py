"""Test data for the public portal: the page tree at the SPEC addresses and its articles."""

import itertools
from datetime import date, timedelta

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, Locale, Page, Site

from enterprise_business.models import QualificationIndicator
from guides.models import GuideIndexPage, GuidePage
from home.models import HomePage, PortalSettings
from notices.models import NoticeIndexPage, NoticePage
from policies.models import PolicyIndexPage, PolicyPage

_counter = itertools.count(1)


class SiteTree:
    def __init__(self, home, notices, policies, guides):
        self.home = home
        self.notices = notices
        self.policies = policies
        self.guides = guides


def ensure_baseline() -> None:
    """Recreate what the migrations create (root page and collection, locale, home page, site,
    the qualification catalogue and the default scoring scheme) when a transactional test
    has flushed the database before this one."""
    from enterprise_business.qualifications.catalogue import ensure_default_catalogue
    from scoring_engine.default_scheme import install_default_scheme
    from scoring_engine.models import Scheme, SchemeIndicator

    if not QualificationIndicator.objects.exists():
        ensure_default_catalogue()
    if not Scheme.objects.exists():
        install_default_scheme(Scheme, SchemeIndicator)
    if HomePage.objects.exists():
        return
    locale, _ = Locale.objects.get_or_create(language_code="zh-hans")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    home = root.add_child(instance=HomePage(title="首页", slug="home", locale=locale))
    Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)


def build_site_tree() -> SiteTree:
    ensure_baseline()
    home = HomePage.objects.get()
    PortalSettings.for_site(Site.objects.get(is_default_site=True))
    indexes = []
    for model, slug, title in (
        (NoticeIndexPage, "notices", "通知公告"),
        (PolicyIndexPage, "policies", "政策文件"),
        (GuideIndexPage, "guides", "操作说明"),
    ):
        index = home.add_child(instance=model(title=title, slug=slug))
        index.save_revision().publish()
        indexes.append(index)
    return SiteTree(home, *indexes)


def make_document(title="附件", content=b"%PDF-1.4\n% test\n", filename="attachment.pdf"):
    Document = get_document_model()
    document = Document(title=title)
    document.file.save(filename, ContentFile(content), save=False)
    document._set_document_file_metadata()
    document.save()
    return document


def paragraph(html):
    return {"type": "paragraph", "value": html}


def _add(parent, model, title, days_ago, live, attachments, body, **fields):
    n = next(_counter)
    page = model(
        title=title or f"测试文章{n}",
        slug=f"article-{n}",
        date=date(2026, 11, 1) - timedelta(days=days_ago),
        body=body if body is not None else [paragraph("<p>正文内容。</p>")],
        attachments=[{"type": "document", "value": doc.pk} for doc in attachments],
        live=live,
        **fields,
    )
    parent.add_child(instance=page)
    revision = page.save_revision()
    if live:
        revision.publish()
    return page


def make_notice(tree, title=None, days_ago=0, live=True, attachments=(), body=None):
    return _add(tree.notices, NoticePage, title, days_ago, live, attachments, body)


def make_policy(tree, title=None, days_ago=0, live=True, attachments=(), body=None,
                issuer="大连高新技术产业园区管理委员会", document_number="大高管发〔2025〕1号"):
    return _add(tree.policies, PolicyPage, title, days_ago, live, attachments, body,
                issuer=issuer, document_number=document_number)


def make_guide(tree, title=None, days_ago=0, live=True, attachments=(), body=None):
    return _add(tree.guides, GuidePage, title, days_ago, live, attachments, body)
