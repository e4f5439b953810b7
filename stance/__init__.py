"""stance: track claims and stances in the news.

>>> import stance
>>> claims = stance.extract(text)                 # checked claims, pydantic objects
>>> with stance.Store("stance.db") as store:
...     stance.ingest(store, ["article.txt"], stance.make_extractor())
...     store.claims(stance.ClaimFilter(about="April 5 meeting"))
"""

from typing import TYPE_CHECKING

from stance.core.errors import (
    InputError,
    ModelError,
    NotFoundError,
    StanceError,
    StoreError,
    UsageError,
)
from stance.core.lazy import lazy_names
from stance.core.version import __version__

if TYPE_CHECKING:
    from stance.core.models import Claim, ExtractedClaim, ExtractionResult, StoredClaim, Target
    from stance.extraction.api import extract, make_extractor
    from stance.extraction.config import ExtractorConfig
    from stance.ingestion.pipeline import ingest
    from stance.output.report import report
    from stance.query.compare import Comparison, compare
    from stance.query.timeline import Timeline, timeline
    from stance.resolve.overrides import merge_entities, split_entity
    from stance.store.db import ClaimFilter, Store

# The public names, loaded on first use (see stance.core.lazy).
_LAZY = {
    "Claim": "stance.core.models",
    "ExtractedClaim": "stance.core.models",
    "ExtractionResult": "stance.core.models",
    "StoredClaim": "stance.core.models",
    "Target": "stance.core.models",
    "extract": "stance.extraction.api",
    "make_extractor": "stance.extraction.api",
    "ExtractorConfig": "stance.extraction.config",
    "ingest": "stance.ingestion.pipeline",
    "report": "stance.output.report",
    "Comparison": "stance.query.compare",
    "compare": "stance.query.compare",
    "Timeline": "stance.query.timeline",
    "timeline": "stance.query.timeline",
    "merge_entities": "stance.resolve.overrides",
    "split_entity": "stance.resolve.overrides",
    "ClaimFilter": "stance.store.db",
    "Store": "stance.store.db",
}

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

__getattr__, __dir__ = lazy_names(__name__, _LAZY, __all__)
