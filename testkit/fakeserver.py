"""A real HTTP server on loopback that speaks OpenAI chat completions from a script.

No model is involved: every answer is written by the test. The server listens on
127.0.0.1 on a free port, in a thread, and

- answers POST /v1/chat/completions with the next scripted `Reply` (a tool call, JSON
  content, md_json content, raw content, or an HTTP error with headers), after the reply's
  delay and the server's `latency`;
- when the script is empty, asks `responder(body)` for a reply if one is set (so a benchmark
  can answer any number of requests, e.g. echoing claims), else answers 500;
- answers GET /v1/models with `models`;
- records every request (method, path, headers, body) in `requests`.

Build replies with `tool_reply`, `json_reply`, `md_json_reply`, `content_reply`,
`error_reply`; `echo_claims(claims)` is a responder that answers any request with the claims
whose quote is in the request's text.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count
from typing import Any

DEFAULT_USAGE = (100, 20)  # prompt_tokens, completion_tokens of a scripted answer


@dataclass(frozen=True)
class Reply:
    """One scripted answer: status, JSON body, headers, and a delay before answering."""

    status: int = 200
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    body: dict[str, Any] | None

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list((self.body or {}).get("messages", []))


_ids = count(1)


def completion(
    message: dict[str, Any],
    *,
    finish_reason: str = "stop",
    usage: tuple[int, int] | None = DEFAULT_USAGE,
    delay: float = 0.0,
) -> Reply:
    """A chat.completion answer carrying one assistant message."""
    body: dict[str, Any] = {
        "id": f"chatcmpl-{next(_ids)}",
        "object": "chat.completion",
        "created": 1712102400,
        "model": "scripted",
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}],
    }
    if usage is not None:
        body["usage"] = {
            "prompt_tokens": usage[0],
            "completion_tokens": usage[1],
            "total_tokens": usage[0] + usage[1],
        }
    return Reply(body=body, delay=delay)


def tool_reply(
    arguments: dict[str, Any] | str,
    *,
    name: str = "ExtractionResult",
    content: str | None = None,
    usage: tuple[int, int] | None = DEFAULT_USAGE,
    delay: float = 0.0,
) -> Reply:
    """A tool-mode answer: the function called with `arguments` (a dict, or a raw string)."""
    raw = arguments if isinstance(arguments, str) else json.dumps(arguments)
    call = {
        "id": f"call_{next(_ids)}",
        "type": "function",
        "function": {"name": name, "arguments": raw},
    }
    message = {"role": "assistant", "content": content, "tool_calls": [call]}
    return completion(message, finish_reason="tool_calls", usage=usage, delay=delay)


def content_reply(
    content: str,
    *,
    usage: tuple[int, int] | None = DEFAULT_USAGE,
    delay: float = 0.0,
    finish_reason: str = "stop",
) -> Reply:
    """An answer whose message content is exactly `content` (valid or not)."""
    message = {"role": "assistant", "content": content}
    return completion(message, finish_reason=finish_reason, usage=usage, delay=delay)


def json_reply(result: dict[str, Any], *, before: str = "", **options: Any) -> Reply:
    """A json-mode answer: the result as JSON content, optionally preceded by `before`."""
    return content_reply(before + json.dumps(result), **options)


def md_json_reply(result: dict[str, Any], *, before: str = "", **options: Any) -> Reply:
    """An md_json-mode answer: the result in a ```json fence, after some prose."""
    fenced = f"{before}Here are the claims:\n```json\n{json.dumps(result, indent=2)}\n```\n"
    return content_reply(fenced, **options)


def error_reply(
    status: int,
    message: str,
    *,
    code: str | None = None,
    error_type: str = "invalid_request_error",
    headers: dict[str, str] | None = None,
    delay: float = 0.0,
) -> Reply:
    """An HTTP error in OpenAI's error shape, with optional headers such as Retry-After."""
    body = {"error": {"message": message, "type": error_type, "param": None, "code": code}}
    return Reply(status=status, body=body, headers=dict(headers or {}), delay=delay)


# What `echo_claims` answers to the judge's questions (`stance.resolve.judge`): no match and
# no relation, so that scripted runs decide as the rules would where the rules are sure.
JUDGE_DEFAULTS: dict[str, dict[str, Any]] = {
    "EventMatch": {"same_event": False, "reason": "scripted"},
    "ClaimRelation": {"label": "unrelated", "reason": "scripted"},
}


def question_asked(body: dict[str, Any]) -> str:
    """The answer type a request asks for: its tool's name, else named in its messages."""
    tools = body.get("tools") or []
    if tools:
        return str(tools[0].get("function", {}).get("name", ""))
    system = " ".join(str(m.get("content", "")) for m in body.get("messages", []))
    return next((name for name in JUDGE_DEFAULTS if name in system), "ExtractionResult")


def echo_claims(
    claims: list[dict[str, Any]], *, mode: str = "tools", usage: tuple[int, int] = DEFAULT_USAGE
) -> Callable[[dict[str, Any]], Reply]:
    """A responder answering each request with the claims whose quote is in its user text.

    Set as `server.responder`: it serves any number of requests (chunks, benchmarks).
    """
    build = {"tools": tool_reply, "json": json_reply, "md_json": md_json_reply}[mode]

    def respond(body: dict[str, Any]) -> Reply:
        users = [m for m in body.get("messages", []) if m.get("role") == "user"]
        text = str(users[0].get("content", "")) if users else ""
        asked = question_asked(body)
        if asked in JUDGE_DEFAULTS:  # the resolution pass's questions: a fixed answer
            return build(JUDGE_DEFAULTS[asked], usage=usage)
        return build({"claims": [c for c in claims if c["quote"] in text]}, usage=usage)

    return respond


class FakeOpenAIServer:
    """The scripted server. Use as a context manager or call start()/stop()."""

    def __init__(self, *, latency: float = 0.0, models: tuple[str, ...] = ("scripted-model",)):
        self.latency = latency
        self.models = models
        self.responder: Callable[[dict[str, Any]], Reply] | None = None
        self.requests: list[RecordedRequest] = []
        self._script: deque[Reply] = deque()
        self._lock = threading.Lock()
        # Chat requests being answered right now, and the most there ever were at once: how
        # tests see concurrency without timing anything.
        self.in_flight = 0
        self.most_in_flight = 0
        self._httpd = ThreadingHTTPServer(
            ("127.0.0.1", 0), _handler_for(self), bind_and_activate=False
        )
        # A listen backlog of 5 (the default) refuses connections when a client opens dozens
        # at once; servers in use keep far more.
        self._httpd.request_queue_size = 256
        self._httpd.server_bind()
        self._httpd.server_activate()
        # A test must not wait for a handler thread still sleeping on a scripted delay.
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        # A short poll interval: stop() returns within one poll.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        """The base URL to give the OpenAI client (ends in /v1)."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def script(self, *replies: Reply) -> FakeOpenAIServer:
        """Queue replies, answered in order."""
        with self._lock:
            self._script.extend(replies)
        return self

    @property
    def pending(self) -> int:
        """Scripted replies not yet used."""
        with self._lock:
            return len(self._script)

    def chat_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == "/v1/chat/completions"]

    def start(self) -> FakeOpenAIServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _next_reply(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            if self._script:
                return self._script.popleft()
        if self.responder is not None:
            return self.responder(body)
        return error_reply(500, "the fake server's script is empty", error_type="server_error")

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)


def _handler_for(server: FakeOpenAIServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in separate writes: without TCP_NODELAY, Nagle and the
        # client's delayed ACK add some 40 ms to every answer on keep-alive connections.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass  # keep test output clean

        def _body(self) -> dict[str, Any] | None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            return json.loads(raw) if raw else None

        def _record(self, body: dict[str, Any] | None) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            server._record(RecordedRequest(self.command, self.path, headers, body))

        def _send(self, reply: Reply) -> None:
            payload = json.dumps(reply.body or {}).encode("utf-8")
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test): nothing to answer

        def do_GET(self) -> None:  # noqa: N802
            self._record(None)
            if self.path.rstrip("/") == "/v1/models":
                data = [{"id": m, "object": "model", "owned_by": "fake"} for m in server.models]
                self._send(Reply(body={"object": "list", "data": data}))
            else:
                self._send(error_reply(404, f"no route {self.path}"))

        def do_POST(self) -> None:  # noqa: N802
            body = self._body()
            self._record(body)
            if self.path != "/v1/chat/completions":
                self._send(error_reply(404, f"no route {self.path}"))
                return
            reply = server._next_reply(body or {})
            with server._lock:
                server.in_flight += 1
                server.most_in_flight = max(server.most_in_flight, server.in_flight)
            try:
                wait = server.latency + reply.delay
                if wait:
                    time.sleep(wait)
            finally:
                with server._lock:
                    server.in_flight -= 1
            self._send(reply)

    return Handler


def free_port() -> int:
    """A loopback port nothing listens on (for "the server is down" tests)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
