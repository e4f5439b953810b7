"""Web pages, feeds and a loopback web server written for the input tests (invented
outlets and people)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARTICLE_PARAGRAPHS = [
    "Foreign Minister Tomas Varga said the treaty would end a decade of quarrels over the "
    "shared river and guarantee fair water quotas for farmers on both banks.",
    '"This agreement protects every village downstream," Varga told reporters after the '
    "signing ceremony in the border town, adding that inspectors would begin work in spring.",
    "His counterpart, Minister Lena Okafor, said the deal was balanced and that her government "
    "would ratify it before the summer recess, according to a statement from her office.",
    "Opposition leader Piet Brandt said the quotas were too generous to the upstream country "
    "and that his party would vote against ratification when parliament meets next month.",
]
# What sits around the article on the page, each with a claim-like sentence of its own.
AROUND = {
    "banner": "We use cookies to improve your experience. Officials said you must accept "
    "all cookies before reading.",
    "ad": "Experts said this one weird trick cuts your energy bill in half. Click here!",
    "related": "Farmers said prices would double",
    "comment": "A reader said the government is lying about the quotas and nobody believes it.",
    "footer": "Editors said nothing here. All rights reserved.",
}
SPEAKERS_AROUND = ("Officials", "Experts", "Farmers", "A reader", "Editors")


def news_page(
    *,
    title: str = "Ministers agree on a river treaty",
    site: str = "Northern Ledger",
    canonical: str = "https://ledger.example/world/river-treaty",
    published: str = "2024-03-14T09:30:00Z",
    meta_date: bool = True,
    paragraphs: list[str] | None = None,
) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs or ARTICLE_PARAGRAPHS)
    date_meta = (
        f'<meta property="article:published_time" content="{published}">' if meta_date else ""
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} | {site}</title>
<meta property="og:site_name" content="{site}">
<meta property="og:title" content="{title}">
<link rel="canonical" href="{canonical}">
{date_meta}
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "NewsArticle",
"headline": "{title}", "datePublished": "{published}",
"publisher": {{"@type": "Organization", "name": "{site}"}}}}</script>
<script>window.tracking = "Analysts said the script is not text";</script>
</head>
<body>
<div id="cookie-banner" class="cookie-consent">{AROUND["banner"]} <button>Accept all</button></div>
<header><nav class="main-nav"><ul><li><a href="/">Home</a></li><li><a href="/world">World</a>
</li><li><a href="/business">Business</a></li><li><a href="/sport">Sport</a></li></ul></nav>
</header>
<main>
<article>
<h1>{title}</h1>
<p class="byline">By Ada Quill</p>
{body}
</article>
<aside class="advertisement ad-banner"><p>{AROUND["ad"]}</p></aside>
<section class="related-links"><h2>Related</h2><ul><li><a href="/a">Minister says drought
will worsen</a></li><li><a href="/b">{AROUND["related"]}</a></li></ul></section>
<section id="comments" class="comments"><h3>Comments</h3><div class="comment">
<p>{AROUND["comment"]}</p></div></section>
</main>
<footer><p>{AROUND["footer"]}</p></footer>
</body>
</html>
"""


def rss_feed(items: list[dict[str, str]], title: str = "Harbour Gazette") -> str:
    entries = "\n".join(
        f"""<item><title>{i["title"]}</title><link>{i["link"]}</link>
<pubDate>{i["date"]}</pubDate><description><![CDATA[{i["text"]}]]></description></item>"""
        for i in items
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>{title}</title><link>https://gazette.example/</link>
<description>News</description>
{entries}
</channel></rss>
"""


class _Handler(BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, dict[str, str], bytes]] = {}

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        status, headers, body = self.routes.get(
            self.path, (404, {"Content-Type": "text/plain"}, b"not found")
        )
        if headers.get("X-Sleep"):
            time.sleep(float(headers["X-Sleep"]))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading (a size limit): what the test wants

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def web_server(routes: dict[str, tuple[int, dict[str, str], bytes]]) -> Iterator[str]:
    """A web server on 127.0.0.1 in a thread, serving `routes`; yields its base URL."""
    handler = type("Handler", (_Handler,), {"routes": routes})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
