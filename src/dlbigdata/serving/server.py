"""Run the model app with uvicorn in a child process on 127.0.0.1, and always stop it.

:class:`ModelServer` checks the artifact, picks a free port on the loopback interface,
starts ``python -m dlbigdata.serving ARTIFACT --port PORT`` as a child process and waits
until ``GET /health`` answers with the artifact's fingerprint (or raises after a timeout,
having stopped the child). :meth:`ModelServer.stop` sends SIGTERM, waits, and kills the
child if it has not exited, then reaps it. As a context manager the server is stopped when
the block ends, also when it raises, so no process is left behind; the child also exits on
its own if its parent dies.

The server listens on 127.0.0.1 only: it is for trying a model on this machine, not for
exposing it to a network.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import httpx

from dlbigdata._validation import require_number, require_type
from dlbigdata.serving.artifact import load_model

__all__ = ["HOST", "ModelServer", "free_port", "port_is_free"]

HOST = "127.0.0.1"
"""The only interface the server binds to (loopback)."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free now (the kernel's choice).

    Used in chapter 09.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def port_is_free(port: int) -> bool:
    """Whether a TCP port on 127.0.0.1 can be bound now (nobody listens on it).

    Used in chapter 09.
    """
    require_type("port", port, int, "an int")
    if not 0 < port < 65536:
        raise ValueError(f"port must be between 1 and 65535, got {port}")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


class ModelServer:
    """A uvicorn child process serving one artifact on 127.0.0.1, as a context manager.

    Parameters
    ----------
    artifact_path : str or os.PathLike
        An artifact written by ``save_model``; it is loaded and checked before the child
        starts, so a bad file fails here with ``load_model``'s clear error.
    startup_timeout : float, default 120
        Seconds to wait for ``/health`` to answer (the wait ends as soon as it does;
        starting Python with scikit-learn takes seconds, more on a loaded machine).
    stop_timeout : float, default 5
        Seconds to wait after SIGTERM before the child is killed.
    expected_fingerprint : str, optional
        The fingerprint of the data the caller expects the model to have been trained on
        (``fingerprint_frame`` of them). It is checked here and again by the child, which
        refuses to serve an artifact trained on other data; a mismatch raises
        ``load_model``'s ValueError before any process starts.

    Examples
    --------
    >>> with ModelServer("model.zip") as server:  # doctest: +SKIP
    ...     with server.client() as client:
    ...         client.post("/predict", json=[row]).json()

    Used in chapter 09.
    """

    def __init__(
        self,
        artifact_path: str | os.PathLike,
        *,
        startup_timeout: float = 120.0,
        stop_timeout: float = 5.0,
        expected_fingerprint: str | None = None,
    ) -> None:
        require_type("artifact_path", artifact_path, (str, os.PathLike), "a file path")
        self.startup_timeout = require_number("startup_timeout", startup_timeout, minimum=0.1)
        self.stop_timeout = require_number("stop_timeout", stop_timeout, minimum=0.1)
        self.artifact_path = Path(artifact_path).resolve()
        self.expected_fingerprint = expected_fingerprint
        self.fingerprint = load_model(
            self.artifact_path, expected_fingerprint=expected_fingerprint
        ).fingerprint
        self.port: int | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        """The server's base URL, ``http://127.0.0.1:PORT``."""
        if self.port is None:
            raise RuntimeError("the server has not been started")
        return f"http://{HOST}:{self.port}"

    @property
    def pid(self) -> int:
        """The child process's id."""
        if self.process is None:
            raise RuntimeError("the server has not been started")
        return self.process.pid

    def client(self, **options: Any) -> httpx.Client:
        """An httpx client for this server that ignores proxy settings of the environment."""
        return httpx.Client(base_url=self.url, trust_env=False, **options)

    def _command(self) -> list[str]:
        command = [
            sys.executable,
            "-m",
            "dlbigdata.serving",
            str(self.artifact_path),
            "--port",
            str(self.port),
        ]
        if self.expected_fingerprint is not None:
            command += ["--expected-fingerprint", self.expected_fingerprint]
        return command

    def start(self) -> ModelServer:
        """Start the child and wait until it answers; stop it and raise if it does not.

        Raises
        ------
        RuntimeError
            If the server is already running, or the child exits during startup (its
            error output is in the message).
        TimeoutError
            If ``/health`` does not answer within ``startup_timeout`` seconds.
        """
        if self.process is not None and self.process.poll() is None:
            raise RuntimeError(f"the server is already running (pid {self.process.pid})")
        self.port = free_port()
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 (closed by stop)
        self.process = subprocess.Popen(
            self._command(), stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log
        )
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _output(self) -> str:
        """The last 2,000 characters the child wrote."""
        if self._log is None:
            return ""
        self._log.seek(0)
        return self._log.read().decode(errors="replace")[-2000:]

    def _wait_until_ready(self) -> None:
        """Poll ``/health`` until it answers with this artifact's fingerprint."""
        assert self.process is not None
        deadline = time.monotonic() + self.startup_timeout
        with self.client(timeout=1.0) as client:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(
                        f"the server exited with code {self.process.returncode} during "
                        f"startup:\n{self._output()}"
                    )
                try:
                    answer = client.get("/health")
                except httpx.TransportError:  # not listening yet: try again
                    time.sleep(0.05)
                    continue
                if answer.status_code == 200 and answer.json() == {
                    "status": "ok",
                    "fingerprint": self.fingerprint,
                }:
                    return
                raise RuntimeError(
                    f"port {self.port} answered /health with {answer.status_code} "
                    f"{answer.text[:200]!r}, not this artifact's fingerprint"
                )
        raise TimeoutError(
            f"the server did not answer within startup_timeout={self.startup_timeout} s:\n"
            f"{self._output()}"
        )

    def stop(self) -> int | None:
        """Stop the child (SIGTERM, wait, SIGKILL if needed) and reap it; idempotent.

        Returns
        -------
        int or None
            The child's exit code, or None if it was never started.
        """
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=self.stop_timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None
        return self.process.returncode

    def __enter__(self) -> ModelServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
