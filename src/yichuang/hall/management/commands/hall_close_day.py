"""``yichuang hall-close-day``: close leftover tickets so the waiting set (and each call) stays small."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from yichuang.hall.services import hall_close_day


class Command(BaseCommand):
    help = "日终关闭：关闭当天之前（或 --tonight 时含当天）的遗留等候号。Close leftover tickets of past days."

    def add_arguments(self, parser):
        parser.add_argument("--tonight", action="store_true", help="at closing time: include today's tickets")

    def handle(self, *args, tonight=False, **options):
        day = timezone.localdate() + dt.timedelta(days=1 if tonight else 0)
        closed = hall_close_day(day=day)
        self.stdout.write(f"已关闭 {closed} 个遗留号 / closed {closed} leftover tickets")
