"""Reads about centres, departments and users that several apps share."""

from __future__ import annotations

from django.db import connection

from .constants import Post, Role
from .models import Centre, Department, User


def centre_lineage_ids(*centre_ids: int) -> set[int]:
    """These centres and all the centres above them (their jurisdiction chain), in one recursive query instead of
    one query per level."""
    table = Centre._meta.db_table
    marks = ", ".join(["%s"] * len(centre_ids))
    with connection.cursor() as cur:
        cur.execute(f"WITH RECURSIVE up(id, parent_id) AS (SELECT id, parent_id FROM {table} WHERE id IN ({marks}) "
                    f"UNION SELECT c.id, c.parent_id FROM {table} c JOIN up ON c.id = up.parent_id) SELECT id FROM up",
                    list(centre_ids))
        return {row[0] for row in cur.fetchall()}


def centre_in_jurisdiction(*, user, centre_id: int | None) -> bool:
    """Whether a write of ``user`` reaches something of centre ``centre_id``: a staff member's reach ends at his
    centre and the centres under it; an administrator (or superuser) without a centre reaches every centre. Anyone
    else without a centre reaches none (deny by default)."""
    if user is None or centre_id is None:
        return False
    if not user.centre_id:
        return bool(user.is_superuser or user.role == Role.ADMIN)
    return user.centre_id == centre_id or user.centre_id in centre_lineage_ids(centre_id)


def post_roster(*, user) -> list[dict]:
    """岗位/在岗状态: the departments ``user`` may see the A/B posts of (an approver: his own; a supervisor: those of
    his centre; an administrator: all, or his centre's), each with its approvers and who acts now."""
    if user.is_superuser or user.role == Role.ADMIN:
        depts = Department.objects.filter(is_active=True)
        if user.centre_id:
            depts = depts.filter(centre_id=user.centre_id)
    elif user.role == Role.SUPERVISOR:
        depts = Department.objects.filter(is_active=True, centre_id=user.centre_id)
    elif user.role == Role.APPROVER and user.department_id:
        depts = Department.objects.filter(pk=user.department_id)
    else:
        return []
    staff: dict[int, list] = {}
    for u in (User.objects.filter(role=Role.APPROVER, is_active=True, department__in=depts)
              .order_by("post", "username")):
        staff.setdefault(u.department_id, []).append(u)
    out = []
    for d in depts.order_by("code"):
        people = staff.get(d.pk, [])
        a_present = [u for u in people if u.post != Post.B and not u.is_absent]
        b_present = [u for u in people if u.post == Post.B and not u.is_absent]
        if a_present:
            acting, state = a_present, "a"
        elif b_present:
            acting, state = b_present, "b"
        else:
            acting, state = [], "none"
        out.append({"department": d, "approvers": people, "acting": acting, "state": state})
    return [row for row in out if row["approvers"]]
