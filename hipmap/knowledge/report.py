"""Readable text for the CLI: the assessment report and the knowledge base listing."""

from __future__ import annotations

import textwrap
from dataclasses import asdict
from typing import Any

from hipmap.core.document import Document
from hipmap.core.ids import ANSWERS, BASE_REGIONS, split_region
from hipmap.knowledge.assessment import headline, headline_detail
from hipmap.knowledge.base import BoolLR, KnowledgeBase, NumberLR, load_knowledge
from hipmap.knowledge.texts import (
    cause_name,
    cause_short,
    effect_text,
    percent_text,
    sentence,
)

WIDTH = 88


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ")


def region_label(region_id: str) -> str:
    side, base = split_region(region_id)
    return f"{side.upper()} {BASE_REGIONS[base]}"


def assessment_text(doc: Document, a: dict[str, Any], kb: KnowledgeBase | None = None) -> str:
    kb = kb or load_knowledge()
    out = ["hipmap assessment", "=" * 17, ""]
    if doc.patient:
        who = ", ".join(f"{k} {v}" for k, v in doc.patient.items() if v is not None)
        out.append(f"Patient: {who}")
    out.append(f"URGENCY: {headline(a)}")
    detail = headline_detail(a)
    if detail:
        out.append(_wrap(detail))
    for reason in a.get("urgency_reasons", []):
        if detail and reason.startswith("Red-flag screening is incomplete"):
            continue  # said just above
        out.append(_wrap(f"- {reason}"))
    if a["red_flags"]:
        out += ["", "RED FLAGS — these come before any ranking:"]
        for f in a["red_flags"]:
            out.append(_wrap(f"! {f['id']} ({f['urgency']}): {f['message']}"))
            out.append(_wrap(f"  What to do now: {f['action']}"))
            if f.get("because"):
                out.append(_wrap(f"  Because: {'; '.join(f['because'])}"))
    out += ["", "Where it hurts (patient's sides):"]
    if not a["regions"]:
        out.append("  nothing painted")
    for r in a["regions"]:
        out.append(f"  {region_label(r['id']):<44} {_coverage(r['coverage']):>5} covered, "
                   f"intensity {r['intensity']}")
    if a["dermatomes"]:
        derm = ", ".join(f"{d['id']} {_coverage(d['coverage'])}" for d in a["dermatomes"])
        out.append(_wrap(f"Dermatomes (consensus map; real ones vary): {derm}", ""))
    out += ["", "Candidate causes, most likely first (not a diagnosis; 'Other' = none of the "
            "listed causes fits well):"]
    for i, r in enumerate(a["ranking"], 1):
        bar = "#" * round(r["score"] * 30)
        out.append(f"{i:>2}. {cause_short(kb, r['cause']):<18} {percent_text(r['score']):>6}  "
                   f"{bar}")
        if i <= 3:
            out.append(_wrap(cause_name(kb, r["cause"]), "      "))
            for e in r["evidence"][:5]:
                sign = "+" if e["effect"] > 0 else "-"
                out.append(_wrap(f"{sign} {e['text']} ({sentence(effect_text(e['effect']))}"
                                 ".)", "      "))
    red = [q for q in a["next_questions"] if q.get("kind") == "red_flag"]
    others = [q for q in a["next_questions"] if q.get("kind") != "red_flag"]
    if red:
        out += ["", "Ask first — red-flag questions still unanswered (most important first):"]
        last_why = None
        for q in red:
            if q["why"] != last_why:
                out.append(_wrap(f"({q['why']})", "  "))
                last_why = q["why"]
            out.append(_wrap(f"! {ANSWERS[q['answer']][2]}", "    "))
    if others:
        out += ["", "Then ask (separates the leading causes):"]
        for q in others:
            out.append(_wrap(f"? {ANSWERS[q['answer']][2]}  — {q['why']}"))
    out += ["", _wrap(f"Knowledge base {a.get('knowledge_version', kb.version)}. "
                      f"{kb.disclaimer}", ""), ""]
    return "\n".join(out)


def _coverage(fraction: float) -> str:
    """Painted coverage of a region: a graze is '<1%', never '0%'."""
    return "<1%" if 0 < fraction < 0.005 else f"{fraction * 100:.0f}%"


def causes_json(kb: KnowledgeBase | None = None) -> dict[str, Any]:
    kb = kb or load_knowledge()
    causes = []
    for c in kb.causes.values():
        answers = {}
        for aid, spec in c.answers.items():
            d = asdict(spec)
            d["source"] = list(spec.source)
            if isinstance(spec, NumberLR):
                d["bands"] = [{"from": b.lo, "below": b.hi, "lr": b.lr} for b in spec.bands]
            answers[aid] = d
        causes.append({
            "id": c.id, "name": c.name, "short_name": cause_short(kb, c.id),
            "color": c.color, "plain_name": c.plain_name, "summary": c.summary,
            "plain_summary": c.plain_summary, "territory_summary": c.territory_summary,
            "self_care": c.self_care,
            "prior": {**_cited(c.prior), "value": c.prior.lr},
            "territory": {r: {**_cited(t), "p": t.p} for r, t in c.territory.items()},
            "answers": answers,
            "qualities": {q: {**_cited(v), "lr": v.lr} for q, v in c.qualities.items()},
            "patterns": {q: {**_cited(v), "lr": v.lr} for q, v in c.patterns.items()},
            "sex": {q: {**_cited(v), "lr": v.lr} for q, v in c.sex.items()},
        })
    return {
        "format": "hipmap.knowledge/1", "version": kb.version, "disclaimer": kb.disclaimer,
        "model": {"region_exponent": kb.region_exponent,
                  "unpainted_exponent": kb.unpainted_exponent,
                  "painted_threshold": kb.painted_threshold},
        "causes": causes,
        "other": None if kb.other is None else {
            "prior": kb.other.prior, "territory_p": kb.other.territory_p,
            "basis": kb.other.basis, "source": list(kb.other.source), "note": kb.other.note},
        "groups": [{"id": g.id, "label": g.label, "members": list(g.members),
                    "source": list(g.source), "note": g.note} for g in kb.groups],
        "red_flags": [{"id": r.flag, "urgency": r.urgency, "all": [c.text for c in r.all],
                       "any": [c.text for c in r.any], "message": r.message,
                       "action": r.action, "source": list(r.source)}
                      for r in kb.red_flag_rules],
        "screening": [{"id": sc.id, "when": [c.text for c in sc.when],
                       "when_any": [c.text for c in sc.when_any],
                       "if_unknown": "ask" if sc.ask_if_unknown else "skip",
                       "ask": list(sc.ask), "why": sc.why, "source": list(sc.source)}
                      for sc in kb.screens],
        "sources": {s.id: {"citation": s.citation, "url": s.url, "verified": s.verified,
                           "note": s.note} for s in kb.sources.values()},
    }


def _cited(x: Any) -> dict[str, Any]:
    return {"basis": x.basis, "source": list(x.source), "note": x.note}


def causes_text(kb: KnowledgeBase | None = None) -> str:
    kb = kb or load_knowledge()
    out = [f"hipmap knowledge base {kb.version}", ""]
    for c in kb.causes.values():
        out.append(f"{c.name}  [{c.id}]")
        out.append(_wrap(c.plain_summary))
        if c.territory_summary:
            out.append(_wrap(f"Where: {c.territory_summary}"))
        top = sorted(c.territory.items(), key=lambda kv: -kv[1].p)[:6]
        out.append(_wrap("Territory P(painted | cause): " + ", ".join(
            f"{BASE_REGIONS[r]} {t.p:.2f}" for r, t in top)))
        feats = []
        for aid, spec in c.answers.items():
            if isinstance(spec, BoolLR):
                feats.append(f"{aid} yes x{spec.lr_yes:g} / no x{spec.lr_no:g}")
            else:
                feats.append(f"{aid} " + ", ".join(f"{b.describe()} x{b.lr:g}"
                                                   for b in spec.bands))
        if feats:
            out.append(_wrap("Answers (likelihood ratios): " + "; ".join(feats)))
        srcs = sorted({s for t in c.territory.values() for s in t.source}
                      | {s for a in c.answers.values() for s in a.source})
        out.append(_wrap("Sources: " + ", ".join(
            s + ("" if kb.sources[s].verified else " (UNVERIFIED)") for s in srcs)))
        out.append("")
    out.append("Red flags (override every ranking):")
    for r in kb.red_flag_rules:
        cond = " and ".join(c.text for c in r.all) + (" and " if r.all and r.any else "") + (
            "any of (" + "; ".join(c.text for c in r.any) + ")" if r.any else "")
        out.append(_wrap(f"{r.flag} -> {r.urgency} when {cond}"))
    out += ["", "Red-flag screening (asked before any reassurance, first match first):"]
    for sc in kb.screens:
        cond = " and ".join(c.text for c in sc.when) or "always"
        if sc.when_any:
            cond += " and any of (" + "; ".join(c.text for c in sc.when_any) + ")"
        out.append(_wrap(f"{sc.id}: when {cond} -> ask {', '.join(sc.ask)}"))
    out += ["", "Sources:"]
    for s in kb.sources.values():
        flag = "" if s.verified else " [UNVERIFIED]"
        out.append(_wrap(f"[{s.id}] {s.citation}{flag} {s.url}".strip()))
    out += ["", kb.disclaimer, ""]
    return "\n".join(out)
