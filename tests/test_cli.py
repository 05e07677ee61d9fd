"""The command line as a user and other programs meet it (contract section 1)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hipmap.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "sciatica.hipmap.json"


def run(*args, stdin=None):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("HIPMAP_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "hipmap", *map(str, args)], input=stdin,
                          capture_output=True, env=env, timeout=120)


def test_assess_json_follows_the_contract():
    r = run("assess", EXAMPLE, "--format", "json")
    assert r.returncode == 0, r.stderr
    a = json.loads(r.stdout)
    assert a["format"] == "hipmap.assessment/1"
    assert a["urgency"] in ("emergency", "urgent", "see_clinician", "self_care")
    assert a["ranking"][0]["cause"] == "lumbar_radiculopathy"
    ids = [r["id"] for r in a["regions"]]
    assert ids == sorted(ids) and "right.posterior_thigh" in ids
    for r_ in a["regions"]:
        assert 0 < r_["coverage"] <= 1 and 0 <= r_["intensity"] <= 10
    assert all(d["id"].split(".")[1] in ("L1", "L2", "L3", "L4", "L5", "S1", "S2")
               for d in a["dermatomes"])
    assert a["next_questions"] and all("answer" in q and "why" in q for q in a["next_questions"])


def test_assess_text_is_readable_and_reads_stdin():
    r = run("assess", "-", stdin=EXAMPLE.read_bytes())
    assert r.returncode == 0, r.stderr
    assert r.stderr == b""
    out = r.stdout.decode()
    assert "URGENCY" in out and "Lumbosacral radiculopathy" in out
    assert "RIGHT back of the thigh" in out
    assert "does not diagnose" in out


@pytest.mark.parametrize("content, where", [
    (b"{oops", "line 1"),
    (b'{"format": "hipmap.drawing/1", "marks": [{"kind": "stroke", "view": "back", '
     b'"width": 5, "points": [[1, "x"]]}]}', "$.marks[0].points[0][1]"),
    (b'{"format": "hipmap.drawing/3"}', "$.format"),
    (b"\x00\x01\x02binary", "binary"),
])
def test_bad_input_exits_2_with_one_line_naming_file_and_place(tmp_path, content, where):
    f = tmp_path / "bad.hipmap.json"
    f.write_bytes(content)
    r = run("assess", f)
    assert r.returncode == 2
    err = r.stderr.decode()
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "bad.hipmap.json" in err and where in err
    assert r.stdout == b""


def test_bad_arguments_exit_2_with_one_line():
    for args in (["assess"], ["assess", "x", "--format", "xml"], ["frobnicate"],
                 ["regions", "--view", "top"]):
        r = run(*args)
        assert r.returncode == 2, args
        assert r.stderr.decode().count("\n") == 1, r.stderr


def test_missing_file_exits_2(tmp_path):
    r = run("assess", tmp_path / "nope.json")
    assert r.returncode == 2 and "no such file" in r.stderr.decode()


def test_regions_geojson_has_a_feature_per_region_and_dermatome_per_view():
    r = run("regions", "--format", "geojson")
    assert r.returncode == 0, r.stderr
    fc = json.loads(r.stdout)
    assert fc["type"] == "FeatureCollection"
    kinds = {f["properties"]["kind"] for f in fc["features"]}
    assert kinds == {"region", "dermatome"}
    ids = {(f["properties"]["view"], f["properties"]["id"]) for f in fc["features"]}
    assert ("back", "right.buttock") in ids and ("front", "left.groin") in ids
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in fc["features"])
    r = run("regions", "--view", "back", "--format", "geojson")
    assert r.returncode == 0, r.stderr
    assert {f["properties"]["view"] for f in json.loads(r.stdout)["features"]} == {"back"}
    r = run("regions")
    assert r.returncode == 0, r.stderr
    assert set(json.loads(r.stdout)["views"]) == {"front", "back", "right_side", "left_side"}


def test_causes_lists_every_cause_with_sources():
    from hipmap.core.ids import KB_CAUSES

    r = run("causes", "--format", "json")
    assert r.returncode == 0, r.stderr
    kb = json.loads(r.stdout)
    assert [c["id"] for c in kb["causes"]] == list(KB_CAUSES)
    assert kb["other"]["prior"] > 0 and all(s in kb["sources"] for s in kb["other"]["source"])
    assert kb["screening"] and all(s["ask"] for s in kb["screening"])
    for c in kb["causes"]:
        assert c["short_name"] and c["color"].startswith("#")
        for t in c["territory"].values():
            assert t["source"] and all(s in kb["sources"] for s in t["source"])
    r = run("causes")
    assert r.returncode == 0, r.stderr
    assert "UNVERIFIED" in r.stdout.decode()


@pytest.mark.gui
def test_render_draws_a_png(tmp_path):
    out = tmp_path / "out.png"
    r = run("render", EXAMPLE, "-o", out)
    assert r.returncode == 0, r.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    one = tmp_path / "back.png"
    assert run("render", EXAMPLE, "-o", one, "--view", "back").returncode == 0
    from PySide6.QtGui import QImage

    big, small = QImage(str(out)), QImage(str(one))
    assert big.width() > 3 * small.width() * 0.8 and big.height() == small.height()


@pytest.mark.gui
def test_render_paints_the_stroke_where_it_was_drawn(tmp_path):
    """The painted pixel colour appears at the stroke's place in the back view."""
    from PySide6.QtGui import QColor, QImage

    from hipmap.ui.render import GAP, HEADER

    pt = [420.0, 600.0]
    doc = {"format": "hipmap.drawing/1", "marks": [
        {"kind": "stroke", "view": "back", "width": 30, "points": [pt], "intensity": 10}]}
    f = tmp_path / "dab.hipmap.json"
    f.write_text(json.dumps(doc))
    out = tmp_path / "dab.png"
    assert run("render", f, "-o", out, "--view", "back").returncode == 0
    img = QImage(str(out))
    c = QColor(img.pixel(int(GAP + pt[0]), int(HEADER + pt[1])))
    assert c.red() > 100 and c.green() < 60 and c.blue() < 80  # deep red, intensity 10
    far = QColor(img.pixel(int(GAP + 600 - pt[0]), int(HEADER + pt[1])))
    assert far.green() > 150  # the mirror-image spot on the other leg is unpainted


def test_render_to_a_missing_folder_is_a_clean_error(tmp_path):
    r = run("render", EXAMPLE, "-o", tmp_path / "no" / "such" / "x.png")
    assert r.returncode == 2 and "does not exist" in r.stderr.decode()


def test_main_returns_exit_codes_in_process(capsys, tmp_path):
    assert main(["assess", str(EXAMPLE), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["format"] == "hipmap.assessment/1"
    assert main(["assess", str(EXAMPLE)]) == 0
    assert "URGENCY" in capsys.readouterr().out
    assert main(["causes", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["causes"]
    assert main(["regions", "--view", "front"]) == 0
    assert set(json.loads(capsys.readouterr().out)["views"]) == {"front"}
    out = tmp_path / "b.json"
    assert main(["export", str(EXAMPLE), "--fhir", "-o", str(out)]) == 0
    assert json.loads(out.read_text())["resourceType"] == "Bundle"
    assert main(["assess", str(tmp_path / "missing.json")]) == 2
    assert main(["export", str(EXAMPLE)]) == 2  # --fhir is required
    assert main(["assess", str(EXAMPLE), "--format", "yaml"]) == 2
    capsys.readouterr()


@pytest.mark.parametrize("command", ["render", "report"])
def test_drawing_without_the_qt_part_is_one_line_and_exit_1(command, capsys, monkeypatch,
                                                             tmp_path):
    """hipmap installed without PySide6 (make test-core): render and report say so."""
    monkeypatch.setitem(sys.modules, f"hipmap.ui.{command}", None)  # import fails
    out = tmp_path / "x.out"
    assert main([command, str(EXAMPLE), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"hipmap {command}: this installation has no desktop" in err
    assert not out.exists()


def test_an_internal_error_is_exit_1_in_one_line(capsys, monkeypatch):
    import hipmap.knowledge.assessment as assessment

    def broken(*_a, **_k):
        raise RuntimeError("boom")

    monkeypatch.setattr(assessment, "assess", broken)
    monkeypatch.delenv("HIPMAP_DEBUG", raising=False)
    assert main(["assess", str(EXAMPLE)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error: RuntimeError: boom" in err


def test_the_core_commands_never_import_qt():
    code = ("import sys; from hipmap.cli import main; "
            f"codes = [main(['assess', {str(EXAMPLE)!r}, '--format', 'json']), "
            f"main(['assess', {str(EXAMPLE)!r}]), main(['regions']), main(['causes']), "
            f"main(['export', {str(EXAMPLE)!r}, '--fhir'])]; "
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph', "
            "'shiboken6', 'hipmap.ui'))]; "
            "print('CODES', codes, 'QT', bad, file=sys.stderr)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    assert b"CODES [0, 0, 0, 0, 0] QT []" in r.stderr, r.stderr[-500:]


def test_the_help_says_what_db_and_kiosk_do_today(capsys):
    """--db names the commands that use the record, and each of them takes --db; --kiosk
    says it opens the guided patient kiosk, which submits to the record and needs the PIN."""
    import re

    from hipmap.cli import build_parser

    text = " ".join(build_parser().format_help().split())
    kiosk = re.search(r"--kiosk (.+?) --db", text).group(1)
    assert "opens the patient kiosk" in kiosk and "clinician window" not in kiosk
    assert "hipmap kiosk set-pin" in kiosk and "--db" in kiosk
    db = re.search(r"--db URL (.+?) --self-test", text).group(1)
    named = re.search(r"record commands \(([^)]*)\)", db).group(1)
    commands = [c.strip().split()[0] for c in named.split(",")]
    assert commands == ["db", "visits", "history", "inbox", "export"]
    for args in (["db", "check"], ["visits", "list"], ["history", "P-1"], ["inbox"],
                 ["export", "--fhir", "--patient", "P-1"]):
        argv = [*args, "--db", "sqlite:///x.db"]
        parsed = build_parser(argv).parse_args(argv)
        assert parsed.db == "sqlite:///x.db", args
