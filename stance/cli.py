"""The `stance` command line: a thin layer over the library."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from stance.core.errors import InputError, NotFoundError, StanceError, UsageError
from stance.core.models import StoredClaim
from stance.core.text import printable
from stance.core.version import __version__
from stance.extraction.api import make_extractor
from stance.extraction.config import BACKENDS, MODES, ExtractorConfig
from stance.inputs.dates import DATE_ORDERS
from stance.output.render import Format, print_json, render, shape_rows
from stance.store.db import ClaimFilter, Store

if TYPE_CHECKING:
    from stance.ingestion.pipeline import IngestResult, Metadata
    from stance.inputs.dates import DateOrder

# The ingestion pipeline (and through it the readers of web pages, feeds and documents) is
# imported by the commands that ingest: a query needs none of it, and it is slow to import.

F = TypeVar("F", bound=Callable[..., Any])
# soft_wrap: an error stays one line however long its path, terminal or not.
err = Console(stderr=True, highlight=False, soft_wrap=True)

CLAIM_COLUMNS = [
    "id",
    "published",
    "source",
    "speaker",
    "cue",
    "quote",
    "targets",
    "grounding",
    "confidence",
]


def embedding_options(func: F) -> F:
    """--embedding-model and --base-url: match queries to events by meaning (optional)."""
    func = click.option(
        "--base-url",
        "embedding_base_url",
        help="OpenAI-compatible server of the embedding model (default $OPENAI_BASE_URL).",
    )(func)
    return click.option(
        "--embedding-model",
        help="Match a query whose words name no event to events by meaning, with this model's "
        "embeddings from the server's /v1/embeddings (default $STANCE_EMBEDDING_MODEL; off "
        "when neither is set: queries are matched offline).",
    )(func)


def make_embedder_for(model: str | None, base_url: str | None) -> Any:
    """The embedder the options and environment ask for, or None (matching stays offline)."""
    from stance.extraction.embeddings import EmbeddingConfig, make_embedder

    embedder = make_embedder(EmbeddingConfig(model=model, base_url=base_url))
    if embedder is None and base_url:
        raise UsageError("--base-url needs --embedding-model (or STANCE_EMBEDDING_MODEL)")
    return embedder


min_confidence_option = click.option(
    "--min-confidence",
    type=click.FloatRange(0.0, 1.0),
    default=None,
    metavar="X",
    help="Hide claims the extractor is less sure of than X (0-1; the offline rules give 0.9 "
    "to a speaker named at the claim, 0.8 to an anonymous one, 0.75 to a role or pronoun "
    "resolved to a name, 0.5 to a name they could not place). Claims with no confidence "
    "(a model's) are kept. Default: show all.",
)


def option_date(value: str | None, option: str, order: DateOrder | None = None) -> str | None:
    """A date given as an option, in ISO 8601; one that cannot be read is a usage error."""
    from stance.inputs.dates import normalize_date

    try:
        return normalize_date(value, option, order)
    except InputError as exc:
        raise UsageError(str(exc)) from exc


def say(message: str) -> None:
    """One line on stderr (`stance: ...`): what it quotes from outside (file names, errors
    that name them) is escaped, so that it cannot drive the terminal or forge other lines."""
    err.print(printable(message, one_line=True), markup=False)


def default_db() -> str:
    return os.environ.get("STANCE_DB") or "stance.db"


def db_option(func: F) -> F:
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False),
        default=default_db,
        show_default="$STANCE_DB or ./stance.db",
        help="SQLite database to use.",
    )(func)


def output_options(csv: bool) -> Callable[[F], F]:
    def decorate(func: F) -> F:
        func = click.option("--json", "as_json", is_flag=True, help="Print JSON.")(func)
        if csv:
            func = click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")(func)
        return func

    return decorate


def output_format(as_json: bool, as_csv: bool = False) -> Format:
    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    return "json" if as_json else "csv" if as_csv else "table"


@dataclass(frozen=True)
class Shape:
    """--jsonl, --limit, --fields and --sort of a listing, as sqlite-utils has them."""

    jsonl: bool = False
    limit: int | None = None
    fields: tuple[str, ...] = ()
    sort: tuple[str, ...] = ()

    def format(self, as_json: bool, as_csv: bool = False) -> Format:
        if self.jsonl and (as_json or as_csv):
            raise click.UsageError("choose one of --json, --jsonl and --csv")
        return "jsonl" if self.jsonl else output_format(as_json, as_csv)

    def apply(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        try:
            return shape_rows(rows, fields=self.fields, sort=self.sort, limit=self.limit)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from exc


def _names(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(n.strip() for v in values for n in v.split(",") if n.strip())


def listing_options(func: F) -> F:
    """--jsonl, --limit, --fields, --sort; the command gets them as one `shape`."""

    @wraps(func)
    def wrapper(
        *args: Any,
        jsonl: bool,
        limit: int | None,
        fields: tuple[str, ...],
        sort: tuple[str, ...],
        **kwargs: Any,
    ) -> Any:
        shape = Shape(jsonl, limit, _names(fields), _names(sort))
        return func(*args, shape=shape, **kwargs)

    options = [
        click.option("--jsonl", is_flag=True, help="Print one JSON object a line."),
        click.option("--limit", type=click.IntRange(0), help="Print at most this many rows."),
        click.option(
            "--fields", multiple=True, help="Only these fields, in this order (comma-separated)."
        ),
        click.option(
            "--sort", multiple=True, help="Sort by these fields; -field sorts descending."
        ),
    ]
    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper  # type: ignore[return-value]


def model_options(func: F) -> F:
    """The options that choose and configure the extractor, shared by ingest and eval."""
    options = [
        click.option(
            "--backend",
            type=click.Choice(BACKENDS),
            default="auto",
            show_default=True,
            help="llm: a model server; rules: the offline extractor; auto: llm when a "
            "model is configured.",
        ),
        click.option("--model", help="Model name (default $STANCE_MODEL)."),
        click.option("--base-url", help="OpenAI-compatible server URL (default $OPENAI_BASE_URL)."),
        click.option(
            "--mode",
            type=click.Choice(MODES),
            default=None,
            help="How the model returns structure (default $STANCE_MODE, else json_schema "
            "for OpenAI and Ollama, tools for other servers).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def handle_errors(func: F) -> F:
    """Expected failures become one line on stderr and an exit status, never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except StanceError as exc:
            say(f"stance: error: {exc}")
            sys.exit(exc.exit_code)
        except sqlite3.DatabaseError as exc:
            # What opening the store did not see (a view broken by hand, a page gone bad).
            say(
                f"stance: error: {kwargs.get('db_path') or 'the database'}: database error "
                f"({exc}); restore the file from a backup, or give another --db path"
            )
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def open_store(db_path: str) -> Store:
    """The database, for a command that writes (created and upgraded as needed); closed when
    the command ends."""
    store = Store(db_path)
    click.get_current_context().call_on_close(store.close)
    return store


def read_store(db_path: str) -> Store:
    """The database, for a query: opened read-only, nothing created or upgraded."""
    return Store(db_path, read_only=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="stance")
def cli() -> None:
    """Track claims and stances in the news: who asserts what, about whom.

    Ingest texts with `stance ingest`, then query them with `stance claims`,
    `stance compare` and `stance timeline`.
    """


class PlainProgress:
    """Progress of a large ingest as plain lines, for a stderr that is not a terminal (a log
    file, a pipe, a CI job): every `interval` seconds, one line saying how many documents
    are done, the claims so far and what is being worked on, however long one document
    takes. Large: `LARGE_INPUTS` documents or more, or a text of `LARGE_TEXT` characters or
    more; a small ingest prints none. `tick()` prints when the interval has passed since the
    last line (a timer thread calls it; tests call it with a clock of their own)."""

    LARGE_INPUTS = 100
    LARGE_TEXT = 200_000

    def __init__(
        self,
        write: Callable[[str], None],
        *,
        interval: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.write = write
        self.interval = interval
        self.clock = clock
        self.began = self.last = clock()
        self.total = 0
        self.done = 0
        self.claims = 0
        self.rejected = 0
        self.failed = 0
        self.large = False
        self.working: tuple[str, str, int, float] | None = None  # label, stage, chars, since
        self.lock = threading.Lock()

    def start(self, total: int) -> None:
        with self.lock:
            self.total = total
            self.large = self.large or total >= self.LARGE_INPUTS

    def stage(self, label: str, stage: str, characters: int) -> None:
        with self.lock:
            self.large = self.large or characters >= self.LARGE_TEXT
            self.working = (label, stage, characters, self.clock())

    def advance(self, result: IngestResult) -> None:
        with self.lock:
            self.done += 1
            self.claims += result.claims
            self.rejected += result.rejected
            self.failed += result.status == "failed"

    def tick(self) -> None:
        with self.lock:
            now = self.clock()
            if not self.large or now - self.last < self.interval:
                return
            self.last = now
            line = (
                f"stance: progress: {self.done:,} of {self.total:,} documents, "
                f"{self.claims:,} claims, {self.rejected:,} rejected, {self.failed:,} failed, "
                f"{now - self.began:.0f} s"
            )
            if self.working is not None:
                label, stage, characters, since = self.working
                line += f"; {stage} {label} ({characters:,} characters) for {now - since:.0f} s"
        self.write(printable(line, one_line=True))


class IngestProgress:
    """The ingest progress bar on stderr: documents done of the total, claims, rejected,
    failures, tokens, rate and time left. Only on a terminal and without --quiet; input
    errors are printed either way, one line each. Without a terminal and without --quiet,
    a large ingest shows plain lines instead (`PlainProgress`)."""

    def __init__(self, *, enabled: bool, notes: bool = True, plain: bool = False) -> None:
        self.enabled = enabled
        self.notes = notes
        self.plain = (
            PlainProgress(lambda line: err.print(line, markup=False)) if plain else None
        )
        self.ticking = threading.Event()
        self.ticker: threading.Thread | None = None
        self.progress = Progress(
            TextColumn("ingesting"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn(
                "{task.fields[claims]:,} claims, {task.fields[rejected]:,} rejected, "
                "{task.fields[failed]:,} failed, {task.fields[tokens]:,} tokens, "
                "{task.fields[rate]}"
            ),
            TimeRemainingColumn(),
            console=err,
            disable=True,
            transient=True,
        )
        self.counts = {"claims": 0, "rejected": 0, "failed": 0, "tokens": 0}
        self.task = self.progress.add_task(
            "ingest",
            total=None,
            rate="",
            **self.counts,  # type: ignore[arg-type]
        )
        self.began = time.monotonic()

    def __enter__(self) -> IngestProgress:
        if self.plain is not None:
            self.ticker = threading.Thread(target=self._tick, name="stance-progress", daemon=True)
            self.ticker.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.ticker is not None:
            self.ticking.set()
            self.ticker.join()
        if not self.progress.disable:
            self.progress.stop()

    def _tick(self) -> None:
        while not self.ticking.wait(0.5):
            if self.plain is not None:
                self.plain.tick()

    def stage(self, label: str, stage: str, characters: int) -> None:
        if self.plain is not None:
            self.plain.stage(label, stage, characters)
            self.plain.tick()

    def start(self, total: int) -> None:
        if self.plain is not None:
            self.plain.start(total)
        # A single text needs no bar; the total is known once folders are listed.
        self.progress.disable = not (self.enabled and total > 1)
        self.began = time.monotonic()
        self.progress.update(self.task, total=total)
        if not self.progress.disable:
            self.progress.start()

    def advance(self, result: IngestResult) -> None:
        if self.plain is not None:
            self.plain.advance(result)
            self.plain.tick()
        if self.notes:
            for note in result.notes:
                self.progress.console.print(f"stance: note: {note}", markup=False)
        if result.error:
            line = printable(f"stance: error: {result.error}", one_line=True)
            self.progress.console.print(line, markup=False)
        self.counts["claims"] += result.claims
        self.counts["rejected"] += result.rejected
        self.counts["failed"] += result.status == "failed"
        self.counts["tokens"] += result.input_tokens + result.output_tokens
        done = self.progress.tasks[0].completed + 1
        per_second = done / max(time.monotonic() - self.began, 1e-6)
        rate = f"{per_second:.1f} docs/s" if per_second >= 1 else f"{per_second * 60:.1f} docs/min"
        self.progress.update(
            self.task,
            advance=1,
            rate=rate,
            **self.counts,  # type: ignore[arg-type]
        )


@cli.command(name="ingest")
@click.argument("paths", nargs=-1)
@click.option(
    "--urls",
    "url_lists",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="A file of URLs to fetch, one a line (# comments allowed).",
)
@click.option("--source", help="Outlet or body that published the text(s).")
@click.option("--url", help="Where the text was published.")
@click.option("--published", help="Publication date (YYYY-MM-DD or any common form).")
@click.option("--title", help="Title of the text.")
@click.option(
    "--date-order",
    type=click.Choice(DATE_ORDERS, case_sensitive=False),
    help="How to read numeric dates such as 05.04.2024 (without it, ambiguous ones are "
    "stored as unknown).",
)
@click.option(
    "--fetch-full",
    is_flag=True,
    help="For feed items that carry only a summary, fetch the item's page.",
)
@click.option("--text-column", help="Dataset column with the article's text.")
@click.option("--source-column", help="Dataset column with the outlet.")
@click.option("--date-column", help="Dataset column with the publication date.")
@click.option("--url-column", help="Dataset column with the article's URL.")
@click.option("--title-column", help="Dataset column with the title.")
@model_options
@click.option(
    "--concurrency",
    type=click.IntRange(1, 256),
    default=1,
    show_default=True,
    help="Documents extracted at once (requests in flight to the model).",
)
@click.option(
    "--temperature", type=float, default=0.0, show_default=True, help="Model sampling temperature."
)
@click.option("--seed", type=int, default=0, show_default=True, help="Sampling seed sent.")
@click.option(
    "--max-tokens", type=click.IntRange(1), help="Answer tokens (default: sized to each chunk)."
)
@click.option(
    "--ollama/--no-ollama",
    default=None,
    help="The server is Ollama: send num_ctx (default: detected from port 11434).",
)
@click.option(
    "--num-ctx", type=click.IntRange(512), help="Ollama context tokens (default: sized to fit)."
)
@click.option(
    "--follow-links",
    is_flag=True,
    help="In folders, read links to files outside the folder too (skipped by default).",
)
@click.option("--force", is_flag=True, help="Extract again even when a run is cached.")
@click.option(
    "--batch",
    "as_batch",
    is_flag=True,
    help="Send the requests as one OpenAI Batch API batch and return at once "
    "(then `stance batch collect`).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or notes on stderr.")
@output_options(csv=False)
@db_option
@handle_errors
def ingest_command(
    paths: tuple[str, ...],
    url_lists: tuple[str, ...],
    source: str | None,
    url: str | None,
    published: str | None,
    title: str | None,
    date_order: str | None,
    fetch_full: bool,
    text_column: str | None,
    source_column: str | None,
    date_column: str | None,
    url_column: str | None,
    title_column: str | None,
    backend: str,
    model: str | None,
    base_url: str | None,
    mode: str | None,
    concurrency: int,
    temperature: float,
    seed: int,
    max_tokens: int | None,
    ollama: bool | None,
    num_ctx: int | None,
    follow_links: bool,
    force: bool,
    as_batch: bool,
    quiet: bool,
    as_json: bool,
    db_path: str,
) -> None:
    """Extract claims from PATHS and store them: files, folders, URLs, or - for stdin.

    Web pages (saved or by URL) are reduced to the article, with the page's title, site
    name, date and canonical URL; RSS/Atom feeds give one document per item; JSONL, CSV
    and TSV files of articles one document per row (columns found by their usual names,
    or named with --text-column and the like); PDF and DOCX with the extras.

    A text file may begin with a header block of `source:`, `url:`, `published:` and
    `title:` lines followed by one blank line; the flags override it. Each document is
    stored whole or not at all: after Ctrl-C or a crash, the same command finishes the work.
    """
    from stance.ingestion.pipeline import IngestInterrupted, ingest
    from stance.inputs import Metadata, ReadOptions, read_url_list

    order = date_order.upper() if date_order else None
    names = list(paths)
    for listing in url_lists:
        names += read_url_list(listing)
    if not names:
        raise click.UsageError("give PATHS (files, folders, URLs or -) or --urls FILE")
    metadata = Metadata(
        source=source,
        url=url,
        title=title,
        published=option_date(published, "--published", order),  # type: ignore[arg-type]
    )
    columns = {
        role: name
        for role, name in (
            ("text", text_column),
            ("source", source_column),
            ("published", date_column),
            ("url", url_column),
            ("title", title_column),
        )
        if name
    }
    options = ReadOptions(
        metadata=metadata,
        date_order=order,  # type: ignore[arg-type]
        columns=columns,
        fetch_full=fetch_full,
        follow_links=follow_links,
    )
    if as_batch:
        if backend == "rules":
            raise click.UsageError("--batch sends requests to a model: it needs the llm backend")
        submit_batch_command(paths, metadata, model, base_url, mode, force, as_json, db_path)
        return
    config = ExtractorConfig(
        backend=backend,  # type: ignore[arg-type]
        model=model,
        base_url=base_url,
        mode=mode,  # type: ignore[arg-type]
        temperature=temperature,
        seed=seed,
        max_tokens=max_tokens,
        ollama=ollama,
        num_ctx=num_ctx,
    )
    extractor = make_extractor(config)
    if not quiet:
        if extractor.backend == "rules":
            err.print(
                "stance: using the offline rules extractor (no model configured); "
                "to use a model, pass --model or set STANCE_MODEL."
            )
        else:
            say(
                f"stance: using the model {extractor.model} through "
                f"{getattr(extractor, 'server_url', None) or 'the OpenAI API'}."
            )
    from stance.resolve.judge import DeferToResolve

    store = open_store(db_path)
    progress = IngestProgress(
        enabled=not quiet and err.is_terminal,
        notes=not quiet,
        plain=not quiet and not err.is_terminal,
    )
    # With a model, doubtful event matches stay pending for `stance resolve` to put to the
    # model (the writer never waits for it); without, the rules decide them at once.
    judge = DeferToResolve() if extractor.backend == "llm" else None
    try:
        with progress:
            summary = ingest(
                store,
                names,
                extractor,
                options=options,
                force=force,
                concurrency=concurrency,
                stdin=sys.stdin.buffer.read,
                on_start=progress.start,
                on_result=progress.advance,
                judge=judge,
                on_stage=progress.stage,
            )
    except IngestInterrupted as stopped:
        err.print(
            f"stance: interrupted: {stopped.stored} documents stored, {stopped.left} not "
            "started; run the same command again to finish",
            markup=False,
        )
        sys.exit(130)
    stats = getattr(extractor, "transport_stats", None)
    if as_json:
        print_json(summary.as_dict() | ({"transport": stats.as_dict()} if stats else {}))
    else:
        line = (
            f"documents: {summary.count('new')} new, {summary.count('cached')} cached, "
            f"{summary.count('failed')} failed; claims stored: {summary.claims}, "
            f"rejected: {summary.rejected}"
        )
        if stats and (stats.retries or stats.waited):
            line += (
                f"; model requests: {stats.requests}, retries: {stats.retries} "
                f"({stats.rate_limited} rate limited), waited {stats.waited:.1f} s"
            )
        click.echo(line)
    if summary.count("failed"):
        sys.exit(1)


@cli.command(name="claims")
@click.option("--speaker", help="Only claims by this speaker (names and aliases).")
@click.option("--about", help="Only claims about this entity or event.")
@click.option("--source", help="Only claims from this source.")
@click.option("--document", help="Only claims from this document (id or id prefix).")
@click.option("--since", help="Only documents published on or after this date.")
@click.option("--until", help="Only documents published on or before this date.")
@click.option("--include-rejected", is_flag=True, help="Show claims that failed grounding too.")
@min_confidence_option
@click.option(
    "--targets",
    "per_target",
    is_flag=True,
    help="One row per claim and target (target_name, target_kind, target_stance).",
)
@listing_options
@output_options(csv=True)
@db_option
@handle_errors
def claims_command(
    speaker: str | None,
    about: str | None,
    source: str | None,
    document: str | None,
    since: str | None,
    until: str | None,
    include_rejected: bool,
    min_confidence: float | None,
    per_target: bool,
    shape: Shape,
    as_json: bool,
    as_csv: bool,
    db_path: str,
) -> None:
    """List stored claims."""
    fmt = shape.format(as_json, as_csv)
    where = ClaimFilter(
        speaker=speaker,
        about=about,
        source=source,
        document=document,
        since=option_date(since, "--since"),
        until=option_date(until, "--until"),
        include_rejected=include_rejected,
        min_confidence=min_confidence,
    )
    claims = read_store(db_path).claims(where)
    if per_target:
        rows = [
            {
                **{k: v for k, v in c.model_dump(mode="json").items() if k != "targets"},
                "target_name": t.name if t else None,
                "target_kind": t.kind if t else None,
                "target_stance": t.stance if t else None,
            }
            for c in claims
            for t in _targets_or_none(c.targets)
        ]
        if fmt == "table":
            columns = [*CLAIM_COLUMNS[:-3], "target_name", "target_stance", "grounding"]
        else:  # the same columns whether or not there are rows
            claim_fields = [f for f in StoredClaim.model_fields if f != "targets"]
            columns = [*claim_fields, "target_name", "target_kind", "target_stance"]
        rows = shape.apply(rows)
        render(rows, fmt, columns=shape.fields or columns)
        return
    if fmt in ("json", "jsonl") and shape == Shape(jsonl=shape.jsonl):
        render(claims, fmt)
        return
    if fmt in ("json", "jsonl"):
        render(shape.apply([c.model_dump(mode="json") for c in claims]), fmt)
        return
    rows = [
        {
            **c.model_dump(mode="json"),
            "targets": "; ".join(
                f"{t.name} ({t.stance}{', ' + t.date if t.date else ''})" for t in c.targets
            ),
        }
        for c in claims
    ]
    rows = shape.apply(rows)
    # CSV: every field of a claim, whether or not there are rows, so scripts can rely on it.
    table_columns = [*CLAIM_COLUMNS, "reason"] if include_rejected else CLAIM_COLUMNS
    columns = list(shape.fields) or (
        table_columns if fmt == "table" else list(StoredClaim.model_fields)
    )
    render(rows, fmt, columns=columns, title="claims")


def _targets_or_none(targets: list[Any]) -> list[Any]:
    """A claim's targets, or one None: a claim without targets still gets its row."""
    return list(targets) or [None]


def render_listing(
    rows: list[dict[str, Any]],
    fmt: Format,
    title: str,
    table_columns: list[str] | None = None,
    short_ids: tuple[str, ...] = (),
    shape: Shape | None = None,
) -> None:
    """A listing: JSON and CSV carry every column; a table the chosen ones, ids shortened."""
    shape = shape or Shape()
    rows = shape.apply(rows)
    if shape.fields:
        table_columns = list(shape.fields)
    if fmt != "table":
        render(rows, fmt, title=title, columns=list(shape.fields) or None)
        return
    rows = [{**r, **{k: r[k][:12] for k in short_ids if r.get(k)}} for r in rows]
    render(rows, fmt, columns=table_columns, title=title)


@cli.command(name="documents")
@click.option(
    "--delete",
    "delete_ids",
    multiple=True,
    help="Delete this document (id or id prefix) with its claims, runs and appearances.",
)
@click.option(
    "--delete-source",
    "delete_sources",
    multiple=True,
    help="Delete this source's appearances, and the documents no other source carried.",
)
@listing_options
@output_options(csv=True)
@db_option
@handle_errors
def documents_command(
    delete_ids: tuple[str, ...],
    delete_sources: tuple[str, ...],
    shape: Shape,
    as_json: bool,
    as_csv: bool,
    db_path: str,
) -> None:
    """List stored documents; --delete and --delete-source remove some."""
    fmt = shape.format(as_json, as_csv)
    if delete_ids or delete_sources:
        from stance.store.documents import delete_documents, delete_source, resolve_document_id

        store = open_store(db_path)
        deleted, appearances = 0, 0
        with store.write_transaction():
            ids = [resolve_document_id(store.db, d) for d in delete_ids]
            deleted += delete_documents(store.db, ids)
            for name in delete_sources:
                gone = delete_source(store.db, name)
                deleted += gone.documents
                appearances += gone.appearances
        if fmt != "table":
            print_json({"documents_deleted": deleted, "appearances_removed": appearances})
        else:
            click.echo(
                f"deleted {deleted} document(s) with their claims and runs"
                + (f"; removed {appearances} appearance(s) of documents others carried"
                   if appearances else "")
            )  # fmt: skip
        return
    render_listing(
        read_store(db_path).documents(),
        fmt,
        "documents",
        ["id", "published", "source", "title", "language", "appearances", "claims", "last_run"],
        short_ids=("id",),
        shape=shape,
    )


@cli.command(name="edit")
@click.argument("document")
@click.option("--source", help="New source.")
@click.option("--url", help="New URL.")
@click.option("--title", help="New title.")
@click.option("--published", help="New publication date (YYYY-MM-DD, YYYY-MM or YYYY).")
@click.option("--date-order", type=click.Choice(DATE_ORDERS, case_sensitive=False))
@output_options(csv=False)
@db_option
@handle_errors
def edit_command(
    document: str,
    source: str | None,
    url: str | None,
    title: str | None,
    published: str | None,
    date_order: str | None,
    as_json: bool,
    db_path: str,
) -> None:
    """Change DOCUMENT's source, URL, title or date; its claims stay as extracted."""
    from stance.store.documents import edit_document, resolve_document_id

    changes: dict[str, str | None] = {
        k: v for k, v in (("source", source), ("url", url), ("title", title)) if v is not None
    }
    if published is not None:
        order = date_order.upper() if date_order else None
        changes["published"] = option_date(published, "--published", order)  # type: ignore[arg-type]
    store = open_store(db_path)
    with store.write_transaction():
        row = edit_document(store.db, resolve_document_id(store.db, document), changes)
    row.pop("text", None)
    if as_json:
        print_json(row)
    else:
        click.echo(
            f"document {row['id'][:12]}: source {row['source']!r}, url {row['url']!r}, "
            f"title {row['title']!r}, published {row['published']!r}"
        )


@cli.command(name="runs")
@click.option(
    "--log",
    "log_run",
    type=int,
    metavar="RUN",
    help="Show each request of run RUN to the model and its answer.",
)
@listing_options
@output_options(csv=True)
@db_option
@handle_errors
def runs_command(
    log_run: int | None, shape: Shape, as_json: bool, as_csv: bool, db_path: str
) -> None:
    """List extraction runs, failed ones with their error; --log RUN shows what the model was
    asked and answered in that run."""
    if log_run is not None:
        show_run_log(open_store(db_path), log_run, output_format(as_json, as_csv))
        return
    render_listing(
        read_store(db_path).runs(),
        shape.format(as_json, as_csv),
        "runs",
        [
            "id",
            "document_id",
            "backend",
            "model",
            "status",
            "claims",
            "input_tokens",
            "output_tokens",
            "error",
            "notes",
        ],
        short_ids=("document_id",),
        shape=shape,
    )


def show_run_log(store: Store, run_id: int, fmt: Format) -> None:
    """Each request of a run and its answer, like `llm logs`."""
    if store.run(run_id) is None:
        raise NotFoundError(f"no run {run_id}: `stance runs` lists the runs")
    calls = store.run_log(run_id)
    if fmt != "table":
        render(calls, fmt, title="model calls")
        return
    if not calls:
        click.echo(f"run {run_id} sent no request to a model")
        return
    for call in calls:
        tokens = f"{call['input_tokens'] or 0} in, {call['output_tokens'] or 0} out"
        click.echo(
            f"## request {call['id']} (chunk {call['chunk'] + 1}, attempt {call['attempt']}, "
            f"{call['started_at']}, {call['seconds'] or 0:.2f} s, {tokens})\n"
        )
        request = json.loads(call["request"])
        for message in request.get("messages", []):
            click.echo(f"### {message.get('role')}\n\n{message.get('content') or ''}\n")
        click.echo("### answer\n")
        if call["error"]:
            click.echo(f"(no answer: {call['error']})\n")
            continue
        response = json.loads(call["response"] or "{}")
        for choice in response.get("choices", [])[:1]:
            message = choice.get("message") or {}
            for tool_call in message.get("tool_calls") or []:
                click.echo((tool_call.get("function") or {}).get("arguments", ""))
            if message.get("content"):
                click.echo(message["content"])
        click.echo("")


@cli.command(name="entities")
@listing_options
@output_options(csv=True)
@db_option
@handle_errors
def entities_command(shape: Shape, as_json: bool, as_csv: bool, db_path: str) -> None:
    """List entities with their aliases and claim counts."""
    render_listing(
        read_store(db_path).entities(), shape.format(as_json, as_csv), "entities", shape=shape
    )


@cli.command(name="query")
@click.argument("sql")
@click.option("--jsonl", is_flag=True, help="Print one JSON object a line.")
@output_options(csv=True)
@db_option
@handle_errors
def query_command(sql: str, jsonl: bool, as_json: bool, as_csv: bool, db_path: str) -> None:
    """Run a read-only SQL query on the database (writes are refused)."""
    from stance.store.readonly import run_query

    fmt = Shape(jsonl=jsonl).format(as_json, as_csv)
    render(run_query(db_path, sql), fmt, title="rows")


@cli.command(name="serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8001, show_default=True, type=int, help="Port to listen on.")
@click.option("--open", "open_browser", is_flag=True, help="Open a browser.")
@db_option
@handle_errors
def serve_command(host: str, port: int, open_browser: bool, db_path: str) -> None:
    """Browse the database in Datasette, with facets and canned queries."""
    from stance.output.serve import serve

    read_store(db_path).close()  # a clear error for a missing or outdated database
    sys.exit(serve(db_path, host=host, port=port, open_browser=open_browser))


@cli.command(name="eval")
@click.argument("gold", nargs=-1, required=True)
@model_options
@click.option("--errors", "show_errors", is_flag=True, help="Also list each miss, in context.")
@click.option(
    "--compare",
    "show_compare",
    is_flag=True,
    help="Also show every eval of the same gold recorded in --db, side by side.",
)
@click.option("--force", is_flag=True, help="Extract again texts already extracted in --db.")
@output_options(csv=False)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Database that keeps the claims and records the eval (default: a temporary one).",
)
@handle_errors
def eval_command(
    gold: tuple[str, ...],
    backend: str,
    model: str | None,
    base_url: str | None,
    mode: str | None,
    show_errors: bool,
    show_compare: bool,
    force: bool,
    as_json: bool,
    db_path: str | None,
) -> None:
    """Score extraction against GOLD (JSONL files or folders of them; format: docs/gold.md).

    Span and attribution precision/recall/F1, target recall, stance accuracy and macro-F1,
    as docs/metric.md in the repository defines them. With --db, the eval is recorded there
    with the model, the prompt hash and the scores, so that models and prompt versions can
    be compared.
    """
    # Imported inside the command: the rest of the CLI does not need the metric.
    from stance.evaluate import (
        compare_rows,
        document_rows,
        error_rows,
        eval_record,
        load_gold,
        run_eval,
        summary_rows,
    )

    if show_compare and db_path is None:
        raise click.UsageError("--compare needs --db: the database where evals are recorded")
    documents = load_gold(gold)
    config = ExtractorConfig(backend=backend, model=model, base_url=base_url, mode=mode)  # type: ignore[arg-type]
    extractor = make_extractor(config)
    say(
        f"stance: scoring {len(documents)} gold documents with the {extractor.backend} backend"
        + (f" ({extractor.model})" if extractor.model else "")
    )
    with tempfile.TemporaryDirectory() as scratch:
        with open_store(db_path or os.path.join(scratch, "eval.db")) as store:
            report = run_eval(documents, extractor, store, force=force)
            record = eval_record(report, documents, gold=" ".join(gold))
            store.save_eval(record)
            history = store.evals(str(record["gold_sha"])) if show_compare else []
    if as_json:
        dumped = report.model_dump()
        if show_errors:
            dumped["errors"] = [e.model_dump() for e in report.errors]
        if show_compare:
            dumped["compare"] = compare_rows(history)
        print_json(dumped)
        return
    render(summary_rows(report), "table", columns=["metric", "value"], title="eval")
    render(document_rows(report), "table", title="documents")
    if show_errors:
        render(error_rows(report), "table", title="errors")
    if show_compare:
        render(compare_rows(history), "table", title="evals of this gold")


by_option = click.option(
    "--by",
    type=click.Choice(["speaker", "source"]),
    default="speaker",
    show_default=True,
    help="Put speakers or sources side by side.",
)


@cli.command(name="compare")
@click.argument("query")
@by_option
@min_confidence_option
@embedding_options
@output_options(csv=False)
@db_option
@handle_errors
def compare_command(
    query: str,
    by: str,
    min_confidence: float | None,
    embedding_model: str | None,
    embedding_base_url: str | None,
    as_json: bool,
    db_path: str,
) -> None:
    """Compare the claims about QUERY (an event or entity) across speakers and sources.

    Shows each speaker's stance and claims side by side, the contradicting pairs, and which
    source reports which claims and leaves out which. Claim relations a model labelled
    (`stance ingest` or `stance resolve` with --model) are read from the database.
    """
    from stance.output.views import render_comparison
    from stance.query.compare import compare

    result = compare(
        read_store(db_path),
        query,
        by=by,  # type: ignore[arg-type]
        min_confidence=min_confidence,
        embedder=make_embedder_for(embedding_model, embedding_base_url),
    )
    if result.note:
        click.echo(result.note, err=True)
    if as_json:
        print_json(result)
    else:
        render_comparison(result)


@cli.command(name="timeline")
@click.argument("speaker")
@click.option("--about", help="Only the stance toward this entity or event.")
@min_confidence_option
@embedding_options
@output_options(csv=False)
@db_option
@handle_errors
def timeline_command(
    speaker: str,
    about: str | None,
    min_confidence: float | None,
    embedding_model: str | None,
    embedding_base_url: str | None,
    as_json: bool,
    db_path: str,
) -> None:
    """SPEAKER's stance over time, per date and subject, with shifts flagged."""
    from stance.output.views import render_timeline
    from stance.query.timeline import timeline

    result = timeline(
        read_store(db_path),
        speaker,
        about=about,
        min_confidence=min_confidence,
        embedder=make_embedder_for(embedding_model, embedding_base_url),
    )
    for note in result.notes:
        click.echo(note, err=True)
    if as_json:
        print_json(result)
    else:
        render_timeline(result)


@cli.command(name="resolve")
@click.option("--model", help="Model that decides doubtful event matches and claim relations.")
@click.option("--base-url", help="OpenAI-compatible server URL (default $OPENAI_BASE_URL).")
@click.option(
    "--mode",
    type=click.Choice(MODES),
    default=None,
    help="How the model returns structure (default $STANCE_MODE, else tools).",
)
@output_options(csv=False)
@db_option
@handle_errors
def resolve_command(
    model: str | None, base_url: str | None, mode: str | None, as_json: bool, db_path: str
) -> None:
    """Resolve what is stored and not yet resolved: speakers and targets to entities, event
    mentions to events; with a model, also the relations of the claims compared.

    `stance ingest` does this for what it stores; run it after an interrupted ingest, or with
    --model to let a model decide what the rules decided. Running it twice changes nothing.
    """
    from stance.resolve.judge import make_judge
    from stance.resolve.linker import resolve_pending

    config = ExtractorConfig(model=model, base_url=base_url, mode=mode)  # type: ignore[arg-type]
    store = open_store(db_path)
    judge = make_judge(config, store.db)
    summary = resolve_pending(store, judge)
    if as_json:
        print_json({**summary.__dict__, "judge": judge.name})
    else:
        click.echo(
            f"resolved: {summary.runs} runs, {summary.events_linked} pending events linked, "
            f"{summary.relations} claim relations decided by {judge.name}"
        )


@cli.command(name="merge")
@click.argument("keep")
@click.argument("other")
@output_options(csv=False)
@db_option
@handle_errors
def merge_command(keep: str, other: str, as_json: bool, db_path: str) -> None:
    """Merge entity OTHER into KEEP (names, aliases or #ids); later ingests respect it."""
    from stance.resolve.overrides import merge_entities

    merged = merge_entities(open_store(db_path).db, keep, other)
    if as_json:
        print_json(merged.__dict__)
    else:
        click.echo(printable(f"merged '{other}' into {merged.name} (#{merged.id})", one_line=True))


@cli.command(name="split")
@click.argument("entity")
@click.argument("aliases", nargs=-1)
@output_options(csv=False)
@db_option
@handle_errors
def split_command(entity: str, aliases: tuple[str, ...], as_json: bool, db_path: str) -> None:
    """Split ALIASES off ENTITY into a new entity, with their claims; later ingests respect it."""
    from stance.resolve.overrides import split_entity

    created = split_entity(open_store(db_path).db, entity, list(aliases))
    if as_json:
        print_json(created.__dict__)
    else:
        click.echo(
            printable(
                f"split {', '.join(repr(a) for a in aliases)} off '{entity}' into "
                f"{created.name} (#{created.id})",
                one_line=True,
            )
        )


@cli.command(name="report")
@click.argument("query")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    default="report.html",
    show_default=True,
    help="HTML file to write (- for stdout).",
)
@by_option
@db_option
@handle_errors
def report_command(query: str, output: str, by: str, db_path: str) -> None:
    """Write the comparison of QUERY (an event or entity) as one self-contained HTML page.

    Claims side by side with their evidence, each speaker's stance over time, contradictions
    and what each source leaves out; click a claim to read its document with the evidence
    highlighted. The page needs no network and works from a file:// URL.
    """
    from stance.core.errors import UsageError
    from stance.output.report import render_report
    from stance.query.compare import compare

    store = read_store(db_path)
    result = compare(store, query, by=by)  # type: ignore[arg-type]
    if result.note:
        click.echo(result.note, err=True)
    page = render_report(store, result)
    if output == "-":
        sys.stdout.write(page)
        return
    try:
        with open(output, "w", encoding="utf-8") as file:
            file.write(page)
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror}; give another -o path") from exc
    claims = sum(len(s.claims) for s in result.speakers)
    click.echo(
        printable(
            f"wrote {output}: {result.subject.name}, {claims} claim{'s' * (claims != 1)} by "
            f"{len(result.speakers)} speaker(s), {len(result.contradictions)} contradiction(s)",
            one_line=True,
        )
    )


# --- Past one machine: batch files, the Batch API, shards, Parquet (issue 15) ------------------


def _llm_extractor(model: str | None, base_url: str | None, mode: str | None) -> Any:
    """The LLM extractor a batch is made for: batches need a model."""
    from stance.extraction.llm.extractor import LLMExtractor

    config = ExtractorConfig(backend="llm", model=model, base_url=base_url, mode=mode)  # type: ignore[arg-type]
    return LLMExtractor(config.with_env())


def _defer() -> Any:
    """As `stance ingest` with a model: doubtful event matches wait for `stance resolve`."""
    from stance.resolve.judge import DeferToResolve

    return DeferToResolve()


def _print_failures(results: list[IngestResult], limit: int = 20) -> None:
    errors = [r.error for r in results if r.error]
    for error in errors[:limit]:
        err.print(f"stance: error: {error}", markup=False)
    if len(errors) > limit:
        err.print(f"stance: ... and {len(errors) - limit} more errors", markup=False)


def llm_options(func: F) -> F:
    for option in reversed(
        [
            click.option("--model", help="Model name (default $STANCE_MODEL)."),
            click.option(
                "--base-url", help="OpenAI-compatible server URL (default $OPENAI_BASE_URL)."
            ),
            click.option(
                "--mode",
                type=click.Choice(MODES),
                default=None,
                help="How the model returns structure (default $STANCE_MODE, else tools).",
            ),
        ]
    ):
        func = option(func)
    return func


@cli.group(name="batch")
def batch_group() -> None:
    """Extraction through batch files: the OpenAI Batch API, vllm run-batch, and the like.

    `stance ingest --batch PATHS` sends a batch, `stance batch status` and `stance batch
    collect` follow it; `stance batch export` and `stance batch import` do the same through
    files, for a batch engine run elsewhere.
    """


@batch_group.command(name="export")
@click.argument("out", type=click.Path(dir_okay=False))
@click.argument("paths", nargs=-1, required=True)
@click.option("--source", help="Outlet or body that published the text(s).")
@click.option("--url", help="Where the text was published.")
@click.option("--published", help="Publication date (YYYY-MM-DD or any common form).")
@click.option("--title", help="Title of the text.")
@llm_options
@click.option("--force", is_flag=True, help="Send again texts already extracted.")
@output_options(csv=False)
@db_option
@handle_errors
def batch_export_command(
    out: str,
    paths: tuple[str, ...],
    source: str | None,
    url: str | None,
    published: str | None,
    title: str | None,
    model: str | None,
    base_url: str | None,
    mode: str | None,
    force: bool,
    as_json: bool,
    db_path: str,
) -> None:
    """Write the extraction requests for PATHS to OUT (OpenAI Batch API JSONL), without sending.

    One request per chunk, exactly as `stance ingest` would send it; texts already extracted
    with the same model, prompt and schema are left out. Run OUT through any batch engine,
    then store its results with `stance batch import RESULTS.jsonl` on this database.
    """
    from pathlib import Path

    from stance.ingestion.batch import export_batch
    from stance.inputs import Metadata

    metadata = Metadata(
        source=source, url=url, title=title, published=option_date(published, "--published")
    )
    extractor = _llm_extractor(model, base_url, mode)
    summary = export_batch(
        open_store(db_path),
        paths,
        extractor,
        Path(out),
        metadata=metadata,
        force=force,
        stdin=sys.stdin.buffer.read,
    )
    _print_failures(summary.results)
    if as_json:
        print_json(summary.as_dict())
    elif summary.documents:
        click.echo(
            f"wrote {out}: {summary.requests} requests for {summary.documents} documents "
            f"({summary.count('cached')} cached, {summary.count('failed')} failed); "
            f"batch {summary.batch_id}; store the results with `stance batch import RESULTS.jsonl`"
        )
    else:
        click.echo(
            f"nothing to send ({summary.count('cached')} cached, {summary.count('failed')} "
            f"failed); {out} not written"
        )
    if summary.count("failed"):
        sys.exit(1)


def reask_options(func: F) -> F:
    """How answers that fail the checks are re-asked: a follow-up batch unless told."""
    func = click.option(
        "--no-reasks",
        is_flag=True,
        help="Re-ask nothing: claims that fail the checks are stored as rejected at once.",
    )(func)
    return click.option(
        "--live-retries",
        is_flag=True,
        help="Re-ask failing answers live (chat completions now) instead of in a follow-up "
        "batch; same limit and corrections as `stance ingest`.",
    )(func)


def _reasks(live_retries: bool, no_reasks: bool) -> str:
    if live_retries and no_reasks:
        raise click.UsageError("--live-retries and --no-reasks exclude each other")
    return "live" if live_retries else "none" if no_reasks else "batch"


def _report_followups(followups: list[Any]) -> None:
    """Where the re-asks went: a follow-up batch sent to the server, or a request file."""
    for followup in followups:
        what = (
            f"re-asked {followup.requests} requests of {followup.documents} documents whose "
            f"answers failed the checks (attempt {followup.attempt})"
        )
        if followup.state is not None:
            click.echo(
                f"{what} in batch {followup.id}, which follows {followup.parent['id']}: "
                f"`stance batch collect {followup.id}` when it is done"
            )
        else:
            click.echo(
                f"{what}: wrote {followup.path} (batch {followup.id}); run it through the batch "
                "engine, then `stance batch import` its results"
            )


@batch_group.command(name="import")
@click.argument("results", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--batch", "batch_id", help="The batch the results answer (default: any).")
@reask_options
@click.option("--base-url", help="Server for --live-retries (default $OPENAI_BASE_URL).")
@output_options(csv=False)
@db_option
@handle_errors
def batch_import_command(
    results: str,
    batch_id: str | None,
    live_retries: bool,
    no_reasks: bool,
    base_url: str | None,
    as_json: bool,
    db_path: str,
) -> None:
    """Store the answers in RESULTS (a batch output or error file) as `stance ingest` would.

    Every answer goes through the same validation, grounding and storage as a live one, one
    transaction per document. Importing twice stores nothing twice; a malformed line is
    reported with its line number and the rest is stored. Answers that fail the checks are
    re-asked as `stance ingest` re-asks them: the re-asks are written next to RESULTS as a
    follow-up request file (RESULTS.reask-BATCH.jsonl), whose results are imported in turn and
    stored with the good claims of the first answers; or sent live with --live-retries.
    """
    from pathlib import Path

    from stance.ingestion.batch import import_results, read_lines

    reasks = _reasks(live_retries, no_reasks)
    lines = sys.stdin if results == "-" else read_lines(results)
    where = Path.cwd() / "stance" if results == "-" else Path(results)

    def reask_file(batch: dict[str, Any]) -> Path:
        return where.with_name(f"{where.stem}.reask-{batch['id']}.jsonl")

    store = open_store(db_path)
    summary = import_results(
        store,
        lines,
        label=results,
        batch_id=batch_id,
        judge=_defer(),
        reasks=reasks,  # type: ignore[arg-type]
        reask_file=reask_file,
        base_url=base_url,
    )
    _print_failures(summary.results)
    for problem in [*summary.malformed, *summary.incomplete][:20]:
        err.print(f"stance: error: {problem}", markup=False)
    if as_json:
        print_json(summary.as_dict())
    else:
        click.echo(summary.line())
        _report_followups(summary.followups)
    if not summary.ok:
        sys.exit(1)


def submit_batch_command(
    paths: tuple[str, ...],
    metadata: Metadata,
    model: str | None,
    base_url: str | None,
    mode: str | None,
    force: bool,
    as_json: bool,
    db_path: str,
) -> None:
    """`stance ingest --batch`: send the requests as a batch, and return at once."""
    from stance.ingestion.batch import submit_batch

    extractor = _llm_extractor(model, base_url, mode)
    submitted = submit_batch(
        open_store(db_path),
        paths,
        extractor,
        metadata=metadata,
        force=force,
        stdin=sys.stdin.buffer.read,
    )
    summary = submitted.export
    _print_failures(summary.results)
    if as_json:
        print_json(submitted.as_dict())
    elif submitted.state is None:
        click.echo(
            f"nothing to send ({summary.count('cached')} cached, {summary.count('failed')} failed)"
        )
    else:
        click.echo(
            f"sent batch {summary.batch_id}: {summary.requests} requests for "
            f"{summary.documents} documents ({summary.count('cached')} cached, "
            f"{summary.count('failed')} failed); results within 24 h: "
            f"`stance batch status {summary.batch_id}`, then "
            f"`stance batch collect {summary.batch_id}`"
        )
    if summary.count("failed"):
        sys.exit(1)


@batch_group.command(name="status")
@click.argument("batch_id", required=False)
@llm_options
@output_options(csv=False)
@db_option
@handle_errors
def batch_status_command(
    batch_id: str | None,
    model: str | None,
    base_url: str | None,
    mode: str | None,
    as_json: bool,
    db_path: str,
) -> None:
    """How batch BATCH_ID is doing (asks the server); without an id, every batch recorded."""
    from stance.ingestion.batch import refresh_batch
    from stance.store.batches import batches

    store = open_store(db_path)
    if batch_id is None:
        rows = batches(store)
        columns = ["id", "kind", "status", "created_at", "model", "documents", "requests"]
        columns += ["pending", "stored", "failed", "reasked", "parent_id"]
        if as_json:
            print_json(rows)
        else:
            render(rows, "table", columns=columns, title="batches")
        return
    row = refresh_batch(store, _batch_extractor(store, batch_id, base_url), batch_id)
    if as_json:
        print_json({k: v for k, v in row.items()})
        return
    counts = ""
    if row.get("total"):
        counts = f": {row.get('completed') or 0} of {row['total']} requests done"
        counts += f", {row.get('failed') or 0} failed" if row.get("failed") else ""
    click.echo(f"batch {row['id']}: {row['status']}{counts}")
    if row["status"] in ("completed", "expired", "failed", "cancelled"):
        click.echo(f"collect it with `stance batch collect {row['id']}`")


def _batch_extractor(store: Store, batch_id: str | None, base_url: str | None) -> Any:
    """An extractor for the batch's own model and mode (the key stays in the client)."""
    from stance.store.batches import batch, batches

    row = batch(store, batch_id) if batch_id else next(iter(batches(store, "openai")), None)
    if row is None:
        return _llm_extractor(None, base_url, None)
    return _llm_extractor(row["model"], base_url, row["mode"])


@batch_group.command(name="collect")
@click.argument("batch_id", required=False)
@click.option("--base-url", help="OpenAI-compatible server URL (default $OPENAI_BASE_URL).")
@reask_options
@output_options(csv=False)
@db_option
@handle_errors
def batch_collect_command(
    batch_id: str | None,
    base_url: str | None,
    live_retries: bool,
    no_reasks: bool,
    as_json: bool,
    db_path: str,
) -> None:
    """Store the answers of batch BATCH_ID (default: the latest not yet collected) when done.

    Runs every answer through the same checks and storage as `stance ingest`. Answers that
    fail the checks are re-asked as `stance ingest` re-asks them (same limit, same
    corrections): in a follow-up batch sent at once (collect it in turn: the fixed claims are
    stored with the good ones of the first answers), or live with --live-retries. Safe to run
    again, after a crash too: nothing is stored twice.
    """
    from stance.ingestion.batch import collect_batch

    reasks = _reasks(live_retries, no_reasks)
    store = open_store(db_path)
    extractor = _batch_extractor(store, batch_id, base_url)
    collected = collect_batch(
        store,
        extractor,
        batch_id,
        judge=_defer(),
        reasks=reasks,  # type: ignore[arg-type]
    )
    row, imported = collected.batch, collected.imported
    if imported is not None:
        _print_failures(imported.results)
        for problem in [*imported.malformed, *imported.incomplete][:20]:
            err.print(f"stance: error: {problem}", markup=False)
    if as_json:
        print_json(collected.as_dict())
    elif imported is None:
        click.echo(f"batch {row['id']}: {row['status']}, not done yet; collect it later")
    else:
        left = collected.left.get("pending", 0)
        click.echo(f"batch {row['id']}: {row['status']}; {imported.line()}")
        _report_followups(imported.followups)
        if left:
            click.echo(
                f"{left} documents were not answered (batch {row['status']}): send them "
                "again with `stance ingest --batch` on the same paths"
            )
    if imported is not None and not imported.ok or collected.left.get("pending"):
        sys.exit(1)


@batch_group.command(name="cancel")
@click.argument("batch_id", required=False)
@click.option("--base-url", help="OpenAI-compatible server URL (default $OPENAI_BASE_URL).")
@output_options(csv=False)
@db_option
@handle_errors
def batch_cancel_command(
    batch_id: str | None, base_url: str | None, as_json: bool, db_path: str
) -> None:
    """Cancel batch BATCH_ID on the server (default: the latest not yet collected).

    What it answered before it stopped can still be collected with `stance batch collect`;
    the documents it did not answer stay pending, to send again with `stance ingest --batch`.
    """
    from stance.ingestion.batch import cancel_batch

    store = open_store(db_path)
    row = cancel_batch(store, _batch_extractor(store, batch_id, base_url), batch_id)
    if as_json:
        print_json(dict(row))
        return
    done = (
        f" ({row.get('completed') or 0} of {row['total']} requests done)"
        if row.get("total")
        else ""
    )
    click.echo(
        f"batch {row['id']}: {row['status']}{done}; what it answered can still be stored: "
        f"`stance batch collect {row['id']}`"
    )


@cli.command(name="merge-db")
@click.argument("shards", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--into",
    "into",
    required=True,
    type=click.Path(dir_okay=False),
    help="The database to merge into (created if missing).",
)
@output_options(csv=False)
@handle_errors
def merge_db_command(shards: tuple[str, ...], into: str, as_json: bool) -> None:
    """Merge shard databases SHARDS into one (--into): the same text is one document.

    Runs, claims and evals are copied, entities resolved again in the merged database. The
    shards are only read. Merging twice changes nothing.
    """
    from stance.ingestion.shards import merge_databases

    with open_store(into) as store:
        summary = merge_databases(store, list(shards))
    for note in summary.notes:
        err.print(f"stance: note: {note}", markup=False)
    if as_json:
        print_json(summary.as_dict())
        return
    for shard in summary.shards:
        click.echo(
            f"{shard.path}: {shard.documents} documents ({shard.new_documents} new), "
            f"{shard.runs} runs and {shard.claims} claims copied, {shard.skipped_runs} runs "
            f"already there, {shard.appearances} appearances, {shard.evals} evals"
        )
    click.echo(f"{into}: {summary.documents} documents")


@cli.command(name="export")
@click.option(
    "--parquet",
    "folder",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder for documents, appearances, claims, targets and entities as Parquet.",
)
@output_options(csv=False)
@db_option
@handle_errors
def export_command(folder: str, as_json: bool, db_path: str) -> None:
    """Write the database as Parquet files (schema: docs/parquet.md), for DuckDB or Spark.

    Needs the optional extra: pip install 'stance[parquet]'.
    """
    from stance.output.parquet import export_parquet

    written = export_parquet(open_store(db_path), folder)
    if as_json:
        print_json([f.__dict__ for f in written])
        return
    for file in written:
        click.echo(f"{file.path}: {file.rows:,} rows")


def main() -> None:
    cli(prog_name="stance")
