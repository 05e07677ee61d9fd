"""A separate process that writes to the record, for the reliability tests.

    python record_worker.py update URL VISIT N TAG GOFILE WORKDIR   # N CLI updates, racing
    python record_worker.py hold URL                               # dies holding a write
    python record_worker.py loop URL                               # adds visits until killed
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))

from conftest import drawing

from hipmap.cli import main
from hipmap.storage import open_store


def update(url: str, visit: str, n: int, tag: str, gofile: str, workdir: str) -> None:
    store = open_store(url)
    while not os.path.exists(gofile):
        time.sleep(0.01)
    results = []
    path = os.path.join(workdir, f"{tag}.json")
    for i in range(n):
        version = store.list_visits("P-RACE")[0].version
        with open(path, "w") as fh:
            json.dump(drawing("P-RACE", x_writer=f"{tag}-{i}"), fh)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["visits", "update", visit, path, "--if-version", str(version),
                         "--db", url, "--format", "json"])
        got = json.loads(out.getvalue())["version"] if code == 0 else None
        results.append({"i": i, "code": code, "version": got, "err": err.getvalue()})
    store.close()
    print(json.dumps(results))


def _quick(store, seq: int):
    doc = json.dumps(drawing("P-KILL", x_seq=seq))
    return doc, {"format": "hipmap.assessment/1", "urgency": "see_clinician",
                 "ranking": [{"cause": "hip_osteoarthritis", "score": 1.0}], "regions": []}


def hold(url: str) -> None:
    store = open_store(url)
    for seq in range(3):
        doc, a = _quick(store, seq)
        ref = store.add_visit(doc, assessment=a, validated=True, patient="P-KILL")
        print(f"committed {ref.visit} {seq}", flush=True)
    from hipmap.storage.store import _Prepared

    doc, a = _quick(store, 99)
    with store._tx(write=True) as conn:
        store._insert_visit(conn, _Prepared(None, doc, a), pid="P-KILL", source="clinician",
                            when=__import__("datetime").datetime.now(), action="add")
        print("holding", flush=True)
        time.sleep(120)


def loop(url: str) -> None:
    store = open_store(url)
    seq = 0
    while True:
        doc, a = _quick(store, seq)
        ref = store.add_visit(doc, assessment=a, validated=True, patient="P-KILL")
        print(f"committed {ref.visit} {seq}", flush=True)
        seq += 1


if __name__ == "__main__":
    mode, *rest = sys.argv[1:]
    if mode == "update":
        update(rest[0], rest[1], int(rest[2]), rest[3], rest[4], rest[5])
    elif mode == "hold":
        hold(rest[0])
    else:
        loop(rest[0])
