"""Every visit of one patient as one FHIR R4 Bundle (``hipmap export --fhir --patient``).

Each visit goes through :func:`hipmap.report.fhir.export_bundle` (the single-drawing export) with
its stored assessment; the results are combined: one ``Patient``, one ``Encounter`` per visit
(identifier = the visit number, period = ``recorded_at``) that the visit's Observations,
answers, RiskAssessment, Flags and DocumentReference point to, and each visit's resource ids
made unique to that visit (two visits with the same drawing stay two).
"""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING, Any

from hipmap.i18n import _

if TYPE_CHECKING:
    from hipmap.storage.store import Store


def patient_bundle(store: Store, patient: Any) -> dict[str, Any]:
    from hipmap.core.document import loads
    from hipmap.report.fhir import HIPMAP_CS, NS, export_bundle, snapshot_bundle
    from hipmap.storage.errors import NotFound
    from hipmap.storage.store import iso, patient_id

    pid = patient_id(patient)
    record = store.get_patient(pid)
    if record is None:
        raise NotFound(_("there is no patient {pid} in {where}").format(pid=pid, where=store.where))
    entries: list[dict[str, Any]] = []
    patient_ref = f"urn:uuid:{uuid.uuid5(NS, json.dumps(['patient', pid]))}"
    have_patient = False
    visits = store.visit_documents(pid)
    for summary, text, assessment in visits:
        doc = loads(text, source=f"visit {summary.visit}")
        header = dict(doc.patient or {})
        header["id"] = pid
        if record.sex and "sex" not in header:
            header["sex"] = record.sex
        doc.patient = header
        if not doc.recorded_at:
            doc.recorded_at = iso(summary.recorded_at)
        try:
            bundle = snapshot_bundle(doc, assessment) if assessment else export_bundle(doc)
        except (KeyError, TypeError):  # a snapshot this hipmap cannot read: assess anew
            bundle = export_bundle(doc)
        ids = {e["resource"]["id"]: str(uuid.uuid5(NS, json.dumps(
            ["visit", summary.visit, e["resource"]["id"]])))
            for e in bundle["entry"] if e["resource"]["resourceType"] != "Patient"}
        blob = json.dumps(bundle["entry"])
        for old, new in ids.items():
            blob = blob.replace(old, new)
        visit_entries = json.loads(blob)
        patient_ref = next((e["fullUrl"] for e in visit_entries
                            if e["resource"]["resourceType"] == "Patient"), patient_ref)
        enc_id = str(uuid.uuid5(NS, json.dumps(["encounter", pid, summary.visit])))
        enc_ref = {"reference": f"urn:uuid:{enc_id}"}
        when = iso(summary.recorded_at)
        entries.append({"fullUrl": f"urn:uuid:{enc_id}", "resource": {
            "resourceType": "Encounter", "id": enc_id, "status": "finished",
            "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                      "code": "AMB", "display": "ambulatory"},
            "identifier": [{"system": f"{HIPMAP_CS}/visit-id", "value": str(summary.visit)}],
            "subject": {"reference": patient_ref},
            "period": {"start": when},
            "meta": {"versionId": str(summary.version)},
            "serviceType": {"text": "hipmap pain drawing"
                            + (" (patient kiosk)" if summary.source == "kiosk" else "")},
        }})
        for e in visit_entries:
            r = e["resource"]
            kind = r["resourceType"]
            if kind == "Patient":
                if have_patient:
                    continue
                have_patient = True
                if record.name:
                    r["name"] = [{"text": record.name}]
                if record.birth_date:
                    r["birthDate"] = record.birth_date
            elif kind == "DocumentReference":
                r["context"] = {"encounter": [enc_ref]}
            elif kind in ("Observation", "QuestionnaireResponse", "RiskAssessment", "Flag"):
                r["encounter"] = enc_ref
            entries.append(e)
    if not have_patient:
        entries.insert(0, {"fullUrl": patient_ref, "resource": {
            "resourceType": "Patient", "id": patient_ref.removeprefix("urn:uuid:"),
            "identifier": [{"system": f"{HIPMAP_CS}/patient-id", "value": pid}],
            **({"name": [{"text": record.name}]} if record.name else {})}})
    stamp = max((v[0].updated_at for v in visits if v[0].updated_at), default=None)
    key = [pid] + [[v[0].visit, v[0].version] for v in visits]
    return {"resourceType": "Bundle", "id": str(uuid.uuid5(NS, json.dumps(["patient-bundle",
                                                                          key]))),
            "type": "collection", "timestamp": iso(stamp or record.created_at),
            "entry": entries}
