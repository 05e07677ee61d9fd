"""The project's packaging configuration matches the tree (no setuptools warning storm).

setuptools treats every folder that holds files as a package; one that pyproject.toml does
not list costs a page of warnings on every `pip install` and may be left out of the wheel
(and so out of the desktop bundle, which is built from the installed wheel).
"""

import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _declared() -> set[str]:
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    return set(conf["packages"])


def _folders_with_files(top: Path, prefix: str) -> set[str]:
    found = set()
    for d in [top, *sorted(p for p in top.rglob("*") if p.is_dir())]:
        if "__pycache__" in d.parts or d.name.startswith("."):
            continue
        if d == top or any(f.is_file() for f in d.iterdir()):
            rel = d.relative_to(top).parts
            found.add(".".join((prefix, *rel)))
    return found


def test_every_package_and_asset_folder_is_declared():
    tree = _folders_with_files(ROOT / "hipmap", "hipmap")
    tree |= _folders_with_files(ROOT / "assets", "hipmap.assets")
    missing = sorted(tree - _declared())
    assert not missing, f"add to [tool.setuptools] packages in pyproject.toml: {missing}"
    stale = sorted(p for p in _declared() - tree)
    assert not stale, f"declared in pyproject.toml but not in the tree: {stale}"


def test_readme_examples_write_outside_the_repository_or_into_an_ignored_folder():
    """`render ... -o FILE` in the README must not leave an untracked file in a checkout."""
    text = (ROOT / "README.md").read_text("utf-8")
    outputs = []
    in_code = False
    for line in text.splitlines():
        if line.startswith("```"):
            in_code = not in_code
            continue
        words = line.split()
        if in_code and "hipmap" in line and "-o" in words:
            outputs.append(words[words.index("-o") + 1])
    assert outputs, "the README shows no command that writes a file"
    for out in outputs:
        if out.startswith(("/", "~", "$")):
            continue
        r = subprocess.run(["git", "check-ignore", "-q", out], cwd=ROOT)
        assert r.returncode == 0, f"README example writes {out} into the repository"
