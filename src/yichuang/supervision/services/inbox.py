"""站内消息: the staff inbox. Each message is also sent through the notification channel (SMS adapter / e-mail)
once the transaction commits."""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from yichuang.accounts.models import User
from yichuang.notify.backends import Message
from yichuang.notify.constants import Event
from yichuang.notify.services import notify_send

from ..constants import NoticeLevel
from ..models import InboxMessage

log = logging.getLogger(__name__)


def _external(user: User, title: str, body: str) -> None:
    """The channel records its own failures; anything else going wrong there is logged and never breaks a job."""
    try:
        notify_send(message=Message(event=Event.REMINDER, subject=title[:200], body=f"{title}\n{body}".strip(),
                                    phone=user.phone or "", email=user.email or ""))
    except Exception:
        log.exception("notification channel failed")


def inbox_post(*, user: User, title: str, body: str = "", level: str = NoticeLevel.INFO, link: str = "",
               key: str = "") -> InboxMessage | None:
    """Post one message to a staff member's inbox; with a ``key``, at most once per user and key."""
    if key and InboxMessage.objects.filter(user=user, key=key).exists():
        return None
    try:
        with transaction.atomic():
            msg = InboxMessage.objects.create(user=user, title=title[:200], body=body, level=level, link=link,
                                              key=key)
    except IntegrityError:
        return None
    transaction.on_commit(lambda: _external(user, title, body))
    return msg


def inbox_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    qs = InboxMessage.objects.filter(user=user, read_at__isnull=True)
    if ids:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
