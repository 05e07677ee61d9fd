"""The environment benchmark child processes run in: as a user's would.

A user's Python caches bytecode (pip compiles it at install; a source checkout writes
__pycache__ on first run). Some shells and CI set PYTHONDONTWRITEBYTECODE, which would make
every measured start-up recompile hipmap from source (~60 ms) and measure nothing real.
"""

from __future__ import annotations

import os


def user_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(extra)
    return env
