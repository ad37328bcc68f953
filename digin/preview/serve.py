"""The preview's HTTP server (standard library, one thread per connection).

It serves only what it holds: the rendered pages (by their exact URL), the PDFs of the
editions (/pdf/<path in out/>), and the files of styles/ that a browser needs (by a
plain name, read through assets.py's confinement). A URL is decoded once and looked up,
never joined to a folder: `..`, `%2e%2e`, an absolute path or a symbolic link reaches
nothing else (404). Bound to 127.0.0.1 by default; bound to a loopback address it also
refuses a request for another host name (a web page that rebinds its own name to
127.0.0.1 cannot read the preview). Open pages listen at /events (server-sent events).
"""
from __future__ import annotations

import hashlib
import ipaddress
import json
import queue
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

from . import screen
from ..assets import FileRefused, read_styles_file
from .background import PdfBuilder
from ..errors import ContentError
from . import Preview, writer_html

LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
STYLE_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
               ".svg": "image/svg+xml", ".png": "image/png", ".ttf": "font/ttf", ".woff2": "font/woff2"}
STYLE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_][A-Za-z0-9_.-]*)*")
SECURITY = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}
PAGE_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
               "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
PDF_WAIT = 300         # seconds a /pdf/ request waits for its build
KEEPALIVE = 10         # seconds between comments on an idle event stream (a closed tab is noticed)
_STOP = object()


class Client:
    def __init__(self, page: str):
        self.page = page
        self.events: queue.Queue = queue.Queue()


class Hub:
    """The open pages' event streams: `publish` sends an event to the pages it names."""

    def __init__(self):
        self.lock = threading.Lock()
        self.clients: set[Client] = set()
        self.closed = False

    def subscribe(self, page: str) -> Client:
        client = Client(page)
        with self.lock:
            self.clients.add(client)
            if self.closed:
                client.events.put(_STOP)
        return client

    def unsubscribe(self, client: Client) -> None:
        with self.lock:
            self.clients.discard(client)

    def watched(self) -> set[str]:
        with self.lock:
            return {client.page for client in self.clients}

    def publish(self, event: str, data: dict, pages: set[str] | None = None) -> None:
        """Send `event` to the pages named (None: every page)."""
        with self.lock:
            for client in self.clients:
                if pages is None or client.page in pages:
                    client.events.put((event, data))

    def close(self) -> None:
        with self.lock:
            self.closed = True
            for client in self.clients:
                client.events.put(_STOP)


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, address, preview: Preview, hub: Hub, pdfs: PdfBuilder):
        self.preview, self.hub, self.pdfs = preview, hub, pdfs
        self.loopback = _is_loopback(address[0])
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def make_server(preview: Preview, hub: Hub, pdfs: PdfBuilder, host: str, port: int) -> PreviewServer:
    return PreviewServer((host, port), preview, hub, pdfs)


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"
    server_version = "digin-preview"
    sys_version = ""

    def log_message(self, format, *args) -> None:   # noqa: A002 - the base class's name
        pass   # one line per request would bury the preview's own messages

    def do_GET(self) -> None:
        self._route(send_body=True)

    def do_HEAD(self) -> None:
        self._route(send_body=False)

    def _route(self, send_body: bool) -> None:
        if self.server.loopback and _host_name(self.headers.get("Host", "")) not in LOOPBACK_NAMES:
            return self._message(403, "Forbidden", "The preview answers requests for localhost only.", send_body)
        if not self.path.startswith("/"):
            return self._not_found(send_body)
        parts = urlsplit(self.path)
        path, query = unquote(parts.path), parse_qs(parts.query)
        preview = self.server.preview
        if path == "/":
            return self._send(200, screen.index_page(preview, self._pdf_states()), "text/html; charset=utf-8",
                              send_body)
        if path == "/events":
            return self._events(query.get("page", ["/"])[0])
        if path == "/status":
            return self._send(200, json.dumps(self._status()).encode(), "application/json", send_body)
        if path == "/where":
            return self._where(query.get("q", [""])[0].strip(), send_body)
        if path.startswith("/pdf/"):
            return self._pdf(path[len("/pdf/"):], send_body)
        if path.startswith("/styles/"):
            return self._style(path[len("/styles/"):], send_body)
        page = preview.pages.get(path)
        if page is None:
            return self._not_found(send_body)
        translator = query.get("translator", [""])[0] == "1"
        state = self.server.pdfs.state(page.pdf) if page.pdf else ""
        html = screen.edition_page(preview, page, translator=translator, pdf_state=state)
        self._send(200, html, "text/html; charset=utf-8", send_body)

    # --- Responses -------------------------------------------------------------------

    def _send(self, status: int, data: bytes, content_type: str, send_body: bool, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if status != 304:
            self.send_header("Content-Length", str(len(data)))
        for name, value in {**SECURITY, **(headers or {"Content-Security-Policy": PAGE_POLICY})}.items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(data)

    def _message(self, status: int, title: str, text: str, send_body: bool) -> None:
        page = screen.message_page(title, text, self.server.preview.problem_lines())
        self._send(status, page, "text/html; charset=utf-8", send_body)

    def _not_found(self, send_body: bool) -> None:
        self._message(404, "Not found", "The preview has no such page.", send_body)

    def _style(self, name: str, send_body: bool) -> None:
        suffix = "." + name.rsplit(".", 1)[-1] if "." in name else ""
        if not STYLE_NAME.fullmatch(name) or suffix not in STYLE_TYPES:
            return self._not_found(send_body)
        try:
            data = read_styles_file(self.server.preview.project, name)
        except FileRefused:
            return self._not_found(send_body)
        # Revalidated, not refetched: a reload does not download the fonts again.
        tag = f'"{hashlib.sha256(data).hexdigest()[:32]}"'
        headers = {"Cache-Control": "no-cache", "ETag": tag}
        if self.headers.get("If-None-Match") == tag:
            return self._send(304, b"", STYLE_TYPES[suffix], False, headers)
        self._send(200, data, STYLE_TYPES[suffix], send_body, headers)

    def _pdf(self, path: str, send_body: bool) -> None:
        preview, pdfs = self.server.preview, self.server.pdfs
        page = next((page for page in preview.pages.values() if page.pdf == path), None)
        if page is None:
            return self._not_found(send_body)
        pdfs.want(path, writer_html(page.html), preview.source_date_epoch())
        pdf = pdfs.get(path, PDF_WAIT)
        if pdf is None:
            return self._message(503, "Still building", "The PDF is not ready yet: reload in a moment.", send_body)
        if pdf.data is None:
            return self._message(500, "PDF failed", f"The PDF could not be made: {pdf.error}", send_body)
        name = path.rsplit("/", 1)[-1]
        self._send(200, pdf.data, "application/pdf", send_body,
                   {"Content-Disposition": f'inline; filename="{name}"'})

    def _where(self, query: str, send_body: bool) -> None:
        from .where import find

        preview, matches, error = self.server.preview, None, None
        if query:
            fresh = {path: pdf.data for path, pdf in self.server.pdfs.built.copy().items() if pdf.data}
            try:
                matches = find(preview.project, preview.project.root / "out", query, preview.langs(), fresh)
            except ContentError as problem:
                error = [str(item) for item in problem.problems]
        self._send(200, screen.where_page(preview.project, query, matches, error), "text/html; charset=utf-8",
                   send_body)

    def _pdf_states(self) -> dict[str, str]:
        pdfs = self.server.pdfs
        return {page.pdf: pdfs.state(page.pdf) for page in self.server.preview.pages.values() if page.pdf}

    def _status(self) -> dict:
        """For scripts (the benchmark, the tests): what is rendered, built and wrong."""
        pdfs = self.server.pdfs
        built = pdfs.built.copy()
        return {"pages": {url: {"lang": page.lang, "title": page.title, "pdf": page.pdf}
                          for url, page in self.server.preview.pages.items()},
                "problems": self.server.preview.problem_lines(),
                "pdfs": {path: {"state": pdfs.state(path), "seconds": pdf.seconds, "pages": pdf.pages,
                                "error": pdf.error} for path, pdf in built.items()}}

    def _events(self, page: str) -> None:
        """A server-sent event stream until the tab closes or the preview stops."""
        preview, pdfs, hub = self.server.preview, self.server.pdfs, self.server.hub
        client = hub.subscribe(page)
        watched = preview.pages.get(page)
        if watched is not None and watched.pdf:     # an open page's PDF is kept built
            pdfs.want(watched.pdf, writer_html(watched.html), preview.source_date_epoch(), keep=False)
        self.close_connection = True
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Connection", "close")
            for name, value in SECURITY.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(b"retry: 1000\n\n")
            self.wfile.flush()
            while True:
                try:
                    item = client.events.get(timeout=KEEPALIVE)
                except queue.Empty:
                    item = None
                if item is _STOP:
                    break
                if item is None:
                    self.wfile.write(b": keepalive\n\n")
                else:
                    event, data = item
                    self.wfile.write(f"event: {event}\ndata: {json.dumps(data)}\n\n".encode())
                self.wfile.flush()
        except OSError:   # the tab was closed
            pass
        finally:
            hub.unsubscribe(client)


def _host_name(host: str) -> str:
    try:
        return (urlsplit("//" + host).hostname or "").lower()
    except ValueError:
        return ""
