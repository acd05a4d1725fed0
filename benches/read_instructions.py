"""How many instructions one catalog read costs the server, counted by valgrind.

    python benches/read_instructions.py [--tables N] [--bindir DIR] [--per-query]

Timings on these machines drift by a quarter within the hour; instruction counts repeat
to a few thousand in a billion. So a change to a catalog query is judged here: the bench
schema of bench_engine.py is loaded into a throwaway cluster, the cluster is stopped, and
the statements `read_snapshot` sends (the census, then each query the census lets
through, as `COPY (…) TO '/dev/null'`) run in a single-user backend under
`valgrind --tool=cachegrind`. With --per-query, each query's share is the difference
between the counts of successive prefixes of the statements (a query also pays for the
catalog caches it is first to fill). Needs valgrind (`apt-get install valgrind`).
Figures go to stdout, progress to stderr. See benches/README.md.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_engine import load, local_cluster, schema_sql, settle

from pgmt.catalog import reader
from pgmt.postgres import connect, create_database
from pgmt.postgres.runas import chown_tree, current_runner, reachable_binaries


def statements(url: str) -> list[tuple[str, str]]:
    """(name, SQL) of what one read runs, in order, as a single-user backend takes them."""
    with connect(url) as conn:
        found = reader.census(conn)
    extension_members = found.pop("extension_members")
    parameter = "false" if extension_members else "true"
    out = [("begin", "BEGIN"), ("settings", reader.TRANSACTION_SETUP),
           ("census", _copy(reader.query("census")))]
    for name in reader.QUERIES:
        if found.get(name, True):
            out.append((name, _copy(reader.query(name).replace("$1", parameter))))
    return out


def _copy(query: str) -> str:
    # -j ends a statement at a semicolon and an empty line: no comments, which may hold either.
    body = "\n".join(line for line in query.splitlines() if not line.lstrip().startswith("--"))
    return f"COPY ({body.strip()}) TO '/dev/null'"


def count(postgres: Path, data_dir: Path, dbname: str, sql: list[str]) -> int:
    """Instructions of a single-user backend that runs `sql` and commits."""
    runner = current_runner()
    script = "".join(f"{s};\n\n" for s in [*sql, "COMMIT"])
    result = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
         str(postgres), "--single", "-j", "-D", str(data_dir), dbname],
        input=script, capture_output=True, text=True, cwd="/",
        **({"user": runner.uid, "group": runner.gid, "extra_groups": []} if runner.switch else {}),
    )
    found = re.search(r"I\s+refs:\s+([\d,]+)", result.stderr)
    if result.returncode or not found or "ERROR:" in result.stdout:
        sys.exit(f"the single-user backend failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=1000)
    parser.add_argument("--bindir", help="PostgreSQL's bin directory (default: the embedded)")
    parser.add_argument("--per-query", action="store_true", help="each query's share too")
    args = parser.parse_args(argv)
    if not shutil.which("valgrind"):
        sys.exit("valgrind is not installed: apt-get install valgrind")
    with local_cluster(args.bindir) as cluster:
        url = create_database(cluster.url(), "bench")
        print(f"loading {args.tables} tables...", file=sys.stderr)
        load(url, schema_sql(args.tables, variant=False))
        settle(url)
        steps = statements(url)
        with connect(url) as conn:
            version = conn.execute("SHOW server_version").fetchone()[0]  # type: ignore[index]
        postgres = reachable_binaries(cluster.binaries, current_runner()).path("postgres")
        cluster.stop()
        # The single-user backend works on a copy: the cluster's own files stay as they were.
        data_dir = Path(tempfile.mkdtemp(prefix="pgmt-instructions-"))
        try:
            shutil.copytree(cluster.data_dir.resolve(), data_dir, dirs_exist_ok=True,
                            symlinks=True)
            runner = current_runner()
            if runner.switch:
                chown_tree(data_dir, runner.uid, runner.gid)
            data_dir.chmod(0o700)
            print("counting under valgrind (some ten seconds a run)...", file=sys.stderr)
            sql = [s for _, s in steps]
            # Once untimed: the first read after the load sets hint bits on the catalogs'
            # new rows (writes later reads do not make).
            count(postgres, data_dir, "bench", sql)
            total = count(postgres, data_dir, "bench", sql)
            print(f"\nOne catalog read of {args.tables} tables, PostgreSQL {version}: "
                  f"{total / 1e6:,.1f}M instructions in the backend")
            if args.per_query:
                previous = count(postgres, data_dir, "bench", [])
                for i, (name, _) in enumerate(steps, start=1):
                    now = total if i == len(steps) else count(postgres, data_dir, "bench",
                                                               sql[:i])
                    print(f"  {name:24s} {(now - previous) / 1e6:8.1f}M")
                    previous = now
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
