"""Tests of dlbigdata.serving.server: a real uvicorn child on 127.0.0.1, always stopped.

These tests need no network beyond the loopback interface.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from numpy.testing import assert_allclose

from dlbigdata.serving import HOST, ModelServer, fingerprint_frame, free_port, port_is_free


def assert_gone(pid: int, port: int) -> None:
    """The child is reaped (no such pid) and nobody listens on its port."""
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert port_is_free(port)


def test_real_server_serves_then_leaves_nothing_behind(artifact_path, training_data, fitted_model):
    features, _ = training_data
    first = features.iloc[:5]  # row 3 lacks its income: JSON null
    rows = first.astype(object).where(first.notna(), None).to_dict(orient="records")
    with ModelServer(artifact_path) as server:
        pid, port = server.pid, server.port
        assert server.url == f"http://127.0.0.1:{port}" and not port_is_free(port)
        with server.client() as client:
            health = client.get("/health").json()
            answer = client.post("/predict", params={"probabilities": True}, json=rows)
            malformed = client.post("/predict", json=[{**rows[0], "children": "two"}])
    assert health == {"status": "ok", "fingerprint": server.fingerprint}
    assert answer.status_code == 200
    assert_allclose(
        answer.json()["probabilities"], fitted_model.predict_proba(features.iloc[:5]), rtol=1e-12
    )
    assert malformed.status_code == 422
    assert malformed.json()["detail"][0]["loc"] == ["body", 0, "children"]
    # uvicorn shuts down cleanly on SIGTERM, then re-raises it: exit code -15
    assert server.process.returncode in (0, -signal.SIGTERM), server.process.returncode
    assert_gone(pid, port)
    assert server.stop() == server.process.returncode  # stopping again changes nothing


@pytest.mark.hostile("masked_error")
def test_server_is_stopped_when_the_body_raises(artifact_path):
    with pytest.raises(KeyError, match="from the body"), ModelServer(artifact_path) as server:
        pid, port = server.pid, server.port
        raise KeyError("from the body")
    assert_gone(pid, port)


def test_a_stubborn_child_is_killed_after_the_stop_timeout(tmp_path, artifact_path, monkeypatch):
    marker = tmp_path / "ignoring"
    ignore_term = (
        "import pathlib, signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
        "pathlib.Path(sys.argv[1]).touch(); time.sleep(60)"
    )
    command = [sys.executable, "-c", ignore_term, str(marker)]
    server = ModelServer(artifact_path, stop_timeout=0.5)
    monkeypatch.setattr(server, "_command", lambda: command)
    monkeypatch.setattr(server, "_wait_until_ready", lambda: None)
    server.start()
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline:  # SIGTERM ignored from now
        time.sleep(0.05)
    pid = server.pid
    assert server.stop() == -signal.SIGKILL  # SIGTERM ignored, then SIGKILL
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


@pytest.mark.hostile("masked_error")
def test_a_child_that_dies_at_startup_reports_its_error(artifact_path, monkeypatch):
    server = ModelServer(artifact_path)
    crash = "import sys; sys.exit('cannot bind: simulated failure')"
    monkeypatch.setattr(server, "_command", lambda: [sys.executable, "-c", crash])
    with pytest.raises(RuntimeError, match=r"(?s)exited with code 1 during startup.*simulated"):
        server.start()
    assert server.process.returncode == 1


def test_startup_timeout_stops_the_child(artifact_path, monkeypatch):
    server = ModelServer(artifact_path, startup_timeout=0.5)
    sleep = "import time; time.sleep(30)"
    monkeypatch.setattr(server, "_command", lambda: [sys.executable, "-c", sleep])
    with pytest.raises(TimeoutError, match=r"did not answer within startup_timeout=0\.5"):
        server.start()
    assert server.process.returncode is not None
    with pytest.raises(ProcessLookupError):
        os.kill(server.pid, 0)


class ForeignHealth(BaseHTTPRequestHandler):
    """An HTTP server that is not ours: /health answers with another fingerprint."""

    def do_GET(self):
        body = json.dumps({"status": "ok", "fingerprint": "someone else"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *arguments):
        pass


@pytest.mark.hostile("masked_error")
def test_a_foreign_server_on_the_port_is_not_taken_for_ours(artifact_path, monkeypatch):
    foreign = ThreadingHTTPServer((HOST, 0), ForeignHealth)
    thread = threading.Thread(target=foreign.serve_forever, daemon=True)
    thread.start()
    try:
        server = ModelServer(artifact_path, startup_timeout=5.0)
        monkeypatch.setattr(
            "dlbigdata.serving.server.free_port", lambda: foreign.server_address[1]
        )
        sleep = "import time; time.sleep(30)"
        monkeypatch.setattr(server, "_command", lambda: [sys.executable, "-c", sleep])
        with pytest.raises(RuntimeError, match="not this artifact's fingerprint"):
            server.start()
    finally:
        foreign.shutdown()
        foreign.server_close()
    assert server.process.returncode is not None  # our child was stopped


def test_free_port_is_bindable_and_the_client_ignores_proxies(artifact_path, monkeypatch):
    port = free_port()
    assert 0 < port < 65536 and port_is_free(port)
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.invalid:1")
    monkeypatch.setenv("ALL_PROXY", "http://proxy.invalid:1")
    with ModelServer(artifact_path) as server, server.client() as client:
        assert client.get("/health").status_code == 200


@pytest.mark.hostile("bad_input")
def test_bad_arguments_are_refused_before_any_process_starts(tmp_path, artifact_path):
    with pytest.raises(ValueError, match="is not an existing file"):
        ModelServer(tmp_path / "missing.zip")
    with pytest.raises(TypeError, match="artifact_path must be a file path"):
        ModelServer(1)
    with pytest.raises(ValueError, match="startup_timeout must be"):
        ModelServer(artifact_path, startup_timeout=0)
    with pytest.raises(ValueError, match="port must be between 1 and 65535"):
        port_is_free(70000)
    with pytest.raises(TypeError, match="port must be an int"):
        port_is_free("80")
    unstarted = ModelServer(artifact_path)
    assert unstarted.stop() is None
    with pytest.raises(RuntimeError, match="has not been started"):
        unstarted.url  # noqa: B018


def test_starting_twice_is_refused(artifact_path):
    with ModelServer(artifact_path) as server:
        with pytest.raises(RuntimeError, match="already running"):
            server.start()
        with server.client() as client:
            assert client.get("/health").status_code == 200
    with pytest.raises(httpx.TransportError):
        httpx.get(f"http://{HOST}:{server.port}/health", trust_env=False, timeout=1.0)


def _running(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie awaiting its reaper counts as ended)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_child_exits_when_its_parent_dies(artifact_path):
    import subprocess

    port = free_port()
    launcher = (
        "import subprocess, sys, time\n"
        "child = subprocess.Popen([sys.executable, '-m', 'dlbigdata.serving', sys.argv[1],"
        " '--port', sys.argv[2]])\n"
        "print(child.pid, flush=True)\n"
        "time.sleep(600)\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", launcher, str(artifact_path), str(port)],
        stdout=subprocess.PIPE,
        text=True,
    )
    child_pid = None
    try:
        assert parent.stdout is not None
        child_pid = int(parent.stdout.readline())
        deadline = time.monotonic() + 120
        while port_is_free(port) and time.monotonic() < deadline:
            time.sleep(0.2)  # listening means the watchdog thread runs
        assert not port_is_free(port), "the server never started"
        parent.kill()
        parent.wait()
        deadline = time.monotonic() + 30
        while _running(child_pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _running(child_pid), "the orphaned server kept running"
    finally:
        parent.kill()
        parent.wait()
        if child_pid is not None and _running(child_pid):
            os.kill(child_pid, signal.SIGKILL)


def test_the_child_checks_the_expected_fingerprint(artifact_path, training_data):
    features, target = training_data
    expected = fingerprint_frame(features, target)
    with ModelServer(artifact_path, expected_fingerprint=expected) as server:
        assert server._command()[-2:] == ["--expected-fingerprint", expected]
        with server.client() as client:
            assert client.get("/health").json()["fingerprint"] == expected


@pytest.mark.hostile("bad_input")
def test_another_fingerprint_is_refused_before_any_process_starts(artifact_path, training_data):
    features, target = training_data
    other = fingerprint_frame(features.iloc[1:], target.iloc[1:])
    server = None
    with pytest.raises(ValueError, match="trained on other data"):
        server = ModelServer(artifact_path, expected_fingerprint=other)
    assert server is None
    with pytest.raises(TypeError, match="expected_fingerprint must be a string"):
        ModelServer(artifact_path, expected_fingerprint=12)


@pytest.mark.hostile("bad_input")
def test_the_child_command_line_refuses_another_fingerprint(artifact_path, training_data):
    from dlbigdata.serving.__main__ import main

    features, target = training_data
    other = fingerprint_frame(features.iloc[1:], target.iloc[1:])
    with pytest.raises(ValueError, match="trained on other data"):
        main([str(artifact_path), "--port", str(free_port()), "--expected-fingerprint", other])
