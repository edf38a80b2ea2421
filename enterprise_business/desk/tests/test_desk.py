"""The programme desk (统计): the funnel of a batch against enterprises in known states, the
review ages in Chinese working days, the overdue mark on the review lists, each panel shown
only to the roles that may see it, each figure linking to the list behind it, and the same
number of queries whatever the number of enterprises."""

import importlib
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enterprise_business.desk import selectors
from enterprise_business.filings import review
from enterprise_business.filings.services import points
from enterprise_business.models import BasicInfo, DataQuestion, Department, PointsFiling, QualificationIndicator, User
from enterprise_business.tests.factories import (
    approved_enterprise,
    make_batch,
    make_enterprise,
    make_reviewer,
    make_staff,
)
from portal.core import desk, roles, workdays
from portal.core.generations import rows_of

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def seed(batch):
    """One enterprise at each point of the funnel: {stage: enterprise}."""
    pending = make_enterprise(status="pending")
    submitted_basic = make_enterprise()
    BasicInfo.objects.create(enterprise=submitted_basic, status="submitted", submitted_at=timezone.now())
    at = {"registered_only": pending, "basic_submitted": submitted_basic, "not_filed": approved_enterprise()}
    for status in ("draft", "submitted", "returned", "approved"):
        enterprise = approved_enterprise()
        PointsFiling.objects.create(enterprise=enterprise, batch=batch, status=status,
                                    submitted_at=timezone.now() if status != "draft" else None)
        at[status] = enterprise
    # A filing row still 未填报 counts as 未填报; a filing of another batch does not count here.
    untouched = approved_enterprise()
    PointsFiling.objects.create(enterprise=untouched, batch=batch, status="not_filed")
    at["not_filed_row"] = untouched
    return at


def test_the_funnel_counts_a_seeded_batch_of_known_states():
    batch, other = make_batch(), make_batch(year=2024)
    at = seed(batch)
    PointsFiling.objects.create(enterprise=at["not_filed"], batch=other, status="approved")
    counts = {row["stage"]: row["count"] for row in selectors.funnel(batch)}
    assert counts == {"registered": 8, "basic_approved": 6, "not_filed": 2, "draft": 1, "submitted": 1,
                      "returned": 1, "approved": 1}
    for stage, count in counts.items():  # the list behind each figure holds exactly those enterprises
        assert selectors.stage_enterprises(batch, stage).count() == count
    assert set(selectors.stage_enterprises(batch, "not_filed")) == {at["not_filed"], at["not_filed_row"]}
    assert list(selectors.stage_enterprises(batch, "returned")) == [at["returned"]]


def test_review_ages_count_working_days_across_national_day_and_a_make_up_saturday():
    batch = make_batch()
    before_holiday = approved_enterprise()
    after_holiday = approved_enterprise()
    PointsFiling.objects.create(enterprise=before_holiday, batch=batch, status="submitted",
                                submitted_at=datetime(2025, 9, 30, 23, 30, tzinfo=SHANGHAI))
    PointsFiling.objects.create(enterprise=after_holiday, batch=batch, status="submitted",
                                submitted_at=datetime(2025, 10, 9, 9, 0, tzinfo=SHANGHAI))
    # 1–8 October 2025 are holidays, 11 October (a Saturday) a make-up working day: on 9 October
    # the 30 September filing has waited one working day (not nine days), on the 11th three.
    thursday = selectors.review_waits(batch, date(2025, 10, 9))["points"]
    assert thursday["ages"] == [1, 1, 0, 0] and thursday["oldest"] == 1 and not thursday["overdue"]
    saturday = selectors.review_waits(batch, date(2025, 10, 11))["points"]
    assert saturday["ages"] == [0, 0, 1, 1] and saturday["oldest"] == 3 and saturday["overdue"]
    # The columns' date ranges: today, then each earlier working day, then everything before.
    assert saturday["ranges"] == [(date(2025, 10, 11), None), (date(2025, 10, 10), date(2025, 10, 10)),
                                  (date(2025, 10, 9), date(2025, 10, 9)), (None, date(2025, 10, 8))]


def test_each_waiting_filing_is_in_the_column_of_its_age_in_working_days():
    # Submitted at 08:00 (00:00 UTC) on every day around National Day 2025: each lands in the
    # column of its own age (workdays.review_age), counted from the columns' first instants.
    batch = make_batch()
    days = [date(2025, 9, 25) + timedelta(days=n) for n in range(18)]
    for day in days:
        PointsFiling.objects.create(enterprise=approved_enterprise(), batch=batch, status="submitted",
                                    submitted_at=datetime(day.year, day.month, day.day, 8, tzinfo=SHANGHAI))
    for today in (date(2025, 10, 9), date(2025, 10, 11), date(2025, 10, 12)):
        expected = [0, 0, 0, 0]
        for day in days:
            expected[min(workdays.workdays_between(day, today), 3)] += 1
        assert selectors.review_waits(batch, today)["points"]["ages"] == expected, today


def _resubmit(filing, when):
    review.transition(PointsFiling, filing.pk, filing.enterprise.user, review.SUBMIT)
    PointsFiling.objects.filter(pk=filing.pk).update(submitted_at=when)


def test_waiting_filings_are_grouped_by_the_reviewer_who_last_returned_them():
    batch = make_batch()
    zhang, li = make_staff("zhang", roles.REVIEWER), make_staff("li", roles.REVIEWER)
    User.objects.filter(pk=li.pk).update(display_name="李审核")
    now = timezone.now()
    for hours in (1, 2):  # two first submissions
        PointsFiling.objects.create(enterprise=approved_enterprise(), batch=batch, status="submitted",
                                    submitted_at=now - timedelta(hours=hours))
    twice = PointsFiling.objects.create(enterprise=approved_enterprise(), batch=batch, status="submitted",
                                        submitted_at=now)
    points.send_back(twice.pk, zhang, "资产负债表不清晰")  # returned by 张, then by 李: 李's
    _resubmit(twice, now - timedelta(days=40))
    points.send_back(twice.pk, li, "社保证明未盖章")
    _resubmit(twice, now - timedelta(days=40))
    once = PointsFiling.objects.create(enterprise=approved_enterprise(), batch=batch, status="submitted",
                                       submitted_at=now)
    points.send_back(once.pk, zhang, "研发费用有误")
    _resubmit(once, now - timedelta(minutes=5))
    # Reopened after approval by 李, then resubmitted: 李 too.
    reopened = PointsFiling.objects.create(enterprise=approved_enterprise(), batch=batch, status="submitted",
                                           submitted_at=now)
    points.approve(reopened.pk, zhang)
    points.reopen(reopened.pk, li, "公示期异议，请更正")
    _resubmit(reopened, now - timedelta(minutes=10))
    returned_again = PointsFiling.objects.create(enterprise=approved_enterprise(), batch=batch, status="submitted",
                                                 submitted_at=now)
    points.send_back(returned_again.pk, zhang, "缺少附件")  # returned, not waiting: not counted
    assert PointsFiling.objects.get(pk=twice.pk).last_returned_by == li

    rows = selectors.review_waits(batch, timezone.localdate())["by_reviewer"]
    assert [(row["reviewer"], row["count"]) for row in rows] == [
        ("李审核", 2), ("首次提交（尚未审核过）", 2), ("zhang", 1)]  # oldest first
    assert rows[0]["oldest_age"] > 2 and rows[0]["overdue"] and not rows[1]["overdue"]
    assert sum(selectors.review_waits(batch)["points"]["ages"]) == 5


def test_the_migration_fills_the_last_returning_reviewer_from_the_review_log():
    batch = make_batch()
    zhang, li = make_staff("zhang", roles.REVIEWER), make_staff("li", roles.REVIEWER)
    filing = PointsFiling.objects.create(enterprise=approved_enterprise(), batch=batch, status="submitted",
                                         submitted_at=timezone.now())
    points.send_back(filing.pk, li, "第一次")
    _resubmit(filing, timezone.now())
    points.send_back(filing.pk, zhang, "第二次")
    never = PointsFiling.objects.create(enterprise=approved_enterprise(), batch=batch, status="submitted",
                                        submitted_at=timezone.now())
    PointsFiling.objects.update(last_returned_by=None)
    migration = importlib.import_module("enterprise_business.migrations.0013_last_returning_reviewer_on_filings")
    migration.remember_last_returns(django_apps, None)
    assert PointsFiling.objects.get(pk=filing.pk).last_returned_by == zhang
    assert PointsFiling.objects.get(pk=never.pk).last_returned_by is None


def test_the_review_lists_mark_what_has_waited_more_than_two_working_days(client):
    batch = make_batch()
    old, new = approved_enterprise(), approved_enterprise()
    PointsFiling.objects.create(enterprise=old, batch=batch, status="submitted",
                                submitted_at=timezone.now() - timedelta(days=30))
    PointsFiling.objects.create(enterprise=new, batch=batch, status="submitted", submitted_at=timezone.now())
    client.force_login(make_staff("r1", roles.REVIEWER))
    html = client.get("/admin/points/").content.decode()
    assert html.count("已超期") == 1 and "已等待0个工作日" in html


def _question(batch, department_name):
    department = Department.objects.create(name=department_name)
    indicator = QualificationIndicator.objects.exclude(questions__isnull=False).order_by("pk").first()
    indicator.department = department
    indicator.save()
    return DataQuestion.objects.create(enterprise=approved_enterprise(), batch=batch, indicator=indicator,
                                       text="数据有误", asked_by=make_enterprise().user)


PANEL_IDS = {"funnel": "desk-funnel", "waits": "desk-review_waits", "returns": "desk-returns",
             "questions": "desk-data_questions", "objections": "desk-score_objections",
             "applications": "desk-applications", "distributions": "desk-distributions"}


@pytest.mark.parametrize(("role", "shown"), [
    (roles.SCORING_ADMIN, {"funnel", "waits", "returns", "questions", "objections", "applications",
                           "distributions"}),
    (roles.REVIEWER, {"funnel", "waits", "returns"}),
    (roles.CONTENT_EDITOR, set()),
    (roles.AUDITOR, set()),
])
def test_each_panel_is_shown_only_to_the_roles_that_may_see_it(client, role, shown):
    batch = make_batch()
    seed(batch)
    client.force_login(make_staff("staff1", role))
    response = client.get(f"/admin/desk/?batch={batch.pk}")
    if not shown:
        assert response.status_code == 302 and response.url == "/admin/"  # Wagtail's answer to PermissionDenied
        home = client.get("/admin/").content.decode()
        assert not any(panel_id in home for panel_id in PANEL_IDS.values())
        return
    html = response.content.decode()
    assert {name for name, panel_id in PANEL_IDS.items() if f'id="{panel_id}"' in html} == shown
    home = client.get("/admin/").content.decode()  # the admin home: what waits, and the link to the rest
    assert {name for name, panel_id in PANEL_IDS.items() if f'id="{panel_id}"' in home} == {"waits"}
    assert f'href="/admin/desk/?batch={batch.pk}"' in home


def test_a_department_sees_only_its_own_questions_and_can_open_them(client):
    batch = make_batch()
    mine, theirs = _question(batch, "科技创新局"), _question(batch, "市场监督管理局")
    user = make_staff("dept1")
    user.groups.add(mine.indicator.department.group)
    client.force_login(user)
    html = client.get(f"/admin/desk/?batch={batch.pk}").content.decode()
    assert "科技创新局" in html and "市场监督管理局" not in html and "desk-funnel" not in html
    department = mine.indicator.department_id
    link = f"/admin/data-questions/?status=pending&amp;batch={batch.pk}&amp;indicator__department={department}"
    assert link in html
    listing = client.get(link.replace("&amp;", "&")).content.decode()
    assert mine.enterprise.name in listing and theirs.enterprise.name not in listing


def test_each_funnel_figure_links_to_the_list_of_those_enterprises(client):
    batch = make_batch()
    at = seed(batch)
    client.force_login(make_staff("admin1", roles.SCORING_ADMIN))
    html = client.get(f"/admin/desk/?batch={batch.pk}").content.decode()
    assert f'href="/admin/desk/{batch.pk}/draft/" data-figure="funnel-draft">1</a>' in html
    listing = client.get(f"/admin/desk/{batch.pk}/draft/").content.decode()
    assert at["draft"].name in listing and at["submitted"].name not in listing


def _grow(batch, n):
    for _ in range(n):
        for status in ("draft", "submitted", "returned", "approved"):
            enterprise = approved_enterprise()
            PointsFiling.objects.create(enterprise=enterprise, batch=batch, status=status,
                                        submitted_at=timezone.now() - timedelta(days=n))


def _figures_changed():
    """As if a counted row had changed: every panel's figures are read again."""
    for panel in desk.PANELS.values():
        for label in panel.counts:
            rows_of(label).new()


def test_the_dashboard_runs_the_same_number_of_queries_at_two_data_sizes(client):
    batch = make_batch()
    seed(batch)
    _question(batch, "科技创新局")
    client.force_login(make_staff("admin1", roles.SCORING_ADMIN, superuser=True))
    url = f"/admin/desk/?batch={batch.pk}"
    client.get(url)
    _figures_changed()
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(batch, 5)
    _question(batch, "市场监督管理局")
    client.get(url)  # new accounts start a new generation of the per-user sidebar memo: rebuilt once
    _figures_changed()
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small), [q["sql"][:150] for q in large.captured_queries]
    with CaptureQueriesContext(connection) as unchanged:
        assert client.get(url).status_code == 200
    assert len(unchanged) <= len(large) - 8  # the figures of seven panels (eight queries) kept


def test_the_admin_home_is_a_light_summary_in_the_same_queries_at_two_sizes(client):
    batch = make_batch()
    seed(batch)
    client.force_login(make_staff("r1", roles.REVIEWER))
    client.get("/admin/")
    _figures_changed()
    with CaptureQueriesContext(connection) as small:
        html = client.get("/admin/").content.decode()
    assert 'id="desk-review_waits"' in html and 'id="desk-funnel"' not in html  # the funnel is on 统计
    assert f'href="/admin/desk/?batch={batch.pk}"' in html
    _grow(batch, 5)
    client.get("/admin/")
    _figures_changed()
    with CaptureQueriesContext(connection) as large:
        client.get("/admin/")
    assert len(large) == len(small) <= 13, [q["sql"][:150] for q in large.captured_queries]


def _waiting(user, batch):
    panels = {p["panel"].name: p for p in desk.panels_for(user, batch, home=True)}
    return {row["label"]: row["total"] for row in panels["review_waits"]["rows"]}


def test_the_waits_are_read_once_and_again_after_each_submission_and_decision():
    batch = make_batch()
    seed(batch)
    reviewer = make_reviewer("r1")
    assert _waiting(reviewer, batch)["积分数据填报"] == 1
    with CaptureQueriesContext(connection) as again:
        assert _waiting(reviewer, batch)["积分数据填报"] == 1
    assert len(again) == 0  # from the shared cache
    filing = PointsFiling.objects.create(enterprise=approved_enterprise(), batch=batch, status="submitted",
                                         submitted_at=timezone.now())
    assert _waiting(reviewer, batch)["积分数据填报"] == 2  # a submission: never the old figure
    points.approve(filing.pk, reviewer)
    assert _waiting(reviewer, batch)["积分数据填报"] == 1  # a decision through the review machinery
    BasicInfo.objects.filter(status="submitted").get().delete()
    assert _waiting(reviewer, batch)["企业基本信息"] == 0


def test_the_figures_kept_for_one_user_are_never_shown_to_another_nor_after_a_right_is_taken():
    batch = make_batch()
    seed(batch)
    reviewer = make_reviewer("r1")
    registrations_only = make_staff("r2")
    registrations_only.user_permissions.add(Permission.objects.get(codename="view_enterprise"))
    assert set(_waiting(reviewer, batch)) == {"企业注册", "企业基本信息", "积分数据填报"}
    assert set(_waiting(User.objects.get(pk=registrations_only.pk), batch)) == {"企业注册"}
    reviewer.groups.clear()
    reviewer.user_permissions.add(Permission.objects.get(codename="view_pointsfiling"))
    assert set(_waiting(User.objects.get(pk=reviewer.pk), batch)) == {"积分数据填报"}


def test_staff_who_see_no_home_panel_still_find_the_desk_from_the_home(client):
    batch = make_batch()
    question = _question(batch, "科技创新局")
    user = make_staff("dept1")
    user.groups.add(question.indicator.department.group)
    client.force_login(user)
    html = client.get("/admin/").content.decode()
    assert f'href="/admin/desk/?batch={batch.pk}"' in html and "desk-panel" not in html
