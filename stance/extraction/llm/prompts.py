"""The prompt files of the LLM extractor, the messages built from them, and their hash.

The prompts live as plain files in `prompts/` (shipped inside the wheel as `stance/prompts`):

- `extract.md`: the system instructions: what a claim is, the annotation unit, the field and
  label definitions.
- `example.md`: a worked example, appended to the system message.
- `document.md`: the user message; `${published}` and `${text}` are filled in.

The JSON schema is not repeated here: tool mode sends it as the tool definition, and the
json modes have instructor append it to the system message.

`PromptSet.sha(mode)` hashes every byte of these files plus the mode (the json modes send
instructor's schema instructions too), so that a run records exactly which prompt it used.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from string import Template

from stance.core.errors import StanceError
from stance.core.resources import resource_dir

SYSTEM_FILES: tuple[str, ...] = ("extract.md", "example.md")
DOCUMENT_FILE = "document.md"
PROMPT_FILES: tuple[str, ...] = (*SYSTEM_FILES, DOCUMENT_FILE)


@dataclass(frozen=True)
class PromptSet:
    """The prompt files as loaded: file name → exact content."""

    files: tuple[tuple[str, str], ...]

    @property
    def system(self) -> str:
        contents = dict(self.files)
        return "\n".join(contents[name].rstrip("\n") + "\n" for name in SYSTEM_FILES)

    @property
    def document_template(self) -> Template:
        # The file's final newline ends the file, not the text.
        return Template(dict(self.files)[DOCUMENT_FILE].removesuffix("\n"))

    def sha(self, mode: str, extra: str = "") -> str:
        """Short sha256 over every prompt file (name and bytes), the mode, and `extra` (what
        the mode adds to the messages, such as the schema in the json modes)."""
        digest = hashlib.sha256()
        for name, content in self.files:
            digest.update(name.encode("utf-8") + b"\0" + content.encode("utf-8") + b"\0")
        digest.update(f"mode={mode}".encode())
        if extra:
            digest.update(b"\0" + extra.encode("utf-8"))
        return digest.hexdigest()[:16]

    def messages(self, text: str, *, published: str | None = None) -> list[dict[str, str]]:
        """The chat messages asking for the claims of one text.

        The publication date line is left out when the date is unknown (a model told
        "unknown" may resolve "tomorrow" against anything).
        """
        # substitute() reads placeholders only in the template, never inside the text.
        dated = f"Published: {published}\n" if published else ""
        user = self.document_template.substitute(published=dated, text=text)
        return [{"role": "system", "content": self.system}, {"role": "user", "content": user}]


def load_prompts(folder: Path | None = None) -> PromptSet:
    """Read the prompt files: from `folder`, else the shipped ones (read once)."""
    return _read_prompts(folder) if folder is not None else _shipped_prompts()


@lru_cache(maxsize=1)
def _shipped_prompts() -> PromptSet:
    return _read_prompts(resource_dir("prompts"))


def read_prompt(name: str, folder: Path | None = None) -> str:
    """The exact content of one prompt file, from `folder` or the shipped prompts."""
    path = (folder or resource_dir("prompts")) / name
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise StanceError(
            f"cannot read the prompt file {path} ({error.strerror}): reinstall stance"
        ) from None


def _read_prompts(folder: Path) -> PromptSet:
    return PromptSet(tuple((name, read_prompt(name, folder)) for name in PROMPT_FILES))
