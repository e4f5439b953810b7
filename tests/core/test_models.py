from pathlib import Path

from stance.core.models import SCHEMA_MODELS, ExtractionResult, schema_json, schema_sha

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"


def test_schema_files_match_the_models():
    """schemas/*.json are generated from the models: regenerate with `make schemas`."""
    on_disk = {p.stem for p in SCHEMAS.glob("*.json")}
    assert on_disk == set(SCHEMA_MODELS)
    for name, model in SCHEMA_MODELS.items():
        assert (SCHEMAS / f"{name}.json").read_text(encoding="utf-8") == schema_json(model), name


def test_extraction_schema_has_the_fields_of_the_contract():
    claim = ExtractionResult.model_json_schema()["$defs"]["ExtractedClaim"]
    assert sorted(claim["properties"]) == sorted(
        [
            "speaker",
            "speaker_mention",
            "cue",
            "quote",
            "content",
            "attribution",
            "claim_type",
            "targets",
        ]
    )
    target = ExtractionResult.model_json_schema()["$defs"]["Target"]
    assert target["properties"]["stance"]["enum"] == ["support", "oppose", "neutral"]
    assert target["properties"]["kind"]["enum"] == [
        "person",
        "organization",
        "country",
        "event",
        "other",
    ]


def test_schema_sha_is_stable_and_short():
    assert schema_sha() == schema_sha()
    assert len(schema_sha()) == 16
