"""A tiny OpenAI-compatible chat server on 127.0.0.1, for end-to-end tests through litellm."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class StubOpenAIServer:
    """Answers `POST /v1/chat/completions` with `reply(request_body) -> dict`.

    The dict is the reply's JSON content, or, as `{"message": {...}}`, the
    whole assistant message (tool calls and all). A request with
    `"stream": true` is answered the way providers stream: server-sent events,
    one `chat.completion.chunk` per piece of the content (split by `chunks`
    characters), a usage chunk when `stream_options.include_usage` asks for
    it (11 prompt tokens, one completion token per piece), then `data: [DONE]`.

    `statuses` is a list of HTTP statuses to answer first (e.g. `[429]`), each
    with a `Retry-After` of `retry_after` seconds, before normal replies.
    """

    def __init__(self, reply, statuses=(), retry_after="1", chunks=4):
        self.reply = reply
        self.chunks = chunks
        self.statuses = list(statuses)
        self.retry_after = retry_after
        self.requests = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):  # noqa: N802 (http.server's name)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append(body)
                if server.statuses:
                    status = server.statuses.pop(0)
                    payload = json.dumps({"error": {"message": f"status {status}", "type": "test"}}).encode()
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Retry-After", server.retry_after)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                reply = server.reply(body)
                if "message" in reply:
                    message = {"role": "assistant", **reply["message"]}
                else:
                    message = {"role": "assistant", "content": reply if isinstance(reply, str) else json.dumps(reply)}
                if body.get("stream"):
                    self._stream(body, message.get("content") or "")
                    return
                payload = json.dumps(
                    {
                        "id": "chatcmpl-test",
                        "object": "chat.completion",
                        "created": 0,
                        "model": body["model"],
                        "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
                        "usage": {"prompt_tokens": 11, "completion_tokens": 5, "total_tokens": 16},
                    }
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def _stream(self, body, content):
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                pieces = [content[i : i + server.chunks] for i in range(0, len(content), server.chunks)]
                for piece in pieces + [None]:
                    delta = {"role": "assistant", "content": piece} if piece is not None else {}
                    chunk = {
                        "id": "chatcmpl-test",
                        "object": "chat.completion.chunk",
                        "created": 0,
                        "model": body["model"],
                        "choices": [
                            {"index": 0, "delta": delta, "finish_reason": None if piece is not None else "stop"}
                        ],
                    }
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                    self.wfile.flush()
                if (body.get("stream_options") or {}).get("include_usage"):  # as OpenAI: a last chunk, no choices
                    usage = {"prompt_tokens": 11, "completion_tokens": len(pieces), "total_tokens": 11 + len(pieces)}
                    chunk = {"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": 0}
                    chunk.update({"model": body["model"], "choices": [], "usage": usage})
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/v1"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._server.shutdown()
        self._server.server_close()
