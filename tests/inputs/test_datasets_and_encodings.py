import csv
import io
import json
import re

from click.testing import CliRunner

from stance.cli import cli
from stance.inputs import Reader, ReadOptions
from stance.store.db import Store

ROWS = [
    {
        "headline": "Port strike ends",
        "body": "Union leader Mara Holt said the strike would end on Friday.",
        "outlet": "Harbour Gazette",
        "published_at": "2024-04-02",
        "link": "https://gazette.example/port",
    },
    {
        "headline": "Bridge reopens",
        "body": "Mayor Ivo Rask said the bridge would reopen to traffic next week.",
        "outlet": "City Wire",
        "published_at": "03.04.2024",
        "link": "https://wire.example/bridge",
    },
]


def _documents(items):
    return [
        (i.label, i.document.text, i.document.source, i.document.published, i.document.url,
         i.document.title)
        if not isinstance(i, Exception) else str(i)
        for i in items
    ]  # fmt: skip


def test_jsonl_rows_are_documents_and_a_bad_row_is_reported_by_number(tmp_path):
    path = tmp_path / "export.jsonl"
    lines = [json.dumps(ROWS[0]), "{not json", json.dumps({"headline": "x", "body": ""}),
             json.dumps(ROWS[1])]  # fmt: skip
    path.write_text("\n".join(lines) + "\n")
    items = list(Reader(ReadOptions(date_order="DMY")).read([str(path)]))
    assert _documents(items) == [
        (f"{path} row 1", ROWS[0]["body"], "Harbour Gazette", "2024-04-02",
         "https://gazette.example/port", "Port strike ends"),
        f"{path}: row 2: not valid JSON (Expecting property name enclosed in double quotes)",
        f"{path}: row 3: no text in column 'body'",
        (f"{path} row 4", ROWS[1]["body"], "City Wire", "2024-04-03",
         "https://wire.example/bridge", "Bridge reopens"),
    ]  # fmt: skip


def test_csv_and_tsv_with_named_columns(tmp_path):
    rows = [
        {"Story": r["body"], "Paper": r["outlet"], "When": r["published_at"], "Head": r["headline"]}
        for r in ROWS
    ]
    for name, delimiter in (("export.csv", ","), ("export.tsv", "\t")):
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
        path = tmp_path / name
        path.write_text(out.getvalue())
        options = ReadOptions(
            columns={"text": "story", "source": "Paper", "published": "When", "title": "Head"}
        )
        items = list(Reader(options).read([str(path)]))
        assert _documents(items) == [
            (f"{path} row 1", ROWS[0]["body"], "Harbour Gazette", "2024-04-02", None,
             "Port strike ends"),
            (f"{path} row 2", ROWS[1]["body"], "City Wire", None, None, "Bridge reopens"),
        ]  # fmt: skip
        # 03.04.2024 without --date-order is ambiguous: unknown, with a note.
        assert items[1].notes == (
            f"{path} row 2: published: '03.04.2024' is ambiguous (day-month or month-day); "
            "stored as unknown: give --date-order DMY or MDY",
        )


def test_a_dataset_without_a_text_column_says_which_columns_it_has(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("name,score\nx,1\n")
    [error] = list(Reader().read([str(path)]))
    assert str(error) == (
        f"{path}: no text column (looked for text, body, content, article, full_text, "
        "article_text, maintext); name it with --text-column; the columns are: name, score"
    )


def test_a_thousand_rows_in_one_command(tmp_path):
    path = tmp_path / "big.jsonl"
    with path.open("w") as out:
        for n in range(1_000):
            row = {
                "text": f"Report {n}: the council met and adjourned.",
                "source": f"Outlet {n % 7}",
            }
            out.write(json.dumps(row) + "\n")
    db = tmp_path / "s.db"
    result = CliRunner().invoke(
        cli, ["ingest", str(path), "--db", str(db), "--backend", "rules", "--quiet"]
    )
    assert result.exit_code == 0, result.output
    assert (
        result.stdout == "documents: 1000 new, 0 cached, 0 failed; claims stored: 0, rejected: 0\n"
    )
    with Store(db) as store:
        sources = [
            r["source"]
            for r in store.db.query(
                "select source, count(*) as n from documents group by source order by source"
            )
        ]
    assert sources == [f"Outlet {n}" for n in range(7)]


TEXT = (
    "Der Außenminister said the café on the Rhône would stay open; "
    "Minister José Núñez said the “façade” was safe and the naïve plan was dropped."
)


def test_utf16_windows_1252_and_latin1_are_read_and_noted(tmp_path):
    files = {
        "utf16.txt": TEXT.encode("utf-16"),
        "cp1252.txt": TEXT.encode("cp1252"),
        "latin1.txt": TEXT.replace("“", '"').replace("”", '"').encode("latin-1"),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    items = list(Reader().read([str(tmp_path / n) for n in files]))
    assert [i.document.text for i in items] == [
        TEXT,
        TEXT,
        TEXT.replace("“", '"').replace("”", '"'),
    ]
    assert items[0].notes == (f"{tmp_path / 'utf16.txt'}: read as UTF-16 (byte-order mark)",)
    for item in items[1:]:
        [note] = item.notes
        assert note.startswith(f"{item.label}: not UTF-8; read as ")
        assert note.endswith(" (detected)")


def test_pdf_is_read_through_pypdf(tmp_path):
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=612, height=792)
    font = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
    })  # fmt: skip
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    stream = DecodedStreamObject()
    stream.set_data(b"BT /F1 12 Tf 72 720 Td (Mayor Ivo Rask said the bridge would reopen.) Tj ET")
    page[NameObject("/Contents")] = writer._add_object(stream)
    path = tmp_path / "statement.pdf"
    with path.open("wb") as out:
        writer.write(out)
    [item] = list(Reader().read([str(path)]))
    assert item.document.text == "Mayor Ivo Rask said the bridge would reopen."


def test_pdf_without_the_extra_gives_a_hint(tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pypdf(name, *args, **kwargs):
        if name.startswith("pypdf"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pypdf)
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    [error] = list(Reader().read([str(path)]))
    assert str(error) == (
        f"{path}: a PDF; reading PDFs needs the pdf extra: pip install 'stance[pdf]' "
        "(or save the article as text)"
    )


def test_docx_is_read_through_python_docx(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Mayor Ivo Rask said the bridge would reopen.")
    document.add_paragraph("Union leader Mara Holt said the strike was over.")
    path = tmp_path / "statement"  # recognised by content, not by extension
    document.save(str(path))
    [item] = list(Reader().read([str(path)]))
    assert item.document.text == (
        "Mayor Ivo Rask said the bridge would reopen.\n\n"
        "Union leader Mara Holt said the strike was over."
    )


def test_a_csv_of_rows_in_one_command_with_the_progress_bar(tmp_path, monkeypatch):
    """The 10,000-row run is `python -m benchmarks.datasets`; here 300 rows, every one a
    document with its metadata, and the bar drawn to its end on a (forced) terminal."""
    from rich.console import Console

    import stance.cli

    path = tmp_path / "rows.csv"
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["headline", "body", "outlet", "published_at", "link"])
        for n in range(300):
            writer.writerow(
                [
                    f"Bridge {n}",
                    f"Mayor Ivo Rask said that bridge number {n} would reopen to traffic soon.",
                    f"Outlet {n % 3}",
                    f"2024-04-{1 + n % 28:02}",
                    f"https://news.example/{n}",
                ]
            )
    screen = io.StringIO()
    monkeypatch.setattr(stance.cli, "err", Console(file=screen, force_terminal=True, width=200))
    db = tmp_path / "s.db"
    result = CliRunner().invoke(cli, ["ingest", str(path), "--db", str(db), "--backend", "rules"])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "documents: 300 new, 0 cached, 0 failed; claims stored: 300, rejected: 0\n"
    )
    drawn = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.getvalue())
    assert "300/300 300 claims, 0 rejected, 0 failed" in drawn
    with Store(db) as store:
        stored = store.db.execute(
            "select count(*), count(distinct source), count(distinct published), "
            "count(distinct url), count(distinct title) from documents"
        ).fetchone()
        speakers = {c.speaker for c in store.claims()}
    assert stored == (300, 3, 28, 300, 300)
    assert speakers == {"Ivo Rask"}
