"""Who of a department may act on its case: department isolation and A/B posts (A/B岗).

A case is handled by the department it was forwarded to (``Case.department``); only that department's
approvers act on it. An approver on post A acts unless marked absent; an approver on post B acts only while no
active A-post approver of the same department is present (all are marked absent). An approver with no post set
is treated as post A.
"""

from __future__ import annotations

from yichuang.accounts.constants import Post, Role
from yichuang.accounts.models import User
from yichuang.core.errors import PermissionDeniedError


def a_post_present(department_id: int) -> bool:
    """Whether an active approver of the department who is not on post B is present."""
    return User.objects.filter(department_id=department_id, role=Role.APPROVER, is_active=True,
                               is_absent=False).exclude(post=Post.B).exists()


def department_check(*, case, actor: User) -> None:
    """Refuse ``actor`` unless they belong to the case's department and their post may act now."""
    dept_id = case.department_id
    if actor.department_id != dept_id:
        raise PermissionDeniedError(
            f"本件由“{case.department.name}”办理，您不属于该部门。",
            "This case belongs to another department.", code="department")
    if actor.post == Post.B:
        if actor.is_absent:
            raise PermissionDeniedError("您已被标记为缺席，不能办理。", "You are marked absent.", code="absent")
        if a_post_present(dept_id):
            raise PermissionDeniedError("A/B岗：A岗在岗时，B岗不能办理。",
                                        "A/B posts: post B may act only while post A is absent.", code="b_post")
    elif actor.is_absent:
        raise PermissionDeniedError("您已被标记为缺席，请由B岗办理。",
                                    "You are marked absent; post B handles your cases.", code="absent")
