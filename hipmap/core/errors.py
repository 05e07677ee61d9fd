"""The one error type the core raises for bad input."""

from __future__ import annotations


class InputError(ValueError):
    """Bad input: says which file, which place in it, and what is wrong — on one line."""

    def __init__(self, message: str, *, path: str = "", source: str = "") -> None:
        self.message = message
        self.path = path
        self.source = source
        super().__init__(self.one_line())

    def one_line(self) -> str:
        parts = [p for p in (self.source, f"at {self.path}" if self.path else "") if p]
        prefix = ": ".join(parts)
        text = f"{prefix}: {self.message}" if prefix else self.message
        return " ".join(text.split())  # never more than one line

    def with_source(self, source: str) -> InputError:
        return InputError(self.message, path=self.path, source=source)
