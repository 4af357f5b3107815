"""A local web server for the link checker, and CKAN background workers.

The server listens on 127.0.0.1 and counts every request it receives, so a
test can prove that a refused address was never connected to.
"""
from __future__ import annotations

import http.server
import os
import pathlib
import re
import subprocess
import sys
import threading
import time
from typing import Any, Callable, Iterator

import pytest
import sqlalchemy as sa
from ckan.lib import jobs as ckan_jobs
from ckan import model

# The local server may be fetched, as often as the tests ask (the rate limit
# has tests of its own).
LOCAL_SERVER = [pytest.mark.ckan_config("odconf.links.allowed_hosts", "127.0.0.1"),
                pytest.mark.ckan_config("odconf.links.per_host_rate", "0")]
# the `ckan` of the environment running the tests
VENV_BIN = pathlib.Path(sys.executable).parent
# How long /slow keeps the client waiting; tests use a 1 s timeout.
SLOW_SECONDS = 4.0


class Handler(http.server.BaseHTTPRequestHandler):
    """Answers by path: /ok, /moved, /found, /missing, /error, /no-head,
    /slow, /endless, /drip-body, /drip-headers, /redirect?to=URL, /loop."""

    protocol_version = "HTTP/1.1"
    server: "LinkServer"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _record(self) -> str:
        with self.server.lock:
            self.server.requests.append((time.monotonic(), self.command, self.path,
                                         dict(self.headers)))
        return self.path.split("?", 1)[0]

    def _answer(self, status: int, headers: dict[str, str], body: bytes = b"") -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self) -> None:
        self._route()

    def do_GET(self) -> None:
        self._route()

    def _route(self) -> None:
        path = self._record()
        page = b"<html><body>" + b"x" * 2000 + b"</body></html>"
        if path == "/ok":
            self._answer(200, {"Content-Type": "text/html; charset=utf-8"}, page)
        elif path == "/moved":
            self._answer(301, {"Location": "/ok"})
        elif path == "/found":
            self._answer(302, {"Location": "/ok"})
        elif path == "/missing":
            self._answer(404, {"Content-Type": "text/plain"}, b"not found")
        elif path == "/error":
            self._answer(500, {"Content-Type": "text/plain"}, b"boom")
        elif path == "/loop":
            self._answer(302, {"Location": "/loop"})
        elif path == "/redirect":
            target = self.path.split("?to=", 1)[1]
            self._answer(302, {"Location": target})
        elif path == "/no-head" and self.command == "HEAD":
            self._answer(405, {"Allow": "GET"})
        elif path == "/no-head":
            # a PDF without a Content-Type: the checker sniffs it
            document = b"%PDF-1.4\n" + b"0" * 5000
            self.send_response(206)
            self.send_header("Content-Range", f"bytes 0-1023/{len(document)}")
            self.send_header("Content-Length", "1024")
            self.end_headers()
            self.wfile.write(document[:1024])
        elif path == "/slow":
            time.sleep(SLOW_SECONDS)
            self._answer(200, {"Content-Type": "text/html"}, page)
        elif path == "/endless" and self.command == "HEAD":
            self._answer(405, {"Allow": "GET"})
        elif path == "/endless":
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.end_headers()
            self._write_forever(b"y" * 65536, pause=0)
        elif path == "/drip-body" and self.command == "HEAD":
            self._answer(405, {"Allow": "GET"})
        elif path == "/drip-body":
            # no Content-Type: the checker would read the first bytes to sniff it
            self.send_response(200)
            self.end_headers()
            self._write_forever(b"z", pause=0.2)
        elif path == "/drip-headers":
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            self._write_forever(b"X-Drip: y\r\n", pause=0.2)
        else:
            self._answer(404, {})

    def _write_forever(self, chunk: bytes, pause: float) -> None:
        deadline = time.monotonic() + 30  # the server's own bound
        try:
            while time.monotonic() < deadline:
                self.wfile.write(chunk)
                self.wfile.flush()
                time.sleep(pause)
        except OSError:
            pass  # the checker hung up, as it should
        self.close_connection = True


class LinkServer(http.server.ThreadingHTTPServer):
    """The server, with the requests it has received."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.lock = threading.Lock()
        self.requests: list[tuple[float, str, str, dict[str, str]]] = []

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def count(self, path: str = "") -> int:
        """Requests received (whose path starts with ``path``)."""
        with self.lock:
            return sum(1 for request in self.requests if request[2].startswith(path))


@pytest.fixture
def link_server() -> Iterator[LinkServer]:
    server = LinkServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def clean_links(clean_db: Any) -> None:
    """Empty link tables (they live in their own schema, which CKAN's clean_db
    leaves alone) and an empty job queue (Redis survives between runs)."""
    model.Session.execute(sa.text("TRUNCATE odconf_links.link, odconf_links.link_check"))
    model.Session.commit()
    ckan_jobs.get_queue().empty()


@pytest.fixture
def worker_ini(ckan_config: Any, tmp_path: pathlib.Path) -> Callable[..., str]:
    """A copy of the test configuration with link checking options, for
    commands run as subprocesses (``ckan jobs worker``, ``ckan odconf``)."""

    def write(options: dict[str, str]) -> str:
        text = pathlib.Path(ckan_config["__file__"]).read_text(encoding="utf-8")
        text = re.sub(r"%\(here\)s", str(pathlib.Path(ckan_config["__file__"]).parent), text)
        lines = "".join(f"{key} = {value}\n" for key, value in options.items())
        path = tmp_path / "links.ini"
        path.write_text(text.replace("[app:main]\n", "[app:main]\n" + lines, 1), encoding="utf-8")
        return str(path)

    return write


def run_ckan(ini: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run a ``ckan`` command with ``ini``; its output and exit code."""
    return subprocess.run([str(VENV_BIN / "ckan"), "-c", ini, *args], capture_output=True,
                          text=True, timeout=timeout, env=dict(os.environ))


def start_ckan(ini: str, *args: str) -> subprocess.Popen[str]:
    """Start a ``ckan`` command with ``ini`` in the background."""
    return subprocess.Popen([str(VENV_BIN / "ckan"), "-c", ini, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def run_queued_jobs() -> int:
    """Run the queued jobs in this process (as a worker would); how many ran."""
    jobs = ckan_jobs.get_queue().jobs
    for job in jobs:
        job.perform()
        job.delete()
    return len(jobs)


def reference_data(owner_org: str, name: str, url: str, resource_urls: list[str],
                   **overrides: Any) -> dict[str, Any]:
    """A public reference entry with a landing page and documents."""
    data: dict[str, Any] = {
        "type": "reference",
        "name": name,
        "title_translated": {"en": f"Publication {name}", "km": "ឯកសារ"},
        "document_kind": "study",
        "owner_org": owner_org,
        "url": url,
        "resources": [{"url": resource_url, "name": f"Document {number}"}
                      for number, resource_url in enumerate(resource_urls, 1)],
    }
    data.update(overrides)
    return data
