"""stance: track claims and stances in the news.

>>> import stance
>>> claims = stance.extract(text)                 # checked claims, pydantic objects
>>> with stance.Store("stance.db") as store:
...     stance.ingest(store, ["article.txt"], stance.make_extractor())
...     store.claims(stance.ClaimFilter(about="April 5 meeting"))
"""

from stance.compare import Comparison, compare
from stance.errors import InputError, ModelError, StanceError, StoreError, UsageError
from stance.extract import ExtractorConfig, extract, make_extractor
from stance.ingest import ingest
from stance.models import Claim, ExtractedClaim, ExtractionResult, StoredClaim, Target
from stance.overrides import merge_entities, split_entity
from stance.report import report
from stance.store import ClaimFilter, Store
from stance.timeline import Timeline, timeline

__version__ = "0.1.0"

__all__ = [
    "Claim",
    "ClaimFilter",
    "Comparison",
    "ExtractedClaim",
    "ExtractionResult",
    "ExtractorConfig",
    "InputError",
    "ModelError",
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
