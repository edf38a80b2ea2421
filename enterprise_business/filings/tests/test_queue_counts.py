"""The review queues' and department lists' row counts (portal.core.admin.KnownCountPaginator):
read once per filter and search, then from the shared cache — and read again as soon as a
filing is submitted or decided, or a staff member's groups change; never one department's
count for another."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enterprise_business.filings.services import points
from enterprise_business.models import Department, PointsFiling
from enterprise_business.qualifications.tests.test_qualifications import department_staff, record
from enterprise_business.tests.factories import approved_enterprise, make_batch, make_reviewer

pytestmark = pytest.mark.django_db
COUNT = re.compile(r"^SELECT COUNT\(\*\)")


def read(client, url):
    """(the count the page shows, the COUNT queries it ran)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response.context["paginator"].count, [q["sql"] for q in captured.captured_queries if COUNT.match(q["sql"])]


def submitted(batch, n):
    return [PointsFiling.objects.create(enterprise=approved_enterprise(), batch=batch, status="submitted",
                                        submitted_at=timezone.now()) for _ in range(n)]


@pytest.fixture
def reviewer(client):
    client.force_login(make_reviewer("r1"))
    return client


def test_the_queue_is_counted_once_then_read_from_the_cache(reviewer):
    batch = make_batch()
    submitted(batch, 3)
    url = f"/admin/points/?batch={batch.pk}&status=submitted"
    count, queries = read(reviewer, url)
    assert count == 3 and len(queries) == 1
    assert read(reviewer, url) == (3, [])


def test_a_submission_and_a_decision_show_in_the_count_at_once(reviewer):
    batch = make_batch()
    filings = submitted(batch, 3)
    url = f"/admin/points/?batch={batch.pk}&status=submitted"
    read(reviewer, url)
    submitted(batch, 2)
    count, queries = read(reviewer, url)
    assert count == 5 and len(queries) == 1
    points.approve(filings[0].pk, make_reviewer("r2"))
    paginator_count = reviewer.get(url).context["paginator"].count
    assert paginator_count == 4


def test_each_filter_and_search_is_counted_for_itself(reviewer):
    batch = make_batch()
    filings = submitted(batch, 3)
    points.approve(filings[0].pk, make_reviewer("r2"))
    base = f"/admin/points/?batch={batch.pk}"
    assert reviewer.get(base + "&status=submitted").context["paginator"].count == 2
    assert reviewer.get(base + "&status=approved").context["paginator"].count == 1
    name = filings[1].enterprise.name
    assert reviewer.get(base + f"&q={name}").context["paginator"].count == 1
    assert reviewer.get(base + "&status=submitted").context["paginator"].count == 2


def test_a_department_sees_its_own_count_and_a_new_group_at_once(client):
    batch = make_batch()
    for key in ("HT-1", "HT-2"):
        record(approved_enterprise(), batch, key=key)
    keji, shichang = department_staff("keji", "高新区科技创新局"), department_staff("shichang", "高新区市场监督管理局")
    client.force_login(keji)
    assert client.get("/admin/qualification-records/").context["paginator"].count == 2
    client.force_login(shichang)
    assert client.get("/admin/qualification-records/").context["paginator"].count == 0
    shichang.groups.add(Department.objects.get(name="高新区科技创新局").group)
    assert client.get("/admin/qualification-records/").context["paginator"].count == 2


def test_a_department_sees_its_own_rows_and_a_new_groups_at_once(client):
    """A page of rows kept by the worker (portal.core.admin.KnownPage) is the user's own: its
    SQL carries the user's scope, and a change of groups starts a new generation of rights."""
    batch = make_batch()
    for key in ("HT-1", "HT-2"):
        record(approved_enterprise(), batch, key=key)
    keji, shichang = department_staff("keji", "高新区科技创新局"), department_staff("shichang", "高新区市场监督管理局")
    for _ in range(2):
        client.force_login(keji)
        assert "HT-1" in client.get("/admin/qualification-records/").content.decode()
        client.force_login(shichang)
        assert "HT-1" not in client.get("/admin/qualification-records/").content.decode()
    shichang.groups.add(Department.objects.get(name="高新区科技创新局").group)
    assert "HT-1" in client.get("/admin/qualification-records/").content.decode()


def filters_html(client, url):
    html = client.get(url).content.decode()
    start = html.index('id="filters-drilldown"')
    return html[start:html.index("</form>", start)]


def test_the_filters_are_rendered_once_per_values_and_again_when_their_choices_change(reviewer):
    batch = make_batch()
    submitted(batch, 1)
    url = f"/admin/points/?batch={batch.pk}"
    first = filters_html(reviewer, url)
    assert batch.name in first
    with CaptureQueriesContext(connection) as captured:
        assert filters_html(reviewer, url) == first
    # The batches are read again neither for the filters' choices nor for the chosen one
    # (portal.core.admin.KnownChoiceField).
    assert not [q for q in captured.captured_queries if 'FROM "enterprise_business_batch"' in q["sql"]]
    assert re.search(f'value="{batch.pk}"[^>]*selected', first)
    other = filters_html(reviewer, f"/admin/points/?batch={batch.pk}&status=submitted")
    assert re.search('value="submitted"[^>]*checked', other) and not re.search('value="submitted"[^>]*checked', first)
    batch.name = "2025年度创新积分数据填报（补报）"
    batch.save()
    assert "（补报）" in filters_html(reviewer, url)


def test_the_cached_filters_are_wagtails_own_rendering(reviewer, settings):
    batch = make_batch()
    url = f"/admin/points/?batch={batch.pk}&status=submitted"
    ours = filters_html(reviewer, url)
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": []}]  # without the portal's override
    assert filters_html(reviewer, url) == ours


def test_the_chosen_batch_comes_from_the_workers_memo_and_an_unknown_one_is_refused():
    from django.core.exceptions import ValidationError

    from enterprise_business.models import Batch
    from portal.core.admin import KnownChoiceField

    batch = make_batch()
    field = KnownChoiceField(queryset=Batch.objects.all())
    assert field.clean(str(batch.pk)) == batch
    with CaptureQueriesContext(connection) as captured:
        again = field.clean(str(batch.pk))
    assert again == batch and again.name == batch.name and not captured.captured_queries
    again.name = "改过的名称"  # a copy: what one request sets never reaches the next
    assert field.clean(str(batch.pk)).name == batch.name
    for _ in range(2):  # refused as Django refuses it, and asked again each time (nothing kept)
        with CaptureQueriesContext(connection) as captured, pytest.raises(ValidationError) as refused:
            field.clean(str(batch.pk + 1000))
        assert refused.value.code == "invalid_choice" and len(captured.captured_queries) == 1
    batch.name = "2025年度（更名）"
    batch.save()
    assert field.clean(str(batch.pk)).name == "2025年度（更名）"
    # A restricted choice is always asked of the database.
    with pytest.raises(ValidationError):
        KnownChoiceField(queryset=Batch.objects.filter(data_year=1900)).clean(str(batch.pk))


def test_the_queues_filter_set_class_is_built_once(reviewer):
    batch = make_batch()
    first = reviewer.get(f"/admin/points/?batch={batch.pk}").context["filters"]
    second = reviewer.get("/admin/points/?status=submitted").context["filters"]
    assert type(first) is type(second) and first is not second
    assert first.form.cleaned_data["batch"] == batch and second.form.cleaned_data["batch"] is None


def test_each_page_of_the_queue_is_kept_for_itself(reviewer):
    """Pages of the same filters and order differ by their slice: page 2 never shows page 1's
    rows from the worker's memo (portal.core.admin.KnownPage)."""
    batch = make_batch()
    submitted(batch, 21)
    for _ in range(2):
        for page, rows in ((1, 20), (2, 1)):
            html = reviewer.get(f"/admin/points/?batch={batch.pk}&p={page}").content.decode()
            assert html.count('<td class="title">') == rows


def test_a_list_that_matches_nothing_by_construction_is_counted_as_wagtail_counts_it():
    from enterprise_business.models import Batch
    from portal.core.admin import KnownCountPaginator

    make_batch()
    paginator = KnownCountPaginator(Batch.objects.filter(pk__in=[]), 20, counted=("enterprise_business.Batch",))
    assert paginator.query_key is None and paginator.count == 0
    assert KnownCountPaginator(Batch.objects.all(), 20, counted=("enterprise_business.Batch",)).count == 1
