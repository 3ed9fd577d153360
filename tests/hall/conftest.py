import datetime as dt
import itertools

import pytest
from django.utils import timezone

from yichuang.accounts.models import Centre, Department, User
from yichuang.catalog.models import Matter, WindowDomain
from yichuang.core.validators import id_number_check_char
from yichuang.hall import services

_seq = itertools.count(1)


def make_id(birth: dt.date, *, wrong_check: bool = False) -> str:
    first17 = f"110101{birth:%Y%m%d}{next(_seq) % 1000:03d}"
    check = id_number_check_char(first17)
    if wrong_check:
        check = "0" if check != "0" else "1"
    return first17 + check


@pytest.fixture
def hall(db):
    """A centre with two domains (A 社会事务, B 企业事务), a department matter, and helpers."""
    centre = Centre.objects.create(code="110101", name="东城区政务服务中心", level="county")
    dept = Department.objects.create(code="mz", name="民政局", centre=centre)
    a = WindowDomain.objects.create(code="social", name="社会事务", ticket_prefix="A", order=1)
    b = WindowDomain.objects.create(code="business", name="企业事务", ticket_prefix="B", order=2)
    matter = Matter.objects.create(implementation_code="M1", name="婚姻登记", department=dept, matter_type="confirmation",
                                   domain=a, legal_limit_days=1, promised_limit_days=1, handling_kind="immediate")

    class H:
        pass

    h = H()
    h.centre, h.dept, h.a, h.b, h.matter = centre, dept, a, b, matter
    counter = itertools.count(1)

    def clerk(domains=(), matters=(), role="clerk"):
        n = next(counter)
        u = User.objects.create(username=f"clerk{n}", role=role, centre=centre, display_name=f"窗口员{n}")
        if domains or matters:
            services.skill_set(user=u, domains=list(domains), matters=list(matters))
        return u

    def window(number=None, window_type="general", domains=(), clerk_user=None, department=None):
        w = services.window_create(actor=None, centre=centre, number=number or str(next(counter)),
                                   window_type=window_type, domains=list(domains), department=department)
        if clerk_user is not None:
            services.clerk_sign_in(window=w, clerk=clerk_user)
            w.refresh_from_db()
        return w

    h.clerk, h.window = clerk, window
    h.now = timezone.now()
    return h


@pytest.fixture
def open_hall(hall):
    """hall + window 1 (general, clerk with both domains) open."""
    hall.c1 = hall.clerk(domains=[hall.a, hall.b])
    hall.w1 = hall.window(number="1", clerk_user=hall.c1)
    return hall
