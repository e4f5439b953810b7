"""`stance report QUERY`: the comparison of one subject as a self-contained HTML page.

One file, no network: styles, script and data are inlined, and a Content-Security-Policy
allows only that script and style (by hash), so that nothing a document contains can run
even if it slipped past escaping. Every text from a document or a model goes through
`html.escape`; the data the script reads is JSON with `<`, `>` and `&` escaped.

The page: a header with the subject and counts; each speaker's stance over time (inline
SVG); the claims side by side, one column per speaker (or per source with `by="source"`),
each a card; the contradicting pairs; what each source reports and leaves out; and a reader
that shows a claim's document with its evidence highlighted from the stored offsets
(`documents.text[start:end]` is the quote) and the document's other claims fainter.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import json
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from string import Template
from typing import Literal

from stance.core.models import Document, StoredClaim
from stance.core.version import __version__
from stance.query.compare import (
    ComparedClaim,
    Comparison,
    Subject,
    compare,
    overall_stance,
    source_label,
)
from stance.query.timeline import TimelinePoint, shifts
from stance.resolve.relations import load_claims
from stance.store import queries
from stance.store.db import Store

STANCE_SYMBOL = {"support": "▲", "oppose": "▼", "neutral": "●", "mixed": "◆"}
MAX_SOURCES_NAMED = 3  # sources named in a card's "left out by" line before "and N more"


def report(
    store: Store,
    query: str,
    *,
    by: Literal["speaker", "source"] = "speaker",
) -> str:
    """The HTML page comparing the claims about QUERY (an event or entity)."""
    return render_report(store, compare(store, query, by=by))


def render_report(store: Store, comparison: Comparison) -> str:
    """The HTML page of a comparison; `store` gives the documents' texts and other claims."""
    page = _gather(store, comparison)
    style = _template("report.css")
    script = _template("report.js")
    csp = (
        f"default-src 'none'; style-src '{_sha256(style)}'; script-src '{_sha256(script)}'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    subject = subject_title(comparison)
    return Template(_template("report_page.html")).substitute(
        csp=csp,
        version=_version(),
        title=esc(f"{subject} — stance report"),
        style=style,
        script=script,
        body=_body(page),
        data=json_for_script(_script_data(page)),
    )


def subject_title(comparison: Comparison) -> str:
    """An event's readable label ("US-EU-Armenia meeting (2024-04-05)"), else its name."""
    return comparison.subject.label or comparison.subject.name


# --- Escaping -------------------------------------------------------------------------------------


def esc(text: object) -> str:
    """Text for HTML content or a double-quoted attribute."""
    return html.escape(str(text), quote=True)


def json_for_script(value: object) -> str:
    """JSON that can sit inside <script>: no `</script>`, no `<!--`, no entity can end it."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def safe_url(url: str | None) -> str | None:
    """Only http(s) links: a document's `javascript:` URL must not become a link."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def _version() -> str:
    return __version__


def _template(name: str) -> str:
    return (resources.files("stance.output") / "templates" / name).read_text(encoding="utf-8")


# --- What the page needs --------------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    """One claim in a column: `shown` is the appearance whose document the card opens."""

    shown: StoredClaim
    compared: ComparedClaim


@dataclass(frozen=True)
class Column:
    title: str
    stance: str | None  # the speaker's overall stance (speaker columns only)
    tally: str
    cards: list[Card]


@dataclass
class Page:
    comparison: Comparison
    columns: list[Column]
    compared: dict[int, ComparedClaim]  # by the id of their first appearance
    claims: dict[int, StoredClaim]  # every claim of every document shown, by id
    documents: dict[str, Document]
    document_claims: dict[str, list[StoredClaim]]
    contradicts: dict[int, list[int]] = field(default_factory=dict)  # compared id → compared ids
    left_out_by: dict[int, list[str]] = field(default_factory=dict)  # compared id → sources
    points: dict[str, list[TimelinePoint]] = field(default_factory=dict)  # speaker → points


def _gather(store: Store, comparison: Comparison) -> Page:
    compared = {c.id: c for side in comparison.speakers for c in side.claims}
    document_ids = {a.document_id for c in compared.values() for a in c.appearances}
    document_ids |= {c.document_id for c in comparison.other_claims}
    documents = load_documents(store, sorted(document_ids))
    # Every claim of those documents, so that the reader can show the others fainter.
    document_claims: dict[str, list[StoredClaim]] = {d: [] for d in documents}
    for claim in load_claims(store, claim_ids_in(store, list(documents))):
        document_claims[claim.document_id].append(claim)
    claims = {c.id: c for found in document_claims.values() for c in found}
    claims.update({c.id: c for c in compared.values()})
    page = Page(
        comparison=comparison,
        columns=[],
        compared=compared,
        claims=claims,
        documents=documents,
        document_claims=document_claims,
    )
    page.columns = (
        _source_columns(page) if comparison.by == "source" else _speaker_columns(comparison)
    )
    for pair in comparison.contradictions:
        if pair.a not in compared or pair.b not in compared:
            continue
        page.contradicts.setdefault(pair.a, []).append(pair.b)
        page.contradicts.setdefault(pair.b, []).append(pair.a)
    for source in comparison.sources:
        for claim_id in source.missing_claim_ids:
            page.left_out_by.setdefault(claim_id, []).append(source.source)
    page.points = {
        side.name: stance_points(comparison.subject, side.claims) for side in comparison.speakers
    }
    return page


def load_documents(store: Store, ids: list[str]) -> dict[str, Document]:
    """The documents by id (one indexed query per 500; `Store.document` matches a prefix)."""
    found = {row["id"]: Document(**row) for row in queries.documents_by_id(store.db, ids)}
    return {i: found[i] for i in ids if i in found}


def claim_ids_in(store: Store, document_ids: list[str]) -> list[int]:
    """The claims that queries show (current runs, not rejected) of these documents."""
    return queries.claim_ids_in(store.db, document_ids)


def _speaker_columns(comparison: Comparison) -> list[Column]:
    return [
        Column(
            title=side.name,
            stance=side.stance,
            tally=", ".join(f"{STANCE_SYMBOL[s]} {n} {s}" for s, n in side.counts.items() if n),
            cards=[Card(shown=c, compared=c) for c in side.claims],
        )
        for side in comparison.speakers
    ]


def _source_columns(page: Page) -> list[Column]:
    """One column per source; a card shows that source's own appearance of the claim."""
    cards: dict[str, list[Card]] = defaultdict(list)
    for claim in page.compared.values():
        for appearance in claim.appearances:
            shown = page.claims.get(appearance.claim_id, claim)
            cards[source_label(appearance.source, appearance.document_id)].append(
                Card(shown=shown, compared=claim)
            )
    total = len(page.compared)
    return [
        Column(
            title=source.source,
            stance=None,
            tally=f"reports {len({c.compared.id for c in cards[source.source]})} of {total}",
            cards=cards[source.source],
        )
        for source in page.comparison.sources
    ]


def stance_points(subject: Subject, claims: list[ComparedClaim]) -> list[TimelinePoint]:
    """A speaker's stance toward the subject per publication date (what `stance timeline
    SPEAKER --about SUBJECT` gives), made from the column's own claims so that the two agree."""
    by_date: dict[str | None, list[ComparedClaim]] = defaultdict(list)
    for claim in claims:
        by_date[claim.published[:10] if claim.published else None].append(claim)
    return [
        TimelinePoint(
            date=date,
            subject=subject.name,
            subject_id=subject.id,
            claims=found,
            stance=overall_stance([c.stance for c in found]),
        )
        for date, found in sorted(by_date.items(), key=lambda p: (p[0] is None, p[0] or ""))
    ]


def _script_data(page: Page) -> dict[str, object]:
    """What the reader shows of each claim; `card` is the id of the claim's card, if any."""
    card_of = {a.claim_id: c.id for c in page.compared.values() for a in c.appearances}
    claims: dict[str, dict[str, object]] = {}
    for claim_id, claim in page.claims.items():
        compared = page.compared.get(card_of.get(claim_id, -1))
        stance = compared.stance if compared else None
        claims[str(claim_id)] = {
            "document": claim.document_id,
            "speaker": claim.speaker,
            "content": claim.content,
            "quote": claim.quote,
            "start": claim.start,
            "end": claim.end,
            "stance": f"{STANCE_SYMBOL[stance]} {stance}" if stance else None,
            "card": _card_id(page, compared, claim_id) if compared else None,
            "where": " · ".join(
                [source_label(claim.source, claim.document_id)]
                + ([claim.published[:10]] if claim.published else [])
            ),
        }
    return {"subject": subject_title(page.comparison), "by": page.comparison.by, "claims": claims}


def _card_id(page: Page, compared: ComparedClaim, claim_id: int) -> int:
    """The card that shows a claim: by source, each appearance has its own card."""
    return claim_id if page.comparison.by == "source" else compared.id


# --- The page -------------------------------------------------------------------------------------


def _body(page: Page) -> str:
    parts = [
        _header(page),
        '<main class="wrap">',
        _timeline_section(page),
        _columns_section(page),
        _contradictions_section(page),
        _coverage_section(page),
        "</main>",
        f'<footer class="page-footer"><p class="wrap">Made by stance {esc(_version())}. '
        f"Relations judged by {esc(page.comparison.judge)}. Click a claim to read its document "
        "with the evidence highlighted.</p></footer>",
        _reader(page),
    ]
    return "\n".join(p for p in parts if p)


def badge(stance: str) -> str:
    symbol = STANCE_SYMBOL.get(stance, "")
    return f'<span class="badge stance-{esc(stance)}">{symbol} {esc(stance)}</span>'


def _noun(n: int, word: str) -> str:
    return word if n == 1 else word + "s"


def _plural(n: int, word: str) -> str:
    return f"{n} {_noun(n, word)}"


def _header(page: Page) -> str:
    comparison = page.comparison
    subject = comparison.subject
    title = subject_title(comparison)
    aliases = list(dict.fromkeys(a for a in [subject.name, *subject.aliases] if a != title))[:8]
    reporting = sum(1 for s in comparison.sources if s.claim_ids)
    counts = [
        f"<strong>{len(page.compared)}</strong> {_noun(len(page.compared), 'claim')}",
        f"<strong>{len(comparison.speakers)}</strong> {_noun(len(comparison.speakers), 'speaker')}",
        f"<strong>{reporting}</strong> of {_plural(len(comparison.sources), 'source')} "
        f"report{'s' if reporting == 1 else ''} it",
        f"<strong>{len(comparison.contradictions)}</strong> "
        f"{_noun(len(comparison.contradictions), 'contradiction')}",
    ]
    sides = "".join(
        f"<li><strong>{esc(side.name)}</strong> {badge(side.stance)}</li>"
        for side in comparison.speakers
    )
    return "\n".join(
        [
            '<header class="page-header"><div class="wrap">',
            f'<p class="kicker">stance report · {esc(subject.kind)}</p>',
            f"<h1>{esc(title)}</h1>",
            f'<p class="aliases">also: {esc(", ".join(aliases))}</p>' if aliases else "",
            '<ul class="counts">' + "".join(f"<li>{count}</li>" for count in counts) + "</ul>",
            f'<ul class="sides" aria-label="overall stance of each speaker">{sides}</ul>'
            if sides
            else "",
            '<nav class="toc"><a href="#claims">Claims</a> <a href="#timeline">Over time</a> '
            '<a href="#contradictions">Contradictions</a> <a href="#coverage">Coverage</a></nav>',
            "</div></header>",
        ]
    )


def _columns_section(page: Page) -> str:
    by = page.comparison.by
    heading = "Claims by speaker" if by == "speaker" else "Claims by source"
    if not page.compared:
        return (
            f'<section class="part" id="claims"><h2>{heading}</h2>'
            f'<p class="empty">No claims about {esc(subject_title(page.comparison))} yet.</p>'
            "</section>"
        )
    columns = []
    for column in page.columns:
        stance_class = f" stance-{esc(column.stance)}" if column.stance else ""
        cards = "".join(_card(page, card) for card in column.cards) or (
            '<li class="empty">reports none of these claims</li>'
        )
        columns.append(
            f'<section class="column{stance_class}" aria-label="{esc(column.title)}" '
            f'data-column="{esc(column.title)}">'
            f'<div class="column-head"><h3>{esc(column.title)}</h3><p>'
            + (badge(column.stance) + " " if column.stance else "")
            + f'<span class="tally">{esc(column.tally)}</span></p></div>'
            f'<ol class="cards">{cards}</ol></section>'
        )
    return (
        f'<section class="part" id="claims"><h2>{heading}</h2>'
        '<p class="note no-print">Click a claim to read its document with the evidence '
        f'highlighted.</p><div class="columns">{"".join(columns)}</div></section>'
    )


def _card(page: Page, card: Card) -> str:
    shown, claim = card.shown, card.compared
    card_id = _card_id(page, claim, shown.id)
    top = [badge(claim.stance)]
    if claim.claim_type != "statement":
        top.append(f'<span class="claim-type">{esc(claim.claim_type)}</span>')
    top.append(f'<a class="claim-id" href="#claim-{card_id}">#{card_id}</a>')
    body = [f'<div class="card-top">{"".join(top)}</div>']
    if page.comparison.by == "source":
        body.append(f'<p class="speaker">{esc(claim.speaker or "unknown speaker")}</p>')
    if claim.content:
        body.append(f'<p class="content">{esc(claim.content)}</p>')
    body.append(f'<blockquote class="evidence">“{esc(shown.quote)}”</blockquote>')
    meta = []
    if shown.cue:
        meta.append(f'<span class="cue">{esc(shown.cue)}</span>')
    meta.append(f"<time>{esc(shown.published[:10])}</time>" if shown.published else "undated")
    meta.append(esc(source_label(shown.source, shown.document_id)))
    if shown.grounding != "exact":
        meta.append(f"{esc(shown.grounding)} match")
    body.append(f'<p class="meta">{" · ".join(meta)}</p>')
    body.append(_relations(page, claim, shown))
    actions = [
        f'<a class="open-doc" href="#doc-{esc(shown.document_id)}" data-claim="{shown.id}">'
        "open document</a>"
    ]
    url = safe_url(shown.url)
    if url:
        actions.append(
            f'<a href="{esc(url)}" rel="noopener noreferrer" target="_blank">original ↗</a>'
        )
    body.append(f'<p class="actions">{"".join(actions)}</p>')
    return (
        f'<li class="card stance-{esc(claim.stance)}" id="claim-{card_id}" '
        f'data-claim="{shown.id}">{"".join(body)}</li>'
    )


def _relations(page: Page, claim: ComparedClaim, shown: StoredClaim) -> str:
    items = []
    for other_id in page.contradicts.get(claim.id, []):
        other = page.compared[other_id]
        items.append(
            f'<li class="contradicts">⚡ contradicts <a href="#claim-{other_id}">'
            f"#{other_id}</a> ({esc(other.speaker or 'unknown speaker')})</li>"
        )
    also = [a for a in claim.appearances if a.claim_id != shown.id]
    if also:
        links = ", ".join(
            f'<a class="open-doc" href="#doc-{esc(a.document_id)}" data-claim="{a.claim_id}">'
            f"{esc(source_label(a.source, a.document_id))}</a>"
            for a in also
        )
        items.append(f"<li>also reported by {links}</li>")
    left_out = page.left_out_by.get(claim.id, [])
    if left_out:
        named = ", ".join(esc(s) for s in left_out[:MAX_SOURCES_NAMED])
        more = len(left_out) - MAX_SOURCES_NAMED
        items.append(
            f'<li class="left-out">✕ left out by {named}'
            + (f" and {more} more" if more > 0 else "")
            + "</li>"
        )
    return f'<ul class="relations">{"".join(items)}</ul>' if items else ""


# --- Timeline -------------------------------------------------------------------------------------

SVG_WIDTH, SVG_HEIGHT = 360, 84
SVG_LEFT, SVG_RIGHT = 80, 14  # room for the level labels, and for the last marker
LEVEL_Y = {"support": 12, "mixed": 36, "neutral": 36, "oppose": 60}
DATE_Y = 80


def _day(date: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(date[:10])
    except ValueError:
        return None


def _timeline_section(page: Page) -> str:
    days = [
        d
        for points in page.points.values()
        for p in points
        if p.date and (d := _day(p.date)) is not None
    ]
    if not days:
        return (
            '<section class="part" id="timeline"><h2>Stance over time</h2>'
            '<p class="empty">No dated claims: give documents their publication date (a '
            "<code>published:</code> header line or <code>--published</code>) to see stance "
            "over time.</p></section>"
        )
    first, last = min(days), max(days)
    figures = []
    for side in page.comparison.speakers:
        points = page.points[side.name]
        undated = sum(len(p.claims) for p in points if not p.date or _day(p.date) is None)
        notes = [
            f'<p class="shift">⚠ turned from {esc(s.from_stance)} ({esc(s.from_date)}) to '
            f"{esc(s.to_stance)} ({esc(s.to_date)})</p>"
            for s in shifts(points)
        ]
        if undated:
            notes.append(f'<p class="note">{_plural(undated, "undated claim")} not shown</p>')
        figures.append(
            f'<figure class="timeline"><figcaption>{esc(side.name)} {badge(side.stance)}'
            f"</figcaption>{timeline_svg(side.name, points, first, last)}{''.join(notes)}"
            "</figure>"
        )
    return (
        '<section class="part" id="timeline"><h2>Stance over time</h2>'
        f'<div class="timelines">{"".join(figures)}</div></section>'
    )


def _marker(stance: str, x: float, y: float) -> str:
    """A shape per stance, so that the plot reads without colour: ▲ ▼ ● ◆."""
    r = 8
    shapes = {
        "support": f'<path d="M{x:.1f} {y - r} L{x + r} {y + r - 1} L{x - r} {y + r - 1} Z"',
        "oppose": f'<path d="M{x:.1f} {y + r} L{x + r} {y - r + 1} L{x - r} {y - r + 1} Z"',
        "mixed": f'<path d="M{x:.1f} {y - r} L{x + r} {y} L{x:.1f} {y + r} L{x - r} {y} Z"',
    }
    shape = shapes.get(stance, f'<circle cx="{x:.1f}" cy="{y}" r="{r - 1}"')
    return f'{shape} class="dot stance-{esc(stance)}">'


def timeline_svg(speaker: str, points: list[TimelinePoint], first: dt.date, last: dt.date) -> str:
    """One speaker's stance per date on an axis shared by every speaker of the report."""
    span = max((last - first).days, 1)
    width = SVG_WIDTH - SVG_LEFT - SVG_RIGHT

    def x_of(day: dt.date) -> float:
        if first == last:
            return SVG_LEFT + width / 2
        return SVG_LEFT + width * (day - first).days / span

    parts = [
        f'<svg viewBox="0 0 {SVG_WIDTH} {SVG_HEIGHT}" role="img" '
        f'aria-label="{esc(speaker)}: stance over time">'
    ]
    for level in ("support", "neutral", "oppose"):
        y = LEVEL_Y[level]
        parts.append(
            f'<line class="guide" x1="{SVG_LEFT}" x2="{SVG_WIDTH - 8}" y1="{y}" '
            f'y2="{y}"/><text class="level" x="0" y="{y + 4}">'
            f"{STANCE_SYMBOL[level]} {level}</text>"
        )
    dated = [(day, p) for p in points if p.date and (day := _day(p.date)) is not None]
    if len(dated) > 1:
        path = " ".join(f"{x_of(day):.1f},{LEVEL_Y[p.stance]}" for day, p in dated)
        parts.append(f'<polyline class="path" points="{path}"/>')
    for day, point in dated:
        x, y = x_of(day), LEVEL_Y[point.stance]
        n = len(point.claims)
        title = f"{point.date}: {point.stance} ({_plural(n, 'claim')})"
        parts.append(
            f'<a href="#claim-{point.claims[0].id}"><title>{esc(title)}</title>'
            f"{_marker(point.stance, x, y)}</a>"
        )
    labels = {first: "start", last: "end"} if first != last else {first: "middle"}
    for day, anchor in labels.items():
        parts.append(
            f'<text class="date" x="{x_of(day):.1f}" y="{DATE_Y}" '
            f'text-anchor="{anchor}">{day.isoformat()}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


# --- Contradictions and coverage ------------------------------------------------------------------


def _claim_link(page: Page, claim_id: int) -> str:
    claim = page.compared[claim_id]
    return (
        f'<a href="#claim-{claim_id}">#{claim_id}</a> '
        f"<strong>{esc(claim.speaker or 'unknown speaker')}</strong> {badge(claim.stance)} "
        f"<span>{esc(_short(claim.content or claim.quote))}</span>"
    )


def _short(text: str, limit: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _contradictions_section(page: Page) -> str:
    pairs = [
        p for p in page.comparison.contradictions if p.a in page.compared and p.b in page.compared
    ]
    if not pairs:
        return (
            '<section class="part" id="contradictions"><h2>Contradictions</h2>'
            '<p class="empty">None found.</p></section>'
        )
    items = "".join(
        f'<li><div class="pair-ends"><span>{_claim_link(page, p.a)}</span>'
        f'<span class="versus" aria-label="contradicts">⟷</span>'
        f"<span>{_claim_link(page, p.b)}</span></div>"
        f'<p class="reason">{esc(p.kind)}: {esc(p.reason)}</p></li>'
        for p in pairs
    )
    return (
        f'<section class="part" id="contradictions"><h2>Contradictions</h2>'
        f'<ol class="pairs">{items}</ol></section>'
    )


def _coverage_section(page: Page) -> str:
    others = {c.id: c for c in page.comparison.other_claims}
    total = len(page.compared)
    blocks = []
    for source in page.comparison.sources:
        claim_ids = set(source.claim_ids)
        reported = {
            c.id
            for c in page.compared.values()
            if any(a.claim_id in claim_ids for a in c.appearances)
        }
        left_out = "".join(
            f"<li>{_claim_link(page, i)}</li>"
            for i in source.missing_claim_ids
            if i in page.compared
        )
        instead = "".join(
            f'<li><a class="open-doc" href="#doc-{esc(c.document_id)}" data-claim="{c.id}">'
            f"#{c.id}</a> <strong>{esc(c.speaker or 'unknown speaker')}</strong> "
            f"{esc(_short(c.content or c.quote))}</li>"
            for i in source.other_claim_ids
            if (c := others.get(i)) is not None
        )
        blocks.append(
            f'<article class="source" data-source="{esc(source.source)}">'
            f"<h3>{esc(source.source)}</h3>"
            f'<p class="tally">reports {len(reported)} of {_plural(total, "claim")} · '
            f"{_plural(len(source.document_ids), 'document')}</p>"
            + (
                f"<h4>✕ Leaves out</h4><ul>{left_out}</ul>"
                if left_out
                else "<h4>Leaves out nothing</h4>"
            )
            + (f"<h4>Reports instead</h4><ul>{instead}</ul>" if instead else "")
            + "</article>"
        )
    body = (
        f'<div class="coverage">{"".join(blocks)}</div>'
        if blocks
        else ('<p class="empty">No source reports it.</p>')
    )
    return f'<section class="part" id="coverage"><h2>What each source reports</h2>{body}</section>'


# --- The document reader --------------------------------------------------------------------------


def highlighted(text: str, claims: list[StoredClaim]) -> str:
    """The text, escaped, with each claim's evidence `text[start:end]` in <mark> elements.

    Overlapping evidence is cut at every boundary, so each piece names all the claims that
    cover it (data-claims="3 7") and a claim's marks joined are exactly its evidence.
    """
    spans = [
        (c.start, c.end, c.id)
        for c in claims
        if c.start is not None and c.end is not None and 0 <= c.start < c.end <= len(text)
    ]
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    pieces = []
    for lo, hi in zip(cuts, cuts[1:], strict=False):
        covering = [str(i) for s, e, i in spans if s <= lo and hi <= e]
        piece = esc(text[lo:hi])
        if covering:
            pieces.append(
                f'<mark class="evidence faint" data-claims="{" ".join(covering)}">{piece}</mark>'
            )
        else:
            pieces.append(piece)
    return "".join(pieces)


def _reader(page: Page) -> str:
    articles = []
    for document_id, document in page.documents.items():
        about = [esc(document.source or "unknown source")]
        if document.published:
            about.append(f"<time>{esc(document.published[:10])}</time>")
        url = safe_url(document.url)
        if url:
            about.append(
                f'<a href="{esc(url)}" rel="noopener noreferrer" target="_blank">original ↗</a>'
            )
        title = document.title or document.source or f"Document {document_id[:12]}"
        articles.append(
            f'<article class="document" id="doc-{esc(document_id)}" '
            f'data-document="{esc(document_id)}" hidden><header><h2>{esc(title)}</h2>'
            f"<p>{' · '.join(about)}</p></header>"
            f'<div class="doc-text">{highlighted(document.text, page.document_claims[document_id])}'
            "</div></article>"
        )
    return (
        '<dialog id="reader" aria-label="document"><div class="reader-box">'
        '<div class="reader-bar"><p class="caption"></p>'
        '<button type="button" class="close" autofocus>Close</button></div>'
        f'<div class="reader-docs">{"".join(articles)}</div></div></dialog>'
    )
