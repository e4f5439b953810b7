"""Where the shipped `prompts/` and `schemas/` folders are, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]  # the `stance` package


def resource_dir(name: str) -> Path:
    """The folder `name` inside the installed package, else at the top of the checkout."""
    packaged = _PACKAGE / name
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent / name
