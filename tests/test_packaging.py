"""What `pip install hipmap` gets: the package and its assets (diagram, atlas, knowledge)."""

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_carries_the_assets(tmp_path):
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                        "-q", "-w", str(tmp_path), str(ROOT)], capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    wheel = next(tmp_path.glob("hipmap-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for rel in ("atlas/atlas.json", "knowledge/model.toml", "knowledge/red_flags.toml",
                "knowledge/compiled.json", "knowledge/causes/hip_osteoarthritis.toml",
                "diagram/back.svg", "icon/hipmap.svg"):
        assert f"hipmap/assets/{rel}" in names, rel
    assert "hipmap/ui/canvas/widget.py" in names and "hipmap/py.typed" in names
    # the translation catalogs travel with the package (hipmap/i18n reads them there)
    assert "hipmap/locale/es/LC_MESSAGES/hipmap.mo" in names
    assert "hipmap/locale/hipmap.pot" in names
