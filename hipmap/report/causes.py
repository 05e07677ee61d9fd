"""The knowledge base as the command line prints it (``hipmap causes``): JSON and text."""

from __future__ import annotations

import textwrap
from dataclasses import asdict
from typing import Any

from hipmap.i18n import _
from hipmap.knowledge.base import BoolLR, KnowledgeBase, NumberLR, load_knowledge
from hipmap.knowledge.texts import cause_name, cause_short, region_name

WIDTH = 88


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ")


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
            "id": c.id, "name": cause_name(kb, c.id), "short_name": cause_short(kb, c.id),
            "color": c.color, "plain_name": _t(c.plain_name), "summary": _t(c.summary),
            "plain_summary": _t(c.plain_summary),
            "territory_summary": _t(c.territory_summary), "self_care": _t(c.self_care),
            "prior": {**_cited(c.prior), "value": c.prior.value},
            "territory": {r: {**_cited(t), "p": t.p} for r, t in c.territory.items()},
            "answers": answers,
            "qualities": {q: {**_cited(v), "lr": v.lr} for q, v in c.qualities.items()},
            "patterns": {q: {**_cited(v), "lr": v.lr} for q, v in c.patterns.items()},
            "sex": {q: {**_cited(v), "lr": v.lr} for q, v in c.sex.items()},
        })
    return {
        "format": "hipmap.knowledge/1", "version": kb.version,
        "disclaimer": _t(kb.disclaimer),
        "model": {"region_exponent": kb.region_exponent,
                  "unpainted_exponent": kb.unpainted_exponent,
                  "painted_threshold": kb.painted_threshold},
        "causes": causes,
        "other": None if kb.other is None else {
            "prior": kb.other.prior, "territory_p": kb.other.territory_p,
            "basis": kb.other.basis, "source": list(kb.other.source), "note": kb.other.note},
        "groups": [{"id": g.id, "label": _t(g.label), "members": list(g.members),
                    "source": list(g.source), "note": g.note} for g in kb.groups],
        "red_flags": [{"id": r.flag, "urgency": r.urgency, "all": [c.text for c in r.all],
                       "any": [c.text for c in r.any], "message": _t(r.message),
                       "action": _t(r.action), "source": list(r.source)}
                      for r in kb.red_flag_rules],
        "screening": [{"id": sc.id, "when": [c.text for c in sc.when],
                       "when_any": [c.text for c in sc.when_any],
                       "if_unknown": "ask" if sc.ask_if_unknown else "skip",
                       "ask": list(sc.ask), "why": _t(sc.why), "source": list(sc.source)}
                      for sc in kb.screens],
        "sources": {s.id: {"citation": s.citation, "url": s.url, "verified": s.verified,
                           "note": s.note} for s in kb.sources.values()},
    }


def _t(text: str) -> str:
    """A knowledge-base text in the current language (looked up by its English text)."""
    return _(text) if text else text


def _cited(x: Any) -> dict[str, Any]:
    return {"basis": x.basis, "source": list(x.source), "note": x.note}


def causes_text(kb: KnowledgeBase | None = None) -> str:
    """The knowledge base for a reader: each cause with its territory, the likelihood ratios
    of its answers and its sources; the red-flag rules and screens in their own language."""
    kb = kb or load_knowledge()
    out = [_("hipmap knowledge base {version}").format(version=kb.version), ""]
    unverified = _("UNVERIFIED")
    for c in kb.causes.values():
        out.append(f"{cause_name(kb, c.id)}  [{c.id}]")
        out.append(_wrap(_t(c.plain_summary)))
        if c.territory_summary:
            out.append(_wrap(_("Where: {territory}").format(territory=_t(c.territory_summary))))
        top = sorted(c.territory.items(), key=lambda kv: -kv[1].p)[:6]
        out.append(_wrap(_("Territory P(painted | cause): {regions}").format(regions=", ".join(
            f"{region_name(r, full=True)} {t.p:.2f}" for r, t in top))))
        feats = []
        for aid, spec in c.answers.items():
            if isinstance(spec, BoolLR):
                feats.append(_("{answer} yes x{lr_yes} / no x{lr_no}").format(
                    answer=aid, lr_yes=f"{spec.lr_yes:g}", lr_no=f"{spec.lr_no:g}"))
            else:
                feats.append(f"{aid} " + ", ".join(f"{b.describe()} x{b.lr:g}"
                                                   for b in spec.bands))
        if feats:
            out.append(_wrap(_("Answers (likelihood ratios): {answers}").format(
                answers="; ".join(feats))))
        srcs = sorted({s for t in c.territory.values() for s in t.source}
                      | {s for a in c.answers.values() for s in a.source})
        out.append(_wrap(_("Sources: {sources}").format(sources=", ".join(
            s + ("" if kb.sources[s].verified else f" ({unverified})") for s in srcs))))
        out.append("")
    out.append(_("Red flags (override every ranking):"))
    for r in kb.red_flag_rules:
        cond = " and ".join(c.text for c in r.all) + (" and " if r.all and r.any else "") + (
            "any of (" + "; ".join(c.text for c in r.any) + ")" if r.any else "")
        out.append(_wrap(_("{flag} -> {urgency} when {conditions}").format(
            flag=r.flag, urgency=r.urgency, conditions=cond)))
    out += ["", _("Red-flag screening (asked before any reassurance, first match first):")]
    for sc in kb.screens:
        cond = " and ".join(c.text for c in sc.when) or "always"
        if sc.when_any:
            cond += " and any of (" + "; ".join(c.text for c in sc.when_any) + ")"
        out.append(_wrap(_("{screen}: when {conditions} -> ask {answers}").format(
            screen=sc.id, conditions=cond, answers=", ".join(sc.ask))))
    out += ["", _("Sources:")]
    for s in kb.sources.values():
        flag = "" if s.verified else f" [{unverified}]"
        out.append(_wrap(f"[{s.id}] {s.citation}{flag} {s.url}".strip()))
    out += ["", _t(kb.disclaimer), ""]
    return "\n".join(out)
