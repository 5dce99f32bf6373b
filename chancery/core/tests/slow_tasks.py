"""A job for the worker fault tests: the first run waits long enough to be killed."""

import time
from pathlib import Path
from typing import Any

from django.tasks import task

from chancery.core.jobs import Outcome, job_task


@task()
@job_task
def wait_the_first_time(job: Any, progress: Any, *, marker: str) -> Outcome:
    """Leave `marker` and sleep for two minutes the first time; finish at once afterwards."""
    path = Path(marker)
    if not path.exists():
        path.write_text(str(job.pk))
        time.sleep(120)
    return Outcome(message="finished")
