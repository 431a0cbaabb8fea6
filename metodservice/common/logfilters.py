"""Logging filters (LOGGING in settings.py). Imported while logging is configured, before the apps are loaded:
no models here."""

from __future__ import annotations

import logging


class RefusalsAsInfo(logging.Filter):
    """On `django.request`: a refusal (a 4xx answer: 403 PermissionDenied, 404, 405, 429 lockout …) is an ordinary
    event of a portal with roles, logged at INFO without a traceback. Django logs a raised PermissionDenied as a
    WARNING with its traceback, which reads like a fault and buries the real ones. 5xx records pass unchanged:
    ERROR with the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.levelno, record.levelname = logging.INFO, logging.getLevelName(logging.INFO)
            record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True
