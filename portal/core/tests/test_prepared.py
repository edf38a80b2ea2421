"""portal.core.prepared: a query compiled once per worker returns what the ORM returns, read from
the database every time, with its values in their places."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from portal.core.models import PrivateFile
from portal.core.prepared import Prepared

User = get_user_model()


def make_file(owner, name, size=10):
    return PrivateFile.objects.create(owner=owner, uploaded_by=owner, original_name=name, size=size,
                                      content_type="application/pdf", file=f"proofs/{name}",
                                      uploaded_at=timezone.now())


@pytest.fixture
def owners(db):
    return [User.objects.create_user(f"owner{i}", password="x") for i in range(2)]


def test_a_row_comes_back_as_the_orm_builds_it_with_its_select_related_object(owners):
    made = make_file(owners[0], "审计报告.pdf")
    by_pk = Prepared(lambda pk: PrivateFile.objects.select_related("owner").filter(pk=pk), int)
    with CaptureQueriesContext(connection) as queries:
        loaded = by_pk.first(made.pk)
        owner = loaded.owner
    assert len(queries) == 1  # the owner came with the file
    expected = PrivateFile.objects.select_related("owner").get(pk=made.pk)
    assert [getattr(loaded, f.attname) for f in PrivateFile._meta.concrete_fields] == \
        [getattr(expected, f.attname) for f in PrivateFile._meta.concrete_fields]
    assert owner == owners[0] and owner.username == "owner0"
    assert loaded._state.adding is False and loaded._state.db == "default"
    assert by_pk.first(made.pk + 1000) is None


def test_the_sql_is_compiled_once_and_each_value_reaches_its_place(owners):
    files = [make_file(owner, f"{owner.username}-{size}.pdf", size) for owner in owners for size in (1, 2, 3)]
    built = []

    def build(owner_id, name):
        built.append((owner_id, name))
        return PrivateFile.objects.filter(owner_id=owner_id).exclude(original_name=name).order_by("size")

    prepared = Prepared(build, int, str)
    assert [f.pk for f in prepared.all(owners[0].pk, "owner0-2.pdf")] == [files[0].pk, files[2].pk]
    assert [f.pk for f in prepared.all(owners[1].pk, "nothing.pdf")] == [f.pk for f in files[3:]]
    assert len(built) == 1  # compiled at the first run only


def test_rows_changed_after_the_first_run_are_read_as_they_are_now(owners):
    made = make_file(owners[0], "旧名.pdf")
    by_pk = Prepared(lambda pk: PrivateFile.objects.filter(pk=pk), int)
    assert by_pk.first(made.pk).original_name == "旧名.pdf"
    PrivateFile.objects.filter(pk=made.pk).update(original_name="新名.pdf")
    assert by_pk.first(made.pk).original_name == "新名.pdf"


def test_a_value_that_is_not_a_parameter_is_refused(db):
    ignores_it = Prepared(lambda pk: PrivateFile.objects.all(), int)
    with pytest.raises(ValueError, match="0 times"):
        ignores_it.all(1)
    with pytest.raises(TypeError):
        Prepared(lambda day: PrivateFile.objects.filter(uploaded_at__date=day), object)


class PreparedMatchesTheOrm(TestCase):
    @settings(max_examples=25, deadline=None)
    @given(sizes=st.lists(st.integers(min_value=0, max_value=2_000_000), max_size=6),
           floor=st.integers(min_value=-5, max_value=2_000_000), name=st.text(max_size=20))
    def test_any_values_select_what_the_orm_selects(self, sizes, floor, name):
        owner = User.objects.create_user("hypothesis", password="x")
        for i, size in enumerate(sizes):
            make_file(owner, f"{i}.pdf" if i % 2 else name[:200] or "x", size)
        prepared = Prepared(lambda owner_id, least, excluded: PrivateFile.objects.filter(
            owner_id=owner_id, size__gte=least).exclude(original_name=excluded).order_by("size", "pk"),
            int, int, str)
        expected = PrivateFile.objects.filter(owner=owner, size__gte=floor).exclude(original_name=name) \
            .order_by("size", "pk")
        assert [f.pk for f in prepared.all(owner.pk, floor, name)] == [f.pk for f in expected]
