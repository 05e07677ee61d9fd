"""The clinic record's speed: autosave, listing 10,000 visits, 20 PostgreSQL clients.

Prints medians (and p95 where it matters) with ratios against a baseline measured in the same
run. No pass/fail. PostgreSQL: HIPMAP_BENCH_PG_URL (a superuser URL), else a throwaway
durable cluster from .ci/postgres.sh when the server binaries are installed, else skipped.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _env import user_env  # noqa: E402
from bench_core import realistic_strokes  # noqa: E402

from hipmap.core.document import Document, atomic_write_text  # noqa: E402
from hipmap.knowledge.assessment import assess  # noqa: E402
from hipmap.storage import open_store  # noqa: E402


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))]


def drawing(n: int, seed: int = 3) -> tuple[str, dict]:
    doc = Document(list(realistic_strokes(n, seed=seed)), {"age": 58, "worse_sitting": True},
                   patient={"id": "P-BENCH"}, recorded_at="2026-11-25T10:30:00Z")
    return doc.dumps(), assess(doc)


def bench_autosave(text: str, assessment: dict, url: str, label: str, repeat: int = 60
                   ) -> None:
    with open_store(url) as store:
        ref = store.add_visit(text, assessment=assessment, validated=True, patient="P-BENCH")
        version, times = ref.version, []
        for _ in range(repeat):
            t = time.perf_counter()
            version = store.save_visit(ref.visit, text, expected_version=version,
                                       assessment=assessment, validated=True)
            times.append((time.perf_counter() - t) * 1000)
    med = statistics.median(times)
    with tempfile.TemporaryDirectory() as d:  # baseline: the same drawing saved as a file
        base = []
        for _ in range(repeat):
            t = time.perf_counter()
            atomic_write_text(Path(d) / "x.hipmap.json", text)
            base.append((time.perf_counter() - t) * 1000)
    b = statistics.median(base)
    print(f"autosave {label}: 500-stroke drawing ({len(text) // 1024} KB) saved with version "
          f"check + revision: median {med:.2f} ms, p95 {pct(times, 95):.2f} ms; the same text "
          f"written to a file atomically (fsync): {b:.2f} ms, ratio {med / b:.2f}x "
          f"(target <= 5 ms on SQLite)")


def fill(url: str, n: int) -> None:
    """n visits of 500 patients, inserted in one transaction (fast set-up, not measured)."""
    from sqlalchemy import insert

    from hipmap.storage import schema as s

    text = json.dumps({"format": "hipmap.drawing/1", "marks": [
        {"kind": "region", "region": "right.groin", "intensity": 5}], "answers": {}})
    a = json.dumps({"urgency": "see_clinician"})
    t0 = datetime(2024, 1, 1, tzinfo=UTC)
    with open_store(url) as store, store.engine.begin() as c:
        c.execute(insert(s.patients), [{"id": f"P-{k:04d}", "created_at": t0}
                                       for k in range(500)])
        c.execute(insert(s.visits), [{
            "id": i + 1, "patient_id": f"P-{i % 500:04d}",
            "recorded_at": t0 + timedelta(hours=i), "source": "clinician", "version": 1,
            "urgency": "see_clinician", "top_cause": "hip_osteoarthritis", "red_flags": "[]",
            "created_at": t0, "updated_at": t0} for i in range(n)])
        c.execute(insert(s.revisions), [{
            "visit_id": i + 1, "version": 1, "saved_at": t0, "action": "add",
            "document": text, "assessment": a} for i in range(n)])


def bench_list(url: str) -> None:
    fill(url, 10_000)
    with open_store(url) as store:
        store.list_visits()
        times = []
        for _ in range(15):
            t = time.perf_counter()
            rows = store.list_visits()
            times.append((time.perf_counter() - t) * 1000)
        assert len(rows) == 10_000
    med = statistics.median(times)
    env = user_env(HIPMAP_DB=url)
    cli, bare = [], []
    for _ in range(7):
        t = time.perf_counter()
        r = subprocess.run([sys.executable, "-m", "hipmap", "visits", "list", "--format",
                            "json"], capture_output=True, env=env, cwd=ROOT)
        cli.append((time.perf_counter() - t) * 1000)
        assert r.returncode == 0, r.stderr
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import sqlalchemy"], env=env, check=True)
        bare.append((time.perf_counter() - t) * 1000)
    c, b = statistics.median(cli), statistics.median(bare)
    print(f"visits list over 10,000 visits (SQLite): query + objects median {med:.1f} ms "
          f"(target <= 300 ms); the whole `hipmap visits list --format json` process "
          f"{c:.0f} ms vs `python -c 'import sqlalchemy'` {b:.0f} ms: {c / b:.2f}x")


def _client(url: str, text: str, assessment: dict, n: int, start: float, out: mp.Queue
            ) -> None:
    store = open_store(url, pool_size=1)
    ref = store.add_visit(text, assessment=assessment, validated=True,
                          patient=f"P-{uuid.uuid4().hex[:8]}")
    version, times = ref.version, []
    while time.time() < start:
        time.sleep(0.005)
    for _ in range(n):
        t = time.perf_counter()
        version = store.save_visit(ref.visit, text, expected_version=version,
                                   assessment=assessment, validated=True)
        times.append((time.perf_counter() - t) * 1000)
        time.sleep(0.05)  # an autosave cadence, not a tight loop
    store.close()
    out.put(times)


def bench_pg_clients(url: str, clients: int = 20, n: int = 30) -> None:
    text, a = drawing(50, seed=5)  # a typical drawing, ~60 KB
    ctx = mp.get_context("spawn")

    def run(k: int) -> list[float]:
        q = ctx.Queue()
        start = time.time() + 4.0
        procs = [ctx.Process(target=_client, args=(url, text, a, n, start, q))
                 for _ in range(k)]
        for p in procs:
            p.start()
        times = [t for _ in procs for t in q.get(timeout=300)]
        for p in procs:
            p.join()
        return times

    one = run(1)
    many = run(clients)
    print(f"PostgreSQL updates ({len(text) // 1024} KB drawing, loopback): {clients} clients "
          f"p95 {pct(many, 95):.1f} ms, median {statistics.median(many):.1f} ms; one client "
          f"p95 {pct(one, 95):.1f} ms, median {statistics.median(one):.1f} ms; p95 ratio "
          f"{pct(many, 95) / pct(one, 95):.1f}x (target p95 <= 50 ms)")


def pg_url() -> tuple[str | None, str | None]:
    if os.environ.get("HIPMAP_BENCH_PG_URL"):
        return os.environ["HIPMAP_BENCH_PG_URL"], None
    r = subprocess.run(["bash", str(ROOT / ".ci" / "postgres.sh"), "start"],
                       capture_output=True, text=True, env={**os.environ,
                                                            "HIPMAP_PG_DURABLE": "1"})
    if r.returncode != 0:
        return None, None
    env = dict(line.removeprefix("export ").split("=", 1) for line in r.stdout.splitlines())
    return env["HIPMAP_TEST_PG_URL"].strip("'"), env["HIPMAP_PG_DIR"].strip("'")


def main() -> None:
    text, a = drawing(500)
    with tempfile.TemporaryDirectory() as d:
        bench_autosave(text, a, f"sqlite:///{d}/auto.db", "SQLite (synchronous=FULL)")
        os.environ["HIPMAP_SQLITE_SYNCHRONOUS"] = "NORMAL"
        bench_autosave(text, a, f"sqlite:///{d}/auto2.db", "SQLite (synchronous=NORMAL)")
        del os.environ["HIPMAP_SQLITE_SYNCHRONOUS"]
        bench_list(f"sqlite:///{d}/list.db")
    url, pg_dir = pg_url()
    if url is None:
        print("PostgreSQL: skipped (no server: set HIPMAP_BENCH_PG_URL or install "
              "postgresql)")
        return
    from sqlalchemy import create_engine
    from sqlalchemy import text as sql

    name = f"hipmap_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(sql(f'CREATE DATABASE "{name}"'))
    from sqlalchemy.engine import make_url

    db = make_url(url).set(database=name).render_as_string(hide_password=False)
    try:
        with open_store(db, check_schema=False) as s:
            from hipmap.storage import upgrade_schema

            upgrade_schema(s)
        bench_autosave(text, a, db, "PostgreSQL")
        bench_pg_clients(db)
    finally:
        with admin.connect() as c:
            c.execute(sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        if pg_dir:
            subprocess.run(["bash", str(ROOT / ".ci" / "postgres.sh"), "stop", pg_dir],
                           check=False)


if __name__ == "__main__":
    main()
