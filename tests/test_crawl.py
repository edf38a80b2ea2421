"""No page is ever a 500: with the demo content, crawl the Wagtail admin from its menu as the
superuser and as each staff role (every listing, and the first inspect, edit and create view
each one links to), and the public site and the enterprise area as an anonymous visitor and
as a demo enterprise. Links are followed within the area; each URL shape (digits replaced)
is fetched at most once per account, so the crawl stays short."""

import re
from collections import deque
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from enterprise_business.models import User
from portal.core import roles

LINK = re.compile(r"""(?:href|action|"url")\s*[=:]\s*["']((?:/|\?)[^"'#\s]*)""")
SKIP = re.compile(
    r"/logout/|/accounts/logout|/_util/|/documents/\d+/|/admin/login|/admin/password_reset|\.(?:png|jpe?g|pdf)$"
)
DEMO_PASSWORD = {"admin": "admin12345", "reviewer": "review12345", "editor": "editor12345", "bank": "bank12345"}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo content, built once for this module inside a transaction rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo_content", stdout=open("/dev/null", "w"))  # noqa: SIM115
        yield
        transaction.set_rollback(True)


def shape(url):
    path = urlsplit(url)
    # Sorting and paging show the same rows again: one of them is enough.
    query = "&".join(sorted(part.split("=")[0] for part in path.query.split("&")
                            if part and part.split("=")[0] not in ("ordering", "p", "next")))
    return re.sub(r"\d+", "N", path.path) + ("?" + query if query else "")


def crawl(client, start, prefix, limit=400):
    """Fetch `start` and every link under `prefix` reachable from it; returns {url: failure}."""
    failures, seen, queue, fetched = {}, {shape(start)}, deque([start]), 0
    while queue and fetched < limit:
        url = queue.popleft()
        fetched += 1
        try:
            response = client.get(url)
        except Exception as error:  # the test client re-raises what the view raised: a 500
            failures[url] = repr(error)[:300]
            continue
        if response.status_code >= 500:
            failures[url] = str(response.status_code)
            continue
        if response.status_code in (301, 302) and response["Location"].startswith(prefix):
            found = [response["Location"]]
        elif "html" in response.get("Content-Type", "") and not response.streaming:
            found = LINK.findall(response.content.decode(errors="replace"))
        else:
            found = []
        for link in found:
            link = urljoin(url, unescape(link).replace("\\/", "/"))
            if link.startswith(prefix) and not SKIP.search(link) and shape(link) not in seen:
                seen.add(shape(link))
                queue.append(link)
    return failures


def staff(username, group_names, superuser=False):
    user = User.objects.create_user(username=username, password="Crawl12345x", is_staff=True,
                                    is_superuser=superuser)
    user.groups.add(*Group.objects.filter(name__in=group_names))
    return user


def staff_accounts():
    """The superuser, the demo staff accounts and one account per staff role and scoped group."""
    accounts = {name: User.objects.get(username=name) for name in ("admin", "reviewer", "editor", "bank")}
    for role in roles.STAFF_GROUPS:
        accounts[role] = staff(f"crawl-{len(accounts)}", [role])
    for group in Group.objects.filter(name__contains="·")[:2]:
        accounts[group.name] = staff(f"crawl-{len(accounts)}", [group.name])
    return accounts


@pytest.mark.django_db
def test_no_admin_page_reachable_from_the_menu_is_a_server_error_for_any_staff_account(demo):
    failures = {}
    for name, user in staff_accounts().items():
        client = Client()
        client.force_login(user)
        for url, failure in crawl(client, "/admin/", "/admin/", limit=600 if user.is_superuser else 250).items():
            failures[f"{name} {url}"] = failure
    assert failures == {}


@pytest.mark.django_db
def test_no_public_or_enterprise_page_is_a_server_error(demo):
    failures = crawl(Client(), "/", "/", limit=300)
    for username in ("91210231MA0QX7LK1Q", "91210231MA0R2H8T65", "91210231MA0U4K6N8Y"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        failures.update({f"{username} {url}": f for url, f in crawl(client, "/enterprise/", "/", limit=300).items()})
    assert failures == {}
