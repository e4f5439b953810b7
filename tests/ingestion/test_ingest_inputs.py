"""What `ingest` accepts as inputs, and how it reports those it cannot read."""

import os
from pathlib import Path

import pytest

from stance.ingestion.pipeline import ingest
from stance.store.db import Store
from testkit.fake_extractor import FakeExtractor, said

TEXT = "Antony Blinken said the meeting is not against Azerbaijan.\n"


def blinken(text: str):
    return [said("Antony Blinken", "the meeting is not against Azerbaijan")]


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "stance.db") as opened:
        yield opened


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A working directory holding one article and a sub-folder with another."""
    work = tmp_path / "work"
    (work / "sub").mkdir(parents=True)
    (work / "one.txt").write_text(TEXT, encoding="utf-8")
    (work / "sub" / "two.txt").write_text("Aliyev said no.\n" + TEXT, encoding="utf-8")
    monkeypatch.chdir(work)
    return work


@pytest.mark.parametrize("single", ["one.txt", Path("one.txt")])
def test_a_single_path_is_one_input_not_its_characters(store, folder, single):
    summary = ingest(store, single, FakeExtractor(blinken))
    assert [(r.label, r.status) for r in summary.results] == [("one.txt", "new")]


def test_a_single_folder_path_is_that_folder(store, folder):
    summary = ingest(store, "sub", FakeExtractor(blinken))
    assert [(r.label, r.status) for r in summary.results] == [
        (os.path.join("sub", "two.txt"), "new")
    ]


def test_paths_in_any_iterable_are_read(store, folder):
    names = (p for p in [Path("one.txt"), "sub/two.txt"])
    summary = ingest(store, names, FakeExtractor(blinken))
    assert [r.status for r in summary.results] == ["new", "new"]


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (42, "stance.ingest() takes a path or an iterable of paths, not int"),
        (None, "stance.ingest() takes a path or an iterable of paths, not NoneType"),
        (b"one.txt", "stance.ingest() takes a path or an iterable of paths, not bytes"),
        (["one.txt", 7], "stance.ingest(): each path must be a str or os.PathLike, not int (7)"),
        (
            [b"one.txt"],
            "stance.ingest(): each path must be a str or os.PathLike, not bytes (b'one.txt')",
        ),
    ],
)
def test_anything_else_is_a_type_error_and_nothing_is_stored(store, folder, names, message):
    with pytest.raises(TypeError) as caught:
        ingest(store, names, FakeExtractor(blinken))
    assert str(caught.value) == message
    assert store.documents() == []


def test_dev_null_is_read_as_an_empty_input(store):
    summary = ingest(store, ["/dev/null"], FakeExtractor(blinken))
    assert [(r.status, r.error) for r in summary.results] == [
        ("failed", "/dev/null: the file is empty; give a file with the article's text")
    ]


def test_a_pipe_such_as_process_substitution_is_read(store):
    read_end, write_end = os.pipe()
    os.write(write_end, TEXT.encode())
    os.close(write_end)
    try:
        summary = ingest(store, [f"/dev/fd/{read_end}"], FakeExtractor(blinken))
    finally:
        os.close(read_end)
    assert [(r.status, r.claims) for r in summary.results] == [("new", 1)]


def test_an_unreadable_folder_says_so(store, folder, monkeypatch):
    # Tests run as root, whom permissions do not stop: the refusal is simulated where the
    # folder is listed.
    real_scandir = os.scandir

    def refusing_scandir(path="."):
        if Path(path).resolve() == (folder / "sub").resolve():
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refusing_scandir)
    summary = ingest(store, ["sub", "one.txt"], FakeExtractor(blinken))
    assert [(r.status, r.error) for r in summary.results] == [
        ("failed", "sub: cannot read this folder (Permission denied); check its permissions"),
        ("new", None),
    ]


def test_an_unreadable_sub_folder_is_reported_and_the_rest_is_read(store, folder, monkeypatch):
    real_scandir = os.scandir

    def refusing_scandir(path="."):
        if Path(path).resolve() == (folder / "sub").resolve():
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refusing_scandir)
    summary = ingest(store, ["."], FakeExtractor(blinken))
    assert [(r.label, r.status, r.error) for r in summary.results] == [
        (
            "sub",
            "failed",
            "sub: cannot read this folder (Permission denied); check its permissions",
        ),
        ("one.txt", "new", None),
    ]


@pytest.mark.skipif(os.geteuid() != 0, reason="checks what root sees")
def test_root_reads_a_folder_without_permissions(store, folder):
    (folder / "sub").chmod(0)
    try:
        summary = ingest(store, ["sub"], FakeExtractor(blinken))
    finally:
        (folder / "sub").chmod(0o755)
    assert [r.status for r in summary.results] == ["new"]
