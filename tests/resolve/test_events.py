import json
import sqlite3

import pytest
from click.testing import CliRunner

from stance.cli import cli
from stance.core.models import Document
from stance.extraction.config import ExtractorConfig
from stance.query.compare import compare
from stance.resolve.events import features, find_date
from stance.resolve.judge import DeferToResolve, Judge, LLMJudge
from stance.resolve.linker import resolve_pending
from stance.store.db import Store
from stance.store.queries import matching_event_ids
from testkit.fake_extractor import FakeExtractor, said
from testkit.fakeserver import FakeOpenAIServer, echo_claims, question_asked, tool_reply

AZ = (
    "Antony Blinken said the trilateral meeting between the U.S., the European Union, and "
    "Armenia on April5 had caused concern. He said the meeting on April 5 is not against "
    "Azerbaijan. Ilham Aliyev said that Armenia-Azerbaijan peace negotiations must speed up."
)
MFA = "Aykhan Hajizada said the trilateral meeting to be held in Brussels tomorrow is harmful."
EU = (
    "Josep Borrell said the EU-Armenia-US joint conference scheduled for April 5, 2024, in "
    "Brussels went well."
)
BRUSSELS = (
    "Nikol Pashinyan said the high-level joint meeting of the Armenia-EU-USA in Brussels helps."
)
LATER = "Nikol Pashinyan said the meeting on April 12 will follow up."


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "stance.db") as opened:
        yield opened


def save(store: Store, text: str, published: str, claims: list, judge: Judge | None = None) -> None:
    doc = Document(id=Document.id_for(text), text=text, published=published, source="S")
    store.save_run(doc, FakeExtractor(lambda _: claims).extract(text), started_at="x")
    resolve_pending(store, judge)


def events(store: Store) -> dict[str, set[str]]:
    return {
        r["name"]: set(r["aliases"].split(" | ")) for r in store.entities() if r["kind"] == "event"
    }


def test_dates_are_read_from_names_and_resolved_against_the_publication_date():
    assert find_date("the meeting on April5", "2024-04-03") == ("2024-04-05", "04-05")
    assert find_date("April 5, 2024 conference", None) == ("2024-04-05", "04-05")
    assert find_date("the 5th of April meeting", "2024-04-03") == ("2024-04-05", "04-05")
    assert find_date("the meeting on April 5", None) == (None, "04-05")
    assert find_date("the talks held in Brussels tomorrow", "2024-04-04") == ("2024-04-05", "04-05")
    assert find_date("today's meeting", "2024-04-05") == ("2024-04-05", "04-05")
    assert find_date("yesterday's call", "2024-04-04") == ("2024-04-03", "04-03")
    # 2024-04-03 is a Wednesday: "on Friday" is the Friday of that week, "last Friday" before.
    assert find_date("the meeting on Friday", "2024-04-03") == ("2024-04-05", "04-05")
    assert find_date("last Friday's meeting", "2024-04-03") == ("2024-03-29", "03-29")
    assert find_date("January 10 summit", "2023-12-28") == ("2024-01-10", "01-10")
    assert find_date("the meeting", "2024-04-03") == (None, None)


def test_features_of_an_event_mention():
    f = features(
        "the EU-Armenia-US joint conference scheduled for April 5, 2024, in Brussels", "2024-04-04"
    )
    assert (f.date, f.participants, f.type, f.type_word, f.words) == (
        "2024-04-05",
        ("European Union", "Armenia", "United States"),
        "gathering",
        "conference",
        ("joint", "brussels"),
    )


def test_four_accounts_of_the_april_5_meeting_are_one_event(store):
    save(
        store,
        AZ,
        "2024-04-03",
        [
            said(
                "Antony Blinken",
                "the trilateral meeting between the U.S., the European Union, and "
                "Armenia on April5 had caused concern",
                (
                    "the trilateral meeting between the U.S., "
                    "the European Union, and Armenia on April5",
                    "event",
                    "neutral",
                ),
            ),
            said(
                "Antony Blinken",
                "the meeting on April 5 is not against Azerbaijan",
                ("the meeting on April 5", "event", "support"),
            ),
            said(
                "Ilham Aliyev",
                "Armenia-Azerbaijan peace negotiations must speed up",
                ("Armenia-Azerbaijan peace negotiations", "event", "support"),
            ),
        ],
    )
    save(
        store,
        MFA,
        "2024-04-04",
        [
            said(
                "Aykhan Hajizada",
                "the trilateral meeting to be held in Brussels tomorrow is harmful",
                ("the trilateral meeting to be held in Brussels tomorrow", "event", "oppose"),
            )
        ],
    )
    save(
        store,
        EU,
        "2024-04-05",
        [
            said(
                "Josep Borrell",
                "the EU-Armenia-US joint conference "
                "scheduled for April 5, 2024, in Brussels went well",
                (
                    "the EU-Armenia-US joint conference scheduled for April 5, 2024, in Brussels",
                    "event",
                    "support",
                ),
            )
        ],
    )
    save(
        store,
        BRUSSELS,
        "2024-04-05",
        [
            said(
                "Nikol Pashinyan",
                "the high-level joint meeting of the Armenia-EU-USA in Brussels helps",
                (
                    "the high-level joint meeting of the Armenia-EU-USA in Brussels",
                    "event",
                    "support",
                ),
            )
        ],
    )
    save(
        store,
        LATER,
        "2024-04-08",
        [
            said(
                "Nikol Pashinyan",
                "the meeting on April 12 will follow up",
                ("the meeting on April 12", "event", "neutral"),
            )
        ],
    )
    # Each event is shown by a short canonical name, never by a mention's sentence fragment.
    assert events(store) == {
        "Armenia–EU–US meeting, Brussels, 2024-04-05": {
            "the trilateral meeting between the U.S., the European Union, and Armenia on April5",
            "the meeting on April 5",
            "the trilateral meeting to be held in Brussels tomorrow",
            "the EU-Armenia-US joint conference scheduled for April 5, 2024, in Brussels",
            "the high-level joint meeting of the Armenia-EU-USA in Brussels",
        },
        # Other parties (Azerbaijan) and another date make other events.
        "Armenia–Azerbaijan negotiations": {"Armenia-Azerbaijan peace negotiations"},
        "Meeting, 2024-04-12": {"the meeting on April 12"},
    }
    (event_id,) = matching_event_ids(store.db, "April 5 meeting")
    assert matching_event_ids(store.db, "US-EU-Armenia meeting") == [event_id]
    assert matching_event_ids(store.db, "April 6 meeting") == []


DOUBTFUL = "Nikol Pashinyan said the Armenia-EU-USA meeting helps."


def meeting_then_doubtful_mention(
    store: Store, text: str = DOUBTFUL, judge: Judge | None = None
) -> None:
    save(
        store,
        EU,
        "2024-04-04",
        [
            said(
                "Josep Borrell",
                "the EU-Armenia-US joint conference "
                "scheduled for April 5, 2024, in Brussels went well",
                (
                    "the EU-Armenia-US joint conference scheduled for April 5, 2024, in Brussels",
                    "event",
                    "support",
                ),
            )
        ],
        judge,
    )
    # No date and no other words, the same parties, published the next day: doubtful.
    save(
        store,
        text,
        "2024-04-05",
        [
            said(
                "Nikol Pashinyan",
                "the Armenia-EU-USA meeting helps",
                ("the Armenia-EU-USA meeting", "event", "support"),
            )
        ],
        judge,
    )


def test_a_doubtful_match_is_decided_by_the_rule_without_a_model(store):
    meeting_then_doubtful_mention(store)
    assert len(events(store)) == 1


def event_count(store: Store) -> int:
    return store.db.execute("select count(*) from entities where kind = 'event'").fetchone()[0]


def test_a_doubtful_match_is_decided_by_the_model_once(tmp_path, fake_server: FakeOpenAIServer):
    fake_server.script(
        tool_reply({"same_event": False, "reason": "no date is given"}, name="EventMatch")
    )
    config = ExtractorConfig(backend="llm", model="test", base_url=fake_server.url)
    with Store(tmp_path / "a.db") as store:
        meeting_then_doubtful_mention(store, judge=LLMJudge(config, store.db))
        assert event_count(store) == 2
        (request,) = fake_server.chat_requests()
        assert "the Armenia-EU-USA meeting" in request.messages[1]["content"]
        assert request.body["tools"][0]["function"]["name"] == "EventMatch"
        cached = store.db.execute("select task, model, answer from llm_cache").fetchall()
        assert cached == [
            ("event_match", "test", '{"same_event":false,"reason":"no date is given"}')
        ]
    # The same mention again: the first question is answered from the cache, and the model
    # is asked only whether it is the undated meeting of the second text.
    fake_server.script(
        tool_reply({"same_event": True, "reason": "same name and parties"}, name="EventMatch")
    )
    with Store(tmp_path / "a.db") as store:
        save(
            store,
            DOUBTFUL + " Again.",
            "2024-04-05",
            [
                said(
                    "Nikol Pashinyan",
                    "the Armenia-EU-USA meeting helps",
                    ("the Armenia-EU-USA meeting", "event", "support"),
                )
            ],
            LLMJudge(config, store.db),
        )
        assert event_count(store) == 2
    assert len(fake_server.chat_requests()) == 2


def test_an_undated_mention_with_words_of_its_own_is_not_the_documents_meeting(store):
    text = (
        "Antony Blinken said the meeting on April 5 is not against Azerbaijan. He said the "
        "mentioned meeting will focus on Armenia. Aliyev said the peace agreement is near."
    )
    save(
        store,
        text,
        "2024-04-03",
        [
            said(
                "Antony Blinken",
                "the meeting on April 5 is not against Azerbaijan",
                ("the meeting on April 5", "event", "support"),
            ),
            said(
                "Antony Blinken",
                "the mentioned meeting will focus on Armenia",
                ("the mentioned meeting", "event", "support"),
            ),
            said(
                "Aliyev", "the peace agreement is near", ("the peace agreement", "event", "support")
            ),
        ],
    )
    assert events(store) == {
        "Meeting, 2024-04-05": {"the meeting on April 5", "the mentioned meeting"},
        "peace agreement": {"the peace agreement"},
    }


def pending_count(store: Store) -> int:
    return store.db.execute("select count(*) from event_pending").fetchone()[0]


def test_with_a_model_a_doubtful_match_waits_for_stance_resolve(
    tmp_path, fake_server: FakeOpenAIServer
):
    with Store(tmp_path / "a.db") as store:
        meeting_then_doubtful_mention(store, judge=DeferToResolve())
        assert (event_count(store), pending_count(store)) == (2, 1)
        assert fake_server.chat_requests() == []  # nothing asked while storing
        fake_server.script(
            tool_reply({"same_event": True, "reason": "same parties, next day"}, name="EventMatch"),
            tool_reply({"label": "same", "reason": "both welcome it"}, name="ClaimRelation"),
        )
        config = ExtractorConfig(backend="llm", model="test", base_url=fake_server.url)
        judge = LLMJudge(config, store.db)
        summary = resolve_pending(store, judge)
        assert (summary.events_linked, summary.relations) == (1, 1)
        assert (event_count(store), pending_count(store)) == (1, 0)
        result = compare(store, "Armenia-EU-USA meeting")
        assert sorted(s.name for s in result.speakers) == ["Josep Borrell", "Nikol Pashinyan"]
        names = [r.body["tools"][0]["function"]["name"] for r in fake_server.chat_requests()]
        assert names == ["EventMatch", "ClaimRelation"]
        # Twice: nothing changes, nothing is asked.
        again = resolve_pending(store, judge)
        assert (again.runs, again.events_linked, again.relations) == (0, 0, 0)
        assert len(fake_server.chat_requests()) == 2


def test_stance_ingest_with_a_model_leaves_doubtful_matches_to_stance_resolve(
    tmp_path, fake_server: FakeOpenAIServer
):
    borrell = said(
        "Josep Borrell",
        "the EU-Armenia-US joint conference scheduled for April 5, 2024, in Brussels went well",
        (
            "the EU-Armenia-US joint conference scheduled for April 5, 2024, in Brussels",
            "event",
            "support",
        ),
    )
    pashinyan = said(
        "Nikol Pashinyan",
        "the Armenia-EU-USA meeting helps",
        ("the Armenia-EU-USA meeting", "event", "support"),
    )
    (tmp_path / "eu.txt").write_text("published: 2024-04-04\n\n" + EU)
    (tmp_path / "am.txt").write_text("published: 2024-04-05\n\n" + DOUBTFUL)
    fake_server.responder = echo_claims([borrell.model_dump(), pashinyan.model_dump()])
    db = str(tmp_path / "cli.db")
    model = ["--model", "test", "--base-url", fake_server.url, "--db", db]
    runner = CliRunner()
    for name in ("eu.txt", "am.txt"):
        ingested = runner.invoke(cli, ["ingest", str(tmp_path / name), *model])
        assert ingested.exit_code == 0, ingested.output
    with Store(db) as store:
        assert (event_count(store), pending_count(store)) == (2, 1)
    fake_server.script(
        tool_reply({"same_event": True, "reason": "same parties, next day"}, name="EventMatch"),
        tool_reply({"label": "same", "reason": "both welcome it"}, name="ClaimRelation"),
    )
    resolved = runner.invoke(cli, ["resolve", *model])
    assert resolved.exit_code == 0, resolved.output
    assert resolved.stdout == (
        "resolved: 0 runs, 1 pending events linked, 1 claim relations decided by model test\n"
    )
    compared = runner.invoke(cli, ["compare", "Armenia-EU-USA meeting", "--json", "--db", db])
    assert compared.exit_code == 0, compared.output
    assert sorted(s["name"] for s in json.loads(compared.stdout)["speakers"]) == [
        "Josep Borrell",
        "Nikol Pashinyan",
    ]
    with Store(db) as store:
        assert (event_count(store), pending_count(store)) == (1, 0)


def test_no_model_request_runs_while_the_write_lock_is_held(
    tmp_path, fake_server: FakeOpenAIServer
):
    path = tmp_path / "a.db"
    lock_free: list[bool] = []

    def answer_if_the_database_is_writable(body):
        # Another connection takes the write lock at once, or finds it held.
        other = sqlite3.connect(path, timeout=0)
        try:
            other.execute("begin immediate")
            other.execute("rollback")
            lock_free.append(True)
        except sqlite3.OperationalError:
            lock_free.append(False)
        finally:
            other.close()
        if question_asked(body) == "ClaimRelation":
            return tool_reply({"label": "unrelated", "reason": "x"}, name="ClaimRelation")
        return tool_reply({"same_event": True, "reason": "same parties"}, name="EventMatch")

    fake_server.responder = answer_if_the_database_is_writable
    config = ExtractorConfig(backend="llm", model="test", base_url=fake_server.url)
    with Store(path) as store:
        meeting_then_doubtful_mention(store, judge=LLMJudge(config, store.db))
        assert event_count(store) == 1
        assert store.db["unresolved_runs"].count == 0
    assert lock_free and all(lock_free)


# Invented: one naval exercise that one outlet names by its code name and another by its
# base, and another exercise of the same kind a month later.
HERON_RELEASE = (
    "The Navy said Operation Grey Heron began today at the Pellworth naval base. Admiral Ona "
    "Falk said the Grey Heron exercise is purely defensive."
)
HERON_WIRE = (
    "Sailors gathered at Pellworth as Grey Heron got under way. Minister Tavi Roon said the "
    "Pellworth exercise is a provocation."
)
HERON_FOLLOW_UP = (
    "Admiral Ona Falk said the drills went well and the Pellworth exercise taught the crews a lot."
)
OTHER_SAME_WEEK = (
    "While Grey Heron went on, Minister Tavi Roon said the Sandmere exercise on land is a "
    "provocation too."
)
LATER_EXERCISE = (
    "A month after Grey Heron at Pellworth, Minister Tavi Roon said the Calloway exercise is "
    "another provocation. Admiral Ona Falk said the drills are routine."
)


def test_two_outlets_names_of_one_exercise_are_one_event_and_a_later_one_stays_apart(store):
    save(
        store,
        HERON_RELEASE,
        "2031-05-05",
        [
            said(
                "Ona Falk",
                "the Grey Heron exercise is purely defensive",
                ("the Grey Heron exercise", "event", "support"),
            )
        ],
    )
    save(
        store,
        HERON_WIRE,
        "2031-05-06",
        [
            said(
                "Tavi Roon",
                "the Pellworth exercise is a provocation",
                ("the Pellworth exercise", "event", "oppose"),
            )
        ],
    )
    save(
        store,
        HERON_FOLLOW_UP,
        "2031-05-07",
        [
            said(
                "Ona Falk",
                "the drills went well",
                ("the drills", "event", "support"),
            )
        ],
    )
    save(
        store,
        OTHER_SAME_WEEK,
        "2031-05-08",
        [
            said(
                "Tavi Roon",
                "the Sandmere exercise on land is a provocation too",
                ("the Sandmere exercise", "event", "oppose"),
            )
        ],
    )
    save(
        store,
        LATER_EXERCISE,
        "2031-06-09",
        [
            said(
                "Tavi Roon",
                "the Calloway exercise is another provocation",
                ("the Calloway exercise", "event", "oppose"),
            ),
            said("Ona Falk", "the drills are routine", ("the drills", "event", "support")),
        ],
    )
    found = events(store)
    # The follow-up names the Pellworth exercise: its "drills" are that event too. The
    # Sandmere exercise of the same week is another one: its article names Grey Heron, but
    # no article of Grey Heron names Sandmere. A month later, the Calloway exercise and its
    # drills are another one, although their article names Grey Heron and Pellworth.
    assert sorted(found.values(), key=len) == [
        {"the Sandmere exercise"},
        {"the Calloway exercise", "the drills"},
        {"the Grey Heron exercise", "the Pellworth exercise", "the drills"},
    ]
