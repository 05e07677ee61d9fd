"""FHIR R4 export of a drawing and its assessment (``hipmap export FILE --fhir``).

There is no FHIR resource for a pain drawing (clinical-facts.md §4), so the Bundle combines:
one pain ``Observation`` per painted region (SNOMED CT 22253000 |Pain|, the region as
``bodySite`` with a ``BodyStructure`` carrying laterality and direction qualifiers, the 0-10
intensity as a LOINC 72514-3 component), a ``QuestionnaireResponse`` with the answers, a
``RiskAssessment`` with each cause's score, a ``Flag`` per red flag, and a
``DocumentReference`` holding the original hipmap document so nothing is lost.
Qt-free; deterministic (ids are UUIDv5 of the content).
"""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime
from typing import Any

from hipmap.core.document import Document
from hipmap.core.ids import ANSWERS, BASE_REGIONS, QUALITIES, split_region
from hipmap.knowledge.assessment import assess
from hipmap.knowledge.base import load_knowledge

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
HIPMAP_CS = "https://hipmap.org/fhir/CodeSystem"
NS = uuid.UUID("6f1d3c2a-8a2b-4f6e-9a43-2b1c7e9d0a11")

#: region -> (SNOMED body structure code, display, direction qualifier or None).
#: Codes verified in clinical-facts.md §4.3 (HL7/national IG value sets, DICOM, or ≥3 sources).
SITES: dict[str, tuple[str, str, str | None]] = {
    "lower_back": ("37822005", "Lower back structure", None),
    "sacroiliac": ("39723000", "Sacroiliac joint structure", None),
    "buttock": ("46862004", "Buttock structure", None),
    "ischial": ("85710004", "Bone structure of ischium", None),
    "lateral_hip": ("30547004", "Structure of greater trochanter of femur", None),
    "groin": ("26893007", "Inguinal region structure", None),
    "anterior_thigh": ("68367000", "Thigh structure", "anterior"),
    "medial_thigh": ("68367000", "Thigh structure", "medial"),
    "lateral_thigh": ("68367000", "Thigh structure", "lateral"),
    "posterior_thigh": ("68367000", "Thigh structure", "posterior"),
    "anterior_knee": ("72696002", "Knee region structure", "anterior"),
    "medial_knee": ("72696002", "Knee region structure", "medial"),
    "lateral_knee": ("72696002", "Knee region structure", "lateral"),
    "posterior_knee": ("32361000", "Popliteal fossa", None),
    "anterior_leg": ("78234002", "Shin structure", None),
    "medial_leg": ("30021000", "Structure of lower extremity from knee to ankle", "medial"),
    "lateral_leg": ("30021000", "Structure of lower extremity from knee to ankle", "lateral"),
    "posterior_leg": ("53840002", "Calf of leg", None),
    "dorsal_foot": ("56459004", "Foot structure", None),
    "plantar_foot": ("56459004", "Foot structure", None),
}
QUALIFIERS = {
    "right": ("24028007", "Right"), "left": ("7771000", "Left"),
    "anterior": ("255549009", "Anterior"), "posterior": ("255551008", "Posterior"),
    "lateral": ("49370004", "Lateral"), "medial": ("255561001", "Medial"),
}
QUALITY_CODES = {"dull_ache": ("27635008", "Aching")}  # the only one verified (cds4cpm)


def _id(*parts: Any) -> str:
    return str(uuid.uuid5(NS, json.dumps(parts, sort_keys=True, default=str)))


def _coding(system: str, code: str, display: str) -> dict[str, str]:
    return {"system": system, "code": code, "display": display}


def export_bundle(doc: Document, assessment: dict[str, Any] | None = None) -> dict[str, Any]:
    kb = load_knowledge()
    a = assessment or assess(doc)
    when = doc.recorded_at or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    seed = doc.dumps()
    entries: list[dict[str, Any]] = []

    def add(resource: dict[str, Any]) -> str:
        rid = resource["id"]
        entries.append({"fullUrl": f"urn:uuid:{rid}", "resource": resource})
        return f"urn:uuid:{rid}"

    subject = None
    if doc.patient and doc.patient.get("id") is not None:
        patient: dict[str, Any] = {
            "resourceType": "Patient", "id": _id("patient", doc.patient["id"]),
            "identifier": [{"system": f"{HIPMAP_CS}/patient-id",
                            "value": str(doc.patient["id"])}]}
        sex = str(doc.patient.get("sex", "")).lower()
        if sex in ("female", "male", "other", "unknown"):
            patient["gender"] = sex
        subject = {"reference": add(patient)}

    observations = []
    for r in a["regions"]:
        side, base = split_region(r["id"])
        code, display, direction = SITES[base]
        label = f"{side.capitalize()} {BASE_REGIONS[base]}"
        quals = [QUALIFIERS[side]] + ([QUALIFIERS[direction]] if direction else [])
        body = {
            "resourceType": "BodyStructure", "id": _id(seed, "body", r["id"]),
            "location": {"coding": [_coding(SNOMED, code, display)], "text": label},
            "locationQualifier": [{"coding": [_coding(SNOMED, c, d)]} for c, d in quals],
            "description": f"hipmap region {r['id']}",
            "patient": subject or {"display": "unidentified patient"},
        }
        body_ref = add(body)
        qualities = sorted({m.quality for m in doc.marks if m.quality and _touches(m, r["id"])})
        components = [{
            "code": {"coding": [_coding(LOINC, "72514-3", "Pain severity - 0-10 verbal numeric "
                                        "rating [Score] - Reported")]},
            "valueInteger": round(r["intensity"])}, {
            "code": {"coding": [_coding(f"{HIPMAP_CS}/observation", "region-coverage",
                                        "Fraction of the region painted")]},
            "valueQuantity": {"value": round(r["coverage"] * 100, 1), "unit": "%",
                              "system": "http://unitsofmeasure.org", "code": "%"}}]
        for q in qualities:
            coding = [_coding(SNOMED, *QUALITY_CODES[q])] if q in QUALITY_CODES else []
            components.append({
                "code": {"text": "Pain quality"},
                "valueCodeableConcept": {"coding": coding, "text": QUALITIES[q]}})
        obs = {
            "resourceType": "Observation", "id": _id(seed, "obs", r["id"]),
            "status": "final",
            "category": [{"coding": [_coding(
                "http://terminology.hl7.org/CodeSystem/observation-category", "survey",
                "Survey")]}],
            "code": {"coding": [_coding(SNOMED, "22253000", "Pain")], "text": "Pain"},
            "effectiveDateTime": when,
            "bodySite": {"coding": [_coding(SNOMED, code, display)], "text": label,
                         "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/"
                                               "bodySite", "valueReference": {
                                                   "reference": body_ref}}]},
            "component": components,
        }
        if subject:
            obs["subject"] = subject
        observations.append({"reference": add(obs)})

    answers = doc.effective_answers()
    qr: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse", "id": _id(seed, "answers"),
        "status": "completed", "authored": when,
        "item": [{"linkId": aid, "text": ANSWERS[aid][2],
                  "answer": [{"valueBoolean": v} if isinstance(v, bool)
                             else {"valueDecimal": float(v)}]}
                 for aid, v in answers.items()],
    }
    if subject:
        qr["subject"] = subject
    qr_ref = add(qr)

    risk: dict[str, Any] = {
        "resourceType": "RiskAssessment", "id": _id(seed, "risk"), "status": "final",
        "occurrenceDateTime": when,
        "method": {"text": f"hipmap likelihood-ratio matcher, knowledge base {kb.version}"},
        "basis": [*observations, {"reference": qr_ref}],
        "prediction": [{
            "outcome": {"coding": [_coding(f"{HIPMAP_CS}/cause", r["cause"],
                                           kb.causes[r["cause"]].name)],
                        "text": kb.causes[r["cause"]].name},
            "probabilityDecimal": r["score"],
            "rationale": " ".join(e["text"] for e in r["evidence"][:4])}
            for r in a["ranking"]],
        "note": [{"text": kb.disclaimer}, {"text": f"Urgency: {a['urgency']}"}],
    }
    if subject:
        risk["subject"] = subject
    add(risk)

    for f in a["red_flags"]:
        flag: dict[str, Any] = {
            "resourceType": "Flag", "id": _id(seed, "flag", f["id"]), "status": "active",
            "category": [{"coding": [_coding(
                "http://terminology.hl7.org/CodeSystem/flag-category", "clinical",
                "Clinical")]}],
            "code": {"coding": [_coding(f"{HIPMAP_CS}/red-flag", f["id"], f["message"])],
                     "text": f"{f['urgency'].upper()}: {f['message']} {f['action']}"},
            "period": {"start": when},
        }
        flag["subject"] = subject or {"display": "unidentified patient"}
        add(flag)

    add({"resourceType": "DocumentReference", "id": _id(seed, "drawing"),
         "status": "current",
         "type": {"text": "hipmap pain drawing (hipmap.drawing/1)"},
         "date": when if "T" in when else f"{when}T00:00:00Z",
         **({"subject": subject} if subject else {}),
         "content": [{"attachment": {
             "contentType": "application/json",
             "data": base64.b64encode(seed.encode("utf-8")).decode("ascii"),
             "title": "drawing.hipmap.json"}}]})

    return {"resourceType": "Bundle", "id": _id(seed, "bundle"), "type": "collection",
            "timestamp": when if "T" in when else f"{when}T00:00:00Z", "entry": entries}


def _touches(mark: Any, region_id: str) -> bool:
    if getattr(mark, "region", None) == region_id:
        return True
    if mark.kind != "stroke":
        return False
    from hipmap.geometry.atlas import load_atlas
    from hipmap.geometry.coverage import stroke_polygon

    area = load_atlas().view(mark.view).regions.get(region_id)
    return area is not None and stroke_polygon(mark.points, mark.width).intersects(area.geom)
