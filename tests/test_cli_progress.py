"""Progress of a large ingest on a stderr that is not a terminal: plain lines, counted with a
clock of the test's own (never timed)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from stance.cli import PlainProgress, cli
from stance.ingestion.pipeline import IngestResult
from testkit.corpus import synthetic_articles


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_large_ingest_prints_one_line_per_interval_whatever_the_ticks() -> None:
    clock, lines = FakeClock(), []
    progress = PlainProgress(lines.append, interval=5.0, clock=clock)
    progress.start(1)
    progress.stage("big.txt", "extracting", 5_000_000)
    for _ in range(40):  # 20 s of ticks every half second
        clock.now += 0.5
        progress.tick()
    progress.advance(IngestResult("big.txt", "new", document_id="d", claims=7, rejected=1))
    progress.stage("big.txt", "resolving", 5_000_000)
    for _ in range(10):  # 5 s more
        clock.now += 0.5
        progress.tick()

    assert lines == [
        "stance: progress: 0 of 1 documents, 0 claims, 0 rejected, 0 failed, 5 s; "
        "extracting big.txt (5,000,000 characters) for 5 s",
        "stance: progress: 0 of 1 documents, 0 claims, 0 rejected, 0 failed, 10 s; "
        "extracting big.txt (5,000,000 characters) for 10 s",
        "stance: progress: 0 of 1 documents, 0 claims, 0 rejected, 0 failed, 15 s; "
        "extracting big.txt (5,000,000 characters) for 15 s",
        "stance: progress: 0 of 1 documents, 0 claims, 0 rejected, 0 failed, 20 s; "
        "extracting big.txt (5,000,000 characters) for 20 s",
        "stance: progress: 1 of 1 documents, 7 claims, 1 rejected, 0 failed, 25 s; "
        "resolving big.txt (5,000,000 characters) for 5 s",
    ]


def test_many_documents_are_large_too_and_a_small_ingest_prints_nothing() -> None:
    clock, lines = FakeClock(), []
    small = PlainProgress(lines.append, interval=5.0, clock=clock)
    small.start(3)
    small.stage("a.txt", "extracting", 3_000)
    clock.now += 60
    small.tick()
    assert lines == []

    many = PlainProgress(lines.append, interval=5.0, clock=clock)
    many.start(PlainProgress.LARGE_INPUTS)
    for number in range(30):
        many.stage(f"article-{number}.txt", "extracting", 3_000)
        clock.now += 1.0
        many.advance(IngestResult(f"article-{number}.txt", "new", document_id="d", claims=2))
        many.tick()
    # One line every 5 s of the 30.
    assert len(lines) == 6
    assert lines[-1] == (
        "stance: progress: 30 of 100 documents, 60 claims, 0 rejected, 0 failed, 30 s; "
        "extracting article-29.txt (3,000 characters) for 1 s"
    )


def test_a_label_with_control_characters_is_shown_escaped() -> None:
    clock, lines = FakeClock(), []
    progress = PlainProgress(lines.append, interval=1.0, clock=clock)
    progress.stage("evil\x1b]0;title\x07\nstance: forged.txt", "extracting", 300_000)
    clock.now += 2
    progress.tick()
    assert len(lines) == 1
    assert "\x1b" not in lines[0] and "\n" not in lines[0] and "\x07" not in lines[0]


def test_ingest_of_a_long_text_with_piped_stderr_shows_progress_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every tick prints (interval 0): the lines printed at each stage of the one document are
    # counted, not timed.
    monkeypatch.setattr(PlainProgress, "LARGE_TEXT", 1_000)
    original = PlainProgress.__init__

    def no_interval(self: PlainProgress, write: Callable[[str], None], **kwargs: Any) -> None:
        original(self, write, **{**kwargs, "interval": 0.0})

    monkeypatch.setattr(PlainProgress, "__init__", no_interval)
    article = synthetic_articles(1)[0]
    path = tmp_path / "long.txt"
    path.write_text(article.text, encoding="utf-8")

    result = CliRunner().invoke(
        cli, ["ingest", str(path), "--db", str(tmp_path / "p.db"), "--backend", "rules"]
    )

    assert result.exit_code == 0, result.output
    progress = [line for line in result.stderr.splitlines() if line.startswith("stance: progress")]
    assert any(f"extracting {path} ({len(article.text):,} characters)" in p for p in progress)
    assert any(f"resolving {path} ({len(article.text):,} characters)" in p for p in progress)
    assert progress[-1].startswith("stance: progress: 1 of 1 documents, ")


def test_quiet_prints_no_progress(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PlainProgress, "LARGE_TEXT", 1_000)
    path = tmp_path / "long.txt"
    path.write_text(synthetic_articles(1)[0].text, encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["ingest", "-q", str(path), "--db", str(tmp_path / "p.db"), "--backend", "rules"]
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
