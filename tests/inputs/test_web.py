import json

from click.testing import CliRunner

from stance.cli import cli
from stance.inputs.web import looks_like_html, read_page, strip_site_suffix
from stance.store.db import Store

from .pages import AROUND, ARTICLE_PARAGRAPHS, SPEAKERS_AROUND, news_page


def test_a_page_gives_the_article_alone_with_its_metadata():
    page = read_page(news_page())
    assert page.text == "\n\n".join(["Ministers agree on a river treaty", *ARTICLE_PARAGRAPHS])
    assert (page.title, page.site_name, page.url, page.published) == (
        "Ministers agree on a river treaty",
        "Northern Ledger",
        "https://ledger.example/world/river-treaty",
        "2024-03-14",
    )


def test_the_date_comes_from_json_ld_without_meta_tags():
    page = read_page(news_page(meta_date=False, published="2023-11-02"))
    assert page.published == "2023-11-02"


def test_site_suffix_is_cut_from_titles():
    assert strip_site_suffix("Talks resume | Daily Planet", "Daily Planet") == "Talks resume"
    assert strip_site_suffix("Talks resume - Daily Planet", "The Daily Planet") == "Talks resume"
    assert strip_site_suffix("Daily Planet: Talks resume", "Daily Planet") == "Talks resume"
    assert strip_site_suffix("Talks resume - in depth", "Daily Planet") == (
        "Talks resume - in depth"
    )


def test_html_is_recognised_by_content():
    assert looks_like_html(news_page())
    assert looks_like_html("<p>One.</p><p>Two.</p>")
    assert looks_like_html("\ufeff<!-- saved -->\n<html><body>x</body></html>")
    assert not looks_like_html("The index rose when a < b and c > d, the minister said.")
    assert not looks_like_html("source: X\n\nPlain text said the minister.")


def _claims(db):
    with Store(db) as store:
        return store.claims(), store.documents()


def test_a_saved_page_without_extension_yields_only_the_articles_claims(tmp_path):
    saved = tmp_path / "river-treaty"  # no .html: recognised by its content
    saved.write_text(news_page(), encoding="utf-8")
    db = tmp_path / "s.db"
    result = CliRunner().invoke(cli, ["ingest", str(saved), "--db", str(db), "--backend", "rules"])
    assert result.exit_code == 0, result.output
    claims, [document] = _claims(db)
    assert {c.speaker for c in claims} == {"Tomas Varga", "Lena Okafor", "Piet Brandt"}
    around = " ".join(AROUND.values())
    for claim in claims:
        assert claim.quote not in around
        assert not claim.speaker_mention.startswith(SPEAKERS_AROUND)
    assert "<" not in "".join(c.quote for c in claims)
    assert {k: document[k] for k in ("source", "url", "title", "published")} == {
        "source": "Northern Ledger",
        "url": "https://ledger.example/world/river-treaty",
        "title": "Ministers agree on a river treaty",
        "published": "2024-03-14",
    }


def test_html_on_stdin_keeps_no_tags(tmp_path):
    db = tmp_path / "s.db"
    result = CliRunner().invoke(
        cli,
        ["ingest", "-", "--db", str(db), "--backend", "rules", "--json"],
        input=news_page(),
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["new"], summary["claims"]) == (1, 6)
    with Store(db) as store:
        [document] = store.documents()
        assert store.document(document["id"]).text.startswith("Ministers agree on a river")
        assert "<" not in store.document(document["id"]).text


def test_a_header_block_overrides_the_page(tmp_path):
    saved = tmp_path / "page.html"
    saved.write_text("source: Wire Copy\npublished: 2024-03-15\n\n" + news_page())
    db = tmp_path / "s.db"
    CliRunner().invoke(cli, ["ingest", str(saved), "--db", str(db), "--backend", "rules"])
    with Store(db) as store:
        [document] = store.documents()
        row = store.db["documents"].get(document["id"])
    assert (row["source"], row["published"], row["published_from"], row["title"]) == (
        "Wire Copy",
        "2024-03-15",
        "header",
        "Ministers agree on a river treaty",
    )
