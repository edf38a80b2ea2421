from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from finance_products.models import FinanceIndexPage
from guides.models import GuideIndexPage, GuidePage
from home.models import HomePage, StandardPage
from home.tests.factories import build_site_tree, make_guide, make_notice, make_policy
from notices.models import NoticeIndexPage, NoticePage
from policies.models import PolicyIndexPage, PolicyPage

INDEXES = [NoticeIndexPage, PolicyIndexPage, GuideIndexPage]
ARTICLES = {NoticeIndexPage: NoticePage, PolicyIndexPage: PolicyPage, GuideIndexPage: GuidePage}


class PageTypeRulesTests(WagtailPageTestCase):
    def test_home_page_only_under_root_and_only_once(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertEqual(HomePage.max_count, 1)
        self.assertFalse(HomePage.can_create_at(HomePage.objects.get()))

    def test_home_page_holds_exactly_the_three_sections(self):
        self.assertAllowedSubpageTypes(HomePage, {*INDEXES, FinanceIndexPage, StandardPage})

    def test_each_index_lives_under_home_and_holds_only_its_articles(self):
        for index_model, article_model in ARTICLES.items():
            with self.subTest(index_model.__name__):
                self.assertAllowedParentPageTypes(index_model, {HomePage})
                self.assertAllowedSubpageTypes(index_model, {article_model})
                self.assertAllowedParentPageTypes(article_model, {index_model})
                self.assertAllowedSubpageTypes(article_model, set())
                self.assertCanNotCreateAt(HomePage, article_model)

    def test_articles_cannot_be_put_in_another_section(self):
        self.assertCanNotCreateAt(NoticeIndexPage, PolicyPage)
        self.assertCanNotCreateAt(PolicyIndexPage, GuidePage)
        self.assertCanNotCreateAt(GuideIndexPage, NoticePage)

    def test_only_one_index_of_each_kind(self):
        tree = build_site_tree()
        for index_model in INDEXES:
            with self.subTest(index_model.__name__):
                self.assertFalse(index_model.can_create_at(tree.home))


class PageRoutabilityTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()
        cls.pages = [
            cls.tree.home, cls.tree.notices, cls.tree.policies, cls.tree.guides,
            make_notice(cls.tree), make_policy(cls.tree), make_guide(cls.tree),
        ]

    def test_every_page_type_is_routable_and_renderable(self):
        for page in self.pages:
            with self.subTest(page.specific_class.__name__):
                self.assertPageIsRoutable(page)
                self.assertPageIsRenderable(page)

    def test_sections_are_at_the_spec_addresses(self):
        self.assertEqual(self.tree.home.url, "/")
        self.assertEqual(self.tree.notices.url, "/notices/")
        self.assertEqual(self.tree.policies.url, "/policies/")
        self.assertEqual(self.tree.guides.url, "/guides/")
