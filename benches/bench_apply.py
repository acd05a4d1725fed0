"""The development loop's speed: a saved edit to the dev database updated, on 1,000 tables.

    python benches/bench_apply.py [--tables N] [--repeats R] [--bindir DIR]

A project of N tables (one schema file each, with an FK to the previous table, a CHECK,
defaults, an index, a comment and `-- require:` headers; plus views, a function and
triggers) in a throwaway local cluster. Four figures:

- floor: `psql -f` loading the same schema (all files concatenated) into an empty database;
- edit: `pgmt apply --watch` running, one table file saved with a new column, until the
  column is visible in the dev database (polled every 5 ms);
- no-op: a whole `pgmt apply` process (Python start-up included) with nothing to do: the
  files are as at the last build, so the shadow snapshot cached in `.pgmt/` is used;
- edit, one run (no target, for information): one table file saved with a new column, then
  a whole `pgmt apply` process, which builds the shadow since the files changed.

Targets: edit and no-op each at most 1.5x the floor. The machine may be shared, so a floor
is measured right before each timed run and each run is divided by its own floor; a ratio
is the median of R such quotients, a time the median of R runs. Figures to stdout, progress
to stderr.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pgmt.postgres import Cluster, connect, create_database, drop_database

TARGET_RATIO = 1.5
SCHEMAS = ("public", "billing", "inventory", "audit")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def make_project(root: Path, tables: int) -> Path:
    schema = root / "schema"
    (schema / "tables").mkdir(parents=True)
    (schema / "views").mkdir()
    (schema / "functions").mkdir()
    (schema / "schemas.sql").write_text(
        "".join(f"CREATE SCHEMA {s};\n" for s in SCHEMAS if s != "public")
        + "CREATE TYPE public.status AS ENUM ('new', 'active', 'closed');\n")
    (schema / "functions" / "touch.sql").write_text(
        "CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        "BEGIN NEW.updated_at := now(); RETURN NEW; END $$;\n")
    for i in range(tables):
        s = SCHEMAS[i % len(SCHEMAS)]
        parent = f"{SCHEMAS[(i - 1) % len(SCHEMAS)]}.t{i - 1}" if i else None
        fk = f",\n    parent_id bigint REFERENCES {parent} (id)" if parent else ""
        # Headers as `pgmt init` writes them; without them the files still build, but the
        # FK chain makes the retrying builder go round about once per table.
        requires = ["schemas.sql", "functions/touch.sql"]
        if parent:
            requires.append(f"tables/{parent}.sql")
        text = (
            f"-- require: {', '.join(requires)}\n"
            f"CREATE TABLE {s}.t{i} (\n"
            "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
            "    name text NOT NULL,\n"
            "    amount numeric(12, 2) NOT NULL DEFAULT 0 CHECK (amount >= 0),\n"
            "    status public.status NOT NULL DEFAULT 'new',\n"
            "    updated_at timestamptz NOT NULL DEFAULT now()"
            f"{fk}\n);\n"
            f"CREATE INDEX t{i}_name_idx ON {s}.t{i} (name);\n"
            f"COMMENT ON TABLE {s}.t{i} IS 'table {i}';\n"
        )
        if i % 10 == 0:
            text += (f"CREATE TRIGGER t{i}_touch BEFORE UPDATE ON {s}.t{i}\n"
                     "    FOR EACH ROW EXECUTE FUNCTION public.touch();\n")
        (schema / "tables" / f"{s}.t{i}.sql").write_text(text)
        if i % 10 == 0:
            (schema / "views" / f"{s}.v{i}.sql").write_text(
                f"-- require: tables/{s}.t{i}.sql\n"
                f"CREATE VIEW {s}.v{i} AS SELECT id, name, amount FROM {s}.t{i} "
                "WHERE status <> 'closed';\n")
    return schema


def concatenated(schema: Path) -> str:
    """All files in an order psql can run: schemas, functions, tables in creation order."""
    parts = [(schema / "schemas.sql").read_text(), (schema / "functions" / "touch.sql").read_text()]
    tables = sorted((schema / "tables").glob("*.sql"),
                    key=lambda p: int(p.stem.split(".t")[-1]))
    parts += [p.read_text() for p in tables]
    parts += [p.read_text() for p in sorted((schema / "views").glob("*.sql"))]
    return "".join(parts)


def pgmt(*args: str, env: dict[str, str], **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "from pgmt.cli import main; main()", *args],
                            env=env, **kwargs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tables", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--bindir", type=Path)
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="pgmt-bench-apply-"))
    root.chmod(0o755)
    cluster = Cluster(root, args.bindir)
    try:
        admin = cluster.start().url
        psql = str(cluster.bindir / "psql") if (cluster.bindir / "psql").exists() else "psql"
        schema = make_project(root, args.tables)
        script = root / "all.sql"
        script.write_text(concatenated(schema))
        log(f"{args.tables} tables, PostgreSQL {cluster.binaries.version}, project in {root}")

        floors: list[float] = []

        def floor_now() -> float:
            """One floor measurement, remembered for the overall median."""
            url = create_database(admin, "floor")
            started = time.perf_counter()
            subprocess.run([psql, "-q", "-X", "-v", "ON_ERROR_STOP=1", "-d", url,
                            "-f", str(script)], check=True, stdout=subprocess.DEVNULL)
            floors.append(time.perf_counter() - started)
            drop_database(admin, "floor")
            return floors[-1]

        log(f"floor: psql -f {floor_now():.3f}s")

        dev = create_database(admin, "bench_dev")
        env = {k: v for k, v in os.environ.items() if not k.startswith("PGMT_")}
        env.update(PGMT_DEV_URL=dev, PGMT_SHADOW_URL=admin, PGMT_PG_BINDIR=str(cluster.bindir))
        first = pgmt("apply", "--project", str(root), env=env, stderr=subprocess.PIPE, text=True)
        _, err = first.communicate()
        if first.returncode != 0:
            raise SystemExit(f"first pgmt apply failed:\n{err}")
        log(f"first pgmt apply done ({err.strip().splitlines()[-1]})")

        def timed_apply(says: str) -> tuple[float, float]:
            """A whole `pgmt apply` process that must succeed saying `says`: its time,
            and that time over a floor measured right before it."""
            floor = floor_now()
            started = time.perf_counter()
            done = pgmt("apply", "--project", str(root), env=env, stderr=subprocess.PIPE,
                        text=True)
            _, err = done.communicate()
            seconds = time.perf_counter() - started
            assert done.returncode == 0 and says in err, err
            return seconds, seconds / floor

        noops, noop_ratios = [], []
        for _ in range(args.repeats):
            seconds, ratio = timed_apply("up to date")
            noops.append(seconds)
            noop_ratios.append(ratio)
        noop = statistics.median(noops)

        edits, edit_ratios = [], []
        watcher = pgmt("apply", "--watch", "--project", str(root), env=env,
                       stderr=subprocess.PIPE, text=True)
        assert watcher.stderr is not None
        for line in watcher.stderr:
            if line.startswith("watching"):
                break
        target = schema / "tables" / "public.t0.sql"
        original = target.read_text()
        with connect(dev, autocommit=True) as conn:
            for n in range(args.repeats):
                column = f"extra_{n}"
                text = original.replace("    name text NOT NULL,\n",
                                        "    name text NOT NULL,\n" + "".join(
                                            f"    extra_{k} text,\n" for k in range(n + 1)))
                floor = floor_now()
                started = time.perf_counter()
                target.write_text(text)
                while not conn.execute(
                        "SELECT 1 FROM pg_attribute WHERE attrelid = 'public.t0'::regclass "
                        "AND attname = %s", (column,)).fetchone():
                    time.sleep(0.005)
                    if time.perf_counter() - started > 120:
                        raise SystemExit("the edit never reached the dev database")
                edits.append(time.perf_counter() - started)
                edit_ratios.append(edits[-1] / floor)
                time.sleep(0.5)  # let the round finish printing
        watcher.send_signal(2)
        watcher.communicate(timeout=60)
        edit = statistics.median(edits)

        runs, run_ratios = [], []
        edited = target.read_text()
        for n in range(args.repeats):
            columns = "".join(f"    run_{k} text,\n" for k in range(n + 1))
            target.write_text(edited.replace("    name text NOT NULL,\n",
                                             "    name text NOT NULL,\n" + columns))
            seconds, ratio = timed_apply("Applied 1 change")
            runs.append(seconds)
            run_ratios.append(ratio)
        run = statistics.median(runs)

        print(f"tables:                        {args.tables}")
        edit_ratio, noop_ratio = statistics.median(edit_ratios), statistics.median(noop_ratios)
        print(f"floor (psql -f, empty db):     {statistics.median(floors):.3f}s")
        print(f"saved edit -> dev updated:     {edit:.3f}s  ({edit_ratio:.2f}x floor) "
              f"{'PASS' if edit_ratio <= TARGET_RATIO else 'MISS'}")
        print(f"no-op pgmt apply (process):    {noop:.3f}s  ({noop_ratio:.2f}x floor) "
              f"{'PASS' if noop_ratio <= TARGET_RATIO else 'MISS'}")
        print(f"saved edit, one pgmt apply:    {run:.3f}s  "
              f"({statistics.median(run_ratios):.2f}x floor)")
        drop_database(admin, "bench_dev")
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
