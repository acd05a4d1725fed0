"""Each object kind beyond tables, views and functions: created, each attribute
altered, dropped (every case also runs backwards), and dropped/recreated when
something it depends on is.

Every case checks the acceptance invariant (tests/convergence.py) in both
directions; where given, the forward plan is exactly `expected`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from conftest import PgServer
from convergence import Converged, LoadFailed, converge, summary

from pgmt.postgres import connect

# Roles live outside a database: made once for the server, like the corpus role.
ROLE, OTHER_ROLE = "pgmt_kinds_owner", "pgmt_kinds_other"


@pytest.fixture(scope="module", autouse=True)
def roles(pg_server: PgServer) -> Iterator[None]:
    with connect(pg_server.admin_url, autocommit=True) as conn:
        for role in (ROLE, OTHER_ROLE):
            conn.execute(f"""DO $$ BEGIN CREATE ROLE {role} NOLOGIN;
                             EXCEPTION WHEN duplicate_object THEN NULL; END $$""".encode())
    yield


def both_ways(make_db: Callable[[], str], old: str, new: str,
              expected: list[str] | None = None) -> Converged:
    """Converge old → new and new → old; where given, the forward plan is exactly
    `expected`. The forward result is returned."""
    try:
        forward = converge(make_db, old, new)
        converge(make_db, new, old)
    except LoadFailed as error:
        pytest.skip(f"cannot load on this server: {error}")
    if expected is not None:
        assert summary(forward.plan) == expected
    return forward


ADD = "create function add_n(numeric, numeric) returns numeric language sql immutable" \
      " as $$ select $1 + $2 $$;"
SUB = "create function sub_n(numeric, numeric) returns numeric language sql immutable" \
      " as $$ select $1 - $2 $$;"
TOTAL = ADD + "create aggregate total(numeric) (sfunc = add_n, stype = numeric, initcond = '0');"

AGGREGATES = [
    pytest.param("", TOTAL,
                 ["create function public.add_n(numeric, numeric)",
                  "create aggregate public.total(numeric)"],
                 id="aggregate-created"),
    pytest.param(TOTAL, TOTAL.replace("initcond = '0'", "initcond = '1'"),
                 ["alter aggregate public.total(numeric)"],
                 id="aggregate-initcond-altered"),
    pytest.param(
        "create aggregate cat(text) (sfunc = textcat, stype = text);",
        "create aggregate cat(text) (sfunc = textcat, stype = text, initcond = '');",
        ["alter aggregate public.cat(text)"],
        id="aggregate-empty-initcond-is-not-null"),
    pytest.param(
        ADD + SUB + "create aggregate total(numeric) (sfunc = add_n, stype = numeric);",
        ADD + SUB + "create aggregate total(numeric) (sfunc = add_n, stype = numeric,"
        " combinefunc = add_n, msfunc = add_n, minvfunc = sub_n, mstype = numeric,"
        " minitcond = '0', parallel = safe);",
        ["alter aggregate public.total(numeric)"],
        id="aggregate-moving-combine-and-parallel-options-altered"),
    pytest.param(
        "create aggregate m(int) (sfunc = int4larger, stype = int);",
        "create aggregate m(int) (sfunc = int4larger, stype = int, sortop = >);",
        ["alter aggregate public.m(integer)"],
        id="aggregate-sortop-altered"),
    pytest.param(
        "",
        "create aggregate pct(float8 order by anyelement) (sfunc = ordered_set_transition,"
        " stype = internal, finalfunc = percentile_disc_final, finalfunc_extra);"
        "create aggregate rnk(variadic \"any\" order by variadic \"any\")"
        " (sfunc = ordered_set_transition_multi, stype = internal, finalfunc = rank_final,"
        " finalfunc_extra, hypothetical);"
        "create aggregate cnt(*) (sfunc = int8inc, stype = int8, initcond = '0');",
        None,
        id="aggregate-ordered-set-hypothetical-and-star-created"),
    pytest.param(
        "create aggregate s(int) (sfunc = int4pl, stype = int);"
        "create table t (v int); create view v as select s(v) from t;",
        "create aggregate s(int) (sfunc = int84pl, stype = int8, initcond = '0');"
        "create table t (v int); create view v as select s(v) from t;",
        ["drop view public.v", "drop aggregate public.s(integer)",
         "create aggregate public.s(integer)", "create view public.v"],
        id="aggregate-result-changed-recreated-under-a-view"),
    pytest.param(
        TOTAL,
        TOTAL + "comment on aggregate total(numeric) is 'sums';"
        f"revoke execute on function total(numeric) from public;"
        f"grant execute on function total(numeric) to {ROLE};",
        None,
        id="aggregate-comment-and-privileges"),
]

C1 = "create collation c1 (provider = libc, locale = 'C');"
COLLATIONS = [
    pytest.param("", C1 + "create table t (a text collate c1);",
                 ["create collation public.c1", "create table public.t"],
                 id="collation-created-and-used"),
    pytest.param(C1, C1.replace("'C'", "'POSIX'"),
                 ["drop collation public.c1", "create collation public.c1"],
                 id="collation-locale-changed-recreated"),
    pytest.param(
        C1 + "create table t (a text collate c1);",
        "create collation c2 (provider = libc, locale = 'POSIX');"
        "create table t (a text collate c2);",
        ["create collation public.c2", "alter column public.t.a", "drop collation public.c1"],
        id="column-moved-off-a-dropped-collation-keeps-its-rows"),
    pytest.param(
        "", "create collation ci (provider = icu, locale = 'und-u-ks-level2',"
        " deterministic = false);",
        None,
        id="collation-icu-nondeterministic"),
    pytest.param(C1, C1 + "comment on collation c1 is 'bytewise';",
                 ["create comment on collation public.c1"],
                 id="collation-comment"),
]

OWNED = ("create schema s; create table s.t (id serial primary key);"
         "create view s.v as select id from s.t; create function s.f() returns int"
         " language sql as $$ select 1 $$; create type s.e as enum ('a');"
         "create aggregate s.m(int) (sfunc = int4larger, stype = int);"
         "create collation s.c (provider = libc, locale = 'C');")


def owned_by(role: str) -> str:
    return OWNED + "".join(
        f"alter {what} owner to {role};"
        for what in ("schema s", "table s.t", "view s.v", "function s.f()", "type s.e",
                     "aggregate s.m(int)", "collation s.c"))


OWNERS = [
    pytest.param(OWNED, owned_by(ROLE), None, id="owners-set"),
    pytest.param(owned_by(ROLE), owned_by(OTHER_ROLE), None, id="owners-changed"),
    pytest.param(
        f"create table t (id int); alter table t owner to {ROLE};",
        f"create table t (id int) partition by range (id); alter table t owner to {ROLE};",
        ["drop table public.t", "create table public.t",
         f"create owner of table public.t to {ROLE}"],
        id="owner-restored-on-a-recreated-table"),
]

EXTENSIONS = [
    pytest.param("create extension pg_trgm version '1.4';",
                 "create extension pg_trgm version '1.5';",
                 ["alter extension pg_trgm"], id="extension-updated"),
    pytest.param("create extension pg_trgm version '1.5';",
                 "create extension pg_trgm version '1.4';",
                 ["drop extension pg_trgm", "create extension pg_trgm",
                  "create comment on extension pg_trgm"],
                 id="extension-without-a-downgrade-path-recreated"),
    pytest.param("create schema ext; create extension pg_trgm;",
                 "create schema ext; create extension pg_trgm schema ext;",
                 ["alter extension pg_trgm"], id="extension-moved-to-another-schema"),
]

T = "create table t (id int primary key, n int); create table log (id int, x int);"
RULES = [
    pytest.param(T, T + "create rule r as on delete to t do instead nothing;",
                 ["create rule r on public.t"], id="rule-created"),
    pytest.param(T + "create rule r as on delete to t do instead nothing;",
                 T + "create rule r as on delete to t do also insert into log values (old.id);",
                 ["alter rule r on public.t"], id="rule-action-altered"),
    pytest.param(T + "create rule r as on delete to t do instead nothing;",
                 T + "create rule r as on delete to t do instead nothing;"
                 "alter table t disable rule r;",
                 ["alter rule r on public.t"], id="rule-disabled"),
    pytest.param(
        T + "create rule r as on insert to t do also insert into log values (new.id, new.n);",
        T.replace("x int", "x bigint")
        + "create rule r as on insert to t do also insert into log values (new.id, new.n);",
        ["drop rule r on public.t", "alter column public.log.x", "create rule r on public.t"],
        id="rule-recreated-around-a-column-type-change"),
    pytest.param(
        "create table t (id int); create view v as select id from t;"
        "create rule ins as on insert to v do instead insert into t values (new.id);",
        "create table t (id bigint); create view v as select id from t;"
        "create rule ins as on insert to v do instead insert into t values (new.id);",
        None, id="rule-on-a-recreated-view"),
    pytest.param(T + "create rule r as on delete to t do instead nothing;",
                 T + "create rule r as on delete to t do instead nothing;"
                 "comment on rule r on t is 'keep rows';",
                 None, id="rule-comment"),
]

EVT_FN = ("create function log_ddl() returns event_trigger language plpgsql"
          " as $$ begin null; end $$;")
EVT = EVT_FN + "create event trigger et on ddl_command_end execute function log_ddl();"
EVENT_TRIGGERS = [
    pytest.param(EVT_FN, EVT, ["create event trigger et"], id="event-trigger-created"),
    pytest.param(EVT, EVT + "alter event trigger et disable;", ["alter event trigger et"],
                 id="event-trigger-disabled"),
    pytest.param(EVT, EVT + "alter event trigger et enable always;",
                 ["alter event trigger et"], id="event-trigger-enabled-always"),
    pytest.param(EVT, EVT.replace("on ddl_command_end",
                                  "on ddl_command_end when tag in ('CREATE TABLE', 'DROP TABLE')"),
                 ["drop event trigger et", "create event trigger et"],
                 id="event-trigger-tags-changed-recreated"),
    pytest.param(EVT, EVT.replace("on ddl_command_end", "on sql_drop"),
                 ["drop event trigger et", "create event trigger et"],
                 id="event-trigger-event-changed-recreated"),
    pytest.param(EVT, EVT + "comment on event trigger et is 'audit';", None,
                 id="event-trigger-comment"),
]

PUB_T = "create table t (id int primary key, a text, b int); create table u (id int);"
PUBLICATIONS = [
    pytest.param(PUB_T, PUB_T + "create publication p for table t;",
                 ["create publication p", "create publication table public.t in p"],
                 id="publication-created"),
    pytest.param(PUB_T + "create publication p for table t;",
                 PUB_T + "create publication p for table t with (publish = 'insert',"
                 " publish_via_partition_root = true);",
                 ["alter publication p"], id="publication-options-altered"),
    pytest.param(PUB_T + "create publication p for table t;",
                 PUB_T + "create publication p for table t (id, a) where (b > 0), u;",
                 ["drop publication table public.t in p", "create publication table public.t in p",
                  "create publication table public.u in p"],
                 id="publication-columns-row-filter-and-tables-changed"),
    pytest.param(PUB_T + "create publication p for table t;",
                 PUB_T + "create publication p for all tables;",
                 None, id="publication-for-all-tables-recreated"),
    pytest.param("create schema s; create table s.x (id int);",
                 "create schema s; create table s.x (id int);"
                 "create publication p for tables in schema s;",
                 None, id="publication-tables-in-schema"),
    pytest.param(PUB_T + "create publication p for table t;",
                 PUB_T.replace("b int", "b int) partition by range (id") .replace(
                     "primary key", "") + "create publication p for table t;",
                 None, id="publication-table-restored-on-a-recreated-table"),
    pytest.param(PUB_T + "create publication p for table t;",
                 PUB_T + "create publication p for table t; comment on publication p is 'cdc';",
                 None, id="publication-comment"),
]

ST = "create table t (a int, b int, c int);"
STATISTICS = [
    pytest.param(ST, ST + "create statistics s (ndistinct) on a, b from t;",
                 ["create statistics public.s"], id="statistics-created"),
    pytest.param(ST + "create statistics s (ndistinct) on a, b from t;",
                 ST + "create statistics s (ndistinct) on a, b from t;"
                 "alter statistics s set statistics 500;",
                 ["alter statistics public.s"], id="statistics-target-altered"),
    pytest.param(ST + "create statistics s (ndistinct) on a, b from t;",
                 ST + "create statistics s (dependencies, mcv) on a, b, c from t;",
                 ["drop statistics public.s", "create statistics public.s"],
                 id="statistics-definition-changed-recreated"),
    pytest.param(ST + "create statistics s on a, b from t;",
                 ST.replace("c int)", "c int) partition by range (a)")
                 + "create statistics s on a, b from t;",
                 ["drop table public.t", "create table public.t", "create statistics public.s"],
                 id="statistics-recreated-with-its-table"),
    pytest.param(ST + "create statistics s on a, b from t;",
                 ST + "create statistics s on a, b from t; comment on statistics s is 'ab';",
                 None, id="statistics-comment"),
]

PAIR = ("create type pair as (a int, b int);"
        "create function pair_text(pair) returns text language sql immutable"
        " as $$ select $1.a || ',' || $1.b $$;")
CASTS = [
    pytest.param(PAIR, PAIR + "create cast (pair as text) with function pair_text(pair);",
                 ["create cast (public.pair AS text)"], id="cast-created"),
    pytest.param(PAIR + "create cast (pair as text) with function pair_text(pair);",
                 PAIR + "create cast (pair as text) with function pair_text(pair) as implicit;",
                 ["drop cast (public.pair AS text)", "create cast (public.pair AS text)"],
                 id="cast-context-changed-recreated"),
    pytest.param(PAIR + "create cast (pair as text) with function pair_text(pair);",
                 PAIR + "create cast (pair as text) with inout as assignment;",
                 None, id="cast-method-changed-recreated"),
    pytest.param(
        PAIR + "create cast (pair as text) with function pair_text(pair);",
        PAIR.replace("pair_text(pair)", "pair_text(p pair)").replace("$1.", "p.")
        + "create cast (pair as text) with function pair_text(pair);",
        ["drop cast (public.pair AS text)", "drop function public.pair_text(public.pair)",
         "create function public.pair_text(p public.pair)", "create cast (public.pair AS text)"],
        id="cast-recreated-with-its-function"),
    pytest.param(PAIR + "create cast (pair as text) with function pair_text(pair);",
                 PAIR + "create cast (pair as text) with function pair_text(pair);"
                 "comment on cast (pair as text) is 'csv';",
                 None, id="cast-comment"),
]


DICT = ("create text search dictionary stem (template = snowball, language = 'english',"
        " stopwords = 'english');")
CFG = DICT + ("create text search configuration docs (copy = english);"
              "alter text search configuration docs alter mapping for asciiword with stem, simple;")
TEXT_SEARCH = [
    pytest.param("", CFG, None, id="text-search-dictionary-and-configuration-created"),
    pytest.param(CFG, CFG + "alter text search configuration docs"
                 " alter mapping for word with simple;"
                 "alter text search configuration docs drop mapping for email;",
                 ["alter text search configuration public.docs"] * 2,
                 id="text-search-mappings-altered"),
    pytest.param(CFG, CFG.replace("copy = english", "parser = default"), None,
                 id="text-search-configuration-mappings-all-dropped"),
    pytest.param(CFG, CFG.replace("stopwords = 'english'", "stopwords = 'russian'"), None,
                 id="text-search-configuration-recreated-with-its-dictionary"),
    pytest.param(
        "", "create text search template tmpl (init = dsimple_init, lexize = dsimple_lexize);"
        "create text search parser prs (start = prsd_start, gettoken = prsd_nexttoken,"
        " end = prsd_end, lextypes = prsd_lextype, headline = prsd_headline);"
        "create text search dictionary d (template = tmpl);"
        "create text search configuration c (parser = prs);"
        "alter text search configuration c add mapping for word with d;",
        None, id="text-search-template-and-parser-created"),
    pytest.param(CFG, CFG + "comment on text search configuration docs is 'docs';"
                 f"alter text search dictionary stem owner to {ROLE};",
                 None, id="text-search-comment-and-owner"),
]


EQ = ("create function same_len(text, text) returns boolean language sql immutable"
      " as $$ select length($1) = length($2) $$;"
      "create function diff_len(text, text) returns boolean language sql immutable"
      " as $$ select length($1) <> length($2) $$;")
OP = EQ + "create operator === (function = same_len, leftarg = text, rightarg = text);"
OPERATORS = [
    pytest.param(EQ, OP, ["create operator public.=== (text, text)"], id="operator-created"),
    pytest.param(EQ, EQ + "create operator === (function = same_len, leftarg = text,"
                 " rightarg = text, commutator = ===, negator = !==, hashes, merges);"
                 "create operator !== (function = diff_len, leftarg = text, rightarg = text,"
                 " commutator = !==, negator = ===);",
                 None, id="operator-pair-with-commutator-and-negator-created"),
    pytest.param(OP, OP.replace("rightarg = text", "rightarg = text, restrict = eqsel,"
                                " join = eqjoinsel"),
                 ["alter operator public.=== (text, text)"], id="operator-estimators-altered"),
    pytest.param(OP, OP.replace("rightarg = text", "rightarg = text, hashes"),
                 ["drop operator public.=== (text, text)",
                  "create operator public.=== (text, text)"],
                 id="operator-hashes-changed-recreated"),
    pytest.param("create function neg(int) returns int language sql immutable"
                 " as $$ select -$1 $$; create operator ~~~ (function = neg, rightarg = int);",
                 "", None, id="prefix-operator-dropped"),
    pytest.param(OP + "create view v as select 'a' === 'b' as same;",
                 OP.replace("length($1) = length($2)", "length($1) = length($2) or true")
                 .replace("same_len(text, text)", "same_len(a text, b text)")
                 + "create view v as select 'a' === 'b' as same;",
                 ["drop view public.v", "drop operator public.=== (text, text)",
                  "drop function public.same_len(text, text)",
                  "create function public.same_len(a text, b text)",
                  "create operator public.=== (text, text)", "create view public.v"],
                 id="operator-recreated-with-its-function"),
    pytest.param(OP, OP + "comment on operator === (text, text) is 'same length';"
                 f"alter operator === (text, text) owner to {ROLE};",
                 None, id="operator-comment-and-owner"),
]


# A case-insensitive btree class over text: a comparison function and five operators.
CI = ("create function ci_cmp(text, text) returns int language sql immutable"
      " as $$ select bttextcmp(lower($1), lower($2)) $$;"
      + "".join(f"create function ci_{n}(text, text) returns boolean language sql immutable"
                f" as $$ select lower($1) {op} lower($2) $$;"
                f"create operator {op}~ (function = ci_{n}, leftarg = text, rightarg = text);"
                for n, op in (("lt", "<"), ("le", "<="), ("eq", "="), ("ge", ">="), ("gt", ">"))))
CLS = CI + ("create operator class ci_ops for type text using btree as"
            " operator 1 <~, operator 2 <=~, operator 3 =~, operator 4 >=~, operator 5 >~,"
            " function 1 ci_cmp(text, text);")
OPERATOR_CLASSES = [
    pytest.param(CI, CLS, None, id="operator-class-created-with-its-family"),
    pytest.param(CLS, CLS.replace(", operator 5 >~", ""),
                 ["drop operator class public.ci_ops using btree",
                  "create operator class public.ci_ops using btree"],
                 id="operator-class-member-dropped-recreated"),
    pytest.param(CI + "create operator family fam using btree;",
                 CI + "create operator family fam using btree;"
                 "alter operator family fam using btree add operator 3 =~ (text, text),"
                 " function 1 (text, text) ci_cmp(text, text);",
                 ["alter operator family public.fam using btree"],
                 id="operator-family-members-added"),
    pytest.param(CI + "create operator family fam using hash;",
                 CI + "create operator family fam using btree;", None,
                 id="operator-family-method-changed"),
    pytest.param(CLS + "create table t (name text); create index t_ci on t (name ci_ops);",
                 CLS.replace("bttextcmp(lower($1), lower($2))", "bttextcmp(upper($1), upper($2))")
                 .replace("ci_cmp(text, text) returns", "ci_cmp(a text, b text) returns")
                 + "create table t (name text); create index t_ci on t (name ci_ops);",
                 None, id="operator-class-and-index-recreated-with-its-function"),
    pytest.param(CLS, CLS + "comment on operator class ci_ops using btree is 'ci';"
                 f"alter operator family ci_ops using btree owner to {ROLE};",
                 None, id="operator-class-comment-and-family-owner"),
]


KEYED = "create table t (id int not null, v text, n int); create unique index t_id on t (id);"
PK = "create table t (id int primary key, v text, n int);"

TABLE_SETTINGS = [
    pytest.param(KEYED, KEYED + "alter table t replica identity full;",
                 ["create replica identity of public.t"], id="replica-identity-full"),
    pytest.param(KEYED + "alter table t replica identity full;",
                 KEYED + "alter table t replica identity nothing;",
                 ["alter replica identity of public.t"], id="replica-identity-full-to-nothing"),
    pytest.param(KEYED, KEYED + "alter table t replica identity using index t_id;",
                 ["create replica identity of public.t"], id="replica-identity-using-an-index"),
    pytest.param(PK, PK + "alter table t replica identity using index t_pkey;",
                 ["create replica identity of public.t"], id="replica-identity-using-the-key"),
    pytest.param(KEYED + "alter table t replica identity using index t_id;",
                 KEYED.replace("(id)", "(id, n)").replace("n int)", "n int not null)")
                 + "alter table t replica identity using index t_id;",
                 None, id="replica-identity-index-recreated"),
    pytest.param("", KEYED + "alter table t replica identity using index t_id;",
                 ["create table public.t", "create index public.t_id",
                  "create replica identity of public.t"], id="replica-identity-new-table"),
    pytest.param(KEYED, KEYED + "alter table t alter column v set statistics 500,"
                 " alter column v set storage external, alter column v set compression pglz;",
                 ["create column settings public.t.v"] * 3, id="column-settings-set"),
    pytest.param(KEYED + "alter table t alter column v set statistics 500,"
                 " alter column n set statistics 100;",
                 KEYED + "alter table t alter column v set statistics 50,"
                 " alter column v set storage main;",
                 ["drop column settings public.t.n", "alter column settings public.t.v",
                  "alter column settings public.t.v"],
                 id="column-settings-changed-and-reset"),
    pytest.param("create table p (v text) partition by list (v);"
                 "create table p1 partition of p for values in ('a');",
                 "create table p (v text) partition by list (v);"
                 "create table p1 partition of p for values in ('a');"
                 "alter table p alter column v set storage external;",
                 ["create column settings public.p.v"], id="column-settings-reach-partitions"),
]


VIEWS = "create table t (a int, b int); create view v as select a, b from t;" \
        "create materialized view mv as select a from t;"

# A view's columns are no objects of their own: their grants are the view's.
VIEW_COLUMN_GRANTS = [
    pytest.param(VIEWS, VIEWS + f"grant select (a), update (b) on v to {ROLE};"
                 f"grant select (a) on mv to {ROLE};", None, id="view-column-grants"),
    pytest.param(VIEWS + f"grant select (a) on v to {ROLE};",
                 VIEWS + f"grant select (b) on v to {ROLE};", None,
                 id="view-column-grant-moved"),
]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    VIEW_COLUMN_GRANTS + AGGREGATES + COLLATIONS + OWNERS + EXTENSIONS + RULES + EVENT_TRIGGERS + PUBLICATIONS
    + STATISTICS + CASTS + TEXT_SEARCH + OPERATORS + OPERATOR_CLASSES + TABLE_SETTINGS,
)
def test_kind_converges(
    make_db: Callable[[], str], old: str, new: str, expected: list[str] | None
) -> None:
    """Both directions converge; where given, the forward plan is exactly `expected`."""
    both_ways(make_db, old, new, expected)


def test_a_view_column_grant_is_planned_on_the_view(make_db: Callable[[], str]) -> None:
    forward = both_ways(make_db, VIEWS, VIEWS + f"grant select (a) on v to {ROLE};")
    assert [step.sql for step in forward.plan.steps] == [
        f"GRANT SELECT (a) ON TABLE public.v TO {ROLE}"]


def test_table_column_grants_are_planned_on_their_columns(make_db: Callable[[], str]) -> None:
    """A table's column grants (read with the columns, not by privileges.sql): to a role,
    with grant option, and to PUBLIC, on a quoted column; a partition's own."""
    old = ('create table t (id int, "Odd Col" text); '
           "create table p (k int, v text) partition by range (k); "
           "create table p1 partition of p for values from (0) to (10);")
    new = old + (f'grant select (id, "Odd Col") on t to {ROLE}; '
                 f'grant update ("Odd Col") on t to {OTHER_ROLE} with grant option; '
                 "grant insert (id) on t to public; "
                 f"grant references (v) on p1 to {ROLE};")
    forward = both_ways(make_db, old, new)
    assert sorted(step.sql for step in forward.plan.steps) == sorted([
        f"GRANT SELECT (id) ON TABLE public.t TO {ROLE}",
        f'GRANT SELECT ("Odd Col") ON TABLE public.t TO {ROLE}',
        f'GRANT UPDATE ("Odd Col") ON TABLE public.t TO {OTHER_ROLE} WITH GRANT OPTION',
        "GRANT INSERT (id) ON TABLE public.t TO PUBLIC",
        f"GRANT REFERENCES (v) ON TABLE public.p1 TO {ROLE}",
    ])


def test_forced_aggregate_names_its_cause(make_db: Callable[[], str]) -> None:
    """An aggregate whose state function is recreated follows it, and says why."""
    old = ("create function add_n(a numeric, b numeric) returns numeric language sql"
           " as $$ select a + b $$; create aggregate total(numeric) (sfunc = add_n, stype = numeric);")
    new = old.replace("a numeric, b numeric", "x numeric, y numeric").replace("a + b", "x + y")
    plan = both_ways(make_db, old, new).plan
    forced = {s.object_key: s.forced_by for s in plan.steps}
    assert forced["aggregate:public.total(numeric)"] == \
        "function:public.add_n(a numeric, b numeric)"


def test_text_search_configuration_follows_its_dictionary(make_db: Callable[[], str]) -> None:
    """A dictionary recreated takes the configuration using it along, and says why."""
    plan = both_ways(make_db, CFG, CFG.replace("'english');", "'russian');", 1)).plan
    assert summary(plan)[:4] == [
        "drop text search configuration public.docs", "drop text search dictionary public.stem",
        "create text search dictionary public.stem", "create text search configuration public.docs"]
    forced = {s.object_key: s.forced_by for s in plan.steps}
    assert forced["text_search_configuration:public.docs"] == "text_search_dictionary:public.stem"


def test_extension_downgrade_warns_of_data_loss(make_db: Callable[[], str]) -> None:
    """With no update path back, the extension is dropped (a data-loss hazard) and created."""
    plan = both_ways(make_db, "create extension pg_trgm version '1.5';",
                     "create extension pg_trgm version '1.4';").plan
    assert plan.steps[0].sql == "DROP EXTENSION pg_trgm"
    assert plan.steps[0].hazards == ["data_loss"]


def test_owner_is_the_connecting_role_by_default(make_db: Callable[[], str]) -> None:
    """Objects owned by the role pgmt connects as carry no owner step; others do."""
    plan = both_ways(make_db, "create table t (id int);",
                     f"create table t (id int); alter table t owner to {ROLE};").plan
    assert [s.sql for s in plan.steps] == [f"ALTER TABLE public.t OWNER TO {ROLE}"]


def test_security_labels_need_a_provider_none_loads_here(make_db: Callable[[], str]) -> None:
    """pg_seclabel is read, but no label provider can be loaded on the test servers
    (sepgsql needs SELinux; dummy_seclabel is not packaged): labels are tested in Rust."""
    with connect(make_db(), autocommit=True) as conn:
        conn.execute("create table t (a int)")
        with pytest.raises(Exception, match="no security label providers have been loaded"):
            conn.execute("security label on table t is 'x'")
