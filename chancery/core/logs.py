"""The request id log lines carry; read by the logging configuration, so it imports nothing of
Django (settings load it before the apps)."""

import contextvars
import logging

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every log record (`request_id`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Django logs a request's 4xx/5xx after the middlewares returned: it names the request.
        given = getattr(getattr(record, "request", None), "request_id", None)
        record.request_id = given or request_id.get()
        return True
