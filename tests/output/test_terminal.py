"""Text from outside (articles, file names, the database) never drives the terminal: control
characters are shown escaped in tables, views and error lines; JSON and CSV keep the data."""

import csv
import io
import json

import pytest
from click.testing import CliRunner

from stance.cli import cli
from stance.core.text import printable

HOSTILE = (
    "source: Evil\x1b[31m News\ntitle: Call\x07 \x1b]0;owned\x07\n\n"
    "Antony Blinken said the meeting \x1b]0;pwned\x07is not against Azerbaijan. "
    '"We stand with\x1b[2J Armenia," Ilham Aliyev said.\n'
)


def test_printable_escapes_control_characters_and_keeps_the_rest():
    assert printable("a\x1b[2Jb\x07c\x00d\x9be\u202ef") == "a\\x1b[2Jb\\x07c\\x00d\\x9be\\u202ef"
    assert printable("line one\nline two\ttab ünï 🙂") == "line one\nline two\ttab ünï 🙂"
    assert printable("one\ntwo\r\u2028three", one_line=True) == "one\\ntwo\\r\\u2028three"
    assert printable("back\\slash") == "back\\slash"


@pytest.fixture
def db(tmp_path):
    article = tmp_path / "hostile.txt"
    article.write_text(HOSTILE, encoding="utf-8")
    path = str(tmp_path / "t.db")
    result = CliRunner().invoke(cli, ["ingest", "-q", str(article), "--db", path])
    assert result.exit_code == 0, result.output
    return path


def run(db, *args):
    result = CliRunner().invoke(cli, [*args, "--db", db], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def assert_no_control(output: str) -> None:
    controls = [c for c in output if (ord(c) < 32 and c not in "\n") or 0x7F <= ord(c) < 0xA0]
    assert controls == []


@pytest.mark.parametrize(
    "args",
    [
        ("claims",),
        ("documents",),
        ("entities",),
        ("runs",),
        ("compare", "Azerbaijan"),
        ("compare", "Azerbaijan", "--by", "source"),
        ("timeline", "Blinken"),
    ],
)
def test_tables_and_views_show_control_characters_escaped(db, args):
    output = run(db, *args).stdout
    assert_no_control(output)


def test_the_claims_table_shows_the_escape_visibly(db):
    output = run(db, "claims", "--source", "Evil").stdout
    assert "\\x1b" in output


def test_json_and_csv_keep_the_exact_data(db):
    claims = json.loads(run(db, "claims", "--json").stdout)
    assert any("\x1b]0;pwned\x07" in c["quote"] for c in claims)
    assert {c["source"] for c in claims} == {"Evil\x1b[31m News"}
    rows = list(csv.DictReader(io.StringIO(run(db, "claims", "--csv").stdout)))
    assert any("\x1b]0;pwned\x07" in r["quote"] for r in rows)


def test_a_file_name_cannot_forge_lines(tmp_path):
    name = str(tmp_path / "x\x1b[2J\nstance: error: forged.txt")
    result = CliRunner().invoke(cli, ["ingest", "-q", name, "--db", str(tmp_path / "t.db")])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"stance: error: {tmp_path}/x\\x1b[2J\\nstance: error: forged.txt: no such file, "
        "folder or URL; check the path"
    ]
