"""FHIR R4 export of a drawing and its assessment (``hipmap export FILE --fhir``).

FHIR R4 has no resource for a pain drawing, so the Bundle combines:

* a ``Patient`` (always: every Observation, BodyStructure, RiskAssessment and Flag needs a
  subject; without a patient id it has no identifier);
* one pain ``Observation`` per painted region (SNOMED CT 22253000 |Pain|). Its ``bodySite``
  is the region's SNOMED CT body structure refined by laterality — a post-coordinated
  expression ``SITE:272741003=24028007`` (right) or ``=7771000`` (left) — so the left and
  right Observations differ in their coding, not only in text. A linked ``BodyStructure``
  carries the same site, laterality and direction (anterior, plantar …) as qualifiers for
  receivers that do not read expressions;
* the 0-10 intensity as a LOINC 72514-3 component only where the drawing *rated* it (a mark
  without an intensity exports no score), with its value as given (6.5 stays 6.5);
* a ``QuestionnaireResponse`` with the answers (no ``item`` when nothing was answered), a
  ``RiskAssessment`` with each cause's score (any cause id, ``other`` included), a ``Flag``
  per red flag, and a ``DocumentReference`` holding the original hipmap document.

Times: ``recorded_at`` becomes a valid FHIR dateTime (converted to UTC when it has a zone;
just the day when it has none — never an invented midnight or "now"); without it, no
resource carries a time. Qt-free; deterministic (ids are UUIDv5 of the content).
"""

from __future__ import annotations

import base64
import json
import re
import uuid
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from hipmap.core.document import Document
from hipmap.core.ids import ANSWERS, BASE_REGIONS, QUALITIES, split_region
from hipmap.knowledge.assessment import Assessment, assess
from hipmap.knowledge.base import load_knowledge
from hipmap.knowledge.texts import cause_name

if TYPE_CHECKING:
    from hipmap.geometry.coverage import Coverage

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
HIPMAP_CS = "https://hipmap.org/fhir/CodeSystem"
NS = uuid.UUID("6f1d3c2a-8a2b-4f6e-9a43-2b1c7e9d0a11")
LATERALITY_ATTRIBUTE = "272741003"  # |Laterality (attribute)|

#: region -> (SNOMED CT body structure, display, direction qualifiers). See the README's
#: FHIR section for which codes were verified and where.
SITES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "lower_back": ("37822005", "Lower back structure", ()),
    "sacroiliac": ("39723000", "Sacroiliac joint structure", ()),
    "buttock": ("46862004", "Buttock structure", ()),
    # the ischial REGION (lower inner buttock around the sitting bone), not the ischium
    # bone: the buttock, lower and medial part
    "ischial": ("46862004", "Buttock structure", ("lower", "medial")),
    "lateral_hip": ("30547004", "Structure of greater trochanter of femur", ()),
    "groin": ("26893007", "Inguinal region structure", ()),
    "anterior_thigh": ("68367000", "Thigh structure", ("anterior",)),
    "medial_thigh": ("68367000", "Thigh structure", ("medial",)),
    "lateral_thigh": ("68367000", "Thigh structure", ("lateral",)),
    "posterior_thigh": ("68367000", "Thigh structure", ("posterior",)),
    "anterior_knee": ("72696002", "Knee region structure", ("anterior",)),
    "medial_knee": ("72696002", "Knee region structure", ("medial",)),
    "lateral_knee": ("72696002", "Knee region structure", ("lateral",)),
    "posterior_knee": ("32361000", "Popliteal fossa", ()),
    "anterior_leg": ("78234002", "Shin structure", ()),
    "medial_leg": ("30021000", "Structure of lower extremity from knee to ankle",
                   ("medial",)),
    "lateral_leg": ("30021000", "Structure of lower extremity from knee to ankle",
                    ("lateral",)),
    "posterior_leg": ("53840002", "Calf of leg", ()),
    "dorsal_foot": ("2402003", "Structure of dorsum of foot", ()),
    "plantar_foot": ("57999000", "Structure of sole of foot", ()),
}
LATERALITY = {"right": ("24028007", "Right"), "left": ("7771000", "Left")}
QUALIFIERS = {
    **LATERALITY,
    "anterior": ("255549009", "Anterior"), "posterior": ("255551008", "Posterior"),
    "lateral": ("49370004", "Lateral"), "medial": ("255561001", "Medial"),
    "lower": ("261122009", "Lower"),
}
QUALITY_CODES = {"dull_ache": ("27635008", "Aching")}  # the only one verified (cds4cpm)
SEVERITY = ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")


def _id(*parts: Any) -> str:
    return str(uuid.uuid5(NS, json.dumps(parts, sort_keys=True, default=str)))


def _coding(system: str, code: str, display: str) -> dict[str, str]:
    return {"system": system, "code": code, "display": display}


def body_site(region_id: str) -> dict[str, Any]:
    """The Observation.bodySite of a region: one SNOMED CT coding that includes the side."""
    side, base = split_region(region_id)
    code, display, _dirs = SITES[base]
    lat_code, lat_display = LATERALITY[side]
    return {"coding": [_coding(SNOMED, f"{code}:{LATERALITY_ATTRIBUTE}={lat_code}",
                               f"{display} (laterality: {lat_display.lower()})")],
            "text": f"{side.capitalize()} {BASE_REGIONS[base]}"}


# ----------------------------------------------------------------------------- times

_FHIR_DATETIME = re.compile(
    r"([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2]"
    r"[0-9]|3[0-1])(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]{1,9})?)?)?"
    r"(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)?)?)?")
_FHIR_INSTANT = re.compile(
    r"([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)-(0[1-9]|1[0-2])-(0[1-9]|[1-2]"
    r"[0-9]|3[0-1])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]{1,9})?"
    r"(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))")


def fhir_times(recorded_at: str | None) -> tuple[str | None, str | None]:
    """(dateTime, instant) for a document's ``recorded_at`` — or None where FHIR's form
    would need what the document does not say (a zone for a time; a time for an instant)."""
    if not recorded_at:
        return None, None
    text = recorded_at.strip()
    try:
        day = date.fromisoformat(text)  # a date alone, also the week form 2026-W48-3
    except ValueError:
        day = None
    if day is not None:
        return day.isoformat(), None
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None, None
    if when.tzinfo is None or when.utcoffset() is None:
        return when.date().isoformat(), None  # no zone: the day is all that is certain
    utc = when.astimezone(UTC)
    stamp = utc.strftime("%Y-%m-%dT%H:%M:%S")
    if utc.microsecond:
        stamp += f".{utc.microsecond:06d}".rstrip("0")
    stamp += "Z"
    return stamp, stamp


def is_fhir_datetime(value: str) -> bool:
    """FHIR's dateTime form; with a time, a zone is required ("SHALL be populated")."""
    if not _FHIR_DATETIME.fullmatch(value):
        return False
    return "T" not in value or bool(re.search(r"(Z|[+-]\d\d:\d\d)$", value))


def is_fhir_instant(value: str) -> bool:
    return bool(_FHIR_INSTANT.fullmatch(value))


# ----------------------------------------------------------------------------- the bundle

def export_bundle(doc: Document, assessment: Assessment | None = None) -> dict[str, Any]:
    """The drawing and its assessment (assessed now when not given) as a FHIR R4 Bundle."""
    from hipmap.geometry.coverage import coverage_of

    coverage = coverage_of(doc)  # once: the assessment and the per-region marks share it
    a = assessment or assess(doc, coverage=coverage)
    return snapshot_bundle(doc, a.to_json(), coverage=coverage)


def snapshot_bundle(doc: Document, a: dict[str, Any],
                    coverage: Coverage | None = None) -> dict[str, Any]:
    """The same from an assessment's contract JSON (a visit's stored snapshot, which an
    older hipmap may have written)."""
    if coverage is None:
        from hipmap.geometry.coverage import coverage_of

        coverage = coverage_of(doc)
    kb = load_knowledge()
    when, instant = fhir_times(doc.recorded_at)
    seed = doc.dumps()
    entries: list[dict[str, Any]] = []

    def add(resource: dict[str, Any]) -> str:
        rid = resource["id"]
        entries.append({"fullUrl": f"urn:uuid:{rid}", "resource": resource})
        return f"urn:uuid:{rid}"

    # ------------------------------------------------------------------ the patient
    patient: dict[str, Any] = {"resourceType": "Patient"}
    pid = (doc.patient or {}).get("id")
    if pid is not None and str(pid).strip():
        patient["id"] = _id("patient", str(pid))
        patient["identifier"] = [{"system": f"{HIPMAP_CS}/patient-id", "value": str(pid)}]
    else:  # an unidentified patient: this drawing's own
        patient["id"] = _id(seed, "patient")
    sex = str((doc.patient or {}).get("sex") or "").lower()
    if sex in ("female", "male", "other", "unknown"):
        patient["gender"] = sex
    subject = {"reference": add(patient)}

    # ------------------------------------------------------------------ one Observation per region
    observations = []
    by_region = {rid: [doc.marks[k] for k in coverage.marks_painting(rid)]  # type: ignore[index]
                 for rid in {r["id"] for r in a.get("regions", [])}}
    for r in a.get("regions", []):
        side, base = split_region(r["id"])
        code, display, directions = SITES[base]
        site = body_site(r["id"])
        body = {
            "resourceType": "BodyStructure", "id": _id(seed, "body", r["id"]),
            "location": {"coding": [_coding(SNOMED, code, display)], "text": site["text"]},
            "locationQualifier": [{"coding": [_coding(SNOMED, *QUALIFIERS[q])]}
                                  for q in (side, *directions)],
            "description": f"hipmap region {r['id']}",
            "patient": subject,
        }
        body_ref = add(body)
        touching = by_region.get(r["id"], [])
        components: list[dict[str, Any]] = []
        rated = [m.intensity for m in touching if getattr(m, "intensity_rated", True)]
        if rated:  # only what the drawing rated: a missing intensity is no score
            components.append({
                "code": {"coding": [_coding(LOINC, *SEVERITY)]},
                "valueQuantity": {"value": _number(max(rated)), "unit": "{score}",
                                  "system": UCUM, "code": "{score}"}})
        components.append({
            "code": {"coding": [_coding(f"{HIPMAP_CS}/observation", "region-coverage",
                                        "Fraction of the region painted")]},
            "valueQuantity": {"value": round(float(r["coverage"]) * 100, 1), "unit": "%",
                              "system": UCUM, "code": "%"}})
        for q in sorted({m.quality for m in touching if m.quality}):
            value: dict[str, Any] = {"text": QUALITIES[q]}
            if q in QUALITY_CODES:
                value["coding"] = [_coding(SNOMED, *QUALITY_CODES[q])]
            components.append({"code": {"text": "Pain quality"},
                               "valueCodeableConcept": value})
        obs: dict[str, Any] = {
            "resourceType": "Observation", "id": _id(seed, "obs", r["id"]),
            "status": "final",
            "category": [{"coding": [_coding(
                "http://terminology.hl7.org/CodeSystem/observation-category", "survey",
                "Survey")]}],
            "code": {"coding": [_coding(SNOMED, "22253000", "Pain")], "text": "Pain"},
            "subject": subject,
            "bodySite": {**site, "extension": [{
                "url": "http://hl7.org/fhir/StructureDefinition/bodySite",
                "valueReference": {"reference": body_ref}}]},
            "component": components,
        }
        if when:
            obs["effectiveDateTime"] = when
        observations.append({"reference": add(obs)})

    # ------------------------------------------------------------------ the answers
    answers = doc.effective_answers()
    qr: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse", "id": _id(seed, "answers"),
        "status": "completed", "subject": subject,
    }
    if when:
        qr["authored"] = when
    items = [{"linkId": aid, "text": ANSWERS[aid][2] if aid in ANSWERS else aid,
              "answer": [{"valueBoolean": v} if isinstance(v, bool)
                         else {"valueDecimal": _number(v)}]}
             for aid, v in answers.items() if isinstance(v, bool | int | float)]
    if items:
        qr["item"] = items
    qr_ref = add(qr)

    # ------------------------------------------------------------------ the ranking
    predictions = []
    for r in a.get("ranking", []):
        cause_id = str(r["cause"])
        name = cause_name(kb, cause_id)  # the one name every surface gives the cause
        pred: dict[str, Any] = {
            "outcome": {"coding": [_coding(f"{HIPMAP_CS}/cause", cause_id, name)],
                        "text": name},
            "probabilityDecimal": _number(r["score"]),
        }
        rationale = " ".join(str(e.get("text", "")).strip()
                             for e in r.get("evidence", [])[:4]).strip()
        if rationale:
            pred["rationale"] = rationale
        predictions.append(pred)
    notes = [{"text": kb.disclaimer}, {"text": f"Urgency: {a['urgency']}"}]
    if a.get("screening") == "incomplete":  # contract 1.1
        unscreened = ", ".join(str(x) for x in a.get("unscreened", []))
        notes.append({"text": "Red-flag screening incomplete"
                      + (f"; not yet asked: {unscreened}" if unscreened else "")})
    risk: dict[str, Any] = {
        "resourceType": "RiskAssessment", "id": _id(seed, "risk"), "status": "final",
        "subject": subject,
        "method": {"text": f"hipmap likelihood-ratio matcher, knowledge base {kb.version}"},
        "basis": [*observations, {"reference": qr_ref}],
        "note": notes,
    }
    if when:
        risk["occurrenceDateTime"] = when
    if predictions:
        risk["prediction"] = predictions
    add(risk)

    # ------------------------------------------------------------------ red flags
    for f in a.get("red_flags", []):
        flag: dict[str, Any] = {
            "resourceType": "Flag", "id": _id(seed, "flag", f["id"]), "status": "active",
            "category": [{"coding": [_coding(
                "http://terminology.hl7.org/CodeSystem/flag-category", "clinical",
                "Clinical")]}],
            "code": {"coding": [_coding(f"{HIPMAP_CS}/red-flag", f["id"], f["message"])],
                     "text": " ".join(f"{str(f.get('urgency', '')).upper()}: {f['message']} "
                                      f"{f.get('action', '')}".split())},
            "subject": subject,
        }
        if when:
            flag["period"] = {"start": when}
        add(flag)

    # ------------------------------------------------------------------ the drawing itself
    reference: dict[str, Any] = {
        "resourceType": "DocumentReference", "id": _id(seed, "drawing"),
        "status": "current",
        "type": {"text": "hipmap pain drawing (hipmap.drawing/1)"},
        "subject": subject,
        "content": [{"attachment": {
            "contentType": "application/json",
            "data": base64.b64encode(seed.encode("utf-8")).decode("ascii"),
            "title": "drawing.hipmap.json"}}],
    }
    if instant:
        reference["date"] = instant
    add(reference)

    bundle: dict[str, Any] = {"resourceType": "Bundle", "id": _id(seed, "bundle"),
                              "type": "collection", "entry": entries}
    if instant:
        bundle["timestamp"] = instant
    return bundle


def _number(v: Any) -> int | float:
    f = float(v)
    return int(f) if f.is_integer() else f
