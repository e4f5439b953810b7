"""Batch files and shards at scale: stance's own work per document, no model involved.

1. `stance batch export` writes the requests for D synthetic articles (testkit/corpus.py);
   the results file is made here by answering each request line with the article's own
   claims (testkit.fakeserver.run_batch, as `vllm run-batch` would, scripted), then
   `stance batch import` stores them: reading, chunking, request building, validation,
   grounding and storage, measured as wall time, CPU time and peak memory of each child
   process, at D/10 and D documents (peak memory should stay flat in D). CPU time is what
   to read on a shared machine (pin the run to one core: `taskset -c 1`).
2. Requests and tokens against the live path: the live path's requests for a sample of the
   same articles, counted at the loopback server; the batch's are the lines of its file.
   Input tokens are counted over what the model reads (messages, tools or schema) with
   o200k_base when `bpe-openai` is installed, else estimated as UTF-8 bytes / 4. The scripted
   answers never fail validation, so the live path makes no re-asks here: its request count
   is a lower bound. The Batch API bills at half the live price (OpenAI's published terms).
3. Shards: two databases of S documents each with S/5 shared (built by export/import), merged
   by `stance merge-db`, then exported by `stance export --parquet` and counted in DuckDB.

    python -m benchmarks.batch [--docs 10000] [--shard 5000]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from benchmarks.common import MODEL, checked, clean_env, heading, run, stance, table
from benchmarks.prompt_tokens import token_counter
from stance.ingestion.pipeline import ingest
from stance.store.db import Store
from testkit.corpus import Article, all_claims, synthetic_articles, write_articles
from testkit.fakeserver import FakeOpenAIServer, echo_claims, run_batch

UNUSED_URL = "http://127.0.0.1:9/v1"  # export and import never talk to a server


def read_text(body: dict[str, object]) -> str:
    """What the model reads in one request: messages, and tools or response format."""
    parts = [str(m.get("content") or "") for m in body.get("messages", [])]  # type: ignore[attr-defined]
    for key in ("tools", "response_format"):
        if key in body:
            parts.append(json.dumps(body[key]))
    return "\n".join(parts)


def answer_file(requests: Path, results: Path, articles: list[Article]) -> int:
    """Answer every request line with its article's claims; the number of lines."""
    respond = echo_claims(all_claims(articles))
    lines = 0
    with open(requests, encoding="utf-8") as source, open(results, "w", encoding="utf-8") as out:
        for line in source:
            out.write(run_batch([line], respond)[0] + "\n")
            lines += 1
    return lines


def export_import(articles: list[Article], scratch: Path, name: str) -> dict[str, object]:
    folder = scratch / f"{name}-in"
    write_articles(articles, folder)
    db, requests, results = (
        scratch / f"{name}.db",
        scratch / f"{name}.jsonl",
        scratch / f"{name}-out.jsonl",
    )
    common = ["--model", MODEL, "--base-url", UNUSED_URL, "--db", str(db)]
    out = checked(
        run(stance("batch", "export", str(requests), str(folder), *common), env=clean_env()),
        "export",
    )
    lines = answer_file(requests, results, articles)
    back = checked(
        run(stance("batch", "import", str(results), "--db", str(db)), env=clean_env()), "import"
    )
    return {"db": db, "requests": requests, "lines": lines, "export": out, "import": back}


def tokens_of(requests: Path, limit: int) -> tuple[int, int, str]:
    """Input tokens over the first `limit` request lines, and lines counted."""
    count, how = token_counter()
    total = lines = 0
    with open(requests, encoding="utf-8") as source:
        for line in source:
            if lines >= limit:
                break
            total += count(read_text(json.loads(line)["body"]))
            lines += 1
    return total, lines, how


def live_requests(articles: list[Article], scratch: Path) -> tuple[int, int]:
    """(requests, input tokens) of the live path for these articles."""
    count, _ = token_counter()
    paths = [str(p) for p in write_articles(articles, scratch / "live-in")]
    with FakeOpenAIServer() as server, Store(scratch / "live.db") as store:
        server.responder = echo_claims(all_claims(articles))
        from stance.extraction.config import ExtractorConfig
        from stance.extraction.llm.extractor import LLMExtractor

        config = ExtractorConfig(backend="llm", model=MODEL, base_url=server.url)
        ingest(store, paths, LLMExtractor(config))
        sent = server.chat_requests()
        return len(sent), sum(count(read_text(r.body or {})) for r in sent)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--shard", type=int, default=5_000, help="0: no shards")
    parser.add_argument("--sample", type=int, default=100, help="articles sent live")
    options = parser.parse_args()
    docs, shard = options.docs, options.shard
    heading(
        "Batch export and import, shards",
        f"python -m benchmarks.batch --docs {docs} --shard {shard}",
    )
    with tempfile.TemporaryDirectory(prefix="stance-bench-") as name:
        scratch = Path(name)
        rows = []
        walls: list[tuple[int, float, float]] = []
        for size in sorted({max(1, docs // 10), docs}):
            done = export_import(synthetic_articles(size), scratch, f"d{size}")
            out, back = done["export"], done["import"]
            walls.append((size, out.cpu, back.cpu))  # type: ignore[attr-defined]
            rows.append(
                (
                    f"{size:,}",
                    f"{done['lines']:,}",
                    f"{out.wall:.1f}",
                    f"{out.cpu:.1f}",  # type: ignore[attr-defined]
                    f"{out.peak_rss_mb:.0f}",  # type: ignore[attr-defined]
                    f"{back.wall:.1f}",
                    f"{back.cpu:.1f}",  # type: ignore[attr-defined]
                    f"{size / back.cpu:.0f}",  # type: ignore[attr-defined]
                    f"{back.peak_rss_mb:.0f}",  # type: ignore[attr-defined]
                    back.stdout.strip().split(";")[0],  # type: ignore[attr-defined]
                )
            )
        print(
            table(
                [
                    "documents",
                    "request lines",
                    "export wall s",
                    "export CPU s",
                    "export peak MB",
                    "import wall s",
                    "import CPU s",
                    "import docs per CPU s",
                    "import peak MB",
                    "import says",
                ],
                rows,
            )
        )
        if len(walls) == 2:
            (small, out_small, in_small), (big, out_big, in_big) = walls
            print(
                f"\nWithout start-up (the difference between the two sizes, in CPU time): export "
                f"{(big - small) / (out_big - out_small):.0f} documents/s, import "
                f"{(big - small) / (in_big - in_small):.0f} documents/s."
            )

        sample = synthetic_articles(options.sample)
        live, live_tokens = live_requests(sample, scratch)
        batch_tokens, lines, how = tokens_of(Path(str(done["requests"])), options.sample)
        print(f"\nRequests and input tokens for the first {options.sample} articles ({how}):\n")
        print(
            table(
                ["path", "requests", "input tokens", "relative price of input"],
                [
                    ("live", live, f"{live_tokens:,}", "1.0"),
                    ("batch", lines, f"{batch_tokens:,}", "0.5 (Batch API: half price)"),
                ],
            )
        )

        if shard <= 0:
            return  # --shard 0: no shards
        shared = shard // 5
        everything = synthetic_articles(2 * shard - shared)
        a = export_import(everything[:shard], scratch, "shard-a")
        b = export_import(everything[shard - shared :], scratch, "shard-b")
        merged = scratch / "merged.db"
        merge = checked(
            run(
                stance("merge-db", str(a["db"]), str(b["db"]), "--into", str(merged)),
                env=clean_env(),
            ),
            "merge",
        )
        again = checked(
            run(
                stance("merge-db", str(a["db"]), str(b["db"]), "--into", str(merged)),
                env=clean_env(),
            ),
            "merge again",
        )
        parquet = checked(
            run(
                stance("export", "--parquet", str(scratch / "pq"), "--db", str(merged)),
                env=clean_env(),
            ),
            "parquet",
        )
        import duckdb

        con = duckdb.connect()
        documents = con.execute(
            f"select count(*) from '{scratch}/pq/documents.parquet'"
        ).fetchone()[0]
        claims = con.execute(f"select count(*) from '{scratch}/pq/claims.parquet'").fetchone()[0]
        with Store(merged) as store:
            stored = store.db.execute(
                "select count(*), (select count(*) from claims) from documents"
            ).fetchone()
        print(f"\nShards: {shard:,} + {shard:,} documents, {shared:,} shared:\n")
        print(
            table(
                ["step", "wall s", "peak MB", "result"],
                [
                    (
                        "merge-db",
                        f"{merge.wall:.1f}",
                        f"{merge.peak_rss_mb:.0f}",
                        f"{stored[0]:,} documents, {stored[1]:,} claims",
                    ),
                    (
                        "merge-db again",
                        f"{again.wall:.1f}",
                        f"{again.peak_rss_mb:.0f}",
                        again.stdout.strip().splitlines()[-1],
                    ),
                    (
                        "export --parquet",
                        f"{parquet.wall:.1f}",
                        f"{parquet.peak_rss_mb:.0f}",
                        f"DuckDB reads {documents:,} documents, {claims:,} claims",
                    ),
                ],
            )
        )


if __name__ == "__main__":
    main()
