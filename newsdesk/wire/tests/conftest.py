import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class WireServer:
    """A tiny HTTP server on 127.0.0.1: path -> (status, headers, body)."""

    def __init__(self):
        self.routes: dict[str, tuple[int, dict, bytes]] = {}
        routes = self.routes

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                status, headers, body = routes.get(self.path, (404, {}, b"not here"))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def serve(self, path: str, body: bytes, *, status: int = 200, **headers) -> str:
        self.routes[path] = (status, headers, body)
        return self.url(path)


@pytest.fixture
def wire_server():
    server = WireServer()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()
