"""``python -m dlbigdata.serving ARTIFACT --port PORT``: serve an artifact on 127.0.0.1.

With ``--expected-fingerprint FINGERPRINT`` it refuses (exits with the error of
``load_model``) an artifact whose training data have another fingerprint.

This is the child process that :class:`~dlbigdata.serving.server.ModelServer` starts. It
checks the artifact, builds the app and runs uvicorn on the loopback interface, without
access log, and with scikit-learn's finiteness checks off (pydantic has validated
every request). A watchdog thread ends the server (SIGTERM, so uvicorn shuts down cleanly) if
the parent process dies, so an interrupted notebook leaves no server behind.
"""

from __future__ import annotations

import argparse
import os
import signal
import threading
import time

import sklearn
import uvicorn

from dlbigdata.serving.app import create_app
from dlbigdata.serving.artifact import load_model
from dlbigdata.serving.server import HOST


def _watch_parent(parent: int) -> None:
    """Send SIGTERM to this process once its parent has changed (the parent died)."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os.kill(os.getpid(), signal.SIGTERM)


def main(arguments: list[str] | None = None) -> None:
    """Parse the command line, then serve the artifact until SIGTERM or SIGINT.

    Used in chapter 09.
    """
    parser = argparse.ArgumentParser(prog="python -m dlbigdata.serving")
    parser.add_argument("artifact", help="a model artifact written by save_model")
    parser.add_argument("--port", type=int, required=True, help="TCP port on 127.0.0.1")
    parser.add_argument(
        "--expected-fingerprint",
        default=None,
        help="refuse an artifact whose training-data fingerprint differs from this one",
    )
    options = parser.parse_args(arguments)
    artifact = load_model(options.artifact, expected_fingerprint=options.expected_fingerprint)
    # The app validated every request already: skip scikit-learn's finiteness checks.
    sklearn.set_config(assume_finite=True)
    app = create_app(artifact)
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()
    uvicorn.run(app, host=HOST, port=options.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
