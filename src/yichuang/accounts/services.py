from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from yichuang.audit.services import audit_record
from yichuang.core import crypto
from yichuang.core.errors import NotFound, PermissionDeniedError, ValidationFailed
from yichuang.core.validators import validate_id_number

from .constants import CentreLevel, Role
from .lockout import login_check, login_failed, login_succeeded
from .models import ApiToken, Centre, Department, User
from .selectors import centre_in_jurisdiction


def _token_hash(key: str) -> str:
    """A new token's digest: the current suite's hash (SHA-256, or SM3 under the 国密 suite)."""
    return crypto.hexdigest(key.encode())


def _token_hashes(key: str) -> list[str]:
    """Every digest a stored token of this key may carry (issued under either suite)."""
    return crypto.hexdigests(key.encode())


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
    attempt = login_check(username=username, ip=ip)
    user = authenticate(username=username, password=password)
    if user is None or not user.is_active:
        login_failed(username=username, ip=ip, attempt=attempt)
        raise PermissionDeniedError("用户名或密码错误。", "Wrong username or password.", code="bad_credentials")
    login_succeeded(username=username, ip=ip)
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=_token_hash(key), label=label)
    audit_record(actor=user, action="token.issue", obj=user, after={"label": label})
    return user, key


# ---------------------------------------------------------------- API tokens: the lookup every process shares

# An API call finds its token's user in Django's cache (Redis when YICHUANG_REDIS_URL is set, so every server
# process reads the same entries), each entry stamped with the generation it was read under. Whatever may change
# what a token stands for — a user deactivated, deleted, given another role, centre, department or post; a token
# revoked; a centre edited — draws a new generation (token_cache_invalidate): every process's entries stop counting
# at the next call. It is drawn in one place, accounts/signals.py, on every save and delete of a user, token or
# centre, so the services below and the Django admin retire the entries alike. Such changes are an administrator's,
# and rare, so one generation covers every user and token.
# API_TOKEN_CACHE_SECONDS only bounds an entry's life (0 keeps none: every call reads the database).
_GENERATION_KEY = "accounts.token.generation"
# Not kept in the cache: the password hash and the encrypted ID and phone numbers (loaded when a request reads them).
_NOT_CACHED = ("user__password", "user__phone", "user__id_number")


def _token_key(digest: str) -> str:
    return f"accounts.token.{digest}"


def _token_cache_seconds() -> float:
    return float(getattr(settings, "API_TOKEN_CACHE_SECONDS", 300))


def _draw_generation() -> None:
    cache.set(_GENERATION_KEY, secrets.token_hex(8), timeout=None)


def token_cache_invalidate() -> None:
    """Every cached token lookup, in every process, stops counting. Drawn now (nothing later in this transaction,
    or in a test, reads the old) and again at commit: a process that read the old rows between now and the
    commit stamped them with the first new generation, which the second one retires. A generation, not a counter:
    if the cache loses the key, a fresh draw cannot bring an old generation back."""
    _draw_generation()
    transaction.on_commit(_draw_generation)


def token_authenticate(key: str) -> User | None:
    """The active user a bearer token stands for, or None."""
    digest = _token_hash(key)
    ttl, generation = _token_cache_seconds(), None
    if ttl > 0:
        got = cache.get_many([_GENERATION_KEY, _token_key(digest)])
        generation = got.get(_GENERATION_KEY)
        if generation is None:
            generation = secrets.token_hex(8)
            if not cache.add(_GENERATION_KEY, generation, timeout=None):
                generation = cache.get(_GENERATION_KEY)
        entry = got.get(_token_key(digest))
        if entry is not None and generation is not None and entry[0] == generation:
            return entry[1]  # a fresh copy (the cache unpickles one per get): a request may set attributes on it
    # The generation was read BEFORE the rows: an entry stamped with it holds rows at least as new as it.
    token = (ApiToken.objects.select_related("user__centre").defer(*_NOT_CACHED)
             .filter(key_hash__in=_token_hashes(key)).first())
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    if ttl > 0 and generation is not None:
        cache.set(_token_key(digest), (generation, token.user), timeout=ttl)
    return token.user


def _is_admin(actor) -> bool:
    return (actor is not None and actor.is_authenticated and actor.is_active
            and (actor.is_superuser or actor.role == Role.ADMIN))


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> None:
    """Revoke an API token (its owner, or an administrator): refused at once by every process."""
    if not (_is_admin(actor) or (actor is not None and actor.pk == token.user_id)):
        raise PermissionDeniedError("您不能撤销该令牌。", "You may not revoke this token.", code="token_revoke")
    owner, label = token.user, token.label
    token.delete()
    audit_record(actor=actor, action="token.revoke", obj=owner, after={"label": label})


def token_revoke_own(*, actor: User, key: str) -> None:
    """The caller revokes the bearer token it calls with (logout): token_revoke, for the token of that key."""
    token = ApiToken.objects.select_related("user").filter(key_hash__in=_token_hashes(key)).first()
    if token is None:
        raise NotFound("令牌不存在或已撤销。", "No such token, or it was revoked.", code="token_not_found")
    token_revoke(actor=actor, token=token)


@transaction.atomic
def user_tokens_revoke(*, actor: User, user: User) -> int:
    """Revoke every API token of an account (an administrator, or the account itself: signed out of every client);
    refused at once by every process. Audited once, with the tokens' labels. Returns how many were revoked."""
    if not (_is_admin(actor) or (actor is not None and actor.pk == user.pk)):
        raise PermissionDeniedError("只有管理员可以撤销他人的令牌。", "Only administrators may revoke others' tokens.",
                                    code="token_revoke")
    tokens = list(ApiToken.objects.select_for_update().filter(user=user).order_by("pk"))
    ApiToken.objects.filter(pk__in=[t.pk for t in tokens]).delete()
    audit_record(actor=actor, action="token.revoke_all", obj=user,
                 after={"username": user.username, "count": len(tokens), "labels": [t.label for t in tokens]})
    return len(tokens)


@transaction.atomic
def user_deactivate(*, actor: User, user: User, reason: str = "") -> User:
    """An administrator deactivates an account (停用): its sessions and API tokens are refused at once, in every
    process. Audited with the reason."""
    if not _is_admin(actor):
        raise PermissionDeniedError("只有管理员可以停用账号。", "Only administrators may deactivate accounts.",
                                    code="user_deactivate")
    locked = User.objects.select_for_update().get(pk=user.pk)
    before = locked.is_active
    locked.is_active = False
    locked.save(update_fields=["is_active"])
    audit_record(actor=actor, action="user.deactivate", obj=locked, before={"is_active": before},
                 after={"is_active": False, "username": locked.username, "reason": (reason or "").strip()[:200]})
    return locked


@transaction.atomic
def user_role_set(*, actor: User, user: User, role: str, centre: Centre | None = None,
                  department: Department | None = None) -> User:
    """An administrator gives an account another role, centre or department; the API sees the new ones at the next
    call, in every process. A department brings its centre. Audited."""
    if not _is_admin(actor):
        raise PermissionDeniedError("只有管理员可以变更角色。", "Only administrators may change roles.",
                                    code="user_role")
    if role not in Role.values:
        raise ValidationFailed(f"未知角色：{role}", f"Unknown role: {role}", field="role")
    if role == Role.APPROVER and department is None:
        raise ValidationFailed("后台审批员必须属于一个部门。", "A back-office approver must belong to a department.",
                               field="department")
    if department is not None and centre is None:
        centre = department.centre
    locked = User.objects.select_for_update().get(pk=user.pk)
    before = {"role": locked.role, "centre": locked.centre_id, "department": locked.department_id}
    locked.role, locked.centre, locked.department = role, centre, department
    locked.is_staff = role == Role.ADMIN or locked.is_superuser
    locked.save(update_fields=["role", "centre", "department", "is_staff"])
    audit_record(actor=actor, action="user.role", obj=locked, before=before,
                 after={"role": role, "centre": locked.centre_id, "department": locked.department_id,
                        "username": locked.username})
    return locked


# ---------------------------------------------------------------- A/B posts: who is on post (在岗状态)


def _may_set_absence(actor: User, user: User) -> bool:
    """Administrators of the approver's centre (or above it); an approver of the same department (for himself or a
    colleague: the A post going on leave, or the B post recording that A is away). Supervisors (效能监察) see the
    posts and write nothing."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return False
    if actor.is_superuser:
        return True
    if actor.role == Role.ADMIN:
        return user.department is None or centre_in_jurisdiction(user=actor, centre_id=user.department.centre_id)
    return actor.role == Role.APPROVER and actor.department_id is not None and actor.department_id == user.department_id


def user_absence_may_set(*, actor: User, user: User) -> bool:
    """For the 岗位 page: whether it offers ``actor`` to mark ``user`` absent or back (the service decides)."""
    return _may_set_absence(actor, user)


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
        raise PermissionDeniedError("您不能设置该审批员的在岗状态（限本部门审批员或本中心管理员；效能监察只查看）。",
                                    "You may not set this approver's post status (only approvers of the same "
                                    "department or administrators of the centre; supervisors watch).", code="absence")
    reason = (reason or "").strip()[:200]
    if absent and not reason:
        raise ValidationFailed("请填写缺席原因（如：休假、外出公干）。", "Give the reason for the absence.",
                               field="reason")
    before = locked.is_absent
    if before != bool(absent):
        locked.is_absent = bool(absent)
        locked.save(update_fields=["is_absent"])  # the signal retires cached token lookups
    audit_record(actor=actor, action="user.absence", obj=locked, before={"is_absent": before},
                 after={"is_absent": bool(absent), "username": locked.username, "post": locked.post,
                        "reason": reason})
    return locked
