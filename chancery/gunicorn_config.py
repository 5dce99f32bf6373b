"""gunicorn settings for Chancery's app servers: `gunicorn -c python:chancery.gunicorn_config`.

With PROMETHEUS_MULTIPROC_DIR set, each worker writes its metrics into that folder; a worker
that exits is marked dead there, so its gauges stop counting (counters it wrote are kept).
"""

import os
from typing import Any


def child_exit(server: Any, worker: Any) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
