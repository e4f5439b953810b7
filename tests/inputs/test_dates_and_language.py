import pytest
from click.testing import CliRunner

from stance.cli import cli
from stance.core.errors import InputError
from stance.inputs import Reader, ReadOptions, normalize_date, read_date
from stance.inputs.dates import ReadDate, date_from_text
from stance.inputs.language import detect_language
from stance.store.db import Store

AMBIGUOUS = (
    "'05.04.2024' is ambiguous (day-month or month-day); stored as unknown: "
    "give --date-order DMY or MDY"
)


@pytest.mark.parametrize(
    ("written", "order", "read"),
    [
        ("25.04.2024", None, ReadDate("2024-04-25")),
        ("2024-04-05", None, ReadDate("2024-04-05")),
        ("04/25/2024", None, ReadDate("2024-04-25")),
        ("05.04.2024", None, ReadDate(None, AMBIGUOUS)),
        ("05.04.2024", "DMY", ReadDate("2024-04-05")),
        ("05.04.2024", "MDY", ReadDate("2024-05-04")),
        ("2024", None, ReadDate("2024")),
        ("2024-03", None, ReadDate("2024-03")),
        ("March 2024", None, ReadDate("2024-03")),
        ("April 3, 2024", None, ReadDate("2024-04-03")),
        ("3 April 2024 14:05", None, ReadDate("2024-04-03T14:05:00")),
        ("unknown", None, ReadDate(None, "cannot read 'unknown' as a date; stored as unknown")),
        (
            "yesterday",
            None,
            ReadDate(
                None, "'yesterday' is relative or has no year, and the article has no date; unknown"
            ),
        ),
    ],
)
def test_dates_are_read_as_written(written, order, read):
    assert read_date(written, order=order) == read


def test_relative_words_count_from_the_articles_own_date():
    assert read_date("yesterday", base="2024-04-05") == ReadDate("2024-04-04")
    assert read_date("3 days ago", base="2024-04-05T10:00:00") == ReadDate("2024-04-02")


def test_a_bad_date_flag_is_an_error_but_a_bad_header_date_is_a_note(tmp_path):
    with pytest.raises(InputError, match="--published: cannot read 'someday' as a date; use"):
        normalize_date("someday", "--published")
    article = tmp_path / "a.txt"
    article.write_text("published: unknown\n\nMayor Ivo Rask said the bridge would reopen.")
    year_only = tmp_path / "b.txt"
    year_only.write_text("published: 2024\n\nMayor Ivo Rask said the ferry would stop.")
    first, second = Reader().read([str(article), str(year_only)])
    assert (first.document.published, first.notes) == (
        None,
        (f"{article}: published: cannot read 'unknown' as a date; stored as unknown",),
    )
    assert (second.document.published, second.document.published_from) == ("2024", "header")


def test_the_date_order_flag_reads_header_dates(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("published: 05.04.2024\n\nMayor Ivo Rask said the bridge would reopen.")
    [item] = Reader(ReadOptions(date_order="DMY")).read([str(article)])
    assert item.document.published == "2024-04-05"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("BAKU, Azerbaijan, March 27. The minister said the 2024 talks would go on.",
         ("2024-03-27", "dateline")),
        ("YEREVAN, April 2, 2024 (Wire) — The speaker said so.", ("2024-04-02", "dateline")),
        ("On March 28 the minister said the 2024 budget was final.", ("2024-03-28", "text")),
        ("The minister said on 4 March 2023 that the plan stood.", ("2023-03-04", "text")),
        ("BAKU, Azerbaijan, March 27. No year anywhere in this text.", None),
        ("The minister said the plan stood.", None),
    ],
)  # fmt: skip
def test_dates_from_the_dateline_or_the_first_sentence(text, found):
    date = date_from_text(text)
    assert (None if date is None else (date.value, date.origin)) == found


def test_a_header_date_wins_over_the_dateline(tmp_path):
    dated = tmp_path / "a.txt"
    dated.write_text("published: 2024-04-01\n\nBAKU, Azerbaijan, March 27. In 2024 X said Y.")
    undated = tmp_path / "b.txt"
    undated.write_text("BAKU, Azerbaijan, March 27. In 2024 the minister said so.")
    first, second = Reader().read([str(dated), str(undated)])
    assert (first.document.published, first.document.published_from) == ("2024-04-01", "header")
    assert (second.document.published, second.document.published_from) == (
        "2024-03-27",
        "dateline",
    )


RUSSIAN = (
    "Министр иностранных дел заявил, что встреча в Брюсселе направлена против "
    "Азербайджана и подрывает баланс в регионе. По его словам, такие шаги не способствуют миру."
)
ARMENIAN = (
    "Հայաստանի արտաքին գործերի նախարարը հայտարարել է, որ հանդիպումը ուղղված չէ որևէ մեկի դեմ։"
)
AZERBAIJANI = (
    "Azərbaycan Prezidenti bildirib ki, görüş Azərbaycana qarşı yönəlib və regionda sülhə "
    "xələl gətirir."
)
ENGLISH = "Mayor Ivo Rask said the bridge would reopen to traffic next week, officials confirmed."


def test_languages_are_detected():
    assert [detect_language(t) for t in (RUSSIAN, ARMENIAN, AZERBAIJANI, ENGLISH, "Hi.")] == [
        "ru",
        "hy",
        "az",
        "en",
        None,
    ]


def test_a_russian_article_says_it_needs_a_model(tmp_path):
    article = tmp_path / "ru.txt"
    article.write_text(RUSSIAN, encoding="utf-8")
    db = tmp_path / "s.db"
    result = CliRunner().invoke(
        cli, ["ingest", str(article), "--db", str(db), "--backend", "rules"]
    )
    assert result.exit_code == 0, result.output
    note = (
        "language 'ru': the offline rules extractor reads English only; give a model "
        "(--model) to extract claims from this text"
    )
    assert f"stance: note: {article}: {note}" in result.stderr.splitlines()
    with Store(db) as store:
        [document] = store.documents()
        [run] = store.runs()
    assert (document["language"], run["notes"]) == ("ru", note)
