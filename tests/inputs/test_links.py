"""Links in a folder that lead outside it are not read unless asked (--follow-links)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from stance.cli import cli
from stance.store.db import Store

ARTICLE = "The minister said that the new bridge will open in May.\n"
OUTSIDE = "The governor said that the old tunnel will close in June.\n"


def folder_with_a_link_out(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "bridge.txt").write_text(ARTICLE, encoding="utf-8")
    secret = tmp_path / "elsewhere" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(OUTSIDE, encoding="utf-8")
    (folder / "passwd.txt").symlink_to(secret)
    (folder / "inside.txt").symlink_to(folder / "bridge.txt")  # a link within: one text
    return folder, secret


def test_a_link_leaving_the_folder_is_skipped_with_a_note(tmp_path: Path) -> None:
    folder, secret = folder_with_a_link_out(tmp_path)
    db = tmp_path / "s.db"
    result = CliRunner().invoke(cli, ["ingest", str(folder), "--db", str(db), "-q"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"stance: error: {folder}/passwd.txt: a link to a file outside {folder}; skipped "
        "(name the file itself, or pass --follow-links, to read it)"
    ]
    with Store(db) as store:
        texts = {d["id"]: store.document(d["id"]) for d in store.documents()}
    assert [d.text for d in texts.values() if d] == [ARTICLE]


def test_follow_links_reads_it(tmp_path: Path) -> None:
    folder, _ = folder_with_a_link_out(tmp_path)
    db = tmp_path / "s.db"
    result = CliRunner().invoke(
        cli, ["ingest", str(folder), "--db", str(db), "-q", "--follow-links"]
    )
    assert result.exit_code == 0, result.output
    with Store(db) as store:
        texts = sorted(d.text for d in (store.document(r["id"]) for r in store.documents()) if d)
    assert texts == sorted([ARTICLE, OUTSIDE])
