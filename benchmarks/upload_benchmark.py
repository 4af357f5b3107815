"""Upload benchmark: a large hackathon output sent through the action API, and the web worker's memory.

Builds a site of its own beside ``--ckan-ini`` (a database derived from that
configuration's, created and dropped; see ``tests/sites.py``) with the
hackathon's submission window open and the upload limits
(``odconf.hackathon.upload_max_size`` and CKAN's ``ckan.max_resource_size``,
both in megabytes) raised to let the file in. It loads the NODC 2024
programme, creates a user with an API token, and that user's
hackathon-project entry (so the user is its team), and serves the site with
gunicorn, the demo's settings but ONE worker process. Then:

- it writes a file of ``--size-mb`` megabytes (MiB, as the extension's limit
  counts them) of pseudo-random bytes in a temporary directory, one chunk at
  a time;
- it uploads the file ``--runs`` times as a new output of the project
  (``resource_create``, multipart/form-data over HTTP, with the user's token),
  streaming the body from disk with a known Content-Length (the client never
  holds the file either); a small upload first warms the worker up
  (modules CKAN imports on the first upload), and is not counted;
- for each upload: the wall time from the request to the answer, the rate,
  and the worker's peak resident memory growth: its high-water mark
  (``VmHWM`` in ``/proc/<pid>/status``) reset before the upload by writing 5
  to ``/proc/<pid>/clear_refs``, minus its ``VmRSS`` then (where the reset is
  refused, ``VmRSS`` sampled every 10 ms instead);
- it checks that each upload landed: the resource's ``size`` is the file's,
  and the file in ``ckan.storage_path`` has the same SHA-256 (then removes it).

Usage (from the repository root, with the project's venv; PostgreSQL and
Redis running, as ``make test-env`` leaves them)::

    .venv/bin/python benchmarks/upload_benchmark.py --ckan-ini test.ini --size-mb 200 --runs 3

It prints its figures and whether the target is met; it asserts nothing but
the uploads' integrity. Target (issue 12): the worker's peak memory growth
stays under 50 MB for a 200 MB file, i.e. the upload is streamed, never held
in memory whole.
"""
from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import pathlib
import random
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from typing import Any, Iterator, Optional, Sequence

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import sites  # noqa: E402  (the test's site helpers)

PROGRAMME = ROOT / "ckanext" / "odconf" / "programmes" / "nodc-2024.yaml"
USER = "upload-benchmark"
PASSWORD = "upload-benchmark-password"
PROJECT = "upload-benchmark-project"
#: A format the hackathon accepts by default (``odconf.hackathon.upload_formats``).
FILE_NAME = "benchmark-output.zip"
MEGABYTE = 1024 * 1024
CHUNK = MEGABYTE
WARM_UP_MB = 1
TARGET_MB = 50
SAMPLE_SECONDS = 0.01
#: The window open whatever the date (the programme's is in 2024).
OPEN_WINDOW = {"odconf.hackathon.submission_opens": "2000-01-01T00:00:00+07:00",
               "odconf.hackathon.submission_closes": "2100-01-01T00:00:00+07:00"}


def project() -> dict[str, Any]:
    """A hackathon project of NODC 2024 with the fields its schema requires."""
    return {
        "type": "hackathon-project", "name": PROJECT, "conference": "nodc-2024",
        "challenge_theme": "education", "team_name": "Benchmark team",
        "title_translated": {"en": "Upload benchmark", "km": "ការវាស់ល្បឿនផ្ទុកឡើង"},
        "tagline": {"en": "Large outputs", "km": "លទ្ធផលធំ"},
        "problem": "Outputs are large.", "solution": "Stream them.",
        "license_id": "cc-by", "code_license": "MIT",
    }


def write_file(path: pathlib.Path, size: int) -> str:
    """Write ``size`` pseudo-random bytes to ``path``, a chunk at a time; their SHA-256."""
    digest, chunks = hashlib.sha256(), random.Random(12)
    with open(path, "wb") as output:
        left = size
        while left:
            chunk = chunks.randbytes(min(CHUNK, left))
            output.write(chunk)
            digest.update(chunk)
            left -= len(chunk)
    return digest.hexdigest()


def file_sha256(path: pathlib.Path) -> str:
    """The SHA-256 of a file, read a chunk at a time."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def stored_path(storage: pathlib.Path, resource_id: str) -> pathlib.Path:
    """Where CKAN's uploader keeps a resource's file (``ResourceUpload.get_path``)."""
    return storage / "resources" / resource_id[:3] / resource_id[3:6] / resource_id[6:]


def api(url: str, action: str, token: str, **data: Any) -> Any:
    """The ``result`` of an action called with a JSON body and an API token."""
    return sites.call_action(url, action, token, timeout=120, **data)


def multipart(fields: dict[str, str], path: pathlib.Path) -> tuple[str, int, Iterator[bytes]]:
    """A multipart/form-data body of ``fields`` and the file ``path`` as ``upload``:
    its content type, its length, and its bytes, the file's read from disk as they
    are sent."""
    boundary = uuid.uuid4().hex
    head = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                    f"{value}\r\n".encode() for name, value in fields.items())
    head += (f'--{boundary}\r\nContent-Disposition: form-data; name="upload"; '
             f'filename="{path.name}"\r\nContent-Type: application/octet-stream\r\n\r\n').encode()
    tail = f"\r\n--{boundary}--\r\n".encode()

    def body() -> Iterator[bytes]:
        yield head
        with open(path, "rb") as stream:
            while chunk := stream.read(CHUNK):
                yield chunk
        yield tail

    return (f"multipart/form-data; boundary={boundary}",
            len(head) + path.stat().st_size + len(tail), body())


def upload(url: str, token: str, path: pathlib.Path, name: str) -> dict[str, Any]:
    """``resource_create`` of a new output of the project with the file ``path``."""
    content_type, length, body = multipart({"package_id": PROJECT, "name": name}, path)
    address = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(address.hostname or "", address.port, timeout=600)
    try:
        # with a Content-Length, http.client sends the chunks as they come (not chunked encoding)
        connection.request("POST", "/api/3/action/resource_create", body=body, headers={
            "Content-Type": content_type, "Content-Length": str(length), "Authorization": token})
        answer = connection.getresponse()
        text = answer.read()
    finally:
        connection.close()
    try:
        result = json.loads(text)
    except ValueError:  # a refusal before CKAN (gunicorn's, a proxy's) is not JSON
        result = {"success": False, "body": text[:2000]}
    assert result.get("success"), f"resource_create: HTTP {answer.status} {result}"
    return dict(result["result"])


def worker_pid(pidfile: pathlib.Path) -> int:
    """The one worker process of the gunicorn whose master wrote ``pidfile``."""
    master = int(pidfile.read_text().strip())
    children = pathlib.Path(f"/proc/{master}/task/{master}/children").read_text().split()
    assert len(children) == 1, f"gunicorn runs {len(children)} workers, not one"
    return int(children[0])


def status_kb(pid: int, field: str) -> int:
    """A field of ``/proc/<pid>/status`` in kB (``VmRSS``, ``VmHWM``)."""
    text = pathlib.Path(f"/proc/{pid}/status").read_text()
    found = re.search(rf"^{field}:\s+(\d+) kB", text, re.MULTILINE)
    assert found, f"no {field} in /proc/{pid}/status"
    return int(found.group(1))


class PeakMemory:
    """How much a process's resident memory grew at most while in the block, in MB."""

    def __init__(self, pid: int):
        self.pid = pid
        self.growth = 0.0
        self._samples: list[int] = []
        self._sampler: Optional[threading.Thread] = None
        self._stop = threading.Event()

    def __enter__(self) -> PeakMemory:
        try:
            # 5 resets the high-water mark VmHWM to the present VmRSS
            pathlib.Path(f"/proc/{self.pid}/clear_refs").write_text("5")
        except OSError:
            self._sampler = threading.Thread(target=self._sample, daemon=True)
            self._sampler.start()
        self._start = status_kb(self.pid, "VmRSS")
        return self

    def _sample(self) -> None:
        while not self._stop.wait(SAMPLE_SECONDS):
            self._samples.append(status_kb(self.pid, "VmRSS"))

    def __exit__(self, *_exc: Any) -> None:
        if self._sampler is None:
            peak = status_kb(self.pid, "VmHWM")
        else:
            self._stop.set()
            self._sampler.join()
            peak = max(self._samples, default=self._start)
        self.growth = (peak - self._start) / 1024

    @property
    def method(self) -> str:
        return "VmRSS sampled every 10 ms" if self._sampler else "VmHWM reset by clear_refs"


def measure(url: str, token: str, pid: int, path: pathlib.Path, digest: str,
            storage: pathlib.Path, run: str) -> tuple[float, float]:
    """Upload ``path`` once and check what was stored (then remove it); the
    seconds it took and the worker's peak memory growth in MB."""
    with PeakMemory(pid) as memory:
        started = time.perf_counter()
        output = upload(url, token, path, f"Benchmark output, {run}")
        seconds = time.perf_counter() - started
    size = path.stat().st_size
    shown = api(url, "resource_show", token, id=output["id"])
    assert shown["size"] == size, f"{run}: resource size {shown['size']}, file {size}"
    stored = stored_path(storage, output["id"])
    assert file_sha256(stored) == digest, f"{run}: the stored file differs from the one sent"
    stored.unlink()
    print(f"{run}: {seconds:.2f} s, {size / MEGABYTE / seconds:.1f} MB/s, worker peak memory "
          f"growth {memory.growth:.1f} MB ({memory.method}); stored file matches "
          f"(size {size} bytes, sha256 {digest[:12]}...)", flush=True)
    return seconds, memory.growth


def main(argv: Optional[Sequence[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ckan-ini", default=str(ROOT / "test.ini"),
                        help="configuration the site's is written from (plugins, database server)")
    parser.add_argument("--size-mb", type=int, default=200, help="size of the uploaded file (MiB)")
    parser.add_argument("--runs", type=int, default=3, help="timed uploads")
    parser.add_argument("--database", help="the site's database (default: the configuration's "
                                           "database name with _upload)")
    args = parser.parse_args(argv)
    base = pathlib.Path(args.ckan_ini).resolve()
    name = args.database or sites.options(base)["sqlalchemy.url"].rsplit("/", 1)[1] + "_upload"
    limit = str(args.size_mb + 1)
    port = sites.free_port()
    with tempfile.TemporaryDirectory(prefix="upload-benchmark-") as folder:
        directory = pathlib.Path(folder)
        started = time.perf_counter()
        with sites.site(base, name, directory, **{
                "ckan.site_url": f"http://127.0.0.1:{port}", **OPEN_WINDOW,
                "odconf.hackathon.upload_max_size": limit, "ckan.max_resource_size": limit}) as ini:
            sites.ckan(ini, "odconf", "load", str(PROGRAMME))
            sites.ckan(ini, "api", "action", "user_create", f"name={USER}",
                       f"email={USER}@example.org", f"password={PASSWORD}")
            token = json.loads(sites.ckan(ini, "api", "action", "api_token_create", f"user={USER}",
                                          "name=benchmark", stderr=False))["token"]
            path, warm_up = directory / FILE_NAME, directory / "warm-up" / FILE_NAME
            warm_up.parent.mkdir()
            digest = write_file(path, args.size_mb * MEGABYTE)
            warm_up_digest = write_file(warm_up, WARM_UP_MB * MEGABYTE)
            storage = directory / "storage"
            with sites.serve(ini, port, directory / "gunicorn.log", workers=1,
                             pidfile=directory / "gunicorn.pid") as url:
                api(url, "package_create", token, **project())
                pid = worker_pid(directory / "gunicorn.pid")
                print(f"site ready in {time.perf_counter() - started:.0f} s; gunicorn worker {pid}, "
                      f"{status_kb(pid, 'VmRSS') / 1024:.0f} MB resident", flush=True)
                measure(url, token, pid, warm_up, warm_up_digest, storage, "warm-up (not counted)")
                print(f"\n{args.size_mb} MB uploaded {args.runs} times as a project output "
                      f"(resource_create, multipart, 1 gunicorn worker; load average "
                      f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores):", flush=True)
                figures = [measure(url, token, pid, path, digest, storage, f"run {run}")
                           for run in range(1, args.runs + 1)]
    seconds = statistics.median(taken for taken, _grown in figures)
    growth = statistics.median(grown for _taken, grown in figures)
    peak = max(grown for _taken, grown in figures)
    print(f"median: {seconds:.2f} s, {args.size_mb / seconds:.1f} MB/s, "
          f"worker peak memory growth {growth:.1f} MB")
    verdict = "met" if peak < TARGET_MB else "NOT met"
    print(f"target (worker peak memory growth under {TARGET_MB} MB in every run): {verdict} "
          f"(largest {peak:.1f} MB)")


if __name__ == "__main__":
    main()
