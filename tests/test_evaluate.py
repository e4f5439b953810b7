"""The metric of docs/metric.md, with expected values computed by hand."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from stance.cli import cli
from stance.core.errors import InputError
from stance.core.models import Claim, Extraction, GoldDocument, Target, schema_sha
from stance.core.names import metric_names_agree, targets_agree
from stance.evaluate import (
    EvalReport,
    compare_rows,
    document_rows,
    error_rows,
    eval_record,
    gold_sha,
    load_gold,
    macro_f1,
    match_spans,
    match_targets,
    prf,
    run_eval,
    score,
    score_document,
    spans_match,
    summary_rows,
)
from stance.store.db import Store
from testkit.fakeserver import FakeOpenAIServer, tool_reply

GOLD_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "gold"
SEED_GOLD = GOLD_DIR / "azernews-2024-04-03-blinken-aliyev.jsonl"


def rounded(value: object) -> object:
    """Floats rounded to 6 places, recursively, so whole reports compare with ==."""
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [rounded(v) for v in value]
    return value


@dataclass
class Predicted:
    """The least a predicted claim needs: speaker, offsets, targets."""

    speaker: str | None
    start: int | None
    end: int | None
    targets: list[Target] = field(default_factory=list)


def predicted(text: str, speaker: str, quote: str, *targets: tuple[str, str]) -> Predicted:
    start = text.index(quote)
    chosen = [Target.model_validate({"name": n, "stance": s}) for n, s in targets]
    return Predicted(speaker, start, start + len(quote), chosen)


def gold_doc(doc_id: str, text: str, claims: list[dict[str, object]]) -> GoldDocument:
    return GoldDocument.model_validate({"id": doc_id, "text": text, "claims": claims})


# --- Span overlap and one-to-one matching ------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((0, 10), (5, 25), True),  # overlap 5 = half of the shorter span (10)
        ((0, 10), (6, 25), False),  # overlap 4 < 5
        ((0, 9), (5, 20), False),  # overlap 4 < 4.5
        ((0, 9), (4, 20), True),  # overlap 5 >= 4.5
        ((10, 20), (0, 100), True),  # contained: overlap is the whole shorter span
        ((0, 10), (10, 20), False),  # touching spans do not overlap
    ],
)
def test_spans_match_at_half_of_the_shorter_span(
    a: tuple[int, int], b: tuple[int, int], expected: bool
) -> None:
    assert spans_match(a, b) is expected
    assert spans_match(b, a) is expected


def test_matching_takes_the_largest_overlap_first() -> None:
    # Gold 0 overlaps the prediction by 6, gold 1 by 12: gold 1 wins though it comes second.
    assert match_spans([(0, 10), (8, 30)], [(4, 20)]) == [(1, 0)]


def test_matching_is_one_to_one() -> None:
    # Every pair matches. Largest overlap first: (g0,p0)=10 is taken, (g1,p0)=10 is blocked,
    # (g0,p1)=5 is blocked, (g1,p1)=5 is taken. Two identical predictions: one is left over.
    assert match_spans([(0, 10), (0, 12)], [(0, 10), (5, 10)]) == [(0, 0), (1, 1)]
    assert match_spans([(0, 10)], [(0, 10), (0, 10)]) == [(0, 0)]


def test_greedy_order_changes_the_report() -> None:
    text = "Ann Lee said prices rose, and warned that the bridge tolls would double by spring."
    first = "prices rose"  # 11 characters
    second = "the bridge tolls would double by spring"  # 39 characters
    doc = gold_doc(
        "tolls",
        text,
        [{"speaker": "Ann Lee", "quote": first}, {"speaker": "Ann Lee", "quote": second}],
    )
    # One predicted span (58 characters) covers both: all of the first (11 >= 11/2) and
    # "the bridge tolls would double" of the second (29 >= 39/2). The larger overlap wins, so
    # the first gold claim is the one missed (in gold order it would be the second).
    guess = predicted(text, "Ann Lee", "prices rose, and warned that the bridge tolls would double")
    result = score_document(doc, [guess])
    assert (result.span_matches, result.attribution_matches) == (1, 1)
    assert [(e.kind, e.quote) for e in result.errors] == [("missed", first)]


# --- Name rules --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("IlhamAliyev", "Ilham Aliyev", True),  # words joined are equal
        ("Aliyev", "Ilham Aliyev", True),  # every word of one among the other's
        ("Azerbaijan", "Azerbaijani", True),  # prefix, both at least 5 letters
        ("Franc", "France", True),  # exactly 5 letters
        ("Chin", "China", False),  # 4 letters: no prefix rule
        ("Chinese", "China", False),  # neither begins the other
        ("SEC", "Securities and Exchange Commission", True),  # initials, "and" ignored
        ("U.S.", "United States", True),  # full stops removed, then initials
        ("UN", "United States", False),
        ("Secretary of State Antony Blinken", "Antony Blinken", True),  # titles dropped
        ("President Ilham Aliyev", "IlhamAliyev", True),
        ("The Secretary", "President", False),  # titles only: nothing left to compare
        ("Aliyev's", "Ilham Aliyev", True),  # possessive removed
        ("U.S.'s", "United States", True),
        ("Armenia’s", "Armenia", True),  # typographic apostrophe
        ("Antony Blinken", "Ilham Aliyev", False),
        # Subset agreement only while the longer name has at most two words more.
        ("Blinken", "Secretary of State Antony J. Blinken", True),  # antony j blinken: +2
        ("CrowdStrike", "CrowdStrike's outside legal counsel at Quinn Emanuel", False),  # +6
        ("Acme", "Acme outside counsel team", False),  # +3
    ],
)
def test_names_agree(a: str, b: str, expected: bool) -> None:
    assert metric_names_agree(a, b) is expected
    assert metric_names_agree(b, a) is expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        # ratio = 2 * common letters / total letters of the sorted, joined word sets
        ("Blinken", "Blinkin", True),  # 2*6/14 = 0.857 >= 0.85
        ("Macron", "Micron", False),  # 2*5/12 = 0.833 < 0.85
        ("Antony Blinken", "Antony Blinkin", True),  # 2*13/28 = 0.929
        ("Almaty Declaration", "Almaty Decleration", True),  # 2*17/36 = 0.944
    ],
)
def test_targets_agree_by_similarity_when_names_do_not(a: str, b: str, expected: bool) -> None:
    assert metric_names_agree(a, b) is False
    assert targets_agree(a, b) is expected
    assert targets_agree(b, a) is expected


def test_targets_matched_one_to_one_as_many_as_possible() -> None:
    # "Azerbaijan" agrees with both predicted names; "Azerbaijani government" only with the
    # first. Taking the first for "Azerbaijan" would leave the second gold target unmatched.
    gold = ["Azerbaijan", "Azerbaijani government"]
    guesses = ["Azerbaijani government", "Republic of Azerbaijan"]
    assert match_targets(gold, guesses) == [(0, 1), (1, 0)]
    assert match_targets(["Armenia", "Armenia"], ["Armenia"]) == [(0, 0)]


# --- Arithmetic --------------------------------------------------------------------------------


def test_prf_arithmetic() -> None:
    assert prf(3, 5, 4).model_dump() == {
        "precision": 0.75,
        "recall": 0.6,
        "f1": pytest.approx(2 / 3),
    }
    assert prf(0, 0, 0).model_dump() == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert prf(0, 2, 0).model_dump() == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert prf(0, 0, 3).model_dump() == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_macro_f1_by_hand() -> None:
    pairs = [
        ("support", "support"),
        ("support", "oppose"),
        ("oppose", "oppose"),
        ("neutral", "support"),
    ]
    # support: tp 1, fp 1, fn 1 -> 2/4; oppose: tp 1, fp 1, fn 0 -> 2/3; neutral: fn 1 -> 0
    assert macro_f1(pairs) == pytest.approx((1 / 2 + 2 / 3 + 0) / 3)  # 7/18


def test_macro_f1_leaves_out_classes_absent_from_gold_and_prediction() -> None:
    # support: tp 1, fp 1 -> 2/3; oppose: fn 1 -> 0; neutral: absent, not averaged.
    assert macro_f1([("support", "support"), ("oppose", "support")]) == pytest.approx(1 / 3)
    assert macro_f1([("support", "support")]) == 1.0
    assert macro_f1([]) is None


# --- Whole reports -----------------------------------------------------------------------------

TEXT_A = (
    "Jane Roe said the harbour plan will fail. Officials said talks went well. "
    "Mark Poe said the council had ignored residents."
)
TEXT_B = "Acme Corp denied that it had misled the SEC. Analysts said shares would recover."


def two_documents() -> tuple[list[GoldDocument], list[list[Predicted | Claim]]]:
    doc_a = gold_doc(
        "a",
        TEXT_A,
        [
            {
                "speaker": "Jane Roe",
                "quote": "the harbour plan will fail",
                "targets": [
                    {"name": "Harbour Plan", "stance": "oppose"},
                    {"name": "City Council", "stance": "neutral"},
                ],
            },
            {"speaker": "officials", "quote": "talks went well", "start": 57, "end": 72},
            {
                "speaker": "Mark Poe",
                "quote": "the council had ignored residents",
                "targets": [{"name": "City Council", "stance": "oppose"}],
            },
        ],
    )
    doc_b = gold_doc(
        "b",
        TEXT_B,
        [
            {
                "speaker": "Acme Corp",
                "quote": "it had misled the SEC",
                "targets": [{"name": "Securities and Exchange Commission", "stance": "oppose"}],
            },
            {"speaker": "analysts", "quote": "shares would recover"},
        ],
    )
    predicted_a: list[Predicted | Claim] = [
        predicted(
            TEXT_A,
            "Jane Roe",
            "the harbour plan will fail",
            ("Harbour plan", "oppose"),
            ("Mayor", "neutral"),
        ),
        predicted(TEXT_A, "Mark Poe", "talks went well"),  # wrong speaker
        predicted(TEXT_A, "Jane Roe", "Jane Roe said"),  # extra
    ]
    rejected = Claim(
        speaker="analysts",
        speaker_mention="Analysts",
        cue="said",
        quote="shares will crash",
        content="Shares will crash.",
        attribution="indirect",
        grounding="rejected",
        reason="the quote is not in the text",
    )
    predicted_b: list[Predicted | Claim] = [
        predicted(TEXT_B, "Acme", "misled the SEC", ("SEC", "support")),
        rejected,
    ]
    return [doc_a, doc_b], [predicted_a, predicted_b]


def test_report_over_two_documents() -> None:
    docs, guesses = two_documents()
    report = score(zip(docs, guesses, strict=True))
    # gold 5, predicted 4 (the rejected claim does not count), span matches 3, attribution 2.
    # Targets of attribution matches: 3 gold, 2 found ("Harbour plan", "SEC"), 1 stance right.
    expected = {
        "documents": 2,
        "span": {"precision": 3 / 4, "recall": 3 / 5, "f1": 2 / 3},
        "attribution": {"precision": 2 / 4, "recall": 2 / 5, "f1": 4 / 9},
        "target_recall": 2 / 3,
        "stance_accuracy": 1 / 2,
        # pairs (oppose, oppose), (oppose, support): oppose tp 1 fn 1 -> 2/3; support fp 1 -> 0
        "stance_macro_f1": 1 / 3,
        "per_document": [
            {
                "id": "a",
                "gold_claims": 3,
                "predicted_claims": 3,
                "span_matches": 2,
                "attribution_matches": 1,
                "gold_targets": 2,
                "targets_found": 1,
                "stance_correct": 1,
                "span": {"precision": 2 / 3, "recall": 2 / 3, "f1": 2 / 3},
                "attribution": {"precision": 1 / 3, "recall": 1 / 3, "f1": 1 / 3},
                "target_recall": 1 / 2,
                "stance_accuracy": 1.0,
                "stance_macro_f1": 1.0,
            },
            {
                "id": "b",
                "gold_claims": 2,
                "predicted_claims": 1,
                "span_matches": 1,
                "attribution_matches": 1,
                "gold_targets": 1,
                "targets_found": 1,
                "stance_correct": 0,
                "span": {"precision": 1.0, "recall": 1 / 2, "f1": 2 / 3},
                "attribution": {"precision": 1.0, "recall": 1 / 2, "f1": 2 / 3},
                "target_recall": 1.0,
                "stance_accuracy": 0.0,
                "stance_macro_f1": 0.0,
            },
        ],
    }
    assert rounded(report.model_dump()) == rounded(expected)
    assert json.loads(report.model_dump_json()) == report.model_dump()


def test_errors_list_what_went_wrong_with_context() -> None:
    docs, guesses = two_documents()
    report = score(zip(docs, guesses, strict=True))
    listed = [
        (e.document_id, e.kind, e.quote, e.gold_speaker, e.predicted_speaker, e.target)
        for e in report.errors
    ]
    assert listed == [
        ("a", "extra", "Jane Roe said", None, "Jane Roe", None),
        ("a", "missed target", "the harbour plan will fail", "Jane Roe", None, "City Council"),
        ("a", "wrong speaker", "talks went well", "officials", "Mark Poe", None),
        ("a", "missed", "the council had ignored residents", "Mark Poe", None, None),
        (
            "b",
            "wrong stance",
            "it had misled the SEC",
            "Acme Corp",
            None,
            "Securities and Exchange Commission",
        ),
        ("b", "missed", "shares would recover", "analysts", None, None),
    ]
    wrong_stance = report.errors[4]
    assert (wrong_stance.gold_stance, wrong_stance.predicted_stance) == ("oppose", "support")
    assert wrong_stance.context == (
        "Acme Corp denied that [it had misled the SEC]. Analysts said shares would recover."
    )
    assert error_rows(report)[2] == {
        "document": "a",
        "kind": "wrong speaker",
        "detail": "gold 'officials', predicted 'Mark Poe'",
        "context": "Jane Roe said the harbour plan will fail. Officials said [talks went well]. "
        "Mark Poe said the council had ignored residents.",
    }


def test_a_long_description_starting_with_the_speaker_is_a_wrong_speaker() -> None:
    text = (
        "Acme's outside legal counsel at Hale Brandt said the contract was void. "
        "Rosa Lind said the plant would stay open."
    )
    doc = gold_doc(
        "counsel",
        text,
        [
            {"speaker": "Hale Brandt", "quote": "the contract was void"},
            {"speaker": "Rosa Lind", "quote": "the plant would stay open"},
        ],
    )
    guesses = [
        predicted(text, "Acme's outside legal counsel at Hale Brandt", "the contract was void"),
        predicted(text, "Lind", "the plant would stay open"),
    ]
    result = score_document(doc, guesses)
    # "hale brandt" is among the seven words of the prediction, five more than the gold's two.
    assert (result.span_matches, result.attribution_matches) == (2, 1)
    assert [(e.kind, e.gold_speaker, e.predicted_speaker) for e in result.errors] == [
        ("wrong speaker", "Hale Brandt", "Acme's outside legal counsel at Hale Brandt")
    ]
    assert rounded(result.attribution.model_dump()) == {"precision": 0.5, "recall": 0.5, "f1": 0.5}


def test_error_context_is_cut_and_marked() -> None:
    text = "x" * 100 + " Ann Lee said rain is coming. " + "y" * 100
    doc = gold_doc("rain", text, [{"speaker": "Ann Lee", "quote": "rain is coming"}])
    (missed,) = score_document(doc, []).errors
    assert missed.context == "…" + text[54:114] + "[rain is coming]" + text[128:188] + "…"


def test_seed_gold_against_itself_is_perfect() -> None:
    docs = load_gold([SEED_GOLD])
    report = score((doc, doc.claims) for doc in docs)
    assert report.model_dump()["span"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert report.model_dump()["attribution"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert (report.target_recall, report.stance_accuracy, report.stance_macro_f1) == (1, 1, 1)
    assert report.errors == []


def test_report_shape_is_the_eval_json_contract() -> None:
    docs, guesses = two_documents()
    dumped = score(zip(docs, guesses, strict=True)).model_dump()
    assert list(dumped) == [
        "documents",
        "span",
        "attribution",
        "target_recall",
        "stance_accuracy",
        "stance_macro_f1",
        "per_document",
    ]


def test_rows_for_tables() -> None:
    docs, guesses = two_documents()
    report = score(zip(docs, guesses, strict=True))
    assert rounded(summary_rows(report)) == rounded(
        [
            {"metric": "documents", "value": 2},
            {"metric": "span precision", "value": 0.75},
            {"metric": "span recall", "value": 0.6},
            {"metric": "span f1", "value": 2 / 3},
            {"metric": "attribution precision", "value": 0.5},
            {"metric": "attribution recall", "value": 0.4},
            {"metric": "attribution f1", "value": 4 / 9},
            {"metric": "target recall", "value": 2 / 3},
            {"metric": "stance accuracy", "value": 0.5},
            {"metric": "stance macro-F1", "value": 1 / 3},
        ]
    )
    assert rounded(document_rows(report)) == rounded(
        [
            {
                "document": "a",
                "gold": 3,
                "predicted": 3,
                "span_f1": 2 / 3,
                "attribution_f1": 1 / 3,
                "target_recall": 0.5,
                "stance_accuracy": 1.0,
            },
            {
                "document": "b",
                "gold": 2,
                "predicted": 1,
                "span_f1": 2 / 3,
                "attribution_f1": 2 / 3,
                "target_recall": 1.0,
                "stance_accuracy": 0.0,
            },
        ]
    )


def test_empty_document_against_empty_prediction_is_perfect() -> None:
    report = score([(gold_doc("empty", "Nothing was said.", []), [])])
    assert rounded(report.model_dump()) == {
        "documents": 1,
        "span": {"precision": 1.0, "recall": 1.0, "f1": 1.0},
        "attribution": {"precision": 1.0, "recall": 1.0, "f1": 1.0},
        "target_recall": None,
        "stance_accuracy": None,
        "stance_macro_f1": None,
        "per_document": [
            {
                "id": "empty",
                "gold_claims": 0,
                "predicted_claims": 0,
                "span_matches": 0,
                "attribution_matches": 0,
                "gold_targets": 0,
                "targets_found": 0,
                "stance_correct": 0,
                "span": {"precision": 1.0, "recall": 1.0, "f1": 1.0},
                "attribution": {"precision": 1.0, "recall": 1.0, "f1": 1.0},
                "target_recall": None,
                "stance_accuracy": None,
                "stance_macro_f1": None,
            }
        ],
    }


# --- run_eval ----------------------------------------------------------------------------------


class EchoExtractor:
    """Answers every text with the gold claims of that text: a perfect extractor."""

    backend = "rules"
    model: str | None = "echo-1"

    def __init__(self, docs: list[GoldDocument]) -> None:
        self.by_text = {d.text: d for d in docs}
        self.published: list[str | None] = []

    @property
    def prompt_sha(self) -> str | None:
        return "abc123"

    def extract(self, text: str, *, published: str | None = None) -> Extraction:
        self.published.append(published)
        claims = [
            Claim(
                speaker=g.speaker,
                speaker_mention=g.speaker,
                cue=g.cue or "said",
                quote=g.quote,
                content=g.quote,
                attribution="indirect",
                targets=[Target(name=t.name, stance=t.stance) for t in g.targets],
                start=g.start,
                end=g.end,
                grounding="exact",
            )
            for g in self.by_text[text].claims
        ]
        return Extraction(
            claims=claims,
            backend=self.backend,
            model=self.model,
            prompt_sha=self.prompt_sha,
            schema_sha=schema_sha(),
        )


def test_run_eval_extracts_every_gold_text_into_the_store(tmp_path: Path) -> None:
    docs = load_gold([SEED_GOLD])
    extractor = EchoExtractor(docs)
    seen: list[str] = []
    with Store(tmp_path / "eval.db") as store:
        report = run_eval(docs, extractor, store, on_document=lambda doc, _: seen.append(doc.id))
        assert isinstance(report, EvalReport)
        assert (report.backend, report.model, report.prompt_sha, report.schema_sha) == (
            "rules",
            "echo-1",
            "abc123",
            schema_sha(),
        )
        assert seen == ["azernews-2024-04-03-blinken-aliyev-call"]
        assert extractor.published == ["2024-04-03"]
        assert (report.attribution.f1, report.target_recall, report.stance_macro_f1) == (1, 1, 1)
        assert "backend" not in report.model_dump()
        assert store.db["claims"].count == 16
        again = run_eval(docs, extractor, store)
        assert extractor.published == ["2024-04-03"]  # the stored run was reused
        assert again.model_dump() == report.model_dump()


def test_eval_runs_are_recorded_and_compared(tmp_path: Path) -> None:
    docs = load_gold([SEED_GOLD])
    with Store(tmp_path / "eval.db") as store:
        first = run_eval(docs, EchoExtractor(docs), store)
        store.save_eval(eval_record(first, docs, gold="seed"))
        lazy = EchoExtractor(docs)
        lazy.model = "echo-lazy"
        lazy.by_text = {d.text: d.model_copy(update={"claims": d.claims[:8]}) for d in docs}
        second = run_eval(docs, lazy, store)
        store.save_eval(eval_record(second, docs, gold="seed"))
        rows = compare_rows(store.evals(gold_sha(docs)))
    assert [(r["model"], r["attribution_f1"], r["Δ attribution_f1"]) for r in rows] == [
        ("echo-1", 1.0, 0.0),
        ("echo-lazy", 2 / 3, round(2 / 3 - 1, 3)),
    ]


# --- load_gold ---------------------------------------------------------------------------------


def write_lines(path: Path, *lines: object) -> Path:
    path.write_text(
        "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n",
        encoding="utf-8",
    )
    return path


GOOD = {
    "id": "d1",
    "text": "Bo Li said it rained. Bo Li said it rained.",
    "claims": [{"speaker": "Bo Li", "quote": "it rained", "targets": []}],
}


def test_load_gold_fills_offsets_from_the_first_occurrence(tmp_path: Path) -> None:
    (doc,) = load_gold([write_lines(tmp_path / "g.jsonl", GOOD)])
    assert (doc.claims[0].start, doc.claims[0].end) == (11, 20)


def test_load_gold_reads_folders_recursively_in_name_order(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    write_lines(tmp_path / "sub" / "b.jsonl", {**GOOD, "id": "d2"})
    write_lines(tmp_path / "a.jsonl", GOOD, "")
    (tmp_path / "notes.txt").write_text("not gold", encoding="utf-8")
    assert [d.id for d in load_gold([tmp_path])] == ["d1", "d2"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "g.jsonl:2: invalid JSON: Expecting property name enclosed in double quotes"),
        (
            json.dumps({"id": "x", "claims": []}),
            "g.jsonl:2: not a gold document: text: Field required",
        ),
        (
            json.dumps({**GOOD, "claims": [{"speaker": "Bo Li", "quote": "it snowed"}]}),
            "g.jsonl:2: gold document 'd1': quote not found in the text: 'it snowed'",
        ),
        (
            json.dumps(
                {**GOOD, "claims": [{"speaker": "Bo", "quote": "it rained", "start": 0, "end": 9}]}
            ),
            "g.jsonl:2: gold document 'd1': text[0:9] is not the quote 'it rained'",
        ),
        (
            json.dumps(
                {
                    **GOOD,
                    "claims": [
                        {
                            "speaker": "Bo Li",
                            "quote": "x",
                            "targets": [{"name": "Rain", "stance": "love"}],
                        }
                    ],
                }
            ),
            "g.jsonl:2: not a gold document: claims.0.targets.0.stance: Input should be",
        ),
    ],
)
def test_load_gold_errors_name_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = write_lines(tmp_path / "g.jsonl", {**GOOD, "id": "first"}, line)
    with pytest.raises(InputError) as caught:
        load_gold([path])
    assert str(caught.value).startswith(str(tmp_path / message))


def test_load_gold_rejects_a_repeated_id(tmp_path: Path) -> None:
    write_lines(tmp_path / "a.jsonl", GOOD)
    write_lines(tmp_path / "b.jsonl", GOOD)
    with pytest.raises(InputError) as caught:
        load_gold([tmp_path])
    assert str(caught.value) == (
        f"{tmp_path / 'b.jsonl'}:1: document id 'd1' already used at {tmp_path / 'a.jsonl'}:1"
    )


def test_load_gold_rejects_missing_paths(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_gold([tmp_path / "nope.jsonl"])
    assert str(caught.value) == f"{tmp_path / 'nope.jsonl'}: no such file or folder"


# --- stance eval -------------------------------------------------------------------------------


def test_eval_command_prints_the_report_as_json(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from stance import cli

    docs = load_gold([SEED_GOLD])
    monkeypatch.setattr(cli, "make_extractor", lambda config: EchoExtractor(docs))
    result = CliRunner().invoke(cli.cli, ["eval", str(SEED_GOLD), "--json", "--errors"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed["errors"] == []
    assert printed["attribution"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert [d["id"] for d in printed["per_document"]] == ["azernews-2024-04-03-blinken-aliyev-call"]


def test_eval_command_prints_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from stance import cli

    docs = load_gold([SEED_GOLD])
    monkeypatch.setattr(cli, "make_extractor", lambda config: EchoExtractor(docs))
    result = CliRunner().invoke(cli.cli, ["eval", str(SEED_GOLD), "--errors"])
    assert result.exit_code == 0, result.output
    assert "attribution f1" in result.stdout
    assert "azernews" in result.stdout  # the table may fold the long id
    assert "no errors" in result.stdout


def test_eval_command_reports_bad_gold_in_one_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from stance import cli

    bad = write_lines(tmp_path / "bad.jsonl", "{oops")
    result = CliRunner().invoke(cli.cli, ["eval", str(bad)])
    assert result.exit_code == 1
    # Whitespace collapsed: the console may wrap a long line at the terminal width.
    assert " ".join(result.stderr.split()) == (
        f"stance: error: {bad}:1: invalid JSON: "
        "Expecting property name enclosed in double quotes (column 2)"
    )


def test_a_predicted_claim_without_offsets_is_an_extra_that_matches_nothing() -> None:
    text = "Ann Lee said rain is coming."
    doc = gold_doc("rain", text, [{"speaker": "Ann Lee", "quote": "rain is coming"}])
    ungrounded = Predicted("Ann Lee", None, None)
    result = score_document(doc, [ungrounded])
    assert (result.gold_claims, result.predicted_claims, result.span_matches) == (1, 1, 0)
    assert [(e.kind, e.start, e.quote) for e in result.errors] == [
        ("missed", 13, "rain is coming"),
        ("extra", None, ""),
    ]


# --- An eval through a model server ------------------------------------------------------------


def scripted_claim(speaker: str, quote: str, targets: list[tuple[str, str]]) -> dict[str, object]:
    return {
        "speaker": speaker,
        "speaker_mention": speaker,
        "cue": "said",
        "quote": quote,
        "content": f"{speaker} said {quote}.",
        "attribution": "indirect",
        "claim_type": "statement",
        "targets": [{"name": n, "kind": "other", "stance": s} for n, s in targets],
    }


def test_an_eval_through_the_scripted_server_gives_the_scores_computed_by_hand(
    tmp_path: Path, fake_server: FakeOpenAIServer
) -> None:
    answer = {
        "claims": [
            # Gold claim 6, right speaker, its one target with the right stance.
            scripted_claim(
                "Antony Blinken",
                "the meeting on April 5 is not against Azerbaijan",
                [("April 5 trilateral meeting (US-EU-Armenia)", "support")],
            ),
            # Gold claim 9 with the run-together words fixed: one of its two targets, with
            # the wrong stance.
            scripted_claim(
                "Ilham Aliyev",
                "the accusations voiced in the West about Azerbaijan intending to attack "
                "Armenia are completely baseless",
                [("the West", "support")],
            ),
            # Gold claim 3, given to the wrong speaker.
            scripted_claim(
                "Ilham Aliyev",
                "the main focus of thementioned meeting will be on the economic development "
                "issues ofArmenia",
                [],
            ),
            # Not in the text: re-asked twice, then stored as rejected and not counted.
            scripted_claim("Antony Blinken", "the United States will arm Armenia at once", []),
        ]
    }
    # Scripted answers, not a model's: the same answer to the request and to both re-asks.
    fake_server.script(*[tool_reply(answer)] * 3)
    result = CliRunner().invoke(
        cli,
        [
            "eval",
            str(SEED_GOLD),
            "--model",
            "scripted-model",
            "--base-url",
            fake_server.url,
            "--db",
            str(tmp_path / "eval.db"),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    # By hand: 16 gold claims, 3 predicted (the 4th rejected), 3 span matches, 2 of them
    # with the right speaker; 3 gold targets on those 2, 2 found, 1 with the right stance.
    span_recall, attribution_precision, attribution_recall = 3 / 16, 2 / 3, 2 / 16
    assert {k: v for k, v in report.items() if k != "per_document"} == {
        "documents": 1,
        "span": {
            "precision": 1.0,
            "recall": span_recall,
            "f1": 2 * span_recall / (1 + span_recall),
        },
        "attribution": {
            "precision": attribution_precision,
            "recall": attribution_recall,
            "f1": 2
            * attribution_precision
            * attribution_recall
            / (attribution_precision + attribution_recall),
        },
        "target_recall": 2 / 3,
        "stance_accuracy": 1 / 2,
        # support: P 1/2, R 1, F1 2/3; oppose: no hit, F1 0; neutral absent from both.
        "stance_macro_f1": (2 / 3 + 0) / 2,
    }
    assert len(fake_server.chat_requests()) == 3
    with Store(tmp_path / "eval.db") as store:
        (recorded,) = store.evals()
        assert (recorded["model"], recorded["attribution_f1"]) == (
            "scripted-model",
            report["attribution"]["f1"],
        )
