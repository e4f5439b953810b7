"""A real HTTP server on loopback that speaks OpenAI chat completions from a script.

No model is involved: every answer is written by the test. The server listens on
127.0.0.1 on a free port, in a thread, and

- answers POST /v1/chat/completions with the next scripted `Reply` (a tool call, JSON
  content, md_json content, raw content, or an HTTP error with headers), after the reply's
  delay and the server's `latency`;
- when the script is empty, asks `responder(body)` for a reply if one is set (so a benchmark
  can answer any number of requests, e.g. echoing claims), else answers 500;
- answers POST /v1/embeddings with scripted vectors: `vectors[text]`, else
  `vector_for(text)` when set, else HTTP 400 naming the text. The vectors are written by
  the test (`vectors`, `vector_for`), never a model's: they say which texts are near, nothing more;
- answers GET /v1/models with `models`;
- records every request (method, path, headers, body) in `requests`;
- speaks the Batch API: POST /v1/files (multipart upload), GET /v1/files/{id}/content,
  POST /v1/batches, GET /v1/batches/{id}, POST /v1/batches/{id}/cancel. A batch is answered
  by `batch_plan` (a `BatchPlan`: the final status, how many polls before it, which requests
  fail, come back malformed or are left unanswered), each request by `responder`.

`run_batch(lines, responder)` answers a request file offline, as `vllm run-batch` does.

Build replies with `tool_reply`, `json_reply`, `md_json_reply`, `content_reply`,
`error_reply`; `echo_claims(claims)` is a responder that answers any request with the claims
whose quote is in the request's text.
"""

from __future__ import annotations

import email.parser
import email.policy
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


# --- The Batch API ----------------------------------------------------------------------------


@dataclass
class BatchPlan:
    """How the server plays a batch: `polls` retrieves before it ends with `status`
    (completed, expired, failed or cancelled); requests whose custom_id is in `errors` are
    answered in the error file, those in `malformed` with a broken line, and only the first
    `answered` requests (None: all) are answered at all (an expired batch)."""

    status: str = "completed"
    polls: int = 0
    errors: frozenset[str] = frozenset()
    malformed: frozenset[str] = frozenset()
    answered: int | None = None
    failure: str = "the input file is not valid"  # why a batch of status "failed" failed


def batch_line(custom_id: str, reply: Reply, number: int) -> dict[str, Any]:
    """One line of an output (status 200) or error file, in OpenAI's shape."""
    return {
        "id": f"batch_req_{number}",
        "custom_id": custom_id,
        "response": {
            "status_code": reply.status,
            "request_id": f"req_{number}",
            "body": reply.body,
        },
        "error": None,
    }


def run_batch(
    lines: list[str] | list[dict[str, Any]], responder: Callable[[dict[str, Any]], Reply]
) -> list[str]:
    """Answer a batch request file line by line, as `vllm run-batch` does offline."""
    out = []
    for number, line in enumerate(lines, start=1):
        request = json.loads(line) if isinstance(line, str) else line
        reply = responder(request["body"])
        out.append(json.dumps(batch_line(request["custom_id"], reply, number)))
    return out


@dataclass
class _Batch:
    id: str
    input_file_id: str
    requests: list[dict[str, Any]]
    plan: BatchPlan
    metadata: dict[str, Any]
    polls: int = 0
    status: str = "in_progress"
    output_file_id: str | None = None
    error_file_id: str | None = None
    completed: int = 0
    failed: int = 0

    def as_json(self) -> dict[str, Any]:
        errors = None
        if self.status == "failed":
            errors = {"object": "list", "data": [{"code": "invalid", "message": self.plan.failure}]}
        return {
            "id": self.id,
            "object": "batch",
            "endpoint": "/v1/chat/completions",
            "errors": errors,
            "input_file_id": self.input_file_id,
            "completion_window": "24h",
            "status": self.status,
            "output_file_id": self.output_file_id,
            "error_file_id": self.error_file_id,
            "created_at": 1712102400,
            "request_counts": {
                "total": len(self.requests),
                "completed": self.completed,
                "failed": self.failed,
            },
            "metadata": self.metadata,
        }


class FakeOpenAIServer:
    """The scripted server. Use as a context manager or call start()/stop()."""

    def __init__(self, *, latency: float = 0.0, models: tuple[str, ...] = ("scripted-model",)):
        self.latency = latency
        self.models = models
        self.responder: Callable[[dict[str, Any]], Reply] | None = None
        self.requests: list[RecordedRequest] = []
        self.batch_plan = BatchPlan()
        self.files: dict[str, tuple[str, bytes]] = {}  # id: (file name, content)
        self.batches: dict[str, _Batch] = {}
        # /v1/embeddings: scripted vectors by text, or a function of the text.
        self.vectors: dict[str, list[float]] = {}
        self.vector_for: Callable[[str], list[float] | None] | None = None
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

    def embedding_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == "/v1/embeddings"]

    def embeddings(self, body: dict[str, Any]) -> Reply:
        """The scripted vectors of a /v1/embeddings request (input: a text or a list)."""
        texts = body.get("input")
        texts = [texts] if isinstance(texts, str) else list(texts or [])
        data = []
        for index, text in enumerate(texts):
            vector = self.vectors.get(text)
            if vector is None and self.vector_for is not None:
                vector = self.vector_for(text)
            if vector is None:
                return error_reply(400, f"no scripted vector for the text {text!r}")
            data.append({"object": "embedding", "index": index, "embedding": vector})
        tokens = sum(len(str(t).split()) for t in texts)
        return Reply(
            body={
                "object": "list",
                "data": data,
                "model": body.get("model", "scripted-embeddings"),
                "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
            }
        )

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

    # -- the Batch API --

    def add_file(self, name: str, content: bytes) -> str:
        with self._lock:
            file_id = f"file-{next(_ids)}"
            self.files[file_id] = (name, content)
        return file_id

    def create_batch(self, body: dict[str, Any]) -> Reply:
        file_id = str(body.get("input_file_id"))
        if file_id not in self.files:
            return error_reply(404, f"no file {file_id}")
        lines = self.files[file_id][1].decode("utf-8").splitlines()
        requests = [json.loads(line) for line in lines if line.strip()]
        batch = _Batch(
            f"batch_{next(_ids)}", file_id, requests, self.batch_plan, body.get("metadata") or {}
        )
        with self._lock:
            self.batches[batch.id] = batch
        if batch.plan.polls <= 0:
            self._finish(batch)
        return Reply(body=batch.as_json())

    def retrieve_batch(self, batch_id: str) -> Reply:
        batch = self.batches.get(batch_id)
        if batch is None:
            return error_reply(404, f"no batch {batch_id}")
        if batch.status == "in_progress":
            batch.polls += 1
            if batch.polls >= batch.plan.polls:
                self._finish(batch)
        return Reply(body=batch.as_json())

    def cancel_batch(self, batch_id: str) -> Reply:
        batch = self.batches.get(batch_id)
        if batch is None:
            return error_reply(404, f"no batch {batch_id}")
        if batch.status == "in_progress":
            batch.status = "cancelled"
        return Reply(body=batch.as_json())

    def _finish(self, batch: _Batch) -> None:
        """Answer the batch's requests as its plan says, into output and error files."""
        plan = batch.plan
        if plan.status == "failed":
            batch.status = "failed"
            return
        output: list[str] = []
        errors: list[str] = []
        answered = batch.requests if plan.answered is None else batch.requests[: plan.answered]
        for number, request in enumerate(answered, start=1):
            custom_id = request["custom_id"]
            if custom_id in plan.errors:
                failure = error_reply(
                    500, "the model failed on this request", error_type="server_error"
                )
                errors.append(json.dumps(batch_line(custom_id, failure, number)))
                batch.failed += 1
                continue
            reply = self._next_reply(request["body"])
            if custom_id in plan.malformed:
                output.append('{"custom_id": "' + custom_id + '", "response": {"status_c')
            elif reply.status != 200:
                errors.append(json.dumps(batch_line(custom_id, reply, number)))
                batch.failed += 1
                continue
            else:
                output.append(json.dumps(batch_line(custom_id, reply, number)))
            batch.completed += 1
        if output:
            batch.output_file_id = self.add_file("output.jsonl", "\n".join(output).encode() + b"\n")
        if errors:
            batch.error_file_id = self.add_file("errors.jsonl", "\n".join(errors).encode() + b"\n")
        batch.status = plan.status

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

        def _raw(self) -> bytes:
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def _body(self) -> dict[str, Any] | None:
            raw = self._raw()
            return json.loads(raw) if raw else None

        def _upload(self) -> Reply:
            """POST /v1/files: a multipart form with `purpose` and `file`."""
            head = f"Content-Type: {self.headers.get('Content-Type')}\r\n\r\n".encode()
            form = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + self._raw())
            fields: dict[str, tuple[str | None, bytes]] = {}
            for part in form.iter_parts():
                name = part.get_param("name", header="content-disposition")
                payload = part.get_payload(decode=True)
                fields[str(name)] = (
                    part.get_filename(),
                    payload if isinstance(payload, bytes) else b"",
                )
            self._record({"purpose": fields.get("purpose", (None, b""))[1].decode()})
            if "file" not in fields:
                return error_reply(400, "no file in the upload")
            name, content = fields["file"]
            file_id = server.add_file(name or "upload.jsonl", content)
            return Reply(
                body={
                    "id": file_id,
                    "object": "file",
                    "bytes": len(content),
                    "created_at": 1712102400,
                    "filename": name or "upload.jsonl",
                    "purpose": "batch",
                    "status": "processed",
                }
            )

        def _send_bytes(self, content: bytes) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

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
            path = self.path.split("?")[0].rstrip("/")
            parts = path.split("/")
            if path == "/v1/models":
                data = [{"id": m, "object": "model", "owned_by": "fake"} for m in server.models]
                self._send(Reply(body={"object": "list", "data": data}))
            elif len(parts) == 5 and parts[2] == "files" and parts[4] == "content":
                found = server.files.get(parts[3])
                if found is None:
                    self._send(error_reply(404, f"no file {parts[3]}"))
                else:
                    self._send_bytes(found[1])
            elif len(parts) == 4 and parts[2] == "batches":
                self._send(server.retrieve_batch(parts[3]))
            else:
                self._send(error_reply(404, f"no route {self.path}"))

        def do_POST(self) -> None:  # noqa: N802
            path = self.path.split("?")[0].rstrip("/")
            if path == "/v1/files":
                self._send(self._upload())
                return
            body = self._body()
            self._record(body)
            parts = path.split("/")
            if path == "/v1/batches":
                self._send(server.create_batch(body or {}))
                return
            if len(parts) == 5 and parts[2] == "batches" and parts[4] == "cancel":
                self._send(server.cancel_batch(parts[3]))
                return
            if path == "/v1/embeddings":
                self._send(server.embeddings(body or {}))
                return
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
