"""The library's exceptions. The CLI turns each into one line and an exit status."""

from __future__ import annotations


class StanceError(Exception):
    """Base class for every expected failure of stance."""

    exit_code = 1


class InputError(StanceError):
    """An input (file, text, gold line) cannot be used as it is."""


class UsageError(StanceError):
    """Options or settings that do not fit together."""

    exit_code = 2


class ModelError(StanceError):
    """The model server failed, refused, or answered with something unusable.

    `spent` is what the failed extraction cost (an `Extraction` without claims: requests,
    tokens and the log of its requests), so that a failed run records it too.
    """

    def __init__(self, message: str, *, spent: object | None = None) -> None:
        super().__init__(message)
        self.spent = spent


class StoreError(StanceError):
    """The database cannot be opened or written."""


class NotFoundError(StanceError):
    """A query names something that is not in the database."""
