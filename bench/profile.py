"""Where one page's time goes: SQL, template rendering, and the rest, for any URL as any role.

    DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=… python bench/profile.py --as reviewer "/admin/points/?batch=3"

Run against a `make bench` database (or any database with the demo accounts). The page is
requested in this process through Django's test client, logged in the way bench/sessions.py
logs in (`--as` a role of bench/querycounts.py's LOGINS, or `--user` any username); once to
warm the per-process caches, then `--repeat` times (default 20), and the median request is
printed:

- total: the request through the whole middleware stack, in ms;
- SQL: the time spent in the database driver (every query, wherever it ran), in ms and as a
  share of the total, with the number of queries;
- templates: the time inside the outermost `Template.render` calls, less the SQL run while
  rendering (lazy querysets), in ms and as a share;
- rest: total − SQL − templates (views, forms, middleware, Python).

`--sql` lists the queries of the last request with their times; `--top N` adds cProfile's
N most expensive functions over the repeated requests (`--sort tottime`: by the time in
the function itself; `--callers NAME`: who calls the functions named so). `--all` instead prints
one line for each page `make bench` measures (bench/querycounts.py), as its account:

    python bench/profile.py --all --repeat 10

Exits 1 when a page answers anything but 200.
"""

import os
import sys
from pathlib import Path

# This file's name hides the standard library's `profile` (which cProfile imports) while its
# folder leads sys.path: bench/ goes to the end instead, for `querycounts`.
BENCH = Path(__file__).resolve().parent
sys.path[:] = [str(BENCH.parent), *(p for p in sys.path if Path(p or ".").resolve() != BENCH), str(BENCH)]

import argparse  # noqa: E402
import cProfile  # noqa: E402
import gc  # noqa: E402
import pstats  # noqa: E402
import time  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.template import base as template_base  # noqa: E402
from django.test import Client  # noqa: E402
from querycounts import ANONYMOUS, BACKEND, HOST, LOGINS, benchmarked_urls, user_for  # noqa: E402


class Clock:
    """Accumulates SQL and outermost-template time (seconds) of the requests it watches."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.sql = 0.0
        self.sql_in_templates = 0.0
        self.templates = 0.0
        self.depth = 0
        self.queries = []

    def execute(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - started
            self.sql += spent
            if self.depth:
                self.sql_in_templates += spent
            self.queries.append((spent, sql))

    def wrap_render(self, render):
        clock = self

        def timed_render(template, context):
            clock.depth += 1
            started = time.perf_counter()
            try:
                return render(template, context)
            finally:
                clock.depth -= 1
                if not clock.depth:
                    clock.templates += time.perf_counter() - started

        return timed_render


def client_as(who: str | None, username: str | None = None) -> Client:
    client = Client(SERVER_NAME=HOST, HTTP_HOST=HOST)
    if username:
        client.force_login(get_user_model().objects.get(username=username), backend=BACKEND)
    elif who and who != ANONYMOUS:
        if who not in LOGINS:
            raise SystemExit(f"profile.py: no account for --as {who}; one of {', '.join([ANONYMOUS, *LOGINS])}")
        client.force_login(user_for(who), backend=BACKEND)
    return client


def measure(client: Client, url: str, clock: Clock, repeat: int, profiler=None) -> tuple:
    """(total, SQL, templates, queries) of the median of `repeat` GETs of `url` (seconds),
    after one to warm up; SystemExit when the page answers anything but 200."""
    warm = client.get(url)
    if warm.status_code != 200:
        raise SystemExit(f"profile.py: {url} answered {warm.status_code}")
    # As a web worker after its first requests (portal.core.memory).
    gc.collect()
    gc.freeze()
    runs = []
    with connection.execute_wrapper(clock.execute):
        for _ in range(repeat):
            clock.reset()
            if profiler:
                profiler.enable()
            started = time.perf_counter()
            response = client.get(url)
            total = time.perf_counter() - started
            if profiler:
                profiler.disable()
            if response.status_code != 200:
                raise SystemExit(f"profile.py: {url} answered {response.status_code}")
            runs.append((total, clock.sql, clock.templates - clock.sql_in_templates, len(clock.queries)))
    return sorted(runs)[len(runs) // 2]


def every_page(clock: Clock, repeat: int) -> None:
    """One line per page of querycounts.benchmarked_urls(): ms and shares of the median request."""
    clients = {}
    print(f"{'url':<52} {'as':<10} {'total':>8} {'SQL':>13} {'templates':>13} {'rest':>13} {'queries':>7}")
    for url, who in benchmarked_urls():
        if who not in clients:
            clients[who] = client_as(who)
        total, sql, templates, queries = measure(clients[who], url, clock, repeat)
        rest = total - sql - templates
        parts = " ".join(f"{part * 1000:6.1f} {part / total:5.0%}" for part in (sql, templates, rest))
        print(f"{url:<52} {who:<10} {total * 1000:6.1f}ms {parts} {queries:>7}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", nargs="?", help="the page; none with --all")
    parser.add_argument("--all", action="store_true", help="every page `make bench` measures, one line each")
    parser.add_argument("--as", dest="who", default=ANONYMOUS, help="a role of querycounts.LOGINS, or anonymous")
    parser.add_argument("--user", help="any username instead of a role")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--sql", action="store_true", help="list the queries of the last request")
    parser.add_argument("--top", type=int, default=0, help="cProfile's N most expensive functions")
    parser.add_argument("--sort", default="cumulative", choices=["cumulative", "tottime"],
                        help="the order of --top: time including callees (default) or in the function itself")
    parser.add_argument("--callers", help="with --top: who calls the functions whose name matches this")
    args = parser.parse_args()
    if bool(args.url) == args.all:
        parser.error("give a URL or --all")

    clock = Clock()
    template_base.Template.render = clock.wrap_render(template_base.Template.render)
    if args.all:
        every_page(clock, args.repeat)
        return
    profiler = cProfile.Profile() if args.top else None
    total, sql, templates, queries = measure(client_as(args.who, args.user), args.url, clock, args.repeat, profiler)

    def share(part):
        return f"{part * 1000:7.1f} ms {part / total:6.1%}"

    print(f"{args.url} as {args.user or args.who}: median of {args.repeat} requests")
    print(f"  total     {total * 1000:7.1f} ms")
    print(f"  SQL       {share(sql)}  ({queries} queries)")
    print(f"  templates {share(templates)}")
    print(f"  rest      {share(total - sql - templates)}")
    if args.sql:
        for spent, sql_text in clock.queries:
            print(f"  {spent * 1000:6.2f} ms  {' '.join(sql_text.split())[:240]}")
    if profiler:
        stats = pstats.Stats(profiler, stream=sys.stdout).sort_stats(args.sort)
        stats.print_stats(args.top)
        if args.callers:
            stats.print_callers(args.callers)


if __name__ == "__main__":
    main()
