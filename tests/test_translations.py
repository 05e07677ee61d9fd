"""Every text the Qt-free packages write goes through the translation catalogs: under the
pseudo-locale (every letter accented, made from the extracted template), the command line's
text and JSON sentences, the knowledge base's texts, the history, the errors and the undo
step names hold no plain English word. Ids (contract: they never change with the language)
are the only plain words left."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from hipmap.core import ids

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.hipmap.json"))
sys.path.insert(0, str(ROOT / "tools"))

#: words that are ids or names, the same in every language
KEEP = {"hipmap", "UTC", "FHIR", "PDF", "JSON", "PNG", "HIPMAP_DEBUG"}


def _ids() -> set[str]:
    from hipmap.knowledge.base import load_knowledge

    kb = load_knowledge()
    words = {*ids.ANSWERS, *ids.REGIONS, *ids.DERMATOMES, *ids.RED_FLAGS, *ids.URGENCIES,
             *ids.QUALITIES, *ids.CAUSES, *kb.sources, *ids.VIEWS, *ids.SIDES}
    return {part for w in words for part in re.split(r"[._]", w)} | KEEP


@pytest.fixture(scope="module")
def pseudo(tmp_path_factory) -> dict[str, str]:
    """The environment that runs hipmap in the pseudo-locale en_XA."""
    pytest.importorskip("babel")
    import i18n as tools_i18n

    folder = tmp_path_factory.mktemp("locale")
    tools_i18n.write_pseudo_all(folder)
    return {**os.environ, "HIPMAP_LOCALE_DIR": str(folder), "HIPMAP_LANG": "en_XA"}


def hipmap(env: dict[str, str], *args: str, ok: bool = True) -> subprocess.CompletedProcess:
    r = subprocess.run([sys.executable, "-m", "hipmap", *args], capture_output=True,
                       text=True, env=env, timeout=120)
    if ok:
        assert r.returncode == 0, r.stderr
    return r


def english_words(text: str, allowed: set[str]) -> list[str]:
    """Words of plain ASCII letters (3 or more) that are not ids: untranslated text."""
    found = re.findall(r"(?<![\w\\])[A-Za-z]{3,}(?![\w])", text)
    return sorted({w for w in found if w not in allowed and w.lower() not in allowed})


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_the_assessment_text_is_all_translated(pseudo, example):
    out = hipmap(pseudo, "assess", str(example)).stdout
    assert "[" in out and "~" in out  # the pseudo-locale is in use
    patient = json.loads(example.read_text()).get("patient", {})
    data = {w for v in patient.values() if isinstance(v, str) for w in re.split(r"\W+", v)}
    assert english_words(out, _ids() | data) == []


@pytest.mark.parametrize("example", EXAMPLES[:3], ids=[p.name for p in EXAMPLES[:3]])
def test_the_json_sentences_are_translated_and_the_ids_are_not(pseudo, example):
    a = json.loads(hipmap(pseudo, "assess", str(example), "--format", "json").stdout)
    english = json.loads(hipmap({**pseudo, "HIPMAP_LANG": "en"}, "assess", str(example),
                                "--format", "json").stdout)
    allowed = _ids()
    texts = [*a["urgency_reasons"], a["knowledge_base"]["disclaimer"]]
    texts += [f[k] for f in a["red_flags"] for k in ("message", "action")]
    texts += [b for f in a["red_flags"] for b in f["because"]]
    texts += [e[k] for r in a["ranking"] for e in r["evidence"] for k in ("text", "effect_text")]
    texts += [q["why"] for q in a["next_questions"]]
    assert texts and all(english_words(t, allowed) == [] for t in texts), \
        [t for t in texts if english_words(t, allowed)][:3]
    # ids, keys and id values are the same in every language (contract section 10)
    def skeleton(x):
        if isinstance(x, dict):
            return {k: skeleton(v) for k, v in x.items()}
        if isinstance(x, list):
            return [skeleton(v) for v in x]
        return x if not isinstance(x, str) or " " not in x else "TEXT"
    assert skeleton(a) == skeleton(english)


def test_the_knowledge_base_listing_names_and_summaries_are_translated(pseudo):
    kb = json.loads(hipmap(pseudo, "causes", "--format", "json").stdout)
    allowed = _ids()
    for c in kb["causes"]:
        for key in ("name", "short_name", "plain_name", "summary", "plain_summary",
                    "territory_summary", "self_care"):
            assert english_words(c[key], allowed) == [], (c["id"], key, c[key])
    assert english_words(kb["disclaimer"], allowed) == []
    assert all(english_words(r["message"] + r["action"], allowed) == []
               for r in kb["red_flags"])


def test_errors_are_translated(pseudo, tmp_path):
    bad = tmp_path / "bad.hipmap.json"
    bad.write_text('{"format": "hipmap.drawing/1", "marks": [{"kind": "blob"}]}')
    r = hipmap(pseudo, "assess", str(bad), ok=False)
    assert r.returncode == 2
    message = r.stderr.split("$.marks[0].kind:")[1]
    assert english_words(message, _ids() | {"stroke", "region", "kind", "blob"}) == []
    r = hipmap(pseudo, "assess", str(tmp_path / "missing.json"), ok=False)
    assert r.returncode == 2 and english_words(r.stderr.split(":", 2)[2], _ids()) == []


def test_the_history_and_undo_names_are_translated(pseudo, tmp_path):
    code = ("from hipmap.i18n import set_language; set_language('en_XA');"
            "from hipmap.model.drawing import DrawingModel;"
            "from hipmap.model.builders import tap_region;"
            "print(tap_region(DrawingModel(), 'right.groin', 5, None).name)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env=pseudo, timeout=120)
    assert r.returncode == 0, r.stderr
    assert english_words(r.stdout, _ids()) == [] and "[" in r.stdout
    db = f"sqlite:///{tmp_path / 'r.db'}"
    hipmap(pseudo, "visits", "add", str(EXAMPLES[0]), "--patient", "P-1", "--db", db)
    out = hipmap(pseudo, "history", "P-1", "--db", db).stdout
    assert english_words(out, _ids() | {"clinician"}) == []


def test_the_evidence_view_is_translated(pseudo):
    code = ("import re, sys; from hipmap.i18n import set_language; set_language('en_XA');"
            "from hipmap.core.document import load; from hipmap.knowledge.assessment import "
            "assess; from hipmap.knowledge.base import load_knowledge;"
            "from hipmap.report.evidence import evidence_html;"
            f"a = assess(load({str(EXAMPLES[0])!r})); kb = load_knowledge();"
            "print(re.sub('<[^>]*>', ' ', evidence_html(kb, a, a.ranking[0].cause)));"
            "print(re.sub('<[^>]*>', ' ', evidence_html(kb, None, 'other')))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env=pseudo, timeout=120)
    assert r.returncode == 0, r.stderr
    text = re.sub(r"https?://\S+|&\w+;", " ", r.stdout)  # links and HTML entities
    from hipmap.knowledge.base import load_knowledge

    citations = {w for s in load_knowledge().sources.values()
                 for w in re.findall(r"[A-Za-z]{3,}", s.citation)}  # sources stay as cited
    assert english_words(text, _ids() | citations) == []
