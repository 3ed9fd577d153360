"""One exception family for every business rule, with a Chinese message first and English second.

Services raise a subclass of :class:`DomainError`; the API maps it once to a JSON body
(``{"code", "message", "message_en", "field"}``, HTTP 400/403/404/409) and pages show the message.
Nothing that a user can trigger by typing should ever become a 500.
"""

from __future__ import annotations

import logging


class DomainError(Exception):
    status = 400
    code = "invalid"
    # The English of a raise site that gave none: ``message_en`` is never Chinese.
    fallback_en = "The request was refused."

    def __init__(self, message: str, message_en: str = "", *, code: str | None = None, field: str | None = None,
                 details: list | None = None):
        super().__init__(message)
        self.message = message
        self.message_en = message_en or self.fallback_en
        if code:
            self.code = code
        self.field = field
        self.details = details or []

    def as_dict(self) -> dict:
        body = {"code": self.code, "message": self.message, "message_en": self.message_en}
        if self.field:
            body["field"] = self.field
        if self.details:
            body["details"] = self.details
        return body

    def bilingual(self) -> str:
        """Both languages on one line, for page messages: 中文（English）."""
        return f"{self.message}（{self.message_en}）"

    def localized(self, language: str | None) -> str:
        return self.message_en if (language or "").startswith("en") else self.message


class ValidationFailed(DomainError):
    code = "validation_failed"


class NotFound(DomainError):
    status = 404
    code = "not_found"
    fallback_en = "Not found."


class PermissionDeniedError(DomainError):
    status = 403
    code = "forbidden"
    fallback_en = "You may not do this."


class ConflictError(DomainError):
    status = 409
    code = "conflict"
    fallback_en = "This conflicts with the current state."


def label_zh(label: str) -> str:
    """The Chinese part of a bilingual choice label (``综窗受理员 Window clerk`` → ``综窗受理员``), for ``message``."""
    return _split_label(str(label))[0]


def label_en(label: str, default: str = "") -> str:
    """The English part of a bilingual choice label (``开放 Open`` → ``Open``), for ``message_en``; ``default``
    when the label has none."""
    return _split_label(str(label))[1] or default


def _split_label(label: str) -> tuple[str, str]:
    import re

    m = re.match(r"^(.*[^\x00-\x7f])\s+([A-Za-z][\x00-\x7f]*)$", label)
    return (m[1], m[2]) if m else (label, "" if re.search(r"[^\x00-\x7f]", label) else label)


class StorageUnavailable(DomainError):
    """The database cannot write: its disk is full or it is read-only (a replica, a remount). Not the user's fault
    and not a bug: 503, in the error shape, with one clear log line."""

    status = 503
    code = "storage_unavailable"
    fallback_en = "The database cannot store data right now (disk full or read-only); try again later."


# SQLite's words and PostgreSQL's SQLSTATEs (53100 disk_full, 53000 insufficient_resources, 25006
# read_only_sql_transaction) for a database that cannot write.
_STORAGE_WORDS = ("database or disk is full", "readonly database", "read-only database", "disk i/o error",
                  "no space left on device")
_STORAGE_SQLSTATES = {"53100", "53000", "25006"}


def storage_error(exc: BaseException) -> StorageUnavailable | None:
    """The 503 for a database error that means "cannot write" (disk full, read-only), else None; logs it."""
    cause = exc.__cause__ or exc
    sqlstate = getattr(cause, "sqlstate", None) or getattr(getattr(cause, "diag", None), "sqlstate", None)
    text = str(exc).lower()
    if sqlstate not in _STORAGE_SQLSTATES and not any(w in text for w in _STORAGE_WORDS):
        return None
    logging.getLogger("yichuang.storage").error(
        "database cannot write (disk full or read-only): %s: %s", type(exc).__name__, str(exc)[:200])
    return StorageUnavailable("数据库暂时无法写入（磁盘已满或只读），请稍后重试；已通知管理员。",
                              "The database cannot store data right now (disk full or read-only); try again later. "
                              "The administrators have been told.")
