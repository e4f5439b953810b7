"""Transport retries for the model server: what is worth another attempt, how long to wait,
and the `RateGate` that every request of one extractor passes, in every thread.

A 429 (or any Retry-After) closes the gate for the whole pool, not just the request refused;
retries and waiting are bounded per request (`TransportBudget`, used as tenacity's wait and
stop) and for the whole run (`RateGate`), and counted (`TransportStats`).
"""

from __future__ import annotations

import email.utils
import logging
import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import openai
from tenacity import RetryCallState

logger = logging.getLogger(__name__)

BACKOFF_FIRST = 1.0  # seconds before the first transport retry (doubling, with jitter)
BACKOFF_MAX = 30.0


def is_transient(error: BaseException) -> bool:
    """A failure worth another attempt: rate limits, server errors, timeouts, no connection."""
    if isinstance(error, openai.APIConnectionError):  # timeouts included
        return True
    if isinstance(error, openai.APIStatusError):
        return error.status_code in (408, 409, 429) or error.status_code >= 500
    return False


def retry_after(error: BaseException | None) -> float | None:
    """Seconds the server asks to wait (retry-after-ms, or Retry-After in seconds or a date)."""
    response = getattr(error, "response", None)
    if response is None:
        return None
    headers = response.headers
    try:
        if (ms := headers.get("retry-after-ms")) is not None:
            return max(float(ms) / 1000, 0.0)
        if (value := headers.get("retry-after")) is not None:
            try:
                return max(float(value), 0.0)
            except ValueError:
                when = email.utils.parsedate_to_datetime(value)
                return max(when.timestamp() - time.time(), 0.0)
    except (ValueError, TypeError, OverflowError):
        return None
    return None


@dataclass(frozen=True)
class TransportStats:
    """What the requests of one extractor cost in all, for the summary of a run."""

    requests: int  # HTTP requests sent, retries included
    retries: int  # requests sent again after a transient failure
    rate_limited: int  # answers HTTP 429
    waited: float  # seconds during which at least one request was waiting to be sent

    def as_dict(self) -> dict[str, float | int]:
        return {
            "requests": self.requests,
            "retries": self.retries,
            "rate_limited": self.rate_limited,
            "waited": round(self.waited, 1),
        }


class GatePaused(Exception):
    """The gate stays closed longer than a request may still wait."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"paused for {seconds:.1f} s more")
        self.seconds = seconds


class RateGate:
    """Shared by every request of one extractor, in every thread.

    - A 429 (or any answer with Retry-After) closes the gate until the time asked (or our
      backoff): every request waits for it to reopen before it is sent, not only the one
      refused, so the whole pool slows down to what the server allows.
    - Run-wide bounds on top of each request's own: at most `retry_floor` retries plus
      `retry_ratio` per first attempt (a retry budget: a failing server is not hammered by
      every worker at once), and at most `max_total_wait` seconds of waiting. Past them a
      transient failure fails its document at once; the next ingest retries it.
    - It counts requests, retries, 429s and the time spent waiting (`stats()`).
    """

    def __init__(
        self, *, max_total_wait: float = 600.0, retry_floor: int = 20, retry_ratio: float = 1.0
    ) -> None:
        self.max_total_wait = max_total_wait
        self.retry_floor = retry_floor
        self.retry_ratio = retry_ratio
        self._lock = threading.Lock()
        self._opens_at = 0.0  # time.monotonic() when the gate reopens
        self._requests = 0
        self._retries = 0
        self._rate_limited = 0
        self._waiting = 0  # requests waiting right now
        self._waiting_since = 0.0
        self._waited = 0.0  # closed periods of waiting; the current one is added in _waited_now

    def stats(self) -> TransportStats:
        with self._lock:
            return TransportStats(
                self._requests, self._retries, self._rate_limited, self._waited_now()
            )

    def _waited_now(self) -> float:
        if self._waiting:
            return self._waited + time.monotonic() - self._waiting_since
        return self._waited

    def count_request(self) -> None:
        with self._lock:
            self._requests += 1

    def count_rate_limited(self) -> None:
        with self._lock:
            self._rate_limited += 1

    def allow_retry(self) -> bool:
        """Take one retry from the run's budget; False when it is spent."""
        with self._lock:
            first_attempts = self._requests - self._retries
            if self._retries >= self.retry_floor + self.retry_ratio * first_attempts:
                return False
            if self._waited_now() >= self.max_total_wait:
                return False
            self._retries += 1
            return True

    def close_for(self, seconds: float) -> None:
        """Pause every request for `seconds` from now (a later reopening wins)."""
        with self._lock:
            self._opens_at = max(self._opens_at, time.monotonic() + seconds)

    def pause_left(self) -> float:
        with self._lock:
            return max(self._opens_at - time.monotonic(), 0.0)

    @contextmanager
    def _counting_wait(self) -> Iterator[None]:
        # Waiting is counted as wall time during which any request waits: sixteen workers
        # paused together for 2 s have waited 2 s, not 32.
        with self._lock:
            if not self._waiting:
                self._waiting_since = time.monotonic()
            self._waiting += 1
        try:
            yield
        finally:
            with self._lock:
                self._waiting -= 1
                if not self._waiting:
                    self._waited += time.monotonic() - self._waiting_since

    def sleep(self, seconds: float) -> float:
        """Wait before a retry; returns the seconds waited."""
        if seconds <= 0:
            return 0.0
        with self._counting_wait():
            time.sleep(seconds)
        return seconds

    def wait_open(self, limit: float) -> float:
        """Wait until the gate is open; GatePaused if that is more than `limit` seconds."""
        waited = 0.0
        while (left := self.pause_left()) > 0:
            if left > limit - waited:
                raise GatePaused(left)
            waited += self.sleep(left)
        return waited


class TransportBudget:
    """For one request: how long to wait before each retry, and when to give up.

    At most `max_attempts` attempts and `max_wait` seconds of waiting in all (at a paused gate
    included). A Retry-After is honoured; one longer than the waiting left ends the attempts
    (`refused_wait`). Our own backoff shrinks to the waiting left, down to immediate retries.
    A retry must also fit the run's budget (`RateGate.allow_retry`), else `run_budget_spent`.
    """

    def __init__(self, max_attempts: int, max_wait: float, gate: RateGate | None = None) -> None:
        self.max_attempts = max(1, max_attempts)
        self.max_wait = max(0.0, max_wait)
        self.gate = gate or RateGate()
        self.attempts = 0
        self.waited = 0.0
        self.refused_wait: float | None = None
        self.run_budget_spent = False
        self._planned: dict[int, float | None] = {}

    @property
    def wait_left(self) -> float:
        return max(self.max_wait - self.waited, 0.0)

    def _plan(self, state: RetryCallState) -> float | None:
        """Seconds to wait after this attempt; None to give up. Decided once per attempt."""
        number = state.attempt_number
        if number not in self._planned:
            self._planned[number] = self._decide(state)
        return self._planned[number]

    def _decide(self, state: RetryCallState) -> float | None:
        if state.attempt_number >= self.max_attempts:
            return None
        error = state.outcome.exception() if state.outcome else None
        asked = retry_after(error)
        if asked is not None and asked > self.wait_left:
            self.refused_wait = asked
            return None
        if not self.gate.allow_retry():
            self.run_budget_spent = True
            return None
        backoff = min(BACKOFF_MAX, BACKOFF_FIRST * 2 ** (state.attempt_number - 1))
        delay = (
            asked
            if asked is not None
            else min(random.uniform(backoff / 2, backoff), self.wait_left)
        )
        rate_limited = isinstance(error, openai.APIStatusError) and error.status_code == 429
        if asked is not None or rate_limited:
            self.gate.close_for(delay)  # the server speaks for every request, not just this one
        return delay

    def wait(self, state: RetryCallState) -> float:
        return self._plan(state) or 0.0

    def stop(self, state: RetryCallState) -> bool:
        return self._plan(state) is None

    def sleep(self, seconds: float) -> None:
        self.waited += self.gate.sleep(seconds)

    def before_attempt(self) -> None:
        """Wait while the gate is closed (GatePaused if longer than this request may)."""
        self.waited += self.gate.wait_open(self.wait_left)


def log_retry(state: RetryCallState) -> None:
    error = state.outcome.exception() if state.outcome else None
    what = f"HTTP {error.status_code}" if isinstance(error, openai.APIStatusError) else "no answer"
    logger.info(
        "model server: %s, retrying in %.1f s (attempt %d)",
        what,
        state.next_action.sleep if state.next_action else 0.0,
        state.attempt_number + 1,
    )
