"""stance: track claims and stances in the news.

>>> import stance
>>> claims = stance.extract(text)                 # checked claims, pydantic objects
>>> with stance.Store("stance.db") as store:
...     stance.ingest(store, ["article.txt"], stance.make_extractor())
...     store.claims(stance.ClaimFilter(about="April 5 meeting"))
"""

from stance.core.errors import (
    InputError,
    ModelError,
    NotFoundError,
    StanceError,
    StoreError,
    UsageError,
)
from stance.core.models import Claim, ExtractedClaim, ExtractionResult, StoredClaim, Target
from stance.core.version import __version__
from stance.extraction.api import extract, make_extractor
from stance.extraction.config import ExtractorConfig
from stance.ingestion.pipeline import ingest
from stance.output.report import report
from stance.query.compare import Comparison, compare
from stance.query.timeline import Timeline, timeline
from stance.resolve.overrides import merge_entities, split_entity
from stance.store.db import ClaimFilter, Store

__all__ = [
    "Claim",
    "ClaimFilter",
    "Comparison",
    "ExtractedClaim",
    "ExtractionResult",
    "ExtractorConfig",
    "InputError",
    "ModelError",
    "NotFoundError",
    "StanceError",
    "Store",
    "StoreError",
    "StoredClaim",
    "Target",
    "Timeline",
    "UsageError",
    "__version__",
    "compare",
    "extract",
    "ingest",
    "make_extractor",
    "merge_entities",
    "report",
    "split_entity",
    "timeline",
]
