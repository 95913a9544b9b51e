"""Application logging: one JSON object per line in production, plain text for a developer.

Every record carries the request id (and the signed-in user's id) of the request it was
written in, so a line in the log can be joined to the access line and to the reference a
user quotes from an error page. The log must never carry personal data: messages name users
by id, and paths are logged with their tokens redacted (see ``redact_path``).
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from typing import IO, Any

#: Set on the handler we install, so configuring twice (tests make many apps) replaces it.
HANDLER_NAME = "accredit"
FORMATS = ("json", "text")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"

# A path segment that may be a secret: long and from the URL-safe alphabet (invitation tokens,
# signed reset tokens with their dots). Kebab-case words and numbers never are.
_TOKEN_SEGMENT = re.compile(r"^[A-Za-z0-9._~-]{16,}$")
_PLAIN = re.compile(r"^(?:[a-z]+(?:-[a-z0-9]+)*(?:\.[a-z0-9]+)?|[0-9]+)$")
#: The attributes every LogRecord has; anything else was passed with ``extra=``.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
_CONTEXT = ("request_id", "user_id")


def redact_path(path: str) -> str:
    """The path with every segment that looks like a token replaced by ``[token]``: invitation
    and reset links carry theirs in the path, and a log is read by more people than the mail."""
    return "/".join(
        "[token]" if _TOKEN_SEGMENT.match(part) and not _PLAIN.match(part) else part
        for part in path.split("/")
    )


def redact_url(url: str) -> str:
    """A request target for a log: tokens in the path redacted and the query string dropped
    (the audit trail's filters, for one, put an email in it)."""
    path, mark, _query = url.partition("?")
    return redact_path(path) + ("?[query]" if mark else "")


_REQUEST_LINE = re.compile(r"\b(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\S+)")
#: Servers' own access logs: the development server's, and gunicorn's when it is asked for one.
SERVER_LOGGERS = ("werkzeug", "gunicorn.access")


class RedactRequestLines(logging.Filter):
    """Rewrites a server's access line so the request target in it is redacted: these lines
    are written by the server, not by us, from the raw URL."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _REQUEST_LINE.sub(lambda m: f"{m[1]} {redact_url(m[2])}", message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


class RequestContext(logging.Filter):
    """Adds the current request's id and user id to every record (``-`` outside requests)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id, user_id = _request_context()
        if not hasattr(record, "request_id"):
            record.request_id = request_id
        if not hasattr(record, "user_id"):
            record.user_id = user_id
        return True


def _request_context() -> tuple[str, int | None]:
    """The request id and signed-in user's id, read without loading anything: a log line
    must never cause a query (or a session) of its own."""
    from flask import g, has_request_context

    if not has_request_context():
        return "-", None
    request_id = str(g.get("request_id") or "-")
    # Flask-Login keeps the user it loaded for this request here; absent, nobody was loaded.
    user = g.get("_login_user")
    user_id = getattr(user, "id", None) if getattr(user, "is_authenticated", False) else None
    return request_id, user_id if isinstance(user_id, int) else None


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, request and user ids, and
    any fields passed with ``extra=`` (the access line's method, route, status, duration)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        user_id = getattr(record, "user_id", None)
        if user_id is not None:
            entry["user_id"] = user_id
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in _CONTEXT and key not in entry:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure_logging(level: str, log_format: str, stream: IO[str] | None = None) -> None:
    """Install our handler on the root logger (replacing one installed before) so every
    ``accredit.*`` logger, and the libraries', write in the chosen format."""
    if log_format not in FORMATS:
        raise ValueError(f"ACCREDIT_LOG_FORMAT must be one of {', '.join(FORMATS)}")
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == HANDLER_NAME:
            root.removeHandler(handler)
    handler = logging.StreamHandler(stream)
    handler.set_name(HANDLER_NAME)
    handler.addFilter(RequestContext())
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in SERVER_LOGGERS:
        server_log = logging.getLogger(name)
        if not any(isinstance(f, RedactRequestLines) for f in server_log.filters):
            server_log.addFilter(RedactRequestLines())
