"""The Spanish a patient reads is plain: the Fernández-Huerta index (textstat 0.7.3, syllables
by pyphen, offline) of each kind of patient text is 70 or more ("bastante fácil", fairly
easy, or easier; 60-70 is "normal", newspaper prose), and no single text is below 40.

Patient texts: the causes' plain names, plain summaries and self-care advice, the red flags'
messages, actions and reasons to ask, the questions as the patient reads them, and the
evidence sentences (every sentence the assessment writes for the examples and a spread of
the labelled cases). The clinician texts (summaries, territories, clinical names) are
measured too but held to no bar: they use the clinical terms a clinician expects.

Fernández-Huerta = 206.84 - 60 x (syllables per word) - 1.02 x (words per sentence); a text
that is not a sentence (a name, a question) is measured as one sentence.
"""

from __future__ import annotations

import socket
from collections import defaultdict
from pathlib import Path

import pytest

from hipmap import i18n

textstat = pytest.importorskip("textstat")

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "hipmap" / "locale" / "es" / "LC_MESSAGES" / "hipmap.po"
PATIENT = ("plain_name", "plain_summary", "self_care", "message", "action", "why",
           "question", "evidence")
BAR = 70.0  # a kind of patient text, all its texts together
FLOOR = 40.0  # any one patient text


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    """The measure needs no network: any connection attempt fails the test."""
    def refuse(*_args, **_kwargs):
        raise AssertionError("the readability check tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    textstat.set_lang("es")
    yield
    i18n.set_language(None)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text[-1:] in ".?!" else text + "."


def spanish_texts() -> dict[str, list[str]]:
    """The Spanish texts by kind: knowledge-base fields (by the extractor's comment), the
    questions, the evidence sentences."""
    from babel.messages.pofile import read_po

    from hipmap.core.document import load
    from hipmap.core.ids import ANSWERS
    from hipmap.knowledge.assessment import assess

    with open(PO, "rb") as fh:
        catalog = read_po(fh, locale="es")
    kinds: dict[str, list[str]] = defaultdict(list)
    questions = {a[2] for a in ANSWERS.values()}
    for m in catalog:
        if not isinstance(m.id, str) or not m.id:
            continue
        assert m.string, f"untranslated: {m.id!r}"
        for comment in m.auto_comments:
            if comment.startswith("knowledge base:"):
                kinds[comment.rsplit(",", 1)[-1].strip()].append(m.string)
        if m.id in questions:
            kinds["question"].append(m.string)
    i18n.set_language("es")
    docs = sorted((ROOT / "examples").glob("*.hipmap.json"))
    docs += sorted((ROOT / "tests" / "cases").rglob("*.json"))[::10]
    evidence: set[str] = set()
    for path in docs:
        try:
            doc = load(path)
        except ValueError:
            continue
        evidence |= {e.text for r in assess(doc).ranking for e in r.evidence}
    kinds["evidence"] = sorted(evidence)
    return kinds


def scores(texts: list[str]) -> tuple[float, float]:
    """(all the texts together, the hardest one)."""
    joined = textstat.fernandez_huerta(" ".join(_sentence(t) for t in texts))
    return joined, min(textstat.fernandez_huerta(_sentence(t)) for t in texts)


def test_the_spanish_patient_texts_are_fairly_easy_or_easier():
    kinds = spanish_texts()
    report, low = [], []
    for kind in PATIENT:
        texts = kinds[kind]
        assert len(texts) >= 4, kind
        together, hardest = scores(texts)
        report.append(f"{kind}: {together:.1f} (n={len(texts)}, hardest {hardest:.1f})")
        if together < BAR or hardest < FLOOR:
            low.append(report[-1])
    print("Fernández-Huerta, Spanish patient texts:", "; ".join(report))
    assert not low, f"below {BAR} together or {FLOOR} alone: {low}"


def test_the_measure_tells_plain_spanish_from_dense_prose():
    """The check can fail: a clinician's summary of the knowledge base is below the bar,
    a plain summary above it."""
    kinds = spanish_texts()
    clinical, _hardest = scores(kinds["summary"])
    plain, _hardest = scores(kinds["plain_summary"])
    assert clinical < BAR <= plain, (clinical, plain)
    dense = ("La radiculopatía lumbosacra secundaria a herniación discal posterolateral "
             "condiciona irradiación dermatómica característicamente distal a la rodilla.")
    assert textstat.fernandez_huerta(dense) < FLOOR
