"""hipmap: paint where it hurts, see the regions, the candidate causes and the red flags.

hipmap supports a clinician's judgement; it does not diagnose.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    # Resolved lazily: importlib.metadata costs ~30 ms, which the CLI should not pay.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value = version("hipmap")
        except PackageNotFoundError:  # a source tree that is not installed
            value = "0.0.0+unknown"
        globals()["__version__"] = value
        return value
    raise AttributeError(name)
