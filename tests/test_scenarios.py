"""Must-pass plans, each a known failure of some existing tool.

Each case builds the old and the new schema, plans, applies, and checks the
acceptance invariant (tests/convergence.py) plus what the plan must look like.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from convergence import converge, summary

SEED_OLD = """
create table users (id serial primary key, name text not null, score int default 0);
create function calculate_score(points integer) returns integer
    language sql as $$ select points * 2 $$;
create view user_rankings as select id, name, calculate_score(score) as rank_score from users;
create view daily_stats as select count(*) as users, max(rank_score) as top from user_rankings;
create view executive_dashboard as select * from daily_stats;
"""
SEED_NEW = SEED_OLD.replace(
    "calculate_score(points integer)", "calculate_score(points integer, bonus boolean DEFAULT false)"
)


def test_seed_function_signature_under_a_view_chain(make_db: Callable[[], str]) -> None:
    """Views over a function whose signature changed: dropped top-down, recreated bottom-up."""
    result = converge(make_db, SEED_OLD, SEED_NEW)
    assert summary(result.plan) == [
        "drop view public.executive_dashboard",
        "drop view public.daily_stats",
        "drop view public.user_rankings",
        "drop function public.calculate_score(points integer)",
        "create function public.calculate_score(points integer, bonus boolean)",
        "create view public.user_rankings",
        "create view public.daily_stats",
        "create view public.executive_dashboard",
    ]
    forced = {s.object_name: s.forced_by for s in result.plan.steps}
    assert forced["public.user_rankings"] == "function:public.calculate_score(points integer)"
    assert forced["public.executive_dashboard"] == "view:public.daily_stats"
    assert result.replan.steps == []


SCENARIOS = [
    pytest.param(
        """create table t (id int primary key, amount int);
           create view v as select id, amount from t;
           alter table t enable row level security;
           create policy p on t using (amount > 0);""",
        """create table t (id int primary key, amount bigint);
           create view v as select id, amount from t;
           alter table t enable row level security;
           create policy p on t using (amount > 0);""",
        ["drop policy p on public.t", "drop view public.v", "alter column public.t.amount",
         "create view public.v", "create policy p on public.t"],
        id="column-type-under-view-and-policy",
    ),
    pytest.param(
        "create table t (id serial primary key, body text);",
        "create table t (id serial primary key, body text) partition by range (id);",
        None,
        id="serial-table-recreated",
    ),
    pytest.param(
        "create table t (id int, state text default 'new');",
        "create table t (id int, state text default 'open');",
        ["alter default public.t.state"],
        id="changed-column-default",
    ),
    pytest.param(
        "create type mood as enum ('sad', 'happy'); create table t (m mood);",
        "create type mood as enum ('sad', 'ok', 'happy'); create table t (m mood);",
        ["alter enum public.mood"],
        id="enum-value-in-the-middle",
    ),
    pytest.param(
        "create type mood as enum ('sad', 'ok', 'happy');"
        "create table t (m mood default 'ok', n mood[]);"
        "create view v as select m from t where m <> 'sad';",
        "create type mood as enum ('happy', 'sad');"
        "create table t (m mood default 'sad', n mood[]);"
        "create view v as select m from t where m <> 'sad';",
        None,
        id="enum-value-removed-and-reordered-keeps-rows",
    ),
    pytest.param(
        "create type mood as enum ('sad', 'meh', 'happy'); create domain dmood as mood;"
        "create table t (d dmood, m mood);",
        "create type mood as enum ('sad', 'happy'); create domain dmood as mood;"
        "create table t (d dmood, m mood);",
        None,
        id="enum-rebuilt-under-a-domain-keeps-rows",
    ),
    pytest.param(
        "create sequence s as bigint minvalue 1 maxvalue 1000 start with 1;",
        "create sequence s as bigint minvalue 10 maxvalue 100 start with 10 increment by 5 cycle;",
        None,
        id="sequence-range-narrowed",
    ),
    pytest.param(
        """create table t (id int, v int);
           create view src as select id, v from t;
           create materialized view mv as select * from src;
           create index mv_id on mv (id);""",
        """create table t (id int, v int);
           create view src as select id, v * 2 as v from t;
           create materialized view mv as select * from src;
           create index mv_id on mv (id);""",
        ["drop materialized view public.mv", "alter view public.src",
         "create materialized view public.mv", "create index public.mv_id"],
        id="matview-index-kept-when-source-view-changes",
    ),
    pytest.param(
        'create schema "Odd ""Schema""";',
        '''create schema "Odd ""Schema""";
           create table "Odd ""Schema"""."Table ünïcode" ("select" int primary key, "Mixed Case" text);
           create view "Odd ""Schema"""."order" as select "select", "Mixed Case" from "Odd ""Schema"""."Table ünïcode";
           comment on column "Odd ""Schema"""."Table ünïcode"."Mixed Case" is 'it''s quoted';''',
        None,
        id="names-needing-quotes",
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), SCENARIOS)
def test_scenario_converges(
    make_db: Callable[[], str], old: str, new: str, expected: list[str] | None
) -> None:
    """Both directions converge; where given, the forward plan is exactly `expected`."""
    forward = converge(make_db, old, new)
    if expected is not None:
        assert summary(forward.plan) == expected
    assert forward.replan.steps == []
    backward = converge(make_db, new, old)
    assert backward.replan.steps == []
