"""hipmap: paint where it hurts, see the regions, the candidate causes and the red flags.

hipmap supports a clinician's judgement; it does not diagnose.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("hipmap")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"
