"""Model queries compiled to SQL once per process and thread, then run with new values.

Django builds and compiles a queryset's SQL on every evaluation. For a query that runs on every
request with only its values changing — the logged-in user with its enterprise registration,
loaded by the authentication backend; an enterprise's filing of a batch — building and
compiling was most of the query's cost: 2.6 ms of a logged-in request's 4.8 ms went to the
user's, against 0.3 ms for the same SQL sent as it is (issue 21).

`Prepared(build, int, str, …)` compiles `build(*placeholders)` — one placeholder value of each
given type — the first time a thread runs it on a database alias, and keeps the compiler;
`first(*values)` and `all(*values)` send the kept SQL with the values in the placeholders' places
and turn the rows into model instances the way Django's ModelIterable does (the same
converters, `select_related` objects and `from_db`). What they return is what `build(*values)`
would, read from the database each time: nothing is cached but the SQL text.
"""

import threading
from typing import Any, NamedTuple

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.query import get_related_populators


def _placeholder(kind, index: int):
    """A value of `kind` (int or str) that no other parameter of a prepared query should hold
    (one that does is refused, see Prepared). An int within every integer field's range, the
    small ones' too: Django leaves out a comparison with a value beyond the field's range."""
    if kind is int:
        return 32_109 - index
    if kind is str:
        return f"\x1fprepared-placeholder-{index}\x1f"
    raise TypeError(f"a prepared query takes int or str values, not {kind!r}")


class _Compiled(NamedTuple):
    alias: str
    compiler: Any  # Django's SQLCompiler, its select and klass_info filled by as_sql
    converters: dict
    sql: str
    params: tuple
    positions: tuple[int, ...]  # where each value goes among the parameters
    model_columns: slice  # the main model's columns in a row
    init_list: list[str]  # their attribute names, for Model.from_db


class Prepared:
    """`build(*values)`: a queryset filtered on `values`, one of each type in `kinds`, each used as
    a parameter exactly once (a value that is not a parameter, such as a slice, cannot change).
    Raises ValueError at the first run when the compiled SQL does not hold every placeholder
    exactly once, or selects a composite primary key."""

    def __init__(self, build, *kinds):
        self.build = build
        self.placeholders = tuple(_placeholder(kind, index) for index, kind in enumerate(kinds))
        self._local = threading.local()

    def _compiled(self, alias: str) -> _Compiled:
        kept = getattr(self._local, "compiled", None)
        if kept is None or kept.alias != alias:
            compiler = self.build(*self.placeholders).query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            positions = []
            for placeholder in self.placeholders:
                found = [i for i, param in enumerate(params) if param == placeholder]
                if len(found) != 1:
                    raise ValueError(f"the prepared query holds a value {len(found)} times, not once: {sql}")
                positions.append(found[0])
            fields = [column[0] for column in compiler.select[: compiler.col_count]]
            if compiler.has_composite_fields(fields):
                raise ValueError("a prepared query cannot select a composite primary key")
            selected = compiler.klass_info["select_fields"]
            model_columns = slice(selected[0], selected[-1] + 1)
            kept = self._local.compiled = _Compiled(
                alias, compiler, compiler.get_converters(fields), sql, tuple(params), tuple(positions), model_columns,
                [column[0].target.attname for column in compiler.select[model_columns]])
        return kept

    def all(self, *values, using: str = DEFAULT_DB_ALIAS) -> list:
        """The model instances of the rows `build(*values)` selects, in its order."""
        kept = self._compiled(using)
        params = list(kept.params)
        for position, value in zip(kept.positions, values, strict=True):
            params[position] = value
        with connections[using].cursor() as cursor:
            cursor.execute(kept.sql, params)
            rows = cursor.fetchall()
        if kept.converters:
            rows = kept.compiler.apply_converters(rows, kept.converters)
        model = kept.compiler.klass_info["model"]
        populators = get_related_populators(kept.compiler.klass_info, kept.compiler.select, using)
        instances = []
        for row in rows:
            instance = model.from_db(using, kept.init_list, row[kept.model_columns])
            for populator in populators:
                populator.populate(row, instance)
            instances.append(instance)
        return instances

    def first(self, *values, using: str = DEFAULT_DB_ALIAS):
        """The first row's model instance, or None when none matches (`build` should select one
        row at most, by a unique key or a slice)."""
        rows = self.all(*values, using=using)
        return rows[0] if rows else None
