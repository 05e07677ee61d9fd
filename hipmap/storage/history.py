"""A patient's course over visits (``hipmap history``): per visit the painted regions, the
painted area and highest intensity per region group, urgency, the three leading causes, and
what changed since the visit before. Computed from each visit's stored assessment, so it
shows what the clinician saw then.

``groups[G].area`` is the fraction (0-1) of the group's skin painted, both sides together:
the sum of coverage × region area over the group's regions divided by the group's area
(each region's area is its largest in any view of the atlas, as coverage takes the largest
view).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from hipmap.core.ids import REGION_GROUPS, SIDES
from hipmap.i18n import N_, _

if TYPE_CHECKING:
    from hipmap.storage.store import Store

FORMAT = "hipmap.history/1"
#: region group -> how the text names it (marked for translation, translated when shown)
GROUP_NAMES = {"hip": N_("hip"), "thigh": N_("thigh"), "knee": N_("knee"),
               "below_knee": N_("below the knee")}


@cache
def region_areas() -> dict[str, float]:
    """Each region id's reference area: its largest in any view (diagram units²)."""
    from hipmap.geometry.atlas import load_atlas

    out: dict[str, float] = {}
    for va in load_atlas().views.values():
        for rid, a in va.regions.items():
            out[rid] = max(out.get(rid, 0.0), a.area)
    return out


def group_of(region_id: str) -> str | None:
    base = region_id.partition(".")[2]
    for group, bases in REGION_GROUPS.items():
        if base in bases:
            return group
    return None


def groups(regions: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    areas = region_areas()
    out = {}
    for group, bases in REGION_GROUPS.items():
        ids = [f"{side}.{b}" for side in SIDES for b in bases]
        total = sum(areas.get(r, 0.0) for r in ids) or 1.0
        painted = 0.0
        top = 0.0
        for r in regions:
            if r["id"] in ids:
                painted += float(r.get("coverage", 0)) * areas.get(r["id"], 0.0)
                top = max(top, float(r.get("intensity", 0)))
        out[group] = {"area": round(painted / total, 4), "intensity": _n(top)}
    return out


def _n(v: float) -> float | int:
    return int(v) if float(v).is_integer() else round(v, 2)


def changes(before: list[dict[str, Any]], after: list[dict[str, Any]], since: int
            ) -> dict[str, Any]:
    b = {r["id"]: r for r in before}
    a = {r["id"]: r for r in after}
    both = sorted(set(a) & set(b))
    return {
        "since_visit": since,
        "new": sorted(set(a) - set(b)),
        "resolved": sorted(set(b) - set(a)),
        "unchanged": both,
        "intensity": [{"id": r, "before": b[r].get("intensity"), "after": a[r].get("intensity")}
                      for r in both if b[r].get("intensity") != a[r].get("intensity")],
        "coverage": [{"id": r, "before": b[r].get("coverage"), "after": a[r].get("coverage")}
                     for r in both if b[r].get("coverage") != a[r].get("coverage")],
    }


def history(store: Store, patient: Any) -> dict[str, Any]:
    """The patient's history (``hipmap.history/1``), oldest visit first."""
    from hipmap.storage.errors import NotFound
    from hipmap.storage.store import iso, patient_id

    pid = patient_id(patient)
    if store.get_patient(pid) is None:
        raise NotFound(_("there is no patient {pid} in {where}").format(
            pid=pid, where=store.where))
    entries = []
    prev: dict[str, Any] | None = None
    for summary, assessment in store.visits_with_assessments(pid):
        a = assessment or {}
        regions = [{"id": r["id"], "coverage": r.get("coverage"),
                    "intensity": r.get("intensity")} for r in a.get("regions", [])]
        top = [{"cause": r["cause"], "score": r.get("score")}
               for r in (a.get("ranking") or [])[:3]] if not a.get("nothing_recorded") else []
        entry = {
            "visit": summary.visit, "date": iso(summary.recorded_at), "source": summary.source,
            "version": summary.version, "regions": regions, "groups": groups(regions),
            "urgency": summary.urgency,
            "red_flags": [f.get("id") for f in summary.red_flags],
            "top_causes": top,
            "changes": None if prev is None else changes(prev["regions"], regions,
                                                         prev["visit"]),
        }
        entries.append(entry)
        prev = entry
    return {"format": FORMAT, "patient": pid, "visits": entries}


def history_text(h: dict[str, Any]) -> str:
    """The course as a clinician reads it, in the current language."""
    from hipmap.i18n import _, ngettext
    from hipmap.knowledge.base import load_knowledge
    from hipmap.knowledge.texts import (
        cause_name,
        coverage_text,
        id_text,
        list_text,
        percent_text,
        region_label,
    )

    kb = load_knowledge()
    visits = h["visits"]
    n = len(visits)
    lines = [ngettext("Patient {patient}: {n} visit, oldest first",
                      "Patient {patient}: {n} visits, oldest first", n).format(
                          patient=h["patient"], n=n), ""]
    for e in visits:
        date = e["date"].replace("T", " ").replace("Z", " UTC")
        lines.append(_("Visit {visit} - {date} - {source} - urgency {urgency}").format(
            visit=e["visit"], date=date, source=id_text(e["source"]),
            urgency=(id_text(e["urgency"]) if e["urgency"] else _("unknown")).upper()))
        if e["red_flags"]:
            lines.append("  " + _("RED FLAGS: {flags}").format(flags=list_text(e["red_flags"])))
        if e["regions"]:
            regs = list_text([f"{region_label(r['id'])} {coverage_text(r['coverage'] or 0)} "
                              f"({_n(r['intensity'] or 0)}/10)" for r in e["regions"]])
            lines.append("  " + _("Painted: {regions}").format(regions=regs))
        else:
            lines.append("  " + _("Painted: nothing"))
        lines.append("  " + _("By area: {areas}").format(areas="; ".join(
            _("{area} {percent}% (highest {intensity}/10)").format(
                area=_(GROUP_NAMES[g]), percent=round(100 * v["area"]),
                intensity=v["intensity"])
            for g, v in e["groups"].items())))
        if e["top_causes"]:
            lines.append("  " + _("Leading causes: {causes}").format(causes=list_text([
                f"{cause_name(kb, c['cause'])} {percent_text(c['score'] or 0)}"
                for c in e["top_causes"]])))
        ch = e["changes"]
        if ch is not None:
            parts = []
            for key, word in (("new", _("new: {regions}")), ("resolved", _("resolved: {regions}")),
                              ("unchanged", _("still painted: {regions}"))):
                if ch[key]:
                    parts.append(word.format(regions=list_text([region_label(r)
                                                                for r in ch[key]])))
            if ch["intensity"]:
                parts.append(_("intensity: {changes}").format(changes=list_text([
                    f"{region_label(c['id'])} {_n(c['before'] or 0)} -> {_n(c['after'] or 0)}"
                    for c in ch["intensity"]])))
            lines.append("  " + _("Since visit {visit}: {changes}").format(
                visit=ch["since_visit"], changes="; ".join(parts) if parts else _("no change")))
        lines.append("")
    lines.append(_("hipmap supports a clinician's judgement; it does not diagnose."))
    return "\n".join(lines) + "\n"


#: how each painted region moved between two visits (the app's before/after overlay)
NEW, RESOLVED, UNCHANGED = "new", "resolved", "unchanged"


def region_classes(before: list[dict[str, Any]], after: list[dict[str, Any]]
                   ) -> dict[str, str]:
    """Region id -> ``new`` (painted now, not before), ``resolved`` (painted before, not
    now) or ``unchanged`` (painted in both; its intensity may differ): the same sets as
    :func:`changes`, which ``hipmap history`` prints."""
    ch = changes(before, after, 0)
    out = {r: NEW for r in ch["new"]}
    out.update({r: RESOLVED for r in ch["resolved"]})
    out.update({r: UNCHANGED for r in ch["unchanged"]})
    return out
