"""Prefect's environment for a berita run: where its state lives, and a local API server.

Prefect reads its settings when it is imported, so :func:`configure_prefect` must run before
anything imports ``prefect``. When no ``PREFECT_API_URL`` is set, :class:`LocalPrefectServer`
starts the same API app that Prefect's ephemeral mode starts (uvicorn on ``create_app``, with no
UI and no background services), but from the CLI's first instant and without importing
Prefect's server code into this process, so that the server boots on the second core while this
process imports pyarrow, reads inputs and cleans.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import MutableMapping
from pathlib import Path

from berita.settings import Settings, default_prefect_home


class PrefectServerError(RuntimeError):
    """The local Prefect API server did not come up."""


def configure_prefect(settings: Settings, env: MutableMapping[str, str] | None = None) -> Path:
    """Set Prefect's environment for this process (and the server it starts); return PREFECT_HOME.

    A PREFECT_HOME the user set wins; otherwise berita keeps Prefect's database in its own state
    directory, so migrations run once and later runs start faster.
    """
    env = os.environ if env is None else env
    home = settings.prefect_home or Path(env.get("PREFECT_HOME") or default_prefect_home(env))
    home.mkdir(parents=True, exist_ok=True)
    env["PREFECT_HOME"] = str(home)
    env.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", str(settings.server_startup_timeout))
    # No network here, and telemetry that cannot be sent only logs errors.
    env.setdefault("DO_NOT_TRACK", "1")
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    env.setdefault("PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY", "false")
    env.setdefault("PREFECT_TELEMETRY_ENABLE_RESOURCE_METRICS", "false")
    if not settings.verbose:
        # The CLI reports failures itself (one line for expected ones, a traceback for bugs);
        # Prefect's own log lines would only repeat them. -v shows everything.
        env.setdefault("PREFECT_LOGGING_LEVEL", "CRITICAL")
        env.setdefault("PREFECT_LOGGING_SERVER_LEVEL", "WARNING")
        # Great Expectations logs its own tracebacks (e.g. when Data Docs cannot be written).
        logging.getLogger("great_expectations").setLevel(logging.CRITICAL)
    return home


def _die_with_parent() -> None:
    """In the server child (Linux): have the kernel send SIGTERM when berita dies, even by kill -9."""
    import ctypes
    import ctypes.util
    import signal

    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LocalPrefectServer:
    """A Prefect API server in a child process for one CLI run; stopped by process id on exit.

    Use it as a context manager: entering starts the process and points PREFECT_API_URL at it;
    :meth:`wait_ready` blocks until it answers (call it just before the flow needs the API).
    """

    def __init__(self, timeout: int, env: MutableMapping[str, str] | None = None) -> None:
        self.timeout = timeout
        self.env = os.environ if env is None else env
        self.process: subprocess.Popen[bytes] | None = None
        self.api_url = ""
        self._log: Path | None = None

    _current: LocalPrefectServer | None = None

    def __enter__(self) -> LocalPrefectServer:
        port = _free_port()
        self.api_url = f"http://127.0.0.1:{port}/api"
        self._log = Path(self.env["PREFECT_HOME"]) / "berita-server.log"
        child_env = {
            **self.env,
            "PREFECT_UI_ENABLED": "0",
            "PREFECT__SERVER_EPHEMERAL": "1",
            "PREFECT__SERVER_FINAL": "1",
        }
        with self._log.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "--factory", "prefect.server.api.server:create_app",
                 "--host", "127.0.0.1", "--port", str(port), "--log-level", "error", "--lifespan", "on"],
                env=child_env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                # Its own session: a terminal's Ctrl-C goes to berita's process group only. Had it
                # reached the server too, the flow would lose its API mid-run and retry for minutes.
                # berita stops the server itself on the way out (and the kernel does, if berita dies).
                start_new_session=True, preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )  # fmt: skip
        self.env["PREFECT_API_URL"] = self.api_url
        LocalPrefectServer._current = self
        return self

    def wait_ready(self) -> float:
        """Block until the server answers /health; return the seconds waited."""
        assert self.process is not None, "use LocalPrefectServer as a context manager"
        start = time.monotonic()
        while time.monotonic() - start < self.timeout:
            if self.process.poll() is not None:
                raise PrefectServerError(
                    f"the local Prefect server exited with code {self.process.returncode}; see {self._log}"
                )
            try:
                with urllib.request.urlopen(f"{self.api_url}/health", timeout=2) as response:
                    if response.status == 200:
                        return time.monotonic() - start
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        raise PrefectServerError(
            f"the local Prefect server did not answer within {self.timeout}s (raise --server-timeout, "
            f"or point PREFECT_API_URL at a running server); see {self._log}"
        )

    def __exit__(self, *exc: object) -> None:
        self.env.pop("PREFECT_API_URL", None)
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        # Only now: until the server is gone, a second Ctrl-C must find it to kill it.
        LocalPrefectServer._current = None
        self.process = None

    @classmethod
    def kill_current(cls) -> None:
        """SIGKILL the running server at once, without waiting (for an exit that cannot wait)."""
        server = cls._current
        process = server.process if server is not None else None
        if process is not None and process.poll() is None:
            process.kill()


def wait_for_api() -> None:
    """Block until the local server started by :class:`LocalPrefectServer` answers (no-op otherwise)."""
    if LocalPrefectServer._current is not None:
        LocalPrefectServer._current.wait_ready()
