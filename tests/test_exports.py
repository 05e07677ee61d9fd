"""PDF report and FHIR R4 export (contract section 1)."""

import base64
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from hipmap.core.document import load, loads
from hipmap.report.fhir import SITES, export_bundle

ROOT = Path(__file__).resolve().parent.parent
EX = ROOT / "examples"


def run(*args):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "hipmap", *map(str, args)],
                          capture_output=True, env=env, timeout=180)


@pytest.mark.gui
def test_report_writes_a_multi_page_pdf(tmp_path):
    out = tmp_path / "report.pdf"
    r = run("report", EX / "red_flag_cauda_equina.hipmap.json", "-o", out)
    assert r.returncode == 0, r.stderr
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) >= 1
    assert b"/Image" in data  # the diagram is embedded


@pytest.mark.gui
def test_report_html_puts_red_flags_before_the_ranking():
    from hipmap.knowledge.assessment import assess
    from hipmap.ui.report import report_html

    doc = load(EX / "red_flag_cauda_equina.hipmap.json")
    text = report_html(doc, assess(doc).to_json())
    assert text.index("cauda_equina") < text.index("Candidate causes")
    assert "EMERGENCY" in text and "does not diagnose" in text
    assert "RIGHT back of the thigh" in text and "LEFT back of the thigh" in text


def test_report_bad_input_is_exit_2(tmp_path):
    bad = tmp_path / "x.hipmap.json"
    bad.write_text("{}")
    r = run("report", bad, "-o", tmp_path / "x.pdf")
    assert r.returncode == 2 and r.stderr.decode().count("\n") == 1
    assert not (tmp_path / "x.pdf").exists()


def test_fhir_bundle_has_a_pain_observation_per_region_with_laterality():
    doc = load(EX / "sciatica.hipmap.json")
    b = export_bundle(doc)
    assert b["resourceType"] == "Bundle" and b["type"] == "collection"
    urls = [e["fullUrl"] for e in b["entry"]]
    assert len(urls) == len(set(urls)) and all(u.startswith("urn:uuid:") for u in urls)
    res = [e["resource"] for e in b["entry"]]
    by = {}
    for r in res:
        by.setdefault(r["resourceType"], []).append(r)
    obs = by["Observation"]
    assert all(o["code"]["coding"][0]["code"] == "22253000" for o in obs)
    texts = {o["bodySite"]["text"] for o in obs}
    assert "Right back of the thigh" in texts
    thigh = next(o for o in obs if o["bodySite"]["text"] == "Right back of the thigh")
    ref = thigh["bodySite"]["extension"][0]["valueReference"]["reference"]
    body = next(e["resource"] for e in b["entry"] if e["fullUrl"] == ref)
    quals = {c["coding"][0]["code"] for c in body["locationQualifier"]}  # right, posterior
    assert quals == {"24028007", "255551008"}  # right, posterior
    sev = thigh["component"][0]
    assert sev["code"]["coding"][0]["code"] == "72514-3" and sev["valueQuantity"]["value"] == 7
    assert by["Patient"][0]["identifier"][0]["value"] == "DEMO-01"
    risk = by["RiskAssessment"][0]
    assert risk["prediction"][0]["outcome"]["coding"][0]["code"] == "lumbar_radiculopathy"
    qr = {i["linkId"]: i["answer"][0] for i in by["QuestionnaireResponse"][0]["item"]}
    assert qr["worse_cough_sneeze"] == {"valueBoolean": True}
    # the original drawing travels with the bundle, unchanged
    att = by["DocumentReference"][0]["content"][0]["attachment"]
    again = loads(base64.b64decode(att["data"]))
    assert again.to_json() == doc.to_json()


def test_fhir_red_flags_become_active_flags_and_export_is_deterministic(tmp_path):
    out = tmp_path / "b.json"
    assert run("export", EX / "red_flag_cauda_equina.hipmap.json", "--fhir", "-o", out
               ).returncode == 0
    b = json.loads(out.read_text())
    flags = [e["resource"] for e in b["entry"] if e["resource"]["resourceType"] == "Flag"]
    assert [f["code"]["coding"][0]["code"] for f in flags] == ["cauda_equina"]
    assert flags[0]["status"] == "active" and "EMERGENCY" in flags[0]["code"]["text"]
    assert export_bundle(load(EX / "red_flag_cauda_equina.hipmap.json")) == b


def test_every_region_has_a_snomed_site():
    from hipmap.core.ids import BASE_REGIONS

    assert set(SITES) == set(BASE_REGIONS)
