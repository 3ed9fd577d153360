"""Load the demo centre through the services. Idempotent: what exists is kept (users, centres,
departments) or updated in place (domains, licence types, matters — a matter only gets a new version when
its content changed)."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field

from django.db import transaction

from yichuang.accounts import services as accounts
from yichuang.accounts.models import Centre, Department, User
from yichuang.catalog import services as catalog
from yichuang.licences import selectors as licence_selectors
from yichuang.licences import services as licences

from . import org
from .bundles import demo_bundles_load
from .hall import hall_demo_load
from .history import demo_history, demo_start, set_up_in_the_past
from .matters import demo_matters


@dataclass
class LoadReport:
    centres: int = 0
    departments: int = 0
    users: int = 0
    matters: int = 0
    bundles: int = 0
    created: dict[str, int] = field(default_factory=dict)


def _centres(report: LoadReport) -> dict[str, Centre]:
    out: dict[str, Centre] = {}
    for code, name, level, parent, address, phone in org.CENTRES:
        centre = Centre.objects.filter(code=code).first()
        if centre is None:
            centre = accounts.centre_create(code=code, name=name, level=level, parent=out.get(parent) if parent else None,
                                            address=address, phone=phone, opening_hours=org.OPENING_HOURS)
            report.created["centres"] = report.created.get("centres", 0) + 1
        out[code] = centre
    report.centres = len(out)
    return out


def _departments(centre: Centre, report: LoadReport) -> dict[str, Department]:
    out: dict[str, Department] = {}
    for short, name, short_name, _org in org.DEPARTMENTS:
        code = org.department_code(short)
        dept = Department.objects.filter(code=code).first()
        if dept is None:
            dept = accounts.department_create(code=code, name=name, centre=centre, short_name=short_name)
            report.created["departments"] = report.created.get("departments", 0) + 1
        out[short] = dept
    report.departments = len(out)
    return out


def _users(centres: dict[str, Centre], depts: dict[str, Department], report: LoadReport) -> None:
    for username, display, role, dept, post, centre, id17, phone, superuser in org.USERS:
        if not User.objects.filter(username=username).exists():
            accounts.user_create(username=username, password=org.DEMO_PASSWORD, role=role, display_name=display,
                                 centre=centres.get(centre) if centre else None,
                                 department=depts.get(dept) if dept else None, post=post, phone=phone,
                                 id_number=org.make_id_number(id17), is_superuser=superuser)
            report.created["users"] = report.created.get("users", 0) + 1
        report.users += 1


def _licences(report: LoadReport) -> None:
    for type_code, kind, holder, first17 in org.DEMO_LICENCES:
        identifier = org.make_id_number(first17) if kind == "person" else org.make_credit_code(first17)
        if licence_selectors.licence_current(identifier=identifier, type_code=type_code) is None:
            licences.licence_issue(licence_type=type_code, holder_kind=kind, holder_name=holder,
                                   holder_identifier=identifier, data={"demo": True})
            report.created["licences"] = report.created.get("licences", 0) + 1


def demo_load() -> LoadReport:
    """Create or refresh the whole demo centre.

    On a fresh database the set-up (centres, catalogue, users, licences, bundles) is dated the morning before the
    history's first day, then two weeks of history are made step by step up to now (see :mod:`.history`), then
    the hall opens today: so the audit chain, and every case's history, run forward in time."""
    report = LoadReport()
    fresh = not Centre.objects.filter(code=org.DEMO_CENTRE_CODE).exists()
    with set_up_in_the_past(demo_start()) if fresh else nullcontext(), transaction.atomic():
        centres = _centres(report)
        depts = _departments(centres[org.DEMO_CENTRE_CODE], report)
        for i, (code, name, prefix) in enumerate(org.DOMAINS):
            catalog.domain_save(code=code, name=name, ticket_prefix=prefix, order=i + 1)
        for code, name, dept, years in org.LICENCE_TYPES:
            catalog.licence_type_save(code=code, name=name, issuing_department=depts[dept], validity_years=years)
        for item in demo_matters():
            catalog.matter_save(spec=item["spec"], situations=item["situations"], materials=item["materials"])
            report.matters += 1
        _users(centres, depts, report)
        _licences(report)
        report.bundles = demo_bundles_load()  # 一件事 and 跨域通办 regions, once the matters exist
    centre = Centre.objects.get(code=org.DEMO_CENTRE_CODE)
    demo_history(centre=centre)
    with transaction.atomic():
        hall_demo_load(centre=centre)
    return report
