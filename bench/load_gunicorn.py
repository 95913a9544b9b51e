"""gunicorn settings for the load test: each worker leaves a mark once it has loaded (and so
warmed) the app, so the run starts when every worker can serve, as a deployment's traffic does
once its health checks pass. What a worker does on its own first requests is still measured."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def post_worker_init(worker: Any) -> None:
    Path(os.environ["ACCREDIT_LOAD_READY_DIR"], f"worker-{worker.pid}").touch()
