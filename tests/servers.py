"""Helpers of the tests that run a real server (gunicorn) in a process group of its own."""
from __future__ import annotations

import os
import signal
import subprocess


def stop(server: "subprocess.Popen[bytes]") -> None:
    """Stop a server started with ``start_new_session=True``: its whole process
    group (the gunicorn arbiter and its workers), killed if it lingers."""
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
