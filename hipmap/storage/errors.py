"""What the record can refuse or fail with. Each error is one line a person can act on.

``exit_code`` is what the command line exits with: 2 bad input (nothing stored changed),
3 a version conflict (contract 1.1 §8), 1 anything else (no server, an old schema ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hipmap.core.errors import InputError


class StorageError(Exception):
    """A record operation that could not be done; ``str()`` is one line."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))


class DatabaseUnavailable(StorageError):
    """The database could not be reached or opened (host, what failed; never a password)."""


class SchemaError(StorageError):
    """The database has no hipmap schema, an older one (a server needs ``hipmap db upgrade``)
    or a newer one (written by a newer hipmap)."""


class BadRecordInput(StorageError, InputError):
    """Bad input (an unknown visit, a malformed id, a non-empty database to restore into).
    Nothing stored was changed."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        InputError.__init__(self, " ".join(message.split()))

    def __str__(self) -> str:
        return self.one_line()


class NotFound(BadRecordInput):
    pass


@dataclass
class Change:
    """Who saved a visit last, where and when."""

    version: int
    user: str | None
    workstation: str | None
    at: datetime

    def who(self) -> str:
        from hipmap.i18n import _

        who = self.user or _("someone")
        return (_("{user} on {workstation}").format(user=who, workstation=self.workstation)
                if self.workstation else who)


class VersionConflict(StorageError):
    """The visit was changed elsewhere since the version the caller read.

    Carries both sides for a conflict dialog: ``theirs`` (the stored document now, at
    ``current.version``) and ``mine`` (the document that was not saved).
    """

    exit_code = 3

    def __init__(self, visit: int, expected: int, current: Change, *, theirs: str,
                 mine: str | None) -> None:
        self.visit, self.expected, self.current = visit, expected, current
        self.theirs, self.mine = theirs, mine
        when = current.at.strftime("%Y-%m-%d %H:%M:%S UTC")
        super().__init__(
            f"visit {visit} was changed by {current.who()} at {when} (it is now at version "
            f"{current.version}; you had version {expected}): nothing was saved; see it with "
            f"'hipmap visits show {visit}'")
