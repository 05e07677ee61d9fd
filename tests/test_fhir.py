"""FHIR R4 that validates and keeps its meaning (issue 9, findings 10 and 11).

Every Bundle — every example, every test case and every edge below — validates with the
``fhir.resources`` R4B models and passes structural checks FHIR requires but the models do
not enforce: no empty arrays, objects or strings; every reference resolves inside the
Bundle; every dateTime and instant has FHIR's form."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle

from hipmap.core.document import loads
from hipmap.report import fhir
from hipmap.report.fhir import SITES, export_bundle

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted((ROOT / "examples").glob("*.json")) + sorted((ROOT / "tests" / "cases").glob(
    "*.json"))
BASE = {"format": "hipmap.drawing/1"}

# FHIR R4's own regular expressions (datatypes), kept here independent of the exporter
_YEAR = r"([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)"
_TIME = r"T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]{1,9})?"
_ZONE = r"(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))"
_DAY = r"-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-1])"
_DD = r"-(0[1-9]|[1-2][0-9]|3[0-1])"
FHIR_DATETIME = re.compile(rf"{_YEAR}(-(0[1-9]|1[0-2])({_DD}({_TIME}{_ZONE})?)?)?")
FHIR_INSTANT = re.compile(rf"{_YEAR}{_DAY}{_TIME}{_ZONE}")


def is_fhir_datetime(v: str) -> bool:  # with a time, the zone is required
    return bool(FHIR_DATETIME.fullmatch(v))


def is_fhir_instant(v: str) -> bool:
    return bool(FHIR_INSTANT.fullmatch(v))


DATETIME_KEYS = {"effectiveDateTime", "authored", "occurrenceDateTime", "start"}
INSTANT_KEYS = {"timestamp", "date"}


def structural_problems(bundle: dict[str, Any]) -> list[str]:
    urls = {e["fullUrl"] for e in bundle["entry"]}
    problems: list[str] = []

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict):
            if not value:
                problems.append(f"{path}: empty object")
            for k, v in value.items():
                if k == "reference" and isinstance(v, str) and v not in urls:
                    problems.append(f"{path}.reference: {v} does not resolve")
                if k in DATETIME_KEYS and not is_fhir_datetime(v):
                    problems.append(f"{path}.{k}: {v!r} is not a FHIR dateTime")
                if k in INSTANT_KEYS and not is_fhir_instant(v):
                    problems.append(f"{path}.{k}: {v!r} is not a FHIR instant")
                walk(v, f"{path}.{k}")
        elif isinstance(value, list):
            if not value:
                problems.append(f"{path}: empty array")
            for i, v in enumerate(value):
                walk(v, f"{path}[{i}]")
        elif isinstance(value, str) and not value.strip():
            problems.append(f"{path}: empty string")

    walk(bundle, "$")
    return problems


def check(bundle: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    Bundle.model_validate(bundle)  # raises on anything the R4B models refuse
    assert structural_problems(bundle) == []
    by: dict[str, list[dict[str, Any]]] = {}
    for e in bundle["entry"]:
        by.setdefault(e["resource"]["resourceType"], []).append(e["resource"])
    return by


def export(obj: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    return check(export_bundle(loads(json.dumps({**BASE, **obj}))))


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_every_example_and_case_is_a_valid_r4_bundle(path):
    by = check(export_bundle(loads(path.read_bytes())))
    for resource in ("Observation", "RiskAssessment", "Flag", "BodyStructure"):
        for r in by.get(resource, []):  # every one names its patient
            assert (r.get("subject") or r.get("patient"))["reference"].startswith("urn:uuid:")


EDGES = {
    "empty drawing": {},
    "no answers, one region": {"marks": [{"kind": "region", "region": "left.groin"}]},
    "every quality": {"marks": [{"kind": "region", "region": "right.groin", "quality": q}
                                for q in ("shooting", "burning", "sharp", "dull_ache",
                                          "tingling", "numbness")]},
    "no patient id": {"patient": {"age": 40}, "answers": {"worse_sitting": True}},
    "numeric patient id": {"patient": {"id": 42, "sex": "female"}},
    "space separator": {"recorded_at": "2026-11-25 10:30:00Z"},
    "no zone": {"recorded_at": "2026-11-25T10:30:00"},
    "week date": {"recorded_at": "2026-W48-3"},
    "a date alone": {"recorded_at": "2026-11-25"},
    "offset beyond 14 h": {"recorded_at": "2026-11-25T10:30:00+23:00"},
    "fractional seconds": {"recorded_at": "2026-11-25T10:30:00.25+02:00"},
    "hour only": {"recorded_at": "2026-11-25T10"},
    "red flag": {"answers": {"bowel_bladder": True}},
}


@pytest.mark.parametrize("name", EDGES)
def test_edge_documents_give_valid_bundles(name):
    """Finding 10: "coding": [] for five qualities, "item": [] without answers, empty
    rationale strings, RiskAssessment without subject, invalid dateTimes."""
    export(EDGES[name])


@pytest.mark.parametrize("recorded, date_time, instant", [
    ("2026-11-25T10:30:00Z", "2026-11-25T10:30:00Z", "2026-11-25T10:30:00Z"),
    ("2026-11-25T10:30:00+02:00", "2026-11-25T08:30:00Z", "2026-11-25T08:30:00Z"),
    ("2026-11-25 10:30:00Z", "2026-11-25T10:30:00Z", "2026-11-25T10:30:00Z"),
    ("2026-11-25T10:30:00", "2026-11-25", None),  # no zone: the day, not a guess
    ("2026-11-25", "2026-11-25", None),  # no invented T00:00:00Z
    ("2026-W48-3", "2026-11-25", None),
    (None, None, None),
])
def test_recorded_at_becomes_a_fhir_time_without_inventing_one(recorded, date_time, instant):
    assert fhir.fhir_times(recorded) == (date_time, instant)
    by = export({"recorded_at": recorded} if recorded else {"marks": [
        {"kind": "region", "region": "right.groin"}]})
    obs = by.get("Observation", [])
    assert all(o.get("effectiveDateTime") == date_time for o in obs)
    assert by["DocumentReference"][0].get("date") == instant
    if recorded is None:  # no time at all: none is made up (before: the export's own time)
        assert "effectiveDateTime" not in obs[0] and "date" not in by["DocumentReference"][0]


def _site(obs):
    return obs["bodySite"]["coding"][0]["code"]


def test_left_and_right_differ_in_the_body_site_coding():
    """Finding 11: left and right carried the same bodySite coding."""
    by = export({"marks": [{"kind": "region", "region": "right.buttock", "intensity": 4},
                           {"kind": "region", "region": "left.buttock", "intensity": 4}]})
    sites = {o["bodySite"]["text"]: _site(o) for o in by["Observation"]}
    assert sites == {"Right buttock": "46862004:272741003=24028007",
                     "Left buttock": "46862004:272741003=7771000"}
    for body in by["BodyStructure"]:
        lat = body["locationQualifier"][0]["coding"][0]["code"]
        assert lat == ("24028007" if body["location"]["text"].startswith("Right") else "7771000")


def test_every_region_on_both_sides_has_its_own_coding_pair():
    from hipmap.core.ids import REGIONS

    by = export({"marks": [{"kind": "region", "region": r} for r in REGIONS]})
    codes = [_site(o) for o in by["Observation"]]
    assert len(by["Observation"]) == len(REGIONS)
    right = {c for c in codes if c.endswith("=24028007")}
    left = {c for c in codes if c.endswith("=7771000")}
    assert right and left and not right & left
    # every region is told apart from the others by its coding or its BodyStructure
    bodies = {(b["location"]["coding"][0]["code"], tuple(
        q["coding"][0]["code"] for q in b["locationQualifier"])) for b in by["BodyStructure"]}
    assert len(bodies) == len(REGIONS)


def test_top_and_sole_of_the_foot_have_distinct_codes_and_ischial_is_a_region():
    assert SITES["dorsal_foot"][0] != SITES["plantar_foot"][0]
    assert SITES["dorsal_foot"][0] == "2402003" and SITES["plantar_foot"][0] == "57999000"
    assert SITES["ischial"][0] != "85710004"  # not |Bone structure of ischium|
    by = export({"marks": [{"kind": "region", "region": "right.ischial"}]})
    (body,) = by["BodyStructure"]
    assert body["location"]["coding"][0]["display"] == "Buttock structure"
    assert {q["coding"][0]["display"] for q in body["locationQualifier"]} == \
        {"Right", "Lower", "Medial"}


def test_a_missing_intensity_exports_no_score_and_6_5_stays_6_5():
    """Finding 11: a missing intensity was exported as a reported score of 5; 6.5 as 6."""
    by = export({"marks": [{"kind": "region", "region": "right.groin"},
                           {"kind": "region", "region": "left.groin", "intensity": 6.5}]})
    scores = {}
    for o in by["Observation"]:
        sev = [c for c in o["component"]
               if c["code"].get("coding", [{}])[0].get("code") == "72514-3"]
        scores[o["bodySite"]["text"]] = sev[0]["valueQuantity"]["value"] if sev else None
    assert scores == {"Right groin and front of the hip": None,
                      "Left groin and front of the hip": 6.5}


def test_a_missing_intensity_is_not_written_back_either(tmp_path):
    doc = loads(json.dumps({**BASE, "marks": [{"kind": "region", "region": "right.groin"}]}))
    assert "intensity" not in json.loads(doc.dumps())["marks"][0]
    assert doc.marks[0].intensity == 5  # the contract's default still drives the assessment


def test_an_unknown_cause_id_and_extra_assessment_fields_do_not_break_the_export():
    """The safety branch adds an `other` cause and `screening`; the exporter copes."""
    doc = loads(json.dumps({**BASE, "marks": [{"kind": "region", "region": "right.groin"}]}))
    from hipmap.knowledge.assessment import assess

    a = assess(doc).to_json()  # a visit's stored snapshot, as another hipmap wrote it
    a["ranking"].append({"cause": "other", "score": 0.0, "evidence": []})
    a["screening"], a["unscreened"] = "incomplete", ["bowel_bladder", "fever_chills"]
    a["knowledge_version"] = "2026.12.0"
    by = check(fhir.snapshot_bundle(doc, a))
    risk = by["RiskAssessment"][0]
    assert risk["prediction"][-1]["outcome"]["coding"][0]["code"] == "other"
    assert "rationale" not in risk["prediction"][-1]
    assert any("screening incomplete" in n["text"] for n in risk["note"])


def test_the_structural_check_catches_what_it_should():
    bad = {"entry": [{"fullUrl": "urn:uuid:a", "resource": {
        "item": [], "x": "", "subject": {"reference": "urn:uuid:b"},
        "effectiveDateTime": "2026-11-25T10:30:00"}}]}
    found = " ".join(structural_problems(bad))
    for words in ("empty array", "empty string", "does not resolve", "not a FHIR dateTime"):
        assert words in found
