"""A small OpenAI-compatible chat server on 127.0.0.1 that serves the embedded GGUF model.

W9 uses it to give DSPy the very model synalinks trains with, as a generic
OpenAI-compatible endpoint. It answers `POST /v1/chat/completions` (one
request at a time, like the embedded model in process) and `GET /stats`
(the number of completions served so far, so each side's LM calls can be
counted).

Example:

```python
server = OpenAICompatibleServer("smollm2")
server.start()
print(server.api_base)  # http://127.0.0.1:<port>/v1
server.stop()
```
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class OpenAICompatibleServer:
    """Serves `local/<model_name>` over HTTP on a free port of 127.0.0.1.

    Args:
        model_name: An embedded model name (`smollm2`) or a `.gguf` path.
    """

    def __init__(self, model_name="smollm2"):
        from synalinks.language_models.embedded_llama import EmbeddedLlama

        self.llama = EmbeddedLlama.get(model_name)
        self.completions = 0
        self.errors = []  # (error, request summary) of the requests that failed, the latest last
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def api_base(self):
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._httpd.shutdown()
        self._httpd.server_close()

    def complete(self, request):
        """One chat completion for an OpenAI-style request body."""
        schema = None
        response_format = request.get("response_format") or {}
        if response_format.get("type") == "json_schema":
            schema = (response_format.get("json_schema") or {}).get("schema")
        elif response_format.get("type") == "json_object":
            schema = {"type": "object"}
        messages = [{"role": m["role"], "content": _text(m.get("content"))} for m in request["messages"]]
        reply = self.llama.chat(
            messages,
            schema,
            temperature=float(request.get("temperature") or 0.0),
            max_tokens=int(request.get("max_tokens") or request.get("max_completion_tokens") or 512),
        )
        self.completions += 1
        reply = dict(reply)
        reply["model"] = request.get("model", "smollm2")
        return reply

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _send(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path.rstrip("/").endswith("/stats"):
                    self._send(200, {"completions": server.completions, "errors": server.errors[-5:]})
                elif self.path.rstrip("/").endswith("/models"):
                    self._send(200, {"object": "list", "data": [{"id": "smollm2", "object": "model"}]})
                else:
                    self._send(404, {"error": {"message": f"no route {self.path}"}})

            def do_POST(self):
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send(404, {"error": {"message": f"no route {self.path}"}})
                    return
                try:
                    length = int(self.headers.get("Content-Length") or 0)
                    request = json.loads(self.rfile.read(length) or b"{}")
                    self._send(200, server.complete(request))
                except Exception as error:  # the client sees why, as an OpenAI-style error
                    message = f"{type(error).__name__}: {error}"
                    server.errors.append(message[:500])
                    self._send(500, {"error": {"message": message, "type": "server_error"}})

        return Handler


def _text(content):
    """Message content as text: OpenAI's list-of-parts form joined."""
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return content or ""
