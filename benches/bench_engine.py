"""Engine benchmark: pgmt against migra on one synthetic schema, and the Rust core at scale.

    python benches/bench_engine.py [--tables N] [--bindir DIR]

Three measurements, all in one run so that their ratios share the machine's mood:

1. A synthetic schema of N tables (default 1000) and a variant with ~5% of its objects
   changed are loaded into two databases of a throwaway local cluster (setup, not timed).
2. pgmt (connect + `read_snapshot` x2 + `make_plan`) is timed against migra's Python API on
   the same pair of databases, each migra run right after a pgmt run, and the ratio is the
   median of those pairs' quotients; the Rust diff + order alone (`_core.plan` on bytes
   encoded once) is timed too. Target: pgmt takes at most 1/5 of migra's time.
3. `_core.plan` on synthetic 10,000-table snapshots built in Python, no database, with
   the core's own timing of its stages. Target: diff + order under 100 ms.

Every figure is the median of several runs. Figures go to stdout, progress to stderr.
See benches/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pgmt import _core
from pgmt.catalog import model as m
from pgmt.catalog.reader import read_snapshot
from pgmt.engine import apply_plan, make_plan, prepare
from pgmt.engine.equivalence import reconcile
from pgmt.postgres import Cluster, connect, create_database, drop_database

SCHEMAS = ("app", "billing", "inventory", "audit")
FULL_RATIO_TARGET = 5.0  # pgmt must be at least this many times faster than migra
CORE_TARGET_S = 0.100  # the core's diff + order on 10,000 tables
PGMT_RUNS_PER_PAIR = 3  # pgmt's side of each (pgmt, migra) pair: the median of this many runs


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def backend_cpu_seconds(pid: int) -> float:
    """User + system CPU a local server backend has used so far (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def median_time(fn: Callable[[], Any], repeat: int, warmup: int = 1) -> tuple[float, Any]:
    """The median wall time of `repeat` calls (after `warmup` untimed ones), and the last
    result."""
    result = None
    for _ in range(warmup):
        result = fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


# -- 1. the SQL schema -------------------------------------------------------------------
#
# Table i is `<schema>.t<i>`; what it carries and how the variant changes it are decided by
# i modulo small numbers, so the mix of objects is the same at every N.


def _table(i: int) -> str:
    return f"{SCHEMAS[i % len(SCHEMAS)]}.t{i:05d}"


def _dropped(i: int) -> bool:
    """Tables the variant drops: nothing else references them."""
    return i % 100 == 5


def _parent(i: int) -> int | None:
    """The table t<i> has a foreign key to: an earlier one, never a dropped one."""
    if i < 2:
        return None
    j = max(0, i - 1 - (i * 7) % 13)
    while _dropped(j):
        j -= 1
    return j


def schema_sql(n: int, variant: bool) -> str:
    """DDL for the base schema (`variant=False`) or its changed variant."""
    out = [f"CREATE SCHEMA {s};" for s in SCHEMAS]
    labels = ["active", "inactive", "pending", "archived"] + (["suspended"] if variant else [])
    out.append(f"CREATE TYPE app.status AS ENUM ({', '.join(repr(x) for x in labels)});")
    out.append("CREATE TYPE billing.currency AS ENUM ('EUR', 'USD', 'GBP');")
    out.append("""
CREATE FUNCTION audit.touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION audit.touch_updated_at() IS 'Keeps updated_at current';""")
    if variant:
        out.append("CREATE FUNCTION audit.clamp(x numeric, lo numeric, hi numeric) "
                   "RETURNS numeric LANGUAGE sql IMMUTABLE "
                   "AS $$ SELECT least(greatest(x, lo), hi) $$;")
    for i in range(n):
        if not (variant and _dropped(i)):
            out.append(_table_sql(i, variant))
    if variant:
        for k in range(max(1, n // 100)):
            out.append(_new_table_sql(n, k))
    return "\n".join(out)


def _table_sql(i: int, variant: bool) -> str:
    t = _table(i)
    short = t.split(".")[1]
    change = i % 20 if variant else -1
    parent = _parent(i)
    code_type = "varchar(40)" if change == 8 else "varchar(20)"
    code_default = "'n/a'" if change == 3 else "''"
    amount_default = "1" if change == 3 else "0"
    check = "amount >= 0 AND amount < 1000000000" if change == 6 else "amount >= 0"
    cols = [
        "id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
        f"code {code_type} NOT NULL DEFAULT {code_default}",
        "name text NOT NULL",
        "status app.status NOT NULL DEFAULT 'active'",
        f"amount numeric(12,2) NOT NULL DEFAULT {amount_default} "
        f"CONSTRAINT {short}_amount_check CHECK ({check})",
        "currency billing.currency NOT NULL DEFAULT 'EUR'",
    ]
    if parent is not None:
        cols.append(f"parent_id bigint REFERENCES {_table(parent)} (id) ON DELETE CASCADE")
    if change != 2:
        cols.append("flags jsonb NOT NULL DEFAULT '{}'")
    cols += [
        "created_at timestamptz NOT NULL DEFAULT now()",
        "updated_at timestamptz" + (" NOT NULL DEFAULT now()" if change == 10 else ""),
    ]
    if change == 1:
        cols.append("note text")
    if i % 2 == 0:
        cols.append(f"CONSTRAINT {short}_code_key UNIQUE (code)")
    out = [f"CREATE TABLE {t} (\n    " + ",\n    ".join(cols) + "\n);"]
    comment = f"Rows of kind {i}" + (", revised" if change == 7 else "")
    out.append(f"COMMENT ON TABLE {t} IS '{comment}';")
    out.append(f"COMMENT ON COLUMN {t}.code IS 'External reference';")
    if change != 9:
        out.append(f"CREATE INDEX {short}_created_idx ON {t} (created_at);")
    if parent is not None:
        out.append(f"CREATE INDEX {short}_parent_idx ON {t} (parent_id);")
    if change == 4:
        out.append(f"CREATE INDEX {short}_status_created_idx ON {t} (status, created_at DESC);")
    if i % 5 == 0 or change == 13:
        out.append(f"CREATE TRIGGER {short}_touch BEFORE UPDATE ON {t} "
                   "FOR EACH ROW EXECUTE FUNCTION audit.touch_updated_at();")
    if i % 25 == 0:
        using = "status <> 'archived'" + (" AND amount > 0" if variant and i % 50 == 0 else "")
        out.append(f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY;")
        out.append(f"CREATE POLICY {short}_visible ON {t} FOR SELECT USING ({using});")
        out.append(f"CREATE POLICY {short}_write ON {t} FOR INSERT WITH CHECK (amount >= 0);")
    if i % 10 == 0:
        out.append(_views_sql(i, t, parent, change == 0))
    if i % 10 == 5:
        out.append(_functions_sql(t, parent, change == 15))
    return "\n".join(out)


def _views_sql(i: int, t: str, parent: int | None, changed: bool) -> str:
    schema, short = t.split(".")
    extra = ",\n       t.created_at" if changed else ""
    if parent is None:
        body = f"SELECT t.id, t.code, t.status, t.amount, NULL::text AS parent_name{extra}\n" \
               f"  FROM {t} t"
    else:
        body = f"SELECT t.id, t.code, t.status, t.amount, p.name AS parent_name{extra}\n" \
               f"  FROM {t} t LEFT JOIN {_table(parent)} p ON p.id = t.parent_id"
    v = f"{schema}.v_{short}"
    out = [f"CREATE VIEW {v} AS\n{body};"]
    if i % 30 == 0:  # a view on the view, and every third of those a third level
        out.append(f"CREATE VIEW {v}_active AS\nSELECT id, code, amount, parent_name "
                   f"FROM {v} WHERE status = 'active';")
        if i % 90 == 0:
            out.append(f"CREATE VIEW {v}_summary AS\nSELECT count(*) AS n, sum(amount) AS total "
                       f"FROM {v}_active;")
            out.append(f"COMMENT ON VIEW {v}_summary IS 'Totals of active rows';")
    return "\n".join(out)


def _functions_sql(t: str, parent: int | None, changed: bool) -> str:
    schema, short = t.split(".")
    where = "parent_id = p_key" if parent is not None else "id = p_key"
    total = "coalesce(sum(amount), 0)" if not changed else "coalesce(sum(amount), 0)::numeric(14,2)"
    bump = ("UPDATE {t} SET amount = amount + p_by WHERE id = p_id;" if not changed else
            "IF p_by < 0 THEN\n        RAISE EXCEPTION 'negative bump %', p_by;\n    END IF;\n"
            "    UPDATE {t} SET amount = amount + p_by WHERE id = p_id;").format(t=t)
    return f"""
CREATE FUNCTION {schema}.{short}_total(p_key bigint) RETURNS numeric
    LANGUAGE sql STABLE AS $$ SELECT {total} FROM {t} WHERE {where} $$;
CREATE FUNCTION {schema}.{short}_bump(p_id bigint, p_by numeric) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    {bump}
END
$$;"""


def _new_table_sql(n: int, k: int) -> str:
    t = f"app.extra_{k:04d}"
    ref = _parent(n - 1 - k) or 0
    return f"""CREATE TABLE {t} (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ref_id bigint NOT NULL REFERENCES {_table(ref)} (id),
    label text NOT NULL CHECK (label <> ''),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX extra_{k:04d}_ref_idx ON {t} (ref_id);"""


def changed_fraction(a: m.Snapshot, b: m.Snapshot) -> tuple[int, int, int, int]:
    """(objects in a, added, removed, changed) by key."""
    left = {o.key: o for o in a.objects}
    right = {o.key: o for o in b.objects}
    added = len(right.keys() - left.keys())
    removed = len(left.keys() - right.keys())
    changed = sum(1 for k in left.keys() & right.keys() if left[k].spec != right[k].spec)
    return len(left), added, removed, changed


# -- 3. synthetic snapshots, no database -------------------------------------------------


_IDENTITY = m.Identity("ALWAYS", 1, 1, 1, 9223372036854775807, 1, False)


def synthetic_snapshot(n: int, variant: bool) -> m.Snapshot:
    """A snapshot as `read_snapshot` would give for n tables: columns, defaults, PK, FK, an
    index, a view per 10 tables; the variant changes ~5% of objects and drops 1% of tables."""
    objs: list[m.Object] = []

    def add(key: str, spec: m.Spec, deps: list[str], owner: str | None = None) -> None:
        objs.append(m.Object(key, owner, tuple(sorted(deps)), spec))

    for s in SCHEMAS:
        add(f"schema:{s}", m.Schema(s), [])
    add("type:app.status", m.Enum("app.status", ["active", "inactive"]
                                  + (["suspended"] if variant else [])), ["schema:app"])
    for i in range(n):
        if variant and _dropped(i):
            continue
        change = i % 20 if variant else -1
        t = _table(i)
        schema, short = t.split(".")
        tk = f"table:{t}"
        add(tk, m.Table(t, False, None, None, None, [], [], False, False), [f"schema:{schema}"])
        cols: list[tuple[str, str, bool]] = [("id", "bigint", True), ("name", "text", True),
                                             ("status", "app.status", True),
                                             ("amount", "numeric(12,2)", True)]
        parent = _parent(i)
        if parent is not None:
            cols.append(("parent_id", "bigint", False))
        cols.append(("created_at", "timestamp with time zone", True))
        if change == 1:
            cols.append(("note", "text", False))
        if change == 8:
            cols[1] = ("name", "character varying(200)", True)
        for pos, (name, data_type, not_null) in enumerate(cols, 1):
            ck = f"column:{t}.{name}"
            deps = [tk] + (["type:app.status"] if data_type == "app.status" else [])
            add(ck, m.Column(t, name, data_type, not_null, None,
                             _IDENTITY if name == "id" else None, None, pos, False), deps, tk)
        defaults = {"status": "'active'::app.status", "amount": "1" if change == 3 else "0",
                    "created_at": "now()"}
        for name, expr in defaults.items():
            ck = f"column:{t}.{name}"
            add(f"default:{t}.{name}", m.Default(t, name, expr), [ck], ck)
        pk = f"constraint:{t}.{short}_pkey"
        add(pk, m.Constraint(t, f"{short}_pkey", "p", "PRIMARY KEY (id)"),
            [f"column:{t}.id", tk], tk)
        check = "CHECK ((amount >= (0)::numeric))" if change != 6 else \
            "CHECK (((amount >= (0)::numeric) AND (amount < (1000000000)::numeric)))"
        add(f"constraint:{t}.{short}_amount_check",
            m.Constraint(t, f"{short}_amount_check", "c", check), [f"column:{t}.amount", tk], tk)
        if parent is not None:
            p = _table(parent)
            pshort = p.split(".")[1]
            add(f"constraint:{t}.{short}_parent_id_fkey",
                m.Constraint(t, f"{short}_parent_id_fkey", "f",
                             f"FOREIGN KEY (parent_id) REFERENCES {p}(id)"),
                [f"column:{p}.id", f"column:{t}.parent_id", f"constraint:{p}.{pshort}_pkey", tk],
                tk)
        if change != 9:
            idx = f"{schema}.{short}_created_idx"
            add(f"index:{idx}", m.Index(t, idx, f"CREATE INDEX {short}_created_idx ON {t} "
                                                f"USING btree (created_at)"),
                [f"column:{t}.created_at", tk], tk)
        if change == 4:
            idx = f"{schema}.{short}_status_idx"
            add(f"index:{idx}", m.Index(t, idx, f"CREATE INDEX {short}_status_idx ON {t} "
                                                f"USING btree (status)"),
                [f"column:{t}.status", tk], tk)
        if i % 10 == 0:
            v = f"{schema}.v_{short}"
            extra = ",\n    t.created_at" if change == 0 else ""
            add(f"view:{v}", m.View(v, f" SELECT t.id,\n    t.name,\n    t.amount{extra}\n"
                                       f"   FROM {t} t", [],
                                    ["id bigint", "name text", "amount numeric(12,2)"]
                                    + (["created_at timestamp with time zone"] if extra else [])),
                [f"column:{t}.id", f"column:{t}.name", f"column:{t}.amount", f"schema:{schema}"]
                + ([f"column:{t}.created_at"] if extra else []))
            if i % 30 == 0:
                add(f"view:{v}_big", m.View(f"{v}_big", f" SELECT id,\n    name\n   FROM {v}\n"
                                                        f"  WHERE (amount > (100)::numeric)", [],
                                            ["id bigint", "name text"]),
                    [f"schema:{schema}", f"view:{v}"])
        if change == 7:
            add(f"comment:{tk}", m.Comment(tk, f"table {i}"), [tk], tk)
    objs.sort(key=lambda o: o.key)
    return m.Snapshot(server_version=180000, objects=objs)


# -- the cluster -------------------------------------------------------------------------


@contextlib.contextmanager
def local_cluster(bindir: str | None) -> Iterator[Cluster]:
    """A cluster in a fresh project dir the server's user can enter (0755, as the tests do)."""
    project = Path(tempfile.mkdtemp(prefix="pgmt-bench-"))
    project.chmod(0o755)
    cluster = Cluster(project, bindir)
    try:
        cluster.start()
        yield cluster
    finally:
        try:
            cluster.stop()
        finally:
            # The server may still be writing its last stats file as it exits: retry once.
            shutil.rmtree(project, ignore_errors=True)
            if project.exists():
                time.sleep(1)
                shutil.rmtree(project, ignore_errors=True)


def load(url: str, ddl: str) -> None:
    with connect(url, autocommit=True) as conn:
        conn.execute(ddl.encode(), prepare=False)


def settle(url: str) -> None:
    """Vacuum and analyze a freshly loaded database, as autovacuum soon would: else an
    autovacuum worker may start on the catalogs (tens of thousands of new rows) in the
    middle of the timings, and the planner plans catalog queries with initdb's sizes."""
    with connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


# -- migra -------------------------------------------------------------------------------


@dataclass
class MigraRun:
    seconds: float | None
    statements: int | None
    error: str | None
    driver: str | None = None
    paired_ratio: float | None = None  # median of migra / pgmt over runs taken in pairs


def migra_available() -> str | None:
    """None if migra imports, else why not."""
    try:
        import migra  # noqa: F401
        import sqlbag  # noqa: F401
    except ImportError as error:
        hint = " (pip install setuptools: schemainspect needs pkg_resources)" \
            if "pkg_resources" in str(error) else " (pip install -e '.[bench]')"
        return f"{error}{hint}"
    return None


def time_migra(url_a: str, url_b: str, repeat: int, pgmt_run: Callable[[], Any]) -> MigraRun:
    """migra's median time, and the median of the quotients migra / pgmt over runs taken in
    pairs (`pgmt_run` right before each migra run), so that the machine's drift from one
    minute to the next moves both sides of each quotient alike. pgmt's side of a pair is the
    median of PGMT_RUNS_PER_PAIR runs: one pgmt run is short enough for a single hiccup of the
    machine to add a quarter to it, which migra's runs, five times longer, average out."""
    why = migra_available()
    if why:
        return MigraRun(None, None, why)
    from migra import Migration
    from sqlbag import S

    # SQLAlchemy 2.1 reaches `postgresql://` through psycopg 3; older ones want psycopg2,
    # which migra[pg] brings. Name psycopg 3 when psycopg2 is missing, so both work.
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        url_a, url_b = (u.replace("postgresql://", "postgresql+psycopg://", 1)
                        for u in (url_a, url_b))
    driver: list[str] = []

    def run() -> int:
        with S(url_a) as a, S(url_b) as b:
            driver[:] = [a.bind.dialect.driver]
            migration = Migration(a, b)
            migration.set_safety(False)
            migration.add_all_changes()
            sql = migration.sql
            return sum(1 for s in migration.statements if s.strip()) if sql else 0

    try:
        statements = run()  # warm-up, untimed
        times, quotients = [], []
        for _ in range(repeat):
            gc.collect()
            pgmt_seconds, _ = median_time(pgmt_run, PGMT_RUNS_PER_PAIR, warmup=0)
            gc.collect()
            seconds, statements = median_time(run, 1, warmup=0)
            times.append(seconds)
            quotients.append(seconds / pgmt_seconds)
            log(f"  pair: pgmt {fmt_s(pgmt_seconds)} (median of {PGMT_RUNS_PER_PAIR}), "
                f"migra {fmt_s(seconds)}")
    except Exception as error:
        log(traceback.format_exc())
        return MigraRun(None, None, f"{type(error).__name__}: {str(error).splitlines()[0]}")
    return MigraRun(statistics.median(times), statements, None, driver[0] if driver else None,
                    statistics.median(quotients))


# -- the run -----------------------------------------------------------------------------


def fmt_s(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds * 1000:,.1f} ms" if seconds < 1 else f"{seconds:,.2f} s"


def table(rows: list[tuple[str, str]]) -> str:
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"  {k.ljust(width)}  {v}" for k, v in rows)


def core_build() -> str:
    """'debug' if the extension carries DWARF sections (as `maturin develop` builds do
    without --release), else 'release'; read from the ELF section names."""
    try:
        data = Path(_core.__file__ or "").read_bytes()
        shoff = int.from_bytes(data[0x28:0x30], "little")
        shentsize, shnum, shstrndx = (int.from_bytes(data[o:o + 2], "little")
                                      for o in (0x3A, 0x3C, 0x3E))
        strtab_header = shoff + shstrndx * shentsize
        strtab = int.from_bytes(data[strtab_header + 0x18:strtab_header + 0x20], "little")
        names = set()
        for k in range(shnum):
            name_at = strtab + int.from_bytes(data[shoff + k * shentsize:][:4], "little")
            names.add(data[name_at:data.index(b"\0", name_at)])
    except (OSError, ValueError, IndexError):
        return "unknown"
    return "debug (!)" if b".debug_info" in names else "release"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tables", type=int, default=1000, help="tables in the SQL schema")
    parser.add_argument("--bindir", help="PostgreSQL binaries (default: the embedded PG18)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of pgmt (median)")
    parser.add_argument("--migra-repeat", type=int, default=5,
                        help="timed runs of migra, each paired with pgmt runs")
    parser.add_argument("--core-tables", type=int, default=10_000,
                        help="tables in the database-free snapshots")
    parser.add_argument("--core-repeat", type=int, default=7, help="timed runs of _core.plan")
    parser.add_argument("--no-migra", action="store_true", help="skip migra")
    parser.add_argument("--no-verify", action="store_true",
                        help="skip applying pgmt's plan to check it (untimed)")
    args = parser.parse_args(argv)

    results: dict[str, Any] = {}
    with local_cluster(args.bindir) as cluster:
        admin = cluster.url()
        log(f"PostgreSQL {cluster.binaries.version} in {cluster.project_dir}")
        names = {"a": "bench_source", "b": "bench_target"}
        urls = {}
        for key, name in names.items():
            drop_database(admin, name)
            urls[key] = create_database(admin, name)
        start = time.perf_counter()
        load(urls["a"], schema_sql(args.tables, variant=False))
        load(urls["b"], schema_sql(args.tables, variant=True))
        for url in urls.values():
            settle(url)
        log(f"loaded {args.tables} tables twice in {time.perf_counter() - start:.1f} s")

        server_cpu: list[float] = []

        def read(url: str) -> m.Snapshot:
            with connect(url) as conn:
                snapshot = read_snapshot(conn)
                server_cpu.append(backend_cpu_seconds(conn.info.backend_pid))
                return snapshot

        def pgmt_full() -> Any:
            # As `pgmt diff` does: both databases are read at once, and each is handed to
            # the core as soon as it is read.
            with ThreadPoolExecutor(max_workers=2) as pool:
                before = pool.submit(lambda: prepare(read(urls["a"])))
                after = prepare(read(urls["b"]))
                return make_plan(before.result(), after)

        log("timing pgmt...")
        results["full"], plan = median_time(pgmt_full, args.repeat)
        # Where the CPU goes in one whole run: this process (every thread) and the two
        # server backends. With fewer cores than busy threads, the sum bounds the wall time.
        server_cpu.clear()
        process_start = time.process_time()
        pgmt_full()
        results["cpu_python"] = time.process_time() - process_start
        results["cpu_server"] = sum(server_cpu)
        results["read"], snap_a = median_time(lambda: read(urls["a"]), args.repeat)
        with connect(urls["b"]) as conn:
            snap_b = read_snapshot(conn)
        results["make_plan"], _ = median_time(lambda: make_plan(snap_a, snap_b), args.repeat)
        enc_a, enc_b = m.encode(snap_a), m.encode(snap_b)
        results["core"], _ = median_time(lambda: _core.plan(enc_a, enc_b), args.repeat)
        # Not part of the target, shown beside it: `pgmt diff` with a live source also asks
        # that server how it reads each changed definition back (pgmt.engine.equivalence).
        with connect(urls["a"], autocommit=True) as conn:
            results["reconcile"], _ = median_time(lambda: reconcile(conn, snap_a, snap_b),
                                                  args.repeat)
        total, added, removed, changed = changed_fraction(snap_a, snap_b)
        results["objects"] = (total, added, removed, changed)
        results["steps"] = len(plan.steps)

        # Before migra: its connection pool keeps sessions open, and a database with
        # sessions cannot be a template.
        verified = "skipped"
        if not args.no_verify:
            log("checking pgmt's plan (apply to a copy of the source, plan again)...")
            verified = verify(admin, urls, plan)

        if args.no_migra:
            migra = MigraRun(None, None, "skipped (--no-migra)")
        else:
            log("timing migra...")
            migra = time_migra(urls["a"], urls["b"], args.migra_repeat, pgmt_full)
            if migra.error:
                log(f"migra did not run: {migra.error}")

        for name in names.values():
            drop_database(admin, name)
        version = cluster.binaries.version

    log(f"building {args.core_tables}-table snapshots in Python...")
    gc.disable()  # 280,000 tracked structs: collections would cost more than the build
    big_a = synthetic_snapshot(args.core_tables, variant=False)
    big_b = synthetic_snapshot(args.core_tables, variant=True)
    gc.enable()
    big_enc_a, big_enc_b = m.encode(big_a), m.encode(big_b)
    log("timing _core.plan at scale...")
    results["big"], big_plan = median_time(lambda: _core.plan(big_enc_a, big_enc_b),
                                           args.core_repeat)
    # Where the time goes, as the core itself measures its stages.
    stages: dict[str, list[float]] = {}
    for _ in range(args.core_repeat):
        for stage, seconds in _core.plan_timed(big_enc_a, big_enc_b)[1]:
            stages.setdefault(stage, []).append(seconds)
    results["big_stages"] = {k: statistics.median(v) for k, v in stages.items()}
    big_steps = len(msgspec_plan_steps(big_plan))
    big_objects = changed_fraction(big_a, big_b)
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    total, added, removed, changed = results["objects"]
    ratio = migra.paired_ratio
    print(f"\npgmt engine benchmark - PostgreSQL {version}, pgmt._core {_core.__version__} "
          f"({core_build()} build), Python {sys.version.split()[0]}")
    print(f"medians of {args.repeat} runs (pgmt), {args.migra_repeat} (migra), "
          f"{args.core_repeat} (core at scale)\n")
    print(f"Schema: {args.tables} tables -> {total:,} catalog objects; the variant adds "
          f"{added}, removes {removed}, changes {changed} "
          f"({(added + removed + changed) / total:.1%})")
    print(table([
        ("pgmt full (connect, read x2 at once, diff, order)", fmt_s(results["full"])),
        ("  read_snapshot, one database", fmt_s(results["read"])),
        ("  make_plan (encode, core, decode)", fmt_s(results["make_plan"])),
        ("  _core.plan alone (diff + order)", fmt_s(results["core"])),
        ("  then, with a live source: reconcile (not timed above)",
         fmt_s(results["reconcile"])),
        ("  CPU, one run: this process / two backends",
         f"{fmt_s(results['cpu_python'])} / {fmt_s(results['cpu_server'])} "
         f"on {os.cpu_count()} cores"),
        ("migra (connect, inspect x2, diff)",
         fmt_s(migra.seconds) if migra.seconds is not None else f"did not run: {migra.error}"),
        ("migra / pgmt (median over runs taken in pairs)", f"{ratio:.1f}x" if ratio else "-"),
        ("plan steps: pgmt", str(results["steps"])),
        ("plan statements: migra", str(migra.statements) if migra.statements is not None
         else "-"),
        ("pgmt plan applied + re-plan empty", verified),
    ]))
    if migra.driver:
        print(f"  (migra through SQLAlchemy driver {migra.driver})")
    big_total, big_added, big_removed, big_changed = big_objects
    print(f"\nCore at scale: {args.core_tables:,} tables -> {big_total:,} objects "
          f"({len(big_enc_a) / 1e6:.1f} MB encoded); the variant adds {big_added}, "
          f"removes {big_removed}, changes {big_changed}")
    print(table([
        ("_core.plan (decode, hash, diff, order, encode)", fmt_s(results["big"])),
        ("  decode + hash of both inputs", fmt_s(results["big_stages"]["decode_and_hash"])),
        ("  diff + order", fmt_s(results["big_stages"]["diff_and_order"])),
        ("  encode the plan", fmt_s(results["big_stages"]["encode"])),
        ("plan steps", str(big_steps)),
        ("peak RSS of this process", f"{peak_rss_mb:,.0f} MB"),
    ]))

    full_ok = ratio is not None and ratio >= FULL_RATIO_TARGET
    core_ok = results["big_stages"]["diff_and_order"] < CORE_TARGET_S
    print("\nSummary")
    print(table([
        (f"pgmt <= 1/{FULL_RATIO_TARGET:g} of migra ({args.tables} tables)",
         ("PASS" if full_ok else "MISS") + (f"  ({ratio:.1f}x faster)" if ratio else
                                            "  (migra did not run)")),
        (f"diff + order < {CORE_TARGET_S * 1000:.0f} ms ({args.core_tables:,} tables)",
         ("PASS" if core_ok else "MISS")
         + f"  ({fmt_s(results['big_stages']['diff_and_order'])})"),
    ]))
    return 0


def msgspec_plan_steps(encoded: bytes) -> list[Any]:
    from pgmt.engine.plan import _plan_decoder

    return _plan_decoder.decode(encoded).steps


def verify(admin: str, urls: dict[str, str], plan: Any) -> str:
    """Apply the plan to a copy of the source and plan again: the answer is 'yes' if
    nothing is left to do."""
    copy = "bench_source_copy"
    drop_database(admin, copy)
    url = create_database(admin, copy, template="bench_source")
    try:
        with connect(url) as conn:
            apply_plan(conn, plan)
        with connect(url) as ca, connect(urls["b"]) as cb:
            again = make_plan(read_snapshot(ca), read_snapshot(cb))
        return "yes" if again.empty else f"no: {len(again.steps)} steps left " \
            f"(first: {again.steps[0].sql.splitlines()[0][:60]})"
    except Exception as error:
        return f"no: {type(error).__name__}: {str(error).splitlines()[0][:100]}"
    finally:
        drop_database(admin, copy)


if __name__ == "__main__":
    sys.exit(main())
