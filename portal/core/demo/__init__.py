"""Demo content and demo accounts for `make run`, built by the apps that own them.

Each app lists its builders on its AppConfig as `demo_builders = {order: "dotted.path.to.build"}`;
`load_demo_content` runs every app's builders by ascending order, inside one transaction.
A builder is `build(report: Callable[[str], None]) -> list[Account] | None`: it calls `report`
with one line of Chinese per thing it made, and returns the demo accounts it made, which the
command prints as the last thing before the server starts. Builders are idempotent: what
exists already (found by slug, name or code) is left as an editor may have changed it.

Order by convention: 10 portal pages, 20 sections, 30 accounts and filings, 40 finance
supermarket, 50 scoring, 60 what needs a published result.
"""

from collections.abc import Callable
from typing import NamedTuple

from django.apps import apps
from django.utils.module_loading import import_string


class Account(NamedTuple):
    """A demo account as printed for a newcomer: 账号, 密码, 角色."""

    username: str
    password: str
    role: str


Report = Callable[[str], None]


def builders() -> list[Callable[[Report], list[Account] | None]]:
    """Every installed app's demo builders, by ascending order (ties: app order in INSTALLED_APPS).

    Raises ImportError when an app names a builder that does not exist."""
    found = []
    for position, app_config in enumerate(apps.get_app_configs()):
        for order, path in getattr(app_config, "demo_builders", {}).items():
            found.append((order, position, path))
    return [import_string(path) for _, _, path in sorted(found)]


def build(report: Report) -> list[Account]:
    """Run every builder; returns all the demo accounts made, in builder order."""
    accounts = []
    for builder in builders():
        accounts += [Account(*account) for account in builder(report) or []]
    return accounts
