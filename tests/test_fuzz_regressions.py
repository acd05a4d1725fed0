"""Failures the schema fuzzer found (tests/test_fuzz_schemas.py), each shrunk to a minimal
pair of schemas and kept here as an explicit case of the acceptance invariant.

A case still failing is marked `xfail(strict=True, reason="bug: ...")`: when the engine is
fixed the test passes, strict xfail fails, and whoever fixed it removes the mark. Each fixed
case keeps, in a comment, the error it used to raise.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from convergence import converge

REGRESSIONS = [
    pytest.param(
        "create type comp as (x int); create table t (c comp);",
        "create type comp as (x bigint); create table t (c comp);",
        id="composite-attribute-retyped-under-a-column",
        # was: ALTER TYPE ... ALTER ATTRIBUTE x TYPE bigint -> cannot alter type "comp" because column "t.c" uses it
    ),
    pytest.param(
        "create type comp as (x bigint); create table t (c comp);",
        "create type comp as (x int); create table t (c comp);",
        id="composite-attribute-retyped-under-a-column-back",
        # was: the same, the other way
    ),
    pytest.param(
        "create unlogged table p (id int primary key);"
        "create unlogged table c (pid int references p);",
        "create table p (id int primary key); create table c (pid int references p);",
        id="set-logged-referencing-table-before-referenced",
        # was: SET LOGGED in name order: could not change table "c" to logged because it references unlogged table "p"
    ),
    pytest.param(
        "create table a (id int primary key); create table b (aid int references a);",
        "create unlogged table a (id int primary key);"
        "create unlogged table b (aid int references a);",
        id="set-unlogged-referenced-table-before-referencing",
        # was: SET UNLOGGED in name order: could not change table "a" to unlogged because it references logged table "b"
    ),
    pytest.param(
        "create function f() returns text language sql return 'x';"
        "create table t (c int default length(f()::text));",
        "create function f() returns integer language sql return 1;"
        "create table t (c int default length(f()::text));",
        id="default-over-a-function-whose-return-type-changes",
        # was: the default probed on the source (f() returning text) kept `length(public.f())`: function length(integer) does not exist
    ),
    pytest.param(
        "create table t (id int, c jsonb);",
        "create table t (id int, c jsonb[]);",
        # Was: `ALTER TABLE public.t ALTER COLUMN c TYPE jsonb[] USING c::jsonb[]`, which
        # fails even on an empty table: cannot cast type jsonb to jsonb[] (both directions).
        # Now the column is dropped and added again, flagged as data loss.
        id="column-retyped-where-no-cast-exists",
    ),
    pytest.param(
        "create table t (a int, b int[]); grant select on t to schemainspect_test_role;"
        "grant select (a), select (b) on t to schemainspect_test_role;",
        "create table t (a int, b int[]); grant select (a), select (b) on t to schemainspect_test_role;",
        id="table-privilege-revoked-beside-column-privileges",
        # was: planning again gave GRANT SELECT (a), (b): REVOKE on the table took them too
    ),
]


@pytest.mark.parametrize(("old", "new"), REGRESSIONS)
def test_fuzz_regression_converges(make_db: Callable[[], str], old: str, new: str) -> None:
    """The shrunk pair converges old → new (the direction the fuzzer saw fail)."""
    converge(make_db, old, new)
