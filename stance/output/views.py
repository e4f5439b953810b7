"""Terminal views of `stance compare` and `stance timeline`: sides next to each other.

Document text goes into rich `Text` objects, never into markup: an article may contain
[brackets] that rich would read as styles.
"""

from __future__ import annotations

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from stance.core.models import StoredClaim
from stance.output.render import printable_copy
from stance.query.compare import ComparedClaim, Comparison
from stance.query.timeline import Shift, Timeline

STANCE_STYLE = {
    "support": "bold green",
    "oppose": "bold red",
    "neutral": "dim",
    "mixed": "bold yellow",
}
COLUMNS_PER_ROW = 4
SNIPPET = 160


def snippet(text: str, limit: int = SNIPPET) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _stance(stance: str) -> Text:
    return Text(stance.upper(), style=STANCE_STYLE.get(stance, ""))


def language_tag(language: str | None) -> str | None:
    """The tag a claim shows for its document's language: none for English or unknown."""
    if not language or language.lower() == "en":
        return None
    return f"[{language.lower()}]"


def _claim_block(claim: ComparedClaim, *, with_speaker: bool = False) -> Text:
    block = Text()
    block.append_text(_stance(claim.stance))
    if with_speaker:
        block.append(f" {claim.speaker}", style="bold")
    block.append(f" {claim.cue or 'says'}", style="italic")
    tag = language_tag(claim.language)
    if tag:
        block.append(f" {tag}", style="bold magenta")
    block.append(f" “{snippet(claim.quote)}”\n")
    sources = list(dict.fromkeys(a.source or "unknown source" for a in claim.appearances))
    date = (claim.published or "undated")[:10]
    block.append(f"{date} · {', '.join(sources)}", style="cyan")
    if len(claim.appearances) > 1:
        block.append(f" ({len(claim.appearances)} appearances)", style="cyan")
    if claim.confidence is not None:
        block.append(f" · confidence {claim.confidence:.2f}", style="dim")
    block.append(f" · #{claim.id}\n", style="dim")
    return block


def _columns(headers: list[Text], cells: list[list[Text]], console: Console) -> None:
    for start in range(0, len(headers), COLUMNS_PER_ROW):
        table = Table(show_lines=True, expand=True)
        for header in headers[start : start + COLUMNS_PER_ROW]:
            table.add_column(header, ratio=1, overflow="fold", vertical="top")
        table.add_row(
            *(
                Group(*blocks) if blocks else Text("—", style="dim")
                for blocks in cells[start : start + COLUMNS_PER_ROW]
            )
        )
        console.print(table)


SIDES = (
    ("support", "SUPPORT side"),
    ("oppose", "OPPOSE side"),
    ("mixed", "MIXED"),
    ("neutral", "NEUTRAL"),
)
LISTED = 4  # claims a coverage cell lists before "+N more"


def render_comparison(result: Comparison, console: Console | None = None) -> None:
    console = console or Console()
    result = printable_copy(result)  # what came from articles must not drive the terminal
    claims = {c.id: c for s in result.speakers for c in s.claims}
    appearance_of = {a.claim_id: c for c in claims.values() for a in c.appearances}
    title = Text.assemble(
        ("Compare: ", "bold"),
        (result.subject.label or result.subject.name, "bold underline"),
        f"  ({result.subject.kind})",
    )
    console.print(title)
    count = len(claims)
    console.print(
        Text(
            f"{count} claim{'s' * (count != 1)} by {len(result.speakers)} speaker(s), reported by "
            f"{sum(1 for s in result.sources if s.claim_ids)} source(s); relations judged by "
            f"{result.judge}",
            style="dim",
        )
    )
    if result.total_claims > len(appearance_of):
        console.print(
            Text(
                f"showing the latest {len(appearance_of)} of {result.total_claims} "
                "claims about it: name an event to narrow it",
                style="yellow",
            )
        )
    if result.unsure_hidden:
        console.print(
            Text(
                f"{result.unsure_hidden} claim{'s' * (result.unsure_hidden != 1)} with a "
                f"confidence under {result.min_confidence:g} hidden (--min-confidence)",
                style="dim",
            )
        )
    if not claims:
        console.print(Text("no claims about it yet", style="dim"))
        return
    if result.by == "source":
        headers, cells = [], []
        for source in result.sources:
            header = Text(f"{source.source}\n", style="bold")
            header.append(
                f"{len(source.claim_ids)} reported, {len(source.missing_claim_ids)} left out",
                style="dim",
            )
            headers.append(header)
            shown = list(dict.fromkeys(appearance_of[i].id for i in source.claim_ids))
            cells.append([_claim_block(claims[i], with_speaker=True) for i in shown])
    else:
        # The sides next to each other: who supports, who opposes, then the rest.
        headers, cells = [], []
        for stance, name in SIDES:
            speakers = [s for s in result.speakers if s.stance == stance]
            if not speakers:
                continue
            headers.append(Text(name, style=STANCE_STYLE[stance]))
            blocks: list[Text] = []
            for speaker in speakers:
                header = Text(f"{speaker.name} ", style="bold underline")
                counts = ", ".join(f"{n} {s}" for s, n in speaker.counts.items() if n)
                header.append(f"({counts})\n", style="dim")
                blocks += [header, *(_claim_block(c) for c in speaker.claims)]
            cells.append(blocks)
    _columns(headers, cells, console)
    _render_contradictions(result, claims, console)
    _render_coverage(result, claims, console)


def _render_contradictions(
    result: Comparison, claims: dict[int, ComparedClaim], console: Console
) -> None:
    if not result.contradictions:
        console.print(Text("No contradictions found.", style="dim"))
        return
    table = Table(title="Contradictions", show_lines=True, expand=True)
    for name in ("claim", "against", "why"):
        table.add_column(name, ratio=2 if name != "why" else 1, overflow="fold", vertical="top")
    # One row per pair of speakers, strongest first; its best pair stands for the others.
    for item in result.contradictions:
        a, b = claims.get(item.a), claims.get(item.b)
        if a is None or b is None:
            continue
        more = f" ({item.count} pairs of claims)" if item.count > 1 else ""
        table.add_row(
            _claim_block(a, with_speaker=True),
            _claim_block(b, with_speaker=True),
            Text(f"{item.reason}{more}"),
        )
    console.print(table)


def _listing(ids: list[int], claims: dict[int, StoredClaim]) -> Text:
    text = Text()
    for claim_id in ids[:LISTED]:
        claim = claims.get(claim_id)
        if claim is not None:
            text.append(f"{claim.speaker}: ", style="bold")
            text.append(f"“{snippet(claim.quote, 90)}” #{claim.id}\n")
    if len(ids) > LISTED:
        text.append(f"+{len(ids) - LISTED} more", style="dim")
    return text


def _render_coverage(
    result: Comparison, claims: dict[int, ComparedClaim], console: Console
) -> None:
    others: dict[int, StoredClaim] = {c.id: c for c in result.other_claims}
    table = Table(title="Source coverage", show_lines=True, expand=True)
    table.add_column("source", ratio=1, overflow="fold", vertical="top")
    table.add_column("reports", ratio=1, overflow="fold", vertical="top")
    table.add_column("leaves out", ratio=2, overflow="fold", vertical="top")
    table.add_column("reports instead", ratio=2, overflow="fold", vertical="top")
    for source in result.sources:
        missing = source.missing_claim_ids
        if not missing:
            left_out = Text("nothing", style="dim")
        elif len(missing) == len(claims):
            left_out = Text(f"all {len(claims)} claims about it", style="bold red")
        else:
            left_out = _listing(missing, dict(claims))
        instead = _listing(source.other_claim_ids, others)
        reported = len(claims) - len(missing)
        table.add_row(
            Text(source.source, style="bold"),
            Text(f"{reported} of {len(claims)} claims"),
            left_out,
            instead if instead.plain else Text("—", style="dim"),
        )
    console.print(table)


def render_timeline(result: Timeline, console: Console | None = None) -> None:
    console = console or Console()
    result = printable_copy(result)
    about = f" about {result.about.name}" if result.about else ""
    console.print(
        Text.assemble(("Timeline: ", "bold"), (result.speaker.name, "bold underline"), about)
    )
    if not result.points:
        console.print(Text("no claims by this speaker" + about, style="dim"))
        return
    shifted: dict[tuple[str | None, int], Shift] = {
        (s.to_date, s.subject_id): s for s in result.shifts
    }
    table = Table(show_lines=True, expand=True)
    table.add_column("date", no_wrap=True, vertical="top")
    table.add_column("about", ratio=1, overflow="fold", vertical="top")
    table.add_column("stance", no_wrap=True, vertical="top")
    table.add_column("claims", ratio=3, overflow="fold", vertical="top")
    for point in result.points:
        stance = _stance(point.stance)
        shift = shifted.get((point.date, point.subject_id))
        if shift is not None:
            stance.append(
                f"\n⚠ shift from {shift.from_stance}\n(since {shift.from_date})",
                style="bold yellow",
            )
        table.add_row(
            Text(point.date or "undated"),
            Text(point.subject),
            stance,
            Group(*(_claim_block(c) for c in point.claims)),
        )
    console.print(table)
    if result.shifts:
        for s in result.shifts:
            console.print(
                Text.assemble(
                    ("Shift: ", "bold yellow"),
                    f"{s.subject}: ",
                    _stance(s.from_stance),
                    f" on {s.from_date} → ",
                    _stance(s.to_stance),
                    f" on {s.to_date}",
                )
            )
    else:
        console.print(Text("No shift of stance.", style="dim"))
