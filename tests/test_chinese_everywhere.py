"""Chinese everywhere a person looks (issue 19): signed in as each role, the test opens every
page of the Wagtail admin its menu leads to, the pages those link to, and the public and
enterprise pages, and fails on any visible English word outside a short allowlist.

"Visible" means what a person reads or hears: the text of the page (hidden dialogs and
screen-reader text included, scripts and styles not), the title, placeholder, aria-label and
alt attributes, the value of buttons and the labels of the admin's sidebar menu. File
formats, keys, codes and proper names are allowed; data (account names, e-mail addresses,
web addresses) is not a label and is left out.
"""

import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from enterprise_business.models import QualificationIndicator
from enterprise_business.tests.factories import make_staff
from portal.core import roles
from scoring_engine.models import SchemeIndicator

pytestmark = pytest.mark.django_db(transaction=False)

ENGLISH_WORD = re.compile(r"(?<![A-Za-z])[A-Za-z]{3,}(?![A-Za-z])")
# Data, not labels: web and e-mail addresses, file names, codes such as tech_contract or
# DEMO-001 (names of records), 统一社会信用代码 and hashes.
DATA = re.compile(r"https?://\S+|[\w.+-]+@[\w-]+(\.[\w-]+)+|\b[\w-]+(\.[\w-]+)*\.(com|cn|org|net)\b"
                  r"|\b[\w-]+\.[A-Za-z]{3,4}\b|\b[a-z_]+\.[a-z_]+\b|\b[0-9A-Z]{18}\b"
                  r"|\b(?=[\w-]*[\d_])[A-Za-z0-9]+(?:[_-][A-Za-z0-9]+)+\b|\b[0-9a-f]{16,}\b")
ALLOWED = {
    # file formats
    "pdf", "jpg", "jpeg", "png", "gif", "webp", "avif", "heic", "svg", "xlsx", "xls", "csv", "doc", "docx",
    "zip", "rar", "ofd", "wps", "txt", "json", "tsv",
    # keys on the keyboard (the admin's keyboard-shortcuts dialog)
    "ctrl", "alt", "shift", "cmd", "esc", "enter", "tab", "option",
    # codes and proper names
    "wagtail", "django", "javascript", "url", "api", "html", "seo", "ico", "utc", "gbk", "utf", "lpr", "localhost",
}
# Never opened: they end the session, change nothing on a GET but are pointless, or hand out
# a file rather than a page.
SKIPPED = re.compile(r"/logout/|/delete/|/delete-multiple/|/unpublish/|/revoke/|/export|/download|"
                     r"/preview/|/usage/|/jsi18n/|/documents/\d+/|/images/\d+/\w+/|/files/\d+/|/chooser/")
ADMIN_PAGES_PER_ROLE = 140


class VisibleText(HTMLParser):
    """The text a person sees or hears on an HTML page. Elements with the `hidden` attribute are
    left out (the admin keeps placeholders there that its scripts fill before showing them);
    dialogs hidden with aria-hidden, and text for screen readers, are read."""

    ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.links, self._hidden_depth, self._json = [], [], 0, None
        self._hidden_tag, self._hidden_nesting = None, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._hidden_tag == tag:
            self._hidden_nesting += 1
        elif self._hidden_tag is None and "hidden" in attrs and tag not in self.VOID:
            self._hidden_tag, self._hidden_nesting = tag, 1
        if self._hidden_tag is not None:
            return
        if tag in ("script", "style"):
            self._hidden_depth += 1
            if attrs.get("id") == "wagtail-sidebar-props":
                self._json = []
        for name in self.ATTRIBUTES:
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button", "reset") and attrs.get("value"):
            self.parts.append(attrs["value"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if self._hidden_tag == tag:
            self._hidden_nesting -= 1
            if not self._hidden_nesting:
                self._hidden_tag = None
            return
        if self._hidden_tag is not None:
            return
        if tag in ("script", "style"):
            self._hidden_depth = max(0, self._hidden_depth - 1)
            if self._json is not None:
                self.parts.extend(_menu_labels(json.loads("".join(self._json))))
                self._json = None

    def handle_data(self, data):
        if self._hidden_tag is not None:
            return
        if self._json is not None:
            self._json.append(data)
        elif not self._hidden_depth and data.strip():
            self.parts.append(data)


def _menu_labels(value):
    """The labels in the admin sidebar's menu (a JSON description the browser draws)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "label" and isinstance(item, str):
                yield item
            else:
                yield from _menu_labels(item)
    elif isinstance(value, list):
        for item in value:
            yield from _menu_labels(item)


def english_words(html: str, allowed: set[str]) -> tuple[set[str], list[str]]:
    """The English words a person sees on the page, and the page's links."""
    parser = VisibleText()
    parser.feed(html)
    words = set()
    for part in parser.parts:
        for word in ENGLISH_WORD.findall(DATA.sub(" ", part)):
            if word.lower() not in allowed:
                words.add(word)
    return words, parser.links


def shape(url: str) -> str:
    """One address per kind of page: numbers and slugs of objects vary, the screen does not."""
    return re.sub(r"/\d+(?=/)", "/N", urlsplit(url).path)


def crawl(client, start_urls, prefix, allowed, limit, depth=2):
    """Open the pages reachable from `start_urls` under `prefix`; {page: English words, or the
    server error it gave}."""
    client.raise_request_exception = False
    found, seen, queue = {}, set(), [(url, 0) for url in start_urls]
    while queue and len(seen) < limit:
        url, level = queue.pop(0)
        if shape(url) in seen:
            continue
        seen.add(shape(url))
        response = client.get(url)
        if response.status_code >= 500:
            found[url] = [f"HTTP {response.status_code}"]
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        words, links = english_words(response.content.decode(), allowed)
        if words:
            found[url] = sorted(words)
        if level >= depth:
            continue
        for link in links:
            target = urljoin(url, link)
            parts = urlsplit(target)
            if parts.netloc or parts.query or not parts.path.startswith(prefix) or SKIPPED.search(parts.path):
                continue
            queue.append((parts.path, level + 1))
    return found


def admin_menu_urls(client):
    """Every address of the admin menu the signed-in account sees."""
    response = client.get("/admin/")
    props = re.search(r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>',
                      response.content.decode(), re.S)
    return ["/admin/", *re.findall(r'"url": "(/admin/[^"]*)"', props.group(1))]


@pytest.fixture
def demo(db):
    catalogue = Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES" / "django.mo"
    assert catalogue.exists(), "the portal's translations are not compiled: run `make messages`"
    call_command("load_demo_content", stdout=io.StringIO())
    make_staff("jifen", roles.SCORING_ADMIN)
    make_staff("shenji", roles.AUDITOR)
    data = [*get_user_model().objects.values_list("username", flat=True),
            *QualificationIndicator.objects.values_list("code", flat=True),
            *SchemeIndicator.objects.values_list("code", flat=True)]
    return {"allowed": ALLOWED | {word.lower() for word in data}}


STAFF = ("admin", "reviewer", "editor", "keji", "bank", "jifen", "shenji")
PUBLIC = ("/", "/notices/", "/policies/", "/guides/", "/finance/", "/ranking/", "/search/?q=创新",
          "/accounts/login/", "/accounts/register/", "/accounts/password-reset/",
          "/accounts/password-reset/done/", "/accounts/register/done/", "/admin/login/", "/no-such-page/")
ENTERPRISE = "91210231MA0QX7LK1Q"


def test_every_page_a_person_sees_is_in_chinese(demo, client):
    allowed, found = demo["allowed"], {}
    found.update(crawl(client, PUBLIC, "/", allowed, limit=60, depth=1))
    User = get_user_model()
    for username in STAFF:
        client.force_login(User.objects.get(username=username))
        pages = crawl(client, admin_menu_urls(client), "/admin/", allowed, limit=ADMIN_PAGES_PER_ROLE)
        found.update({f"{username} {url}": words for url, words in pages.items()})
        client.logout()
    client.force_login(User.objects.get(username=ENTERPRISE))
    pages = crawl(client, ["/", "/enterprise/", "/enterprise/basic-info/", "/enterprise/filings/",
                           "/enterprise/results/", "/finance/"], "/", allowed, limit=60)
    found.update({f"{ENTERPRISE} {url}": words for url, words in pages.items()})
    assert not found, "\n".join(f"{page}: {' '.join(words)}" for page, words in sorted(found.items()))
