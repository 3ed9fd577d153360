import pytest

from tests.cases.conftest import accepted_case, build_world, fast_hasher  # noqa: F401
from yichuang.cases import services as cs
from yichuang.catalog.models import WindowDomain
from yichuang.hall import services as hall


@pytest.fixture
def world(db, fast_hasher):  # noqa: F811
    return build_world()


def decided_case(w, **kw):
    return cs.case_approve(case=accepted_case(w, **kw), actor=w.approver, opinion="符合条件")


def finished_ticket(w, *, number: str = "9"):
    """A ticket of today served to the end at a window of ``w.clerk``, and the rating code its slip printed."""
    domain = WindowDomain.objects.get(code="enterprise")
    window = hall.window_create(actor=None, centre=w.centre, number=number, domains=[domain])
    hall.skill_set(user=w.clerk, domains=[domain])
    hall.clerk_sign_in(window=window, clerk=w.clerk)
    window.refresh_from_db()
    ticket = hall.ticket_issue(centre=w.centre, domain=domain)
    code = ticket.rating_code
    ticket = hall.ticket_call_next(window=window, clerk=w.clerk)
    ticket = hall.ticket_finish(window=window, clerk=w.clerk, ticket=ticket)
    return ticket, code
