"""Data decides counts: a cause added as ONE TOML file (in a copy of the knowledge folder) is
ranked, shaded on the diagram and explained, end to end through the command line, with no
code changed (docs/architecture.md, "Add a cause")."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hipmap.core.ids import BASE_REGIONS, KB_CAUSES
from hipmap.knowledge.base import KnowledgeError, knowledge_dir, load_knowledge

NEW = "tarsal_tunnel_syndrome"
FEET = ("dorsal_foot", "plantar_foot")


def cause_file() -> str:
    """A complete cause file, as a knowledge-base author would write it."""
    cited = 'basis = "estimate"\nsource = ["seed"]\nnote = "Test cause."\n'
    out = [f'id = "{NEW}"',
           'name = "Tarsal tunnel syndrome (tibial nerve entrapment)"',
           'short_name = "Tarsal tunnel"',
           'color = "#00897b"',
           'plain_name = "A trapped nerve at the inner ankle"',
           'summary = "Compression of the tibial nerve behind the inner ankle bone."',
           'plain_summary = "A nerve at the inner ankle is squeezed; the sole burns or tingles."',
           'territory_summary = "The sole and the top of the foot."',
           'self_care = "Supportive shoes; see a clinician if it persists."',
           "", "[prior]", "value = 0.05", cited]
    for base in BASE_REGIONS:
        p = 0.9 if base in FEET else 0.02
        out += [f"[territory.{base}]", f"p = {p}", cited]
    out += ["[answers.worse_standing_walking]", "lr_yes = 3.0", "lr_no = 0.5", cited,
            "[qualities.burning]", "lr = 4.0", cited]
    return "\n".join(out) + "\n"


@pytest.fixture(scope="module")
def kb_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("kb") / "knowledge"
    shutil.copytree(knowledge_dir(), folder)
    (folder / "causes" / f"{NEW}.toml").write_text(cause_file(), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def drawing(tmp_path_factory) -> Path:
    doc = {"format": "hipmap.drawing/1",
           "marks": [{"kind": "region", "region": f"right.{b}", "intensity": 6,
                      "quality": "burning"} for b in FEET],
           "answers": {"worse_standing_walking": True, "age": 50}}
    path = tmp_path_factory.mktemp("doc") / "feet.hipmap.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def hipmap(kb_dir: Path, *args: str) -> str:
    env = {**os.environ, "HIPMAP_KNOWLEDGE_DIR": str(kb_dir)}
    r = subprocess.run([sys.executable, "-m", "hipmap", "--lang", "en", *args],
                       capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_the_new_cause_is_ranked_and_explained_in_the_json(kb_dir, drawing):
    a = json.loads(hipmap(kb_dir, "assess", str(drawing), "--format", "json"))
    ranking = [r["cause"] for r in a["ranking"]]
    assert sorted(ranking) == sorted([*KB_CAUSES, NEW, "other"])  # 16 hypotheses, not 15
    top = a["ranking"][0]
    assert top["cause"] == NEW, ranking[:3]
    factors = {e["factor"]: e for e in top["evidence"]}
    assert factors["region:right.plantar_foot"]["effect"] > 0
    assert "tarsal tunnel syndrome" in factors["region:right.plantar_foot"]["text"]
    assert factors["answer:worse_standing_walking=yes"]["effect"] > 0
    assert "quality:burning" in factors
    assert abs(sum(r["score"] for r in a["ranking"]) - 1) < 1e-3


def test_the_new_cause_is_in_the_text_with_its_names(kb_dir, drawing):
    text = hipmap(kb_dir, "assess", str(drawing))
    assert " 1. Tarsal tunnel " in text
    assert "Tarsal tunnel syndrome (tibial nerve entrapment)" in text
    assert "this is common with tarsal tunnel syndrome" in " ".join(text.split())  # wrapped


def test_the_new_cause_is_listed_with_its_colour_and_territory(kb_dir):
    kb = json.loads(hipmap(kb_dir, "causes", "--format", "json"))
    cause = next(c for c in kb["causes"] if c["id"] == NEW)
    assert cause["color"] == "#00897b" and cause["short_name"] == "Tarsal tunnel"
    assert cause["territory"]["plantar_foot"]["p"] == 0.9
    assert [c["id"] for c in kb["causes"]][-1] == NEW  # after the contract's causes


def test_the_diagram_shades_the_new_cause_s_territory(kb_dir):
    kb = load_knowledge(str(kb_dir))
    weights = kb.territory_weights(NEW)
    assert weights["right.plantar_foot"] == weights["left.plantar_foot"] == 0.9
    assert weights["right.groin"] == 0.02 and len(weights) == 2 * len(BASE_REGIONS)
    assert kb.territory_weights("other") == {}


def test_a_file_whose_name_is_not_an_id_is_refused(kb_dir, tmp_path):
    folder = tmp_path / "knowledge"
    shutil.copytree(kb_dir, folder)
    (folder / "causes" / "Bad Name.toml").write_text(cause_file())
    with pytest.raises(KnowledgeError, match="cannot be cause ids"):
        load_knowledge(str(folder))
