import asyncio

import pytest
from datasette.app import Datasette

from stance.core.models import Document
from stance.output.serve import metadata
from stance.resolve.linker import resolve_pending
from stance.store.db import Store
from testkit.fake_extractor import FakeExtractor, said

AZ = "President Ilham Aliyev said the meeting has an anti-Azerbaijan nature. Aliyev also spoke."
US = "Antony Blinken said the meeting is not against Azerbaijan. It is about Armenia."


def script(text: str):
    if "Aliyev" in text:
        return [
            said(
                "Ilham Aliyev",
                "the meeting has an anti-Azerbaijan nature",
                ("April 5 meeting", "event", "oppose"),
            )
        ]
    return [
        said(
            "Antony Blinken",
            "the meeting is not against Azerbaijan",
            ("April 5 meeting", "event", "support"),
        )
    ]


@pytest.fixture
def datasette(tmp_path):
    path = tmp_path / "stance.db"
    with Store(path) as store:
        for text, source, day in ((AZ, "AzerNews", "2024-04-03"), (US, "State", "2024-04-04")):
            doc = Document(id=Document.id_for(text), text=text, source=source, published=day)
            store.save_run(doc, FakeExtractor(script).extract(text), started_at="x")
        resolve_pending(store)
    return Datasette([str(path)], metadata=metadata("stance"))


def get_json(ds: Datasette, path: str):
    async def fetch():
        response = await ds.client.get(path)
        assert response.status_code == 200, response.text
        return response.json()

    return asyncio.run(fetch())


def test_claims_about_an_event(datasette):
    rows = get_json(datasette, "/stance/claims_about_an_event.json?about=April+5&_shape=array")
    assert [(r["published"], r["speaker"], r["target"], r["stance"]) for r in rows] == [
        ("2024-04-03", "Ilham Aliyev", "April 5 meeting", "oppose"),
        ("2024-04-04", "Antony Blinken", "April 5 meeting", "support"),
    ]


def test_contradictions(datasette):
    rows = get_json(datasette, "/stance/contradictions.json?about=&_shape=array")
    assert [
        (r["target"], r["speaker_a"], r["stance_a"], r["speaker_b"], r["stance_b"]) for r in rows
    ] == [("April 5 meeting", "Antony Blinken", "support", "Ilham Aliyev", "oppose")]


def test_speaker_over_time(datasette):
    rows = get_json(datasette, "/stance/speaker_over_time.json?speaker=Aliyev&_shape=array")
    assert [(r["published"], r["target"], r["stance"], r["quote"]) for r in rows] == [
        ("2024-04-03", "April 5 meeting", "oppose", "the meeting has an anti-Azerbaijan nature")
    ]


def test_claim_view_has_facets_on_speaker_stance_source_and_date(datasette):
    data = get_json(datasette, "/stance/claim_view.json")
    assert set(data["facet_results"]) == {"speaker", "stance", "source", "published"}
    assert [(f["value"], f["count"]) for f in data["facet_results"]["stance"]["results"]] == [
        ("oppose", 1),
        ("support", 1),
    ]
    assert data["filtered_table_rows_count"] == 2
