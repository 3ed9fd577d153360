from __future__ import annotations

import copy
import hashlib
import secrets

from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone

from yichuang.audit.services import audit_record
from yichuang.core.errors import PermissionDeniedError, ValidationFailed
from yichuang.core.ttlcache import TTLCache
from yichuang.core.validators import validate_id_number

from .constants import CentreLevel, Role
from .lockout import login_check, login_failed, login_succeeded
from .models import ApiToken, Centre, Department, User


def _token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def centre_create(*, code: str, name: str, level: str, parent: Centre | None = None, address: str = "",
                  phone: str = "", opening_hours: str = "") -> Centre:
    if not code.isdigit() or len(code) not in (6, 9, 12):
        raise ValidationFailed(
            f"行政区划代码“{code}”应为6、9或12位数字。", f"Division code {code!r} must be 6, 9 or 12 digits.",
            field="code")
    if level not in CentreLevel.values:
        raise ValidationFailed(f"未知层级：{level}", f"Unknown level: {level}", field="level")
    centre = Centre.objects.create(code=code, name=name, level=level, parent=parent, address=address, phone=phone,
                                   opening_hours=opening_hours)
    audit_record(actor=None, action="centre.create", obj=centre, centre=centre, after={"code": code, "name": name})
    return centre


@transaction.atomic
def department_create(*, code: str, name: str, centre: Centre, short_name: str = "") -> Department:
    if Department.objects.filter(code=code).exists():
        raise ValidationFailed(f"部门编码“{code}”已存在。", f"Department code {code!r} already exists.", field="code")
    dept = Department.objects.create(code=code, name=name, short_name=short_name or name, centre=centre)
    audit_record(actor=None, action="department.create", obj=dept, after={"code": code, "name": name})
    return dept


@transaction.atomic
def user_create(*, username: str, password: str, role: str, display_name: str = "", centre: Centre | None = None,
                department: Department | None = None, post: str = "", phone: str = "", id_number: str = "",
                is_superuser: bool = False) -> User:
    if role not in Role.values:
        raise ValidationFailed(f"未知角色：{role}", f"Unknown role: {role}", field="role")
    if role == Role.APPROVER and department is None:
        raise ValidationFailed("后台审批员必须属于一个部门。", "A back-office approver must belong to a department.",
                               field="department")
    if id_number:
        id_number = validate_id_number(id_number)
    user = User(username=username, role=role, display_name=display_name, centre=centre, department=department,
                post=post, phone=phone, id_number=id_number, is_superuser=is_superuser,
                is_staff=role == Role.ADMIN or is_superuser)
    user.set_password(password)
    user.save()
    audit_record(actor=None, action="user.create", obj=user, after={"username": username, "role": role})
    return user


def token_issue(*, username: str, password: str, label: str = "", ip: str = "unknown") -> tuple[User, str]:
    """A new API token for good credentials; failures count towards the login lockout (accounts.lockout)."""
    login_check(username=username, ip=ip)
    user = authenticate(username=username, password=password)
    if user is None or not user.is_active:
        login_failed(username=username, ip=ip)
        raise PermissionDeniedError("用户名或密码错误。", "Wrong username or password.", code="bad_credentials")
    login_succeeded(username=username, ip=ip)
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=_token_hash(key), label=label)
    audit_record(actor=user, action="token.issue", obj=user, after={"label": label})
    return user, key


# A per-process cache of token → user, so that an API call does not look its token up every time. Entries live
# API_TOKEN_CACHE_SECONDS (default 10 s): a deleted token or a deactivated user stops working within that time.
_token_cache = TTLCache("API_TOKEN_CACHE_SECONDS", 10)


def token_cache_clear() -> None:
    _token_cache.forget()


def token_authenticate(key: str) -> User | None:
    digest = _token_hash(key)
    user = _token_cache.get(digest)
    if user is not None:
        return copy.copy(user)  # a copy: a request may set attributes on its user
    token = ApiToken.objects.select_related("user__centre").filter(key_hash=digest).first()
    if token is None or not token.user.is_active:
        _token_cache.forget(digest)
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    _token_cache.put(digest, token.user)
    return copy.copy(token.user)


# ---------------------------------------------------------------- A/B posts: who is on post (在岗状态)


def _may_set_absence(actor: User, user: User) -> bool:
    """Administrators; a supervisor (效能监察) of the approver's centre; an approver of the same department (for
    himself or a colleague: the A post going on leave, or the B post recording that A is away)."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return False
    if actor.is_superuser or actor.role == Role.ADMIN:
        return True
    if actor.role == Role.SUPERVISOR:
        return actor.centre_id is None or user.department is None or user.department.centre_id == actor.centre_id
    return actor.role == Role.APPROVER and actor.department_id is not None and actor.department_id == user.department_id


@transaction.atomic
def user_absence_set(*, actor: User, user: User, absent: bool, reason: str = "") -> User:
    """Mark a back-office approver absent (缺席: on leave, away on business) or back on post. While every A-post
    approver of a department is absent, its B post acts (cases.services._check_department). Audited with the
    reason; the row is locked so two clicks at once record two honest events."""
    locked = User.objects.select_for_update(of=("self",)).select_related("department").filter(pk=user.pk).first()
    if locked is None or locked.role != Role.APPROVER:
        raise ValidationFailed("只有后台审批员有A/B岗在岗状态。", "Only back-office approvers have an A/B post status.",
                               field="user")
    if not _may_set_absence(actor, locked):
        raise PermissionDeniedError("您不能设置该审批员的在岗状态（限本部门审批员、本中心效能监察或管理员）。",
                                    "You may not set this approver's post status (only approvers of the same "
                                    "department, supervisors of the centre or administrators).", code="absence")
    reason = (reason or "").strip()[:200]
    if absent and not reason:
        raise ValidationFailed("请填写缺席原因（如：休假、外出公干）。", "Give the reason for the absence.",
                               field="reason")
    before = locked.is_absent
    if before != bool(absent):
        locked.is_absent = bool(absent)
        locked.save(update_fields=["is_absent"])
    token_cache_clear()  # an API token's cached user must not act on the old status
    audit_record(actor=actor, action="user.absence", obj=locked, before={"is_absent": before},
                 after={"is_absent": bool(absent), "username": locked.username, "post": locked.post,
                        "reason": reason})
    return locked
