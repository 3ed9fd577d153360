"""Pluggable channels. A backend takes a :class:`Message` and sends it; the service writes the outbox row.

- :class:`SmsBackend` is the adapter interface for an SMS gateway (运营商/云短信): subclass it and implement
  :meth:`SmsBackend.send_sms`. The demo uses :class:`ConsoleSmsBackend` (log) or :class:`FileSmsBackend`
  (one JSON line per message under ``$YICHUANG_VAR_DIR/notify/``).
- :class:`EmailBackend` sends through Django's mail (``EMAIL_BACKEND`` and friends in settings).

Which backends run is ``settings.YICHUANG_NOTIFY_BACKENDS`` (dotted paths; env ``YICHUANG_NOTIFY_BACKENDS``,
comma-separated).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from .constants import Channel

log = logging.getLogger("yichuang.notify")


@dataclass(frozen=True)
class Message:
    event: str
    subject: str
    body: str
    phone: str = ""
    email: str = ""
    case_number: str = ""


class Backend:
    """One channel. ``recipient`` says whom the message goes to on this channel ("" = not reachable)."""

    name = "base"
    channel = Channel.SMS

    def recipient(self, message: Message) -> str:
        return message.phone if self.channel == Channel.SMS else message.email

    def send(self, message: Message) -> str:  # returns a provider id (may be "")
        raise NotImplementedError


class SmsBackend(Backend):
    """SMS adapter interface: implement :meth:`send_sms` for a real gateway."""

    channel = Channel.SMS

    def send(self, message: Message) -> str:
        return self.send_sms(phone=message.phone, text=message.body)

    def send_sms(self, *, phone: str, text: str) -> str:
        raise NotImplementedError


class ConsoleSmsBackend(SmsBackend):
    """Demo: the SMS is written to the log (and kept in the outbox table)."""

    name = "console"

    def send_sms(self, *, phone: str, text: str) -> str:
        log.warning("SMS to %s: %s", phone, text)
        return ""


class FileSmsBackend(SmsBackend):
    """Demo: one JSON line per SMS in ``$YICHUANG_VAR_DIR/notify/sms.jsonl``."""

    name = "file"

    def send_sms(self, *, phone: str, text: str) -> str:
        directory = settings.VAR_DIR / "notify"
        directory.mkdir(parents=True, exist_ok=True)
        with open(directory / "sms.jsonl", "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"at": timezone.now().isoformat(), "phone": phone, "text": text},
                                ensure_ascii=False) + "\n")
        return ""


class EmailBackend(Backend):
    name = "email"
    channel = Channel.EMAIL

    def send(self, message: Message) -> str:
        from django.core.mail import send_mail

        send_mail(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.email])
        return ""


@lru_cache(maxsize=8)
def _load(paths: tuple[str, ...]) -> tuple[Backend, ...]:
    return tuple(import_string(p)() for p in paths)


def backends() -> tuple[Backend, ...]:
    return _load(tuple(settings.YICHUANG_NOTIFY_BACKENDS))


__all__ = ["Backend", "SmsBackend", "ConsoleSmsBackend", "FileSmsBackend", "EmailBackend", "Message", "backends"]
