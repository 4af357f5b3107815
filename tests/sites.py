"""Real CKAN sites for the harvesting and browser tests and the benchmarks: configuration, database, server.

A site is a configuration file written from the test configuration with a
few options changed (its database, its address...), a database of its own
created and dropped with the test database's role (it has CREATEDB), and
gunicorn serving it with the demo's settings (``scripts/gunicorn.conf.py``).
"""
from __future__ import annotations

import configparser
import contextlib
import os
import pathlib
import re
import socket
import subprocess
import sys
import time
import json
import urllib.error
import urllib.request
from typing import Any, Iterator, Optional

import sqlalchemy as sa

from tests.servers import stop

ROOT = pathlib.Path(__file__).resolve().parents[1]
CKAN = pathlib.Path(sys.executable).parent / "ckan"
BOOT_TIMEOUT = 90


def options(ini: pathlib.Path) -> dict[str, str]:
    """The ``[app:main]`` options of a configuration file, uninterpolated."""
    parser = configparser.RawConfigParser()
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(ini)
    return dict(parser["app:main"])


def write_ini(base: pathlib.Path, path: pathlib.Path, **changes: str) -> pathlib.Path:
    """A copy of ``base`` (logging sections included) with ``[app:main]`` options changed."""
    parser = configparser.RawConfigParser()
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(base)
    for key, value in changes.items():
        parser["app:main"][key] = value
    with open(path, "w") as output:
        parser.write(output)
    return path


def database_url(ini: pathlib.Path, name: str) -> str:
    """The database URL of ``ini`` with another database name."""
    return re.sub(r"/[^/]+$", f"/{name}", options(ini)["sqlalchemy.url"])


@contextlib.contextmanager
def database(ini: pathlib.Path, name: str) -> Iterator[str]:
    """A new empty database next to the one of ``ini``; dropped afterwards. Yields its URL."""
    engine = sa.create_engine(options(ini)["sqlalchemy.url"], isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        _drop(connection, name)
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield database_url(ini, name)
    finally:
        with engine.connect() as connection:
            _drop(connection, name)
        engine.dispose()


def _drop(connection: sa.engine.Connection, name: str) -> None:
    """Drop database ``name``, ending its sessions.

    ``WITH (FORCE)`` may not end an autovacuum worker busy on a database just
    filled (it runs as the superuser: "must be a member of the role whose
    process is being terminated"); a plain ``DROP DATABASE`` makes
    autovacuum give way, so both are tried in turn, a few times.
    """
    statements = [f'DROP DATABASE IF EXISTS "{name}"{force}'
                  for _ in range(3) for force in (" WITH (FORCE)", "")]
    for attempt, statement in enumerate(statements):
        try:
            connection.execute(sa.text(statement))
            return
        except sa.exc.DBAPIError:
            if attempt == len(statements) - 1:
                raise
            time.sleep(1)


@contextlib.contextmanager
def site(base: pathlib.Path, name: str, directory: pathlib.Path, **changes: str) -> Iterator[pathlib.Path]:
    """A site of its own beside ``base``: database ``name`` with CKAN's schema and every
    plugin's migrations, ``ckan.site_id`` ``name``, storage in ``directory``, ``changes``
    on top. Yields its configuration file (in ``directory``); the database is dropped after."""
    with database(base, name) as url:
        ini = write_ini(base, directory / f"{name}.ini", **{
            "sqlalchemy.url": url, "ckan.site_id": name,
            "ckan.storage_path": str(directory / "storage"), **changes})
        ckan(ini, "db", "init")
        ckan(ini, "db", "pending-migrations", "--apply")
        yield ini


def ckan(ini: pathlib.Path, *args: str, timeout: float = 600, stderr: bool = True) -> str:
    """Run ``ckan -c ini ARGS`` in the foreground; its output (stdout, and stderr unless not)."""
    done = subprocess.run([str(CKAN), "-c", str(ini), *args], capture_output=True, text=True,
                          timeout=timeout, env=dict(os.environ, CKAN_INI=str(ini)))
    assert done.returncode == 0, f"ckan {' '.join(args)} failed:\n{done.stderr[-4000:]}"
    return done.stdout + done.stderr if stderr else done.stdout


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serve(ini: pathlib.Path, port: int, log: pathlib.Path, workers: int = 2,
          threads: int = 2, pidfile: Optional[pathlib.Path] = None) -> Iterator[str]:
    """gunicorn serving the site of ``ini`` on ``port``; yields its address. With
    ``pidfile``, gunicorn writes its master's pid there (whose children are the workers)."""
    environ = dict(os.environ, CKAN_INI=str(ini), ODCONF_WORKERS=str(workers),
                   ODCONF_THREADS=str(threads))
    pid = ["--pid", str(pidfile)] if pidfile else []
    with open(log, "w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "scripts" / "gunicorn.conf.py"),
             "--bind", f"127.0.0.1:{port}", *pid],
            env=environ, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + BOOT_TIMEOUT
        while True:
            assert server.poll() is None, f"gunicorn exited: {log.read_text()[-4000:]}"
            try:
                with urllib.request.urlopen(f"{url}/api/3/action/status_show", timeout=5):
                    break
            except OSError:
                assert time.monotonic() < deadline, f"no answer: {log.read_text()[-4000:]}"
                time.sleep(0.2)
        yield url
    finally:
        stop(server)


def call_action(url: str, action: str, token: Optional[str] = None, timeout: float = 60,
                **data: Any) -> Any:
    """The ``result`` of an action of the site at ``url``, called over HTTP with a JSON
    body (with an API token, or anonymously); an error answer fails the caller."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = token
    request = urllib.request.Request(f"{url}/api/3/action/{action}", method="POST",
                                     data=json.dumps(data).encode(), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            body = json.load(answer)
    except urllib.error.HTTPError as error:  # CKAN's refusals come with a JSON body
        body = json.load(error)
    assert body.get("success"), f"{action}: {body}"
    return body["result"]
