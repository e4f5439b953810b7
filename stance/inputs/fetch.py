"""Fetching pages and feeds over HTTP(S) with httpx: bounded in time, size and redirects."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from stance.core.errors import InputError
from stance.core.version import __version__

TIMEOUT = httpx.Timeout(20.0, connect=10.0)
MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
# What a page, a feed or a document can be served as.
ACCEPTED_TYPES = (
    "text/html",
    "application/xhtml+xml",
    "text/plain",
    "text/markdown",
    "text/xml",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/pdf",
    "application/json",
    "application/x-ndjson",
    "application/jsonl",
    "text/csv",
    "text/tab-separated-values",
)


def is_url(name: str) -> bool:
    return name.lower().startswith(("http://", "https://"))


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    content_type: str
    data: bytes


class Fetcher:
    """One HTTP client for an ingest; `fetch` raises InputError with one clear line."""

    def __init__(
        self,
        *,
        timeout: httpx.Timeout | float = TIMEOUT,
        max_bytes: int = MAX_BYTES,
        max_redirects: int = MAX_REDIRECTS,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.max_bytes = max_bytes
        self.client = httpx.Client(
            timeout=timeout,
            follow_redirects=True,
            max_redirects=max_redirects,
            headers={"User-Agent": f"stance/{__version__} (+news claim tracker)"},
            transport=transport,
        )

    def close(self) -> None:
        self.client.close()

    def fetch(self, url: str) -> Fetched:
        try:
            with self.client.stream("GET", url) as response:
                if response.status_code >= 400:
                    raise InputError(
                        f"{url}: the server answered {response.status_code} "
                        f"{response.reason_phrase}; check the URL"
                    )
                content_type = response.headers.get("content-type", "").split(";")[0].strip()
                if content_type and content_type.lower() not in ACCEPTED_TYPES:
                    raise InputError(
                        f"{url}: served as {content_type}, not a web page, feed or text; "
                        "give the URL of an article"
                    )
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > self.max_bytes:
                    raise InputError(self._too_large(url))
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise InputError(self._too_large(url))
                    chunks.append(chunk)
                return Fetched(str(response.url), content_type.lower(), b"".join(chunks))
        except httpx.TooManyRedirects as exc:
            raise InputError(f"{url}: more than {MAX_REDIRECTS} redirects; check the URL") from exc
        except httpx.TimeoutException as exc:
            raise InputError(f"{url}: timed out; try again later") from exc
        except httpx.InvalidURL as exc:
            raise InputError(f"{url}: not a valid URL ({exc})") from exc
        except httpx.HTTPError as exc:
            reason = str(exc) or type(exc).__name__
            raise InputError(f"{url}: cannot fetch ({reason}); check the URL") from exc

    def _too_large(self, url: str) -> str:
        return (
            f"{url}: larger than {self.max_bytes // (1024 * 1024)} MB; "
            "not an article page, or save it and ingest the file"
        )
