"""Every write to a case. State changes go through ONE door, :func:`case_transition`, which checks the
role, 受审分离, department isolation with A/B posts and the allowed from-states, and writes the history row
and the audit event in the same transaction as the change, with the case row locked (SELECT … FOR UPDATE).

A/B posts (A/B岗): an approver on post A acts unless marked absent; an approver on post B acts only while
no active A-post approver of the same department is present (all are marked absent). An approver with no
post set is treated as post A.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone

from yichuang.accounts.constants import Post, Role
from yichuang.accounts.models import Centre, User
from yichuang.audit.services import audit_record
from yichuang.catalog.checklist import checklist_build
from yichuang.catalog.constants import HandlingKind, Necessity
from yichuang.catalog.models import Matter, MatterVersion
from yichuang.core.errors import ConflictError, NotFound, PermissionDeniedError, ValidationFailed, label_en, label_zh
from yichuang.core.validators import validate_credit_code, validate_id_number
from yichuang.notify import hooks as notify_hooks
from yichuang.workcal.workdays import add_workdays, workdays_between

from . import hooks
from .constants import (
    FIVE_DAY_RULE_WORKDAYS,
    NOTICE_PREFIX,
    PHYSICAL_CHANNELS,
    ApplicantKind,
    Channel,
    DeliveryMethod,
    MaterialMedium,
    MaterialStatus,
    NoticeKind,
    SuspensionReason,
)
from .constants import CaseState as S
from .deadline import due_dates
from .forms import form_validate
from .models import ApplicantCredit, Case, CaseMaterial, CaseSequence, CaseTransition, Delivery, Notice, Suspension
from .selectors import case_check_visible, case_materials, case_result_fields
from .statemachine import Rule, rule_for, state_en
from .uploads import upload_read

# 《行政许可法》第四十二条: 20 working days, extendable once by 10 with the head of the organ's approval.
EXTENSION_MAX_WORKDAYS = 10
BLOCKING = (MaterialStatus.MISSING, MaterialStatus.INCORRECT)


def _today() -> dt.date:
    return timezone.localdate()


def _label(state: str) -> str:
    return S(state).label


# ---------------------------------------------------------------- the one door


def _authorise(*, case: Case, rule: Rule, actor: User | None, to: str) -> None:
    if actor is None:
        if not rule.system:
            raise PermissionDeniedError("该操作须由工作人员执行。", "This step must be taken by a staff member.")
        return
    if actor.role not in rule.roles:
        raise PermissionDeniedError(
            f"您的角色“{label_zh(actor.get_role_display())}”不能将办件转为“{_label(to)}”。",
            f"As {label_en(actor.get_role_display(), 'this role')} you may not make a case {state_en(to)}.",
            code="role")
    if actor.role == Role.APPLICANT and not (actor.id_number and actor.id_number == case.applicant_id_number):
        raise PermissionDeniedError("只能操作本人的办件。", "Applicants may act only on their own cases.", code="not_own")
    if rule.separation and case.received_by_id is not None and case.received_by_id == actor.pk:
        raise PermissionDeniedError("受审分离：本件由您收件，不能由您受理或审批。",
                                    "Separation of receipt and review: you received this case, so you may not "
                                    "accept or decide it.", code="separation")
    if rule.department:
        _check_department(case=case, actor=actor)


def _check_department(*, case: Case, actor: User) -> None:
    dept_id = case.department_id
    if actor.department_id != dept_id:
        raise PermissionDeniedError(
            f"本件由“{case.department.name}”办理，您不属于该部门。",
            "This case belongs to another department.", code="department")
    if actor.post == Post.B:
        if actor.is_absent:
            raise PermissionDeniedError("您已被标记为缺席，不能办理。", "You are marked absent.", code="absent")
        a_present = User.objects.filter(department_id=dept_id, role=Role.APPROVER, is_active=True,
                                        is_absent=False).exclude(post=Post.B).exists()
        if a_present:
            raise PermissionDeniedError("A/B岗：A岗在岗时，B岗不能办理。",
                                        "A/B posts: post B may act only while post A is absent.", code="b_post")
    elif actor.is_absent:
        raise PermissionDeniedError("您已被标记为缺席，请由B岗办理。",
                                    "You are marked absent; post B handles your cases.", code="absent")


# What a service needs of a locked case, and what the API detail shows, in one query (the frozen snapshot of the
# matter version is left out; it is read only by the few steps that need it).
LOCK_RELATED = ("matter", "department", "centre", "handling_centre", "matter_version")


def _lock_qs(with_materials: bool = False):
    qs = (Case.objects.select_for_update(of=("self",)).select_related(*LOCK_RELATED)
          .defer("matter_version__snapshot")
          .annotate(has_notices=Exists(Notice.objects.filter(case_id=OuterRef("pk")))))
    if with_materials:
        qs = qs.prefetch_related(Prefetch("materials", queryset=CaseMaterial.objects.order_by("order", "id")))
    return qs


def _lock(case: Case, *, with_materials: bool = False) -> Case:
    """The case row, locked FOR UPDATE until the end of the transaction (only the case row: the joined matter,
    department, centres and version are read, not locked). ``has_notices`` comes with it: most cases have none,
    and then the detail shown after the step does not look for them (see ``selectors.case_notices``).
    ``with_materials``: the material rows are read with it and kept on the case (as ``selectors.case_materials``
    keeps them), for a step that checks them without changing them.

    A key by number (``selectors.case_key_for``: not read yet) is read and locked here in the same query, and the
    visibility check the key carries is made on the locked row, before any other check."""
    key, value = ("number", case.number) if case.pk is None else ("pk", case.pk)
    locked = _lock_qs(with_materials).filter(**{key: value}).first()
    if locked is None:
        raise NotFound("办件不存在。", "No such case.")
    viewer = getattr(case, "viewer", None)
    if viewer is not None:
        case_check_visible(user=viewer, case=locked)
    return locked


def _begin(*, case: Case, to: str, actor: User | None, with_materials: bool = False) -> Case:
    """Lock the case and check that ``actor`` may move it to ``to`` (no write)."""
    locked = _lock(case, with_materials=with_materials)
    _authorise(case=locked, rule=rule_for(locked.state, to), actor=actor, to=to)
    return locked


def _history(*, case: Case, frm: str, to: str, actor: User | None, reason: str = "", data: dict | None = None,
             action: str = "") -> None:
    data = data or {}
    CaseTransition.objects.create(case=case, from_state=frm, to_state=to, actor=actor, at=timezone.now(),
                                  reason=reason, data=data)
    audit_record(actor=actor, action=action or f"case.{to}", obj=case, before={"state": frm} if frm else None,
                 after={"state": to, "number": case.number, "reason": reason, **data})


@transaction.atomic
def case_transition(*, case: Case, to: str, actor: User | None, reason: str = "", data: dict | None = None,
                    updates: dict[str, Any] | None = None) -> Case:
    """THE door for every state change: lock, checks, then state + ``updates``, history row and audit event."""
    return _transition(locked=_begin(case=case, to=to, actor=actor), to=to, actor=actor, reason=reason, data=data,
                       updates=updates)


def _transition(*, locked: Case, to: str, actor: User | None, reason: str = "", data: dict | None = None,
                updates: dict[str, Any] | None = None) -> Case:
    """The door for a service that already holds the row lock (``_begin``/``_lock`` earlier in the SAME
    transaction): the checks run again on the locked row, then the write, the history row and the audit event."""
    assert transaction.get_connection().in_atomic_block, "_transition needs the transaction that holds the lock"
    _authorise(case=locked, rule=rule_for(locked.state, to), actor=actor, to=to)
    frm = locked.state
    locked.state = to
    updates = dict(updates or {})
    if to == S.FORWARDED:  # the back office that takes the case over: the matter's department as of now
        updates.setdefault("department_id", locked.matter.department_id)
    for key, value in updates.items():
        setattr(locked, key, value)
    fields = {"state", "updated_at", *updates}
    locked.save(update_fields=sorted(fields))
    _history(case=locked, frm=frm, to=to, actor=actor, reason=reason, data=data)
    return locked


# ---------------------------------------------------------------- numbering, notices


def case_number_next(*, centre: Centre, day: dt.date) -> str:
    """Centre code + YYYYMMDD + 4-digit daily sequence. One statement draws the number (an upsert that creates
    the day's counter or increments it, returning the new value), so numbers never repeat.

    Outside a transaction (a receipt, once everything about it has been checked) the statement commits at once:
    the centre's one counter row is locked for that statement only, not for the whole receipt, so concurrent
    receipts do not queue behind each other. A receipt that then fails in the database leaves its number unused
    (a gap; nothing the applicant or the clerk can get wrong is checked that late). Inside a caller's transaction
    (a 一件事 bundle filing several cases at once) the row stays locked until that transaction ends, and a
    rollback takes the numbers back."""
    return _number_draw(centre=centre, day=day)


def _number_draw(*, centre: Centre, day: dt.date) -> str:
    """:func:`case_number_next`: the one raw statement of the receipt, an upsert of the day's counter that
    returns the new value (Django's ORM has no atomic create-or-increment returning the value)."""
    table = CaseSequence._meta.db_table
    with connection.cursor() as cur:
        cur.execute(f"INSERT INTO {table} (centre_id, day, last) VALUES (%s, %s, 1) "
                    f"ON CONFLICT (centre_id, day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
                    [centre.pk, day])
        (last,) = cur.fetchone()
    return f"{centre.code}{day:%Y%m%d}{last:04d}"


def _notice(*, case: Case, kind: str, actor: User | None, content: dict, text: str) -> Notice:
    n = case.notices.filter(kind=kind).count() + 1
    number = f"{case.number}-{NOTICE_PREFIX[kind]}{n:02d}"
    base = {"case_number": case.number, "applicant": case.applicant_name, "matter": case.matter.name,
            "matter_code": case.matter.implementation_code, "department": case.department.name,
            "date": _today().isoformat(), "title": NoticeKind(kind).label}
    notice = Notice.objects.create(case=case, kind=kind, number=number, content={**base, **content}, text=text,
                                   created_by=actor)
    audit_record(actor=actor, action=f"notice.{kind}", obj=notice, after={"number": number, "case": case.number})
    case.has_notices = True  # for the detail built from this instance (see selectors.case_notices)
    notify_hooks.notice_given(notice)  # tells the applicant after commit
    hooks.on_notice_given.fire(notice=notice)  # its 文号, in this transaction
    return notice


def _worded(kind: str, case: Case, **details: Any) -> dict:
    """The text and content of a notice whose words the documents give (see ``hooks.notice_wording``)."""
    words = hooks.notice_wording.first(kind=kind, case=case, **details)
    if words is None:
        raise ImproperlyConfigured(f"No wording for notices of kind {kind!r} (is the documents app installed?)")
    return words


# ---------------------------------------------------------------- receipt


def applicant_credit_set(*, identifier: str, bad_credit: bool, reason: str = "", actor: User | None = None
                         ) -> ApplicantCredit:
    identifier = identifier.strip().upper()
    row, _ = ApplicantCredit.objects.update_or_create(identifier=identifier,
                                                      defaults={"bad_credit": bad_credit, "reason": reason})
    audit_record(actor=actor, action="applicant.credit", obj=row, after={"bad_credit": bad_credit, "reason": reason})
    return row


def _has_bad_credit(identifier: str) -> bool:
    return bool(identifier) and ApplicantCredit.objects.filter(identifier=identifier, bad_credit=True).exists()


def _material_entry(value: Any) -> dict:
    if isinstance(value, str):
        return {"status": value}
    if isinstance(value, bool):
        return {"status": MaterialStatus.PROVIDED if value else MaterialStatus.MISSING}
    return dict(value or {})


def _apply_material(cm: CaseMaterial, entry: dict) -> None:
    status = entry.get("status", MaterialStatus.PROVIDED)
    if status not in MaterialStatus.values:
        raise ValidationFailed(f"材料状态“{status}”无效。", f"Invalid material status {status!r}.", field="materials")
    medium = entry.get("medium") or cm.medium or (MaterialMedium.PAPER if status == MaterialStatus.PROVIDED else "")
    if medium and medium not in MaterialMedium.values:
        raise ValidationFailed(f"材料载体“{medium}”无效。", f"Invalid medium {medium!r}.", field="materials")
    cm.status, cm.medium = status, medium
    if "note" in entry:
        cm.note = str(entry["note"] or "")[:300]


def _create_case(*, actor: User | None, matter_code: str, applicant_kind: str, applicant_name: str,
                 id_number: str, credit_code: str, contact_name: str, contact_phone: str, contact_address: str,
                 agent_name: str, agent_id_number: str, agent_authorisation: bool, answers: dict | None,
                 form_data: dict | None, materials: dict | None, channel: str, centre: Centre | None,
                 handling_centre: Centre | None, bad_credit: bool, ticket_number: str,
                 held_licence_types: frozenset | set, state: str, forward: bool = False,
                 uploads: dict | None = None) -> Case:
    """Check everything, draw the number, then write the case, its materials and its history in one transaction
    (and, with ``forward``, take it to the back office in the same transaction). ``uploads``: the scans handed in
    with the receipt, ``{requirement code: bytes or a Django File}``; each is checked (type from its content, size)
    with everything else, counts as that material provided (electronic) and is stored with the case, before a
    收件并流转 moves it on."""
    # The latest published version with its matter, department and centre: one query.
    version = (MatterVersion.objects.select_related("matter__department__centre")
               .filter(matter__implementation_code=str(matter_code or "")).order_by("-number").first())
    matter = version.matter if version is not None else \
        Matter.objects.filter(implementation_code=matter_code).first()
    if matter is None or not matter.is_active:
        raise NotFound(f"事项“{matter_code}”不存在或已停用。", f"Matter {matter_code!r} not found or inactive.",
                       field="matter_code")
    if version is None:
        raise ValidationFailed("该事项尚未发布版本。", "The matter has no published version.", field="matter_code")
    if channel not in Channel.values:
        raise ValidationFailed(f"未知渠道“{channel}”。", f"Unknown channel {channel!r}.", field="channel")
    if applicant_kind not in ApplicantKind.values:
        raise ValidationFailed("申请人类型应为自然人或法人。", "Applicant kind must be person or company.",
                               field="applicant_kind")
    applicant_name = (applicant_name or "").strip()
    if not applicant_name:
        raise ValidationFailed("请填写申请人名称。", "The applicant name is required.", field="applicant_name")
    if applicant_kind == ApplicantKind.PERSON:
        id_number, credit_code = validate_id_number(id_number, field="id_number"), ""
    else:
        credit_code = validate_credit_code(credit_code, field="credit_code")
        id_number = validate_id_number(id_number, field="id_number") if id_number else ""
    agent_name = (agent_name or "").strip()
    if agent_name:
        agent_id_number = validate_id_number(agent_id_number, field="agent_id_number")
        if not agent_authorisation:
            raise ValidationFailed("代办人办理须提交授权委托书。", "An agent must present a power of attorney.",
                                   field="agent_authorisation")
    elif agent_id_number:
        raise ValidationFailed("请填写代办人姓名。", "The agent's name is required.", field="agent_name")
    snapshot = version.snapshot
    # 免提交: the e-licences the applicant holds in the library satisfy their materials (looked up only when some
    # material of the matter can be satisfied by one).
    if any(m.get("licence_type") for m in snapshot.get("materials") or []):
        held_licence_types = frozenset(held_licence_types).union(*hooks.held_licence_types.fire(
            identifier=id_number if applicant_kind == ApplicantKind.PERSON else credit_code))
    checklist = checklist_build(snapshot, answers or {}, held_licence_types)
    if checklist.unanswered:
        questions = "、".join(s["question"] for s in checklist.unanswered)
        raise ValidationFailed(f"请先回答情形：{questions}。", "Answer every situation question first.",
                               field="answers")
    cleaned = form_validate(snapshot.get("form_fields") or [], form_data)
    materials = {str(k): _material_entry(v) for k, v in (materials or {}).items()}
    known = {item.code for item in checklist.items}
    unknown = sorted(set(materials) - known)
    if unknown:
        raise ValidationFailed(f"材料“{'、'.join(unknown)}”不在本事项的材料清单中。",
                               f"Materials {unknown} are not on this checklist.", field="materials")
    if centre is None:
        centre = getattr(actor, "centre", None) or matter.department.centre
    handling_centre = handling_centre or matter.department.centre
    if handling_centre.pk != centre.pk:
        # 跨域通办: may this centre receive for that one (a receiver refuses), and is it another jurisdiction?
        other = any(hooks.receipt_on_behalf.fire(matter=matter, centre=centre, handling_centre=handling_centre))
        if other and channel == Channel.WINDOW:
            channel = Channel.ON_BEHALF  # received at another region's window for this centre: 异地代收
    now = timezone.now()
    identifier = id_number if applicant_kind == ApplicantKind.PERSON else credit_code
    rows = []
    for i, item in enumerate(checklist.items):
        cm = CaseMaterial(requirement_code=item.code, name=item.name, necessity=item.necessity, order=i)
        if item.exempt:
            cm.status, cm.note = MaterialStatus.EXEMPT, item.exempt_reason
        elif item.code in materials:
            _apply_material(cm, materials[item.code])
            if cm.status == MaterialStatus.TOLERANT:
                raise ValidationFailed("容缺须经容缺受理办理。", "Use tolerant acceptance to mark items tolerant.",
                                       field="materials")
        rows.append(cm)
    scans = _scans_checked(uploads, {cm.requirement_code: cm for cm in rows}, checklist)
    missing = _blocking_items(case=None, materials=rows)
    if forward and missing:  # 收件并流转 with something required missing: nothing is received
        raise _missing_error(missing, "流转")
    # Every check is done: draw the number (see case_number_next), then write in one transaction.
    bad = bool(bad_credit) or _has_bad_credit(identifier)
    number = _number_draw(centre=centre, day=timezone.localdate(now))
    case = Case(
        number=number, centre=centre,
        handling_centre=handling_centre, matter=matter, department=matter.department, matter_version=version,
        answers=checklist.answers,
        applicant_kind=applicant_kind, applicant_name=applicant_name, applicant_id_number=id_number,
        applicant_credit_code=credit_code, contact_name=contact_name, contact_phone=contact_phone,
        contact_address=contact_address, agent_name=agent_name, agent_id_number=agent_id_number if agent_name else "",
        agent_authorisation=bool(agent_name and agent_authorisation),
        bad_credit=bad, channel=channel, form_data=cleaned, state=state,
        received_by=actor if state == S.RECEIVED else None, received_at=now,
        promised_days=snapshot.get("promised_limit_days") or 0, legal_days=snapshot.get("legal_limit_days") or 0,
        visits=1 if channel in PHYSICAL_CHANNELS else 0, ticket_numbers=[ticket_number] if ticket_number else [],
        missing_items=missing,
    )
    stored = _scans_store(case, rows, scans)
    try:
        with transaction.atomic():
            case = _write_case(case=case, rows=rows, actor=actor, version=version, state=state, channel=channel,
                               forward=forward)
            for cm in stored:
                audit_record(actor=actor, action="case.upload", obj=case,
                             after={"material": cm.requirement_code, "file": cm.upload.name,
                                    "type": cm.content_type, "size": cm.size})
            return case
    except Exception:
        for cm in stored:  # nothing was written: the stored scans go too
            cm.upload.storage.delete(cm.upload.name)
        raise


def _scans_checked(uploads: dict | None, by_code: dict[str, CaseMaterial], checklist) -> dict[str, tuple]:
    """Every scan of a receipt checked before anything is written: {code: (content type, safe name, bytes)}.
    A scan makes its material provided, electronic (as ``case_attach_upload`` does later)."""
    out: dict[str, tuple] = {}
    exempt = {item.code for item in checklist.items if item.exempt}
    for code, file in (uploads or {}).items():
        code = str(code)
        cm = by_code.get(code)
        if cm is None:
            raise ValidationFailed(f"材料“{code}”不在本事项的材料清单中。", f"Material {code!r} is not on this checklist.",
                                   field="uploads")
        if code in exempt:
            raise ValidationFailed(f"“{cm.name}”已免提交，无需上传。", f"Material {code!r} is exempt; no scan needed.",
                                   field="uploads")
        out[code] = upload_read(file=file, filename=getattr(file, "name", "") or code)
        if cm.status in BLOCKING or cm.status == MaterialStatus.TOLERANT:
            cm.status = MaterialStatus.PROVIDED
        cm.medium = MaterialMedium.ELECTRONIC
    return out


def _scans_store(case: Case, rows: list[CaseMaterial], scans: dict[str, tuple]) -> list[CaseMaterial]:
    """Write the checked scans under MEDIA_ROOT/cases/<number>/ and note them on their rows (before they are
    inserted); the caller removes them again if the receipt's transaction fails."""
    stored = []
    try:
        for cm in rows:
            if cm.requirement_code not in scans:
                continue
            content_type, safe_name, data = scans[cm.requirement_code]
            cm.case = case  # the storage path is the case's number
            cm.upload.save(safe_name, ContentFile(data), save=False)
            cm.content_type, cm.size = content_type, len(data)
            stored.append(cm)
    except Exception:
        for cm in stored:
            cm.upload.storage.delete(cm.upload.name)
        raise
    return stored


def _write_case(*, case: Case, rows: list[CaseMaterial], actor: User | None, version: MatterVersion, state: str,
                channel: str, forward: bool) -> Case:
    case.save(force_insert=True)
    case.has_notices = False  # a new case has none (see selectors.case_notices)
    for cm in rows:
        cm.case = case
    CaseMaterial.objects.bulk_create(rows)
    hooks.on_case_created.fire(case=case, materials=rows, actor=actor)  # 免提交: the licences that prove them
    _history(case=case, frm="", to=state, actor=actor, data={"channel": channel, "version": version.number})
    if forward:  # 收件并流转: the row was inserted by this transaction, no one else can see it, let alone lock it
        return _transition(locked=case, to=S.FORWARDED, actor=actor, updates={"missing_items": []})
    return case


def case_receive(*, actor: User, matter_code: str, applicant_kind: str = ApplicantKind.PERSON,
                 applicant_name: str, id_number: str = "", credit_code: str = "", contact_name: str = "",
                 contact_phone: str = "", contact_address: str = "", agent_name: str = "", agent_id_number: str = "",
                 agent_authorisation: bool = False, answers: dict | None = None, form_data: dict | None = None,
                 materials: dict | None = None, channel: str = Channel.WINDOW, centre: Centre | None = None,
                 handling_centre: Centre | None = None, bad_credit: bool = False, ticket_number: str = "",
                 held_licence_types: frozenset | set = frozenset(), forward: bool = False,
                 uploads: dict | None = None) -> Case:
    """收件 at a window (or self-service, door-to-door, on behalf of another centre). ``forward``: 收件并流转, the
    materials are complete and the case goes to the back office in the same step (two transitions, each through
    the door, in one transaction); with anything required missing nothing is received and the error lists it.
    ``uploads``: scans handed in with the receipt (see ``_create_case``); they count before the completeness check."""
    if actor is None or actor.role not in (Role.CLERK, Role.GUIDE):
        raise PermissionDeniedError("只有综窗受理员或帮办代办员可以收件。", "Only window clerks and guides receive cases.",
                                    code="role")
    if channel == Channel.ONLINE:
        raise ValidationFailed("网上申请请通过网上办事提交。", "Online applications are submitted online.", field="channel")
    return _create_case(actor=actor, matter_code=matter_code, applicant_kind=applicant_kind,
                        applicant_name=applicant_name, id_number=id_number, credit_code=credit_code,
                        contact_name=contact_name, contact_phone=contact_phone, contact_address=contact_address,
                        agent_name=agent_name, agent_id_number=agent_id_number,
                        agent_authorisation=agent_authorisation, answers=answers, form_data=form_data,
                        materials=materials, channel=channel, centre=centre, handling_centre=handling_centre,
                        bad_credit=bad_credit, ticket_number=ticket_number, held_licence_types=held_licence_types,
                        state=S.RECEIVED, forward=forward, uploads=uploads)


def case_submit_online(*, actor: User | None, matter_code: str, applicant_kind: str = ApplicantKind.PERSON,
                       applicant_name: str, id_number: str = "", credit_code: str = "", contact_name: str = "",
                       contact_phone: str = "", contact_address: str = "", answers: dict | None = None,
                       form_data: dict | None = None, materials: dict | None = None,
                       held_licence_types: frozenset | set = frozenset(), uploads: dict | None = None) -> Case:
    """一网通办: the applicant submits online; the case waits for the back office's pre-review. ``uploads``: the
    scans, stored with the case (see ``_create_case``)."""
    if actor is not None and actor.role not in rule_for(S.DRAFT, S.SUBMITTED).roles:
        # Back-office approvers decide, supervisors only watch: neither files applications (受审分离, 只读监察).
        raise PermissionDeniedError("只有申请人、综窗受理员或帮办代办员可以提交网上申请。",
                                    "Only applicants, window clerks and guides submit online applications.",
                                    code="role")
    if actor is not None and actor.role == Role.APPLICANT and actor.id_number and applicant_kind == ApplicantKind.PERSON \
            and actor.id_number != (id_number or "").strip().upper():
        raise PermissionDeniedError("只能以本人身份提交申请。", "You may apply only in your own name.", code="not_own")
    return _create_case(actor=actor, matter_code=matter_code, applicant_kind=applicant_kind,
                        applicant_name=applicant_name, id_number=id_number, credit_code=credit_code,
                        contact_name=contact_name, contact_phone=contact_phone, contact_address=contact_address,
                        agent_name="", agent_id_number="", agent_authorisation=False, answers=answers,
                        form_data=form_data, materials=materials, channel=Channel.ONLINE, centre=None,
                        handling_centre=None, bad_credit=False, ticket_number="",
                        held_licence_types=held_licence_types, state=S.SUBMITTED, uploads=uploads)


def _blocking_items(case: Case | None, *, allow_tolerant: bool = False,
                    materials: list[CaseMaterial] | None = None) -> list[dict]:
    """Required items still missing or incorrect (tolerant items too, unless allowed), in checklist order.
    ``materials``: the case's rows when the caller already holds them (else they are read)."""
    statuses = set(BLOCKING) | (set() if allow_tolerant else {MaterialStatus.TOLERANT})
    if materials is None:
        materials = case_materials(case)  # kept on the case: its detail shows them too
    return [
        {"code": m.requirement_code, "name": m.name, "status": m.status, "note": m.note}
        for m in sorted(materials, key=lambda m: (m.order, m.pk or 0))
        if m.status in statuses and m.necessity != Necessity.OPTIONAL
    ]


def _missing_error(items: list[dict], verb: str) -> ValidationFailed:
    names = "、".join(f"{i['name']}（{MaterialStatus(i['status']).label}）" for i in items)
    verb_en = {"流转": "forward the case", "完成补正": "complete the supplement", "受理": "accept the case",
               "容缺受理（以下材料不可容缺）": "accept it with items missing (these may not be missing)"}.get(verb, "go on")
    return ValidationFailed(f"材料不齐，不能{verb}：{names}。", f"Materials incomplete; cannot {verb_en}.",
                            code="materials_incomplete", details=items)


EDITABLE_ALL = (S.RECEIVED, S.SUBMITTED, S.NEEDS_SUPPLEMENT)


@transaction.atomic
def case_materials_update(*, case: Case, actor: User, materials: dict[str, Any], visit: bool = False) -> Case:
    """Tick materials. Before forwarding any item may change; afterwards only tolerant (容缺) items may be
    handed in (status → provided)."""
    if actor is None or actor.role not in (Role.CLERK, Role.GUIDE, Role.APPROVER, Role.ISSUER):
        raise PermissionDeniedError("您不能修改办件材料。", "You may not change the materials of a case.", code="role")
    case = _lock(case)
    if case.state in (S.NOT_ACCEPTED, S.WITHDRAWN, S.CLOSED):
        raise ConflictError("办件已终结，不能修改材料。", "The case is closed.", code="closed")
    by_code = {m.requirement_code: m for m in case.materials.all()}
    before = {c: by_code[c].status for c in materials if c in by_code}
    for code, raw in materials.items():
        cm = by_code.get(code)
        if cm is None:
            raise ValidationFailed(f"材料“{code}”不在本件的材料清单中。", f"Unknown material {code!r}.",
                                   field="materials")
        entry = _material_entry(raw)
        if case.state not in EDITABLE_ALL:
            if cm.status != MaterialStatus.TOLERANT or entry.get("status", MaterialStatus.PROVIDED) != \
                    MaterialStatus.PROVIDED:
                raise ConflictError("办件已流转后台，只能补交容缺材料。",
                                    "After forwarding only tolerant items may be handed in.", code="locked_materials")
        elif entry.get("status") == MaterialStatus.TOLERANT and cm.status != MaterialStatus.TOLERANT:
            raise ValidationFailed("容缺须经容缺受理办理。", "Use tolerant acceptance to mark items tolerant.",
                                   field="materials")
        _apply_material(cm, entry)
        cm.save()
    updates = ["missing_items", "updated_at"]
    case.missing_items = _blocking_items(case, allow_tolerant=False)
    if case.tolerant and not case.materials.filter(status=MaterialStatus.TOLERANT).exists():
        case.tolerant_due = None
        updates.append("tolerant_due")
    if visit:
        case.visits += 1
        updates.append("visits")
    case.save(update_fields=updates)
    audit_record(actor=actor, action="case.materials", obj=case, before=before,
                 after={c: by_code[c].status for c in materials})
    return case


@transaction.atomic
def case_visit_record(*, case: Case, actor: User | None = None) -> Case:
    """Count one physical visit of the applicant (跑动次数)."""
    case = _lock(case)
    case.visits += 1
    case.save(update_fields=["visits", "updated_at"])
    audit_record(actor=actor, action="case.visit", obj=case, after={"visits": case.visits})
    return case


@transaction.atomic
def case_attach_upload(*, case: Case, actor: User | None, requirement_code: str, filename: str, file) -> CaseMaterial:
    """Store a scan of one material under MEDIA_ROOT/cases/<number>/; the content decides the type.
    ``file`` is bytes or a Django File/UploadedFile."""
    if actor is not None and actor.role not in (Role.CLERK, Role.GUIDE, Role.APPROVER, Role.ISSUER, Role.APPLICANT):
        raise PermissionDeniedError("您不能上传办件材料。", "You may not upload materials.", code="role")
    case = _lock(case)
    if actor is not None and actor.role == Role.APPLICANT and actor.id_number != case.applicant_id_number:
        raise PermissionDeniedError("只能操作本人的办件。", "Applicants may act only on their own cases.", code="not_own")
    if case.state in (S.NOT_ACCEPTED, S.WITHDRAWN, S.CLOSED, S.ISSUED):
        raise ConflictError("办件已终结，不能上传材料。", "The case is closed.", code="closed")
    cm = case.materials.filter(requirement_code=requirement_code).first()
    if cm is None:
        raise NotFound(f"材料“{requirement_code}”不在本件的材料清单中。", f"Unknown material {requirement_code!r}.",
                       field="requirement_code")
    if case.state not in EDITABLE_ALL and cm.status != MaterialStatus.TOLERANT:
        raise ConflictError("办件已流转后台，只能补交容缺材料。",
                            "After forwarding only tolerant items may be handed in.", code="locked_materials")
    content_type, safe_name, data = upload_read(file=file, filename=filename)
    if cm.upload:
        # Remove the replaced scan only once the new one is committed.
        old_name, storage = cm.upload.name, cm.upload.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    cm.upload.save(safe_name, ContentFile(data), save=False)
    cm.content_type, cm.size, cm.medium = content_type, len(data), MaterialMedium.ELECTRONIC
    if cm.status in BLOCKING or cm.status == MaterialStatus.TOLERANT:
        cm.status = MaterialStatus.PROVIDED
    cm.save()
    case.missing_items = _blocking_items(case)
    updates = ["missing_items", "updated_at"]
    if case.tolerant and not case.materials.filter(status=MaterialStatus.TOLERANT).exists():
        case.tolerant_due = None
        updates.append("tolerant_due")
    case.save(update_fields=updates)
    audit_record(actor=actor, action="case.upload", obj=case,
                 after={"material": requirement_code, "file": cm.upload.name, "type": content_type, "size": len(data)})
    return cm


# ---------------------------------------------------------------- front desk → back office


@transaction.atomic
def case_forward(*, case: Case, actor: User, reason: str = "") -> Case:
    """流转: received → forwarded (front desk) or submitted → forwarded (online pre-review passed)."""
    locked = _begin(case=case, to=S.FORWARDED, actor=actor, with_materials=True)
    if locked.state == S.NEEDS_SUPPLEMENT:
        return case_supplement(case=locked, actor=actor, materials={})
    missing = _blocking_items(locked, allow_tolerant=locked.tolerant)
    if missing:
        raise _missing_error(missing, "流转")
    return _transition(locked=locked, to=S.FORWARDED, actor=actor, reason=reason, updates={"missing_items": []})


@transaction.atomic
def case_request_supplement(*, case: Case, actor: User, due_date: dt.date, items: list[dict] | None = None,
                            note: str = "") -> Notice:
    """补齐补正通知书: tells the applicant every missing or incorrect item at once, with a due date."""
    locked = _begin(case=case, to=S.NEEDS_SUPPLEMENT, actor=actor)
    if due_date <= _today():
        raise ValidationFailed("补正期限应晚于今天。", "The due date must be after today.", field="due_date")
    by_code = {m.requirement_code: m for m in locked.materials.all()}
    for item in items or []:
        cm = by_code.get(str(item.get("code")))
        if cm is None:
            raise ValidationFailed(f"材料“{item.get('code')}”不在本件的材料清单中。",
                                   f"Unknown material {item.get('code')!r}.", field="items")
        problem = item.get("problem") or MaterialStatus.MISSING
        if problem not in BLOCKING:
            raise ValidationFailed("补正原因应为缺少或需补正。", "The problem must be missing or incorrect.",
                                   field="items")
        cm.status, cm.note = problem, str(item.get("note") or cm.note)[:300]
        cm.save()
    missing = _blocking_items(locked, allow_tolerant=False)
    if not missing:
        raise ValidationFailed("没有缺少或需补正的材料，无需补正。", "Nothing is missing or incorrect.", field="items")
    locked = _transition(locked=locked, to=S.NEEDS_SUPPLEMENT, actor=actor, reason=note,
                         data={"items": [i["code"] for i in missing], "due": due_date.isoformat()},
                         updates={"missing_items": missing, "supplement_due": due_date})
    lines = [f"{n}. {i['name']}：{MaterialStatus(i['status']).label}{('（' + i['note'] + '）') if i['note'] else ''}"
             for n, i in enumerate(missing, 1)]
    text = (f"{locked.applicant_name}：\n您申请的“{locked.matter.name}”（办件编号{locked.number}）所提交的材料不齐全或不符合"
            f"法定形式，请于{due_date:%Y年%m月%d日}前一次性补齐补正以下材料：\n" + "\n".join(lines) +
            ("\n" + note if note else ""))
    return _notice(case=locked, kind=NoticeKind.SUPPLEMENT, actor=actor,
                   content={"items": missing, "due_date": due_date.isoformat(), "note": note}, text=text)


@transaction.atomic
def case_supplement(*, case: Case, actor: User, materials: dict[str, Any]) -> Case:
    """补正: the items arrive; the case returns to received (at a window), forwarded (handed to the back office)
    or submitted (the applicant answered online: back-office pre-review again)."""
    role = getattr(actor, "role", None)
    to = S.FORWARDED if role == Role.APPROVER else S.SUBMITTED if role == Role.APPLICANT else S.RECEIVED
    locked = _begin(case=case, to=to, actor=actor)
    if locked.state != S.NEEDS_SUPPLEMENT:
        raise ConflictError("办件不在待补正状态。", "The case is not waiting for a supplement.", code="state")
    if materials:
        by_code = {m.requirement_code: m for m in locked.materials.all()}
        for code, raw in materials.items():
            cm = by_code.get(code)
            if cm is None:
                raise ValidationFailed(f"材料“{code}”不在本件的材料清单中。", f"Unknown material {code!r}.",
                                       field="materials")
            entry = _material_entry(raw)
            if entry.get("status") == MaterialStatus.TOLERANT:
                raise ValidationFailed("容缺须经容缺受理办理。", "Use tolerant acceptance for tolerant items.",
                                       field="materials")
            _apply_material(cm, entry)
            cm.save()
    missing = _blocking_items(locked, allow_tolerant=False)
    if missing:
        raise _missing_error(missing, "完成补正")
    updates: dict[str, Any] = {"missing_items": [], "supplement_due": None}
    if to == S.RECEIVED and locked.channel != Channel.ONLINE:
        updates["visits"] = locked.visits + 1
    return _transition(locked=locked, to=to, actor=actor, reason="材料已补齐补正",
                       data={"items": sorted(materials)}, updates=updates)


@transaction.atomic
def case_accept_tolerant(*, case: Case, actor: User, items: list[str], commitment: str, due_date: dt.date) -> Case:
    """容缺受理: items flagged tolerant may follow later on the applicant's written commitment; the case is
    forwarded now. Refused to applicants flagged for bad credit."""
    locked = _begin(case=case, to=S.FORWARDED, actor=actor)
    if locked.state != S.RECEIVED:
        raise ConflictError("只有已收件的办件可以容缺受理。", "Only received cases can be accepted tolerantly.",
                            code="state")
    if locked.bad_credit or _has_bad_credit(locked.applicant_identifier):
        raise PermissionDeniedError("申请人存在失信记录，不适用容缺受理。",
                                    "Applicants flagged for bad credit cannot use tolerant acceptance.",
                                    code="bad_credit")
    commitment = (commitment or "").strip()
    if not commitment:
        raise ValidationFailed("容缺受理须记录申请人的书面承诺。", "The applicant's written commitment is required.",
                               field="commitment")
    if due_date <= _today():
        raise ValidationFailed("容缺补交期限应晚于今天。", "The due date must be after today.", field="due_date")
    if not items:
        raise ValidationFailed("请选择容缺的材料。", "Choose the tolerant items.", field="items")
    by_code = {m.requirement_code: m for m in locked.materials.all()}
    for code in items:
        cm = by_code.get(code)
        if cm is None:
            raise ValidationFailed(f"材料“{code}”不在本件的材料清单中。", f"Unknown material {code!r}.", field="items")
        if cm.necessity != Necessity.TOLERANT:
            raise ValidationFailed(f"材料“{cm.name}”不在容缺受理范围内。", f"Item {code!r} is not eligible for "
                                   "tolerant acceptance.", field="items", code="not_tolerant")
        if cm.status not in BLOCKING:
            raise ValidationFailed(f"材料“{cm.name}”已提交，无需容缺。", f"Item {code!r} was provided.", field="items")
        cm.status = MaterialStatus.TOLERANT
        cm.save()
    missing = _blocking_items(locked, allow_tolerant=True)
    if missing:
        raise _missing_error(missing, "容缺受理（以下材料不可容缺）")
    tolerant_items = [{"code": c, "name": by_code[c].name} for c in items]
    locked = _transition(locked=locked, to=S.FORWARDED, actor=actor, reason="容缺受理",
                         data={"tolerant": items, "due": due_date.isoformat()},
                         updates={"tolerant": True, "tolerant_commitment": commitment, "tolerant_due": due_date,
                                  "missing_items": tolerant_items})
    _notice(case=locked, kind=NoticeKind.TOLERANT_COMMITMENT, actor=actor,
            **_worded(NoticeKind.TOLERANT_COMMITMENT, locked, items=tolerant_items))
    return locked


def case_lapse_tolerant(*, today: dt.date | None = None) -> list[Case]:
    """Job: tolerant cases whose items are still out after the due date go back to needs-supplement."""
    today = today or _today()
    lapsed = []
    ids = list(Case.objects.filter(tolerant=True, tolerant_due__lt=today,
                                   state__in=(S.FORWARDED, S.ACCEPTED, S.SUSPENDED),
                                   materials__status=MaterialStatus.TOLERANT).values_list("pk", flat=True).distinct())
    for pk in ids:
        with transaction.atomic():
            case = _lock(Case(pk=pk))
            items = list(case.materials.filter(status=MaterialStatus.TOLERANT))
            if not items or case.state not in (S.FORWARDED, S.ACCEPTED, S.SUSPENDED):
                continue
            for cm in items:
                cm.status, cm.note = MaterialStatus.MISSING, "容缺材料逾期未补交"
                cm.save()
            Suspension.objects.filter(case=case, end_date__isnull=True).update(end_date=today)
            due = add_workdays(today, FIVE_DAY_RULE_WORKDAYS).value
            missing = _blocking_items(case)
            case = case_transition(
                case=case, to=S.NEEDS_SUPPLEMENT, actor=None, reason="容缺材料逾期未补交，容缺受理失效",
                data={"items": [c.requirement_code for c in items]},
                updates={"tolerant": False, "tolerant_due": None, "accepted_at": None, "accepted_by": None,
                         "due_date": None, "legal_due_date": None, "deemed_accepted": False,
                         "suspended_workdays": 0, "missing_items": missing, "supplement_due": due})
            _notice(case=case, kind=NoticeKind.SUPPLEMENT, actor=None,
                    content={"items": missing, "due_date": due.isoformat(), "note": "容缺受理失效"},
                    text=f"{case.applicant_name}：您承诺补交的容缺材料逾期未交，容缺受理失效。请于{due:%Y年%m月%d日}前补齐："
                         + "、".join(i["name"] for i in missing) + "。")
            lapsed.append(case)
    return lapsed


# ---------------------------------------------------------------- back office


def _start_clock(case: Case, start: dt.date) -> dict[str, Any]:
    d = due_dates(start=start, promised_days=case.promised_days, legal_days=case.legal_days,
                  suspended_workdays=case.suspended_workdays, extension_days=case.extension_days)
    return {"due_date": d.due_date, "legal_due_date": d.legal_due_date, "provisional": d.provisional}


def _acceptance_notice(case: Case, actor: User | None, materials: list[CaseMaterial] | None = None) -> Notice:
    if materials is None:
        materials = list(case.materials.all())
    tolerant = [{"code": m.requirement_code, "name": m.name}
                for m in sorted(materials, key=lambda m: (m.order, m.pk or 0)) if m.status == MaterialStatus.TOLERANT]
    content = {"accepted_on": case.accepted_at.isoformat(), "due_date": case.due_date.isoformat(),
               "legal_due_date": case.legal_due_date.isoformat(), "promised_days": case.promised_days,
               "legal_days": case.legal_days, "deemed": case.deemed_accepted, "tolerant_items": tolerant,
               "tolerant_due": case.tolerant_due.isoformat() if case.tolerant_due else None}
    text = (f"{case.applicant_name}：\n您申请的“{case.matter.name}”（办件编号{case.number}）"
            + ("因收到申请之日起五个工作日内未被告知补正，依据《中华人民共和国行政许可法》第三十二条，自收到申请材料之日起即为受理"
               if case.deemed_accepted else "经审查，符合受理条件，决定予以受理")
            + f"。受理日期{case.accepted_at:%Y年%m月%d日}，承诺办结时限{case.promised_days}个工作日，"
            f"预计于{case.due_date:%Y年%m月%d日}前办结。")
    if tolerant:
        text += f"\n容缺材料须于{case.tolerant_due:%Y年%m月%d日}前补交：" + "、".join(t["name"] for t in tolerant) + "。"
    return _notice(case=case, kind=NoticeKind.ACCEPTANCE, actor=actor, content=content, text=text)


@transaction.atomic
def case_accept(*, case: Case, actor: User, today: dt.date | None = None, reason: str = "") -> Case:
    """受理: the clock starts today; 受理通知书."""
    today = today or _today()
    locked = _begin(case=case, to=S.ACCEPTED, actor=actor)
    if locked.state != S.FORWARDED:
        raise ConflictError("办件需先流转到后台才能受理。", "Forward the case before accepting it.", code="state")
    materials = list(locked.materials.all())
    missing = _blocking_items(locked, allow_tolerant=locked.tolerant, materials=materials)
    if missing:
        raise _missing_error(missing, "受理")
    locked = _transition(locked=locked, to=S.ACCEPTED, actor=actor, reason=reason,
                         updates={"accepted_by": actor, "accepted_at": today, **_start_clock(locked, today)})
    _acceptance_notice(locked, actor, materials)
    return locked


@transaction.atomic
def case_not_accept(*, case: Case, actor: User, reason: str, legal_basis: str) -> Notice:
    """不予受理, with the reason and the legal basis (不予受理通知书)."""
    reason, legal_basis = (reason or "").strip(), (legal_basis or "").strip()
    locked = _begin(case=case, to=S.NOT_ACCEPTED, actor=actor)
    if not reason:
        raise ValidationFailed("请填写不予受理的理由。", "The reason is required.", field="reason")
    if not legal_basis:
        raise ValidationFailed("请填写不予受理的法律依据。", "The legal basis is required.", field="legal_basis")
    locked = _transition(locked=locked, to=S.NOT_ACCEPTED, actor=actor, reason=reason,
                         data={"legal_basis": legal_basis}, updates={"decided_by": actor,
                                                                     "decided_at": timezone.now()})
    words = _worded(NoticeKind.NON_ACCEPTANCE, locked, reason=reason, legal_basis=legal_basis)
    notice = _notice(case=locked, kind=NoticeKind.NON_ACCEPTANCE, actor=actor, text=words["text"],
                     content={"reason": reason, "legal_basis": legal_basis, **words["content"]})
    # 一件事: the dependents cannot go on
    hooks.on_case_decided.fire(case=locked, approved=False, actor=actor, result_data={}, reason=reason)
    return notice


@transaction.atomic
def case_suspend(*, case: Case, actor: User, reason: str, note: str = "", today: dt.date | None = None) -> Case:
    """中止计时 for 现场勘验, 技术审查, 听证, 专家评审 or 公示."""
    if reason not in SuspensionReason.values:
        raise ValidationFailed("中止原因应为现场勘验、技术审查、听证、专家评审或公示。",
                               "The reason must be one of the statutory suspension reasons.", field="reason")
    today = today or _today()
    locked = _begin(case=case, to=S.SUSPENDED, actor=actor)
    susp = Suspension.objects.create(case=locked, reason=reason, note=note, start_date=today)
    locked = _transition(locked=locked, to=S.SUSPENDED, actor=actor, reason=SuspensionReason(reason).label,
                         data={"reason": reason, "note": note, "start": today.isoformat()})
    _notice(case=locked, kind=NoticeKind.SUSPENSION, actor=actor,
            **_worded(NoticeKind.SUSPENSION, locked, suspension=susp))
    return locked


@transaction.atomic
def case_resume(*, case: Case, actor: User, today: dt.date | None = None) -> Case:
    """恢复计时: the deadline moves by the working days suspended."""
    today = today or _today()
    locked = _begin(case=case, to=S.ACCEPTED, actor=actor)
    if locked.state != S.SUSPENDED:
        raise ConflictError("办件未中止计时。", "The case is not suspended.", code="state")
    susp = locked.suspensions.filter(end_date__isnull=True).order_by("-start_date").first()
    days = max(workdays_between(susp.start_date, today).value, 0) if susp else 0
    if susp:
        susp.end_date, susp.workdays = today, days
        susp.save()
    locked.suspended_workdays += days
    return _transition(locked=locked, to=S.ACCEPTED, actor=actor, reason="恢复计时",
                       data={"suspended_workdays": days},
                       updates={"suspended_workdays": locked.suspended_workdays,
                                **_start_clock(locked, locked.accepted_at)})


@transaction.atomic
def case_extend(*, case: Case, actor: User, days: int, approved_by: User, reason: str) -> Case:
    """延期 once, approved by a supervisor (效能监察) or administrator as the organ's head, within the law
    (行政许可法 第42条: at most 10 more working days)."""
    locked = _lock(case)
    if actor is None or actor.role != Role.APPROVER:
        raise PermissionDeniedError("只有后台审批员可以申请延期。", "Only approvers may extend.", code="role")
    _check_department(case=locked, actor=actor)
    if locked.state not in (S.ACCEPTED, S.SUSPENDED):
        raise ConflictError("只有已受理的办件可以延期。", "Only accepted cases can be extended.", code="state")
    if locked.extension_days:
        raise ConflictError("本件已延期一次，不能再次延期。", "A case can be extended only once.", code="extended")
    if approved_by is None or approved_by.role not in (Role.SUPERVISOR, Role.ADMIN) or approved_by.pk == actor.pk:
        raise PermissionDeniedError("延期须经负责人（效能监察或管理员）批准。",
                                    "An extension needs the approval of a supervisor or administrator.",
                                    code="approval")
    if not (reason or "").strip():
        raise ValidationFailed("请填写延期理由。", "The reason is required.", field="reason")
    if not isinstance(days, int) or days < 1 or days > EXTENSION_MAX_WORKDAYS:
        raise ValidationFailed(f"延期天数应为1至{EXTENSION_MAX_WORKDAYS}个工作日。",
                               f"An extension is 1 to {EXTENSION_MAX_WORKDAYS} working days.", field="days")
    if locked.promised_days + days > locked.legal_days + EXTENSION_MAX_WORKDAYS:
        raise ValidationFailed("延期后超出法定时限。", "The extension would exceed the legal limit.", field="days")
    locked.extension_days = days
    locked.extension_approved_by = approved_by
    for key, value in _start_clock(locked, locked.accepted_at).items():
        setattr(locked, key, value)
    locked.save()
    _history(case=locked, frm=locked.state, to=locked.state, actor=actor, reason=reason, action="case.extend",
             data={"event": "extend", "days": days, "approved_by": approved_by.pk,
                   "due": locked.due_date.isoformat()})
    return locked


def _decision_notice(case: Case, actor: User, approve: bool, opinion: str, legal_basis: str) -> Notice:
    words = _worded(NoticeKind.DECISION, case, approved=approve, opinion=opinion, legal_basis=legal_basis)
    return _notice(case=case, kind=NoticeKind.DECISION, actor=actor, text=words["text"],
                   content={"approved": approve, "opinion": opinion, "legal_basis": legal_basis,
                            "result_name": case.matter.result_name or "", **words["content"]})


@transaction.atomic
def case_decide(*, case: Case, actor: User, approve: bool, opinion: str = "", legal_basis: str = "",
                result_data: dict | None = None) -> Case:
    """准予 / 不予. ``result_data``: what the decision produces for others (e.g. the new 统一社会信用代码 of a
    设立登记), recorded on the history row and handed to the one-thing bundle the case belongs to, if any."""
    to = S.APPROVED if approve else S.DENIED
    locked = _begin(case=case, to=to, actor=actor)
    if not approve and not (opinion or "").strip():
        raise ValidationFailed("不予许可须说明理由。", "A denial needs its reasons.", field="opinion")
    if approve:
        result_data = _result_data_checked(locked, result_data)
    data = {"legal_basis": legal_basis} if legal_basis else {}
    if result_data:
        data["result_data"] = dict(result_data)
    locked = _transition(locked=locked, to=to, actor=actor, reason=opinion, data=data or None,
                         updates={"decided_by": actor, "decided_at": timezone.now()})
    if approve:  # the result licence, if any, for the holder the decision names
        hooks.on_case_approved.fire(case=locked, actor=actor, result_data=result_data)
    _decision_notice(locked, actor, approve, opinion, legal_basis)
    # 一件事: release or stop the dependent sub-cases
    hooks.on_case_decided.fire(case=locked, approved=approve, actor=actor, result_data=result_data or {},
                               reason=opinion)
    return locked


RESULT_FIELDS_EN = {"credit_code": "the unified social credit code"}


def _result_data_checked(case: Case, result_data: dict | None) -> dict:
    """What an approval produces (办结产出, see ``selectors.case_result_fields``): every required item given, a
    统一社会信用代码 valid by its check character (GB 32100-2015); blank values dropped."""
    given = {str(k): str(v).strip() for k, v in (result_data or {}).items() if str(v or "").strip()}
    # Only a licence needs a holder named by the decision; what a bundle's sub-case produces for the later
    # matters is checked by the bundle (bundles.services.bundle_case_decided) in this same transaction.
    fields = case_result_fields(case=case) if (case.matter_version.snapshot or {}).get("result_kind") == "licence" \
        else []
    missing = [f for f in fields if f["required"] and not given.get(f["code"])]
    if missing:
        labels = "、".join(f["label"] for f in missing)
        raise ValidationFailed(f"准予前请填写办理结果：{labels}（证照发给该主体，后续事项也将使用）。",
                               "Approving this case needs its result data: "
                               + ", ".join(RESULT_FIELDS_EN.get(f["code"], f["code"]) for f in missing) + ".",
                               field=missing[0]["code"], code="result_data_required",
                               details=[{"field": f["code"], "label": f["label"]} for f in missing])
    if given.get("credit_code"):
        given["credit_code"] = validate_credit_code(given["credit_code"], field="credit_code")
    return given


def case_approve(*, case: Case, actor: User, opinion: str = "", legal_basis: str = "",
                 result_data: dict | None = None) -> Case:
    """准予. ``result_data``: what the decision produces (the new 统一社会信用代码 of a 设立登记, see
    ``selectors.case_result_fields``)."""
    return case_decide(case=case, actor=actor, approve=True, opinion=opinion, legal_basis=legal_basis,
                       result_data=result_data)


def case_deny(*, case: Case, actor: User, opinion: str, legal_basis: str = "") -> Case:
    return case_decide(case=case, actor=actor, approve=False, opinion=opinion, legal_basis=legal_basis)


@transaction.atomic
def case_accept_and_decide(*, case: Case, actor: User, approve: bool = True, opinion: str = "",
                           legal_basis: str = "", result_data: dict | None = None,
                           today: dt.date | None = None) -> Case:
    """即办件: accepted and decided in one step (two history rows, one transaction); ``result_data`` as for
    ``case_approve`` (个体工商户设立登记 decided at once produces its credit code)."""
    locked = _lock(case)
    if locked.matter_version.snapshot.get("handling_kind") != HandlingKind.IMMEDIATE:
        raise ConflictError("只有即办件可以当场受理并办结。", "Only immediate matters are accepted and decided at once.",
                            code="not_immediate")
    locked = case_accept(case=locked, actor=actor, today=today, reason="即办件")
    return case_decide(case=locked, actor=actor, approve=approve, opinion=opinion, legal_basis=legal_basis,
                       result_data=result_data)


# ---------------------------------------------------------------- issuance and ends


@transaction.atomic
def case_mark_ready(*, case: Case, actor: User) -> Case:
    case = case_transition(case=case, to=S.READY, actor=actor, reason="结果已制作，待出件")
    notify_hooks.result_ready(case)  # 可取件, after commit
    return case


@transaction.atomic
def case_issue(*, case: Case, actor: User, method: str, signed_by: str = "", address: str = "", carrier: str = "",
               tracking_no: str = "", originals_checked: bool = False) -> Delivery:
    """统一出件: at the window (the applicant signs the 送达回证) or by post with a tracking number.
    ``originals_checked``: the originals of an online application were checked at the window (原件核验)."""
    locked = _begin(case=case, to=S.ISSUED, actor=actor)
    hooks.before_case_issued.fire(case=locked, actor=actor)  # 异地代收: the receiving centre hands it over
    outstanding = list(locked.materials.filter(status=MaterialStatus.TOLERANT).values_list("name", flat=True))
    if outstanding:
        raise ConflictError(f"容缺材料尚未补齐，不能出件：{'、'.join(outstanding)}。",
                            "Tolerant items are still missing; the result cannot be issued.", code="tolerant_open")
    if method not in DeliveryMethod.values:
        raise ValidationFailed("送达方式应为窗口领取或邮寄。", "Method must be window or post.", field="method")
    updates: dict[str, Any] = {}
    if method == DeliveryMethod.WINDOW:
        signed_by = (signed_by or "").strip()
        if not signed_by:
            raise ValidationFailed("窗口领取须由领取人签收（送达回证）。", "The recipient must sign.", field="signed_by")
        updates["visits"] = locked.visits + 1
    else:
        address = (address or locked.contact_address or "").strip()
        for value, field, label in ((address, "address", "邮寄地址"), (carrier, "carrier", "快递公司"),
                                    (tracking_no, "tracking_no", "运单号")):
            if not (value or "").strip():
                raise ValidationFailed(f"邮寄送达须填写{label}。", f"{field} is required for postal delivery.",
                                       field=field)
    delivery = Delivery.objects.create(case=locked, method=method, signed_by=signed_by, address=address,
                                       carrier=carrier.strip(), tracking_no=tracking_no.strip(), at=timezone.now(),
                                       by=actor)
    _transition(locked=locked, to=S.ISSUED, actor=actor, reason=DeliveryMethod(method).label,
                data={"method": method, "tracking_no": tracking_no.strip(),
                      "originals_checked": bool(originals_checked)}, updates=updates)
    return delivery


def case_close(*, case: Case, actor: User | None) -> Case:
    return case_transition(case=case, to=S.CLOSED, actor=actor, reason="办结")


@transaction.atomic
def case_withdraw(*, case: Case, actor: User, reason: str) -> Case:
    if not (reason or "").strip():
        raise ValidationFailed("请填写撤回原因。", "The reason is required.", field="reason")
    case = case_transition(case=case, to=S.WITHDRAWN, actor=actor, reason=reason.strip())
    # 一件事: the dependents cannot go on
    hooks.on_case_decided.fire(case=case, approved=False, actor=actor, result_data={}, reason=reason.strip())
    return case


# ---------------------------------------------------------------- the 5-day rule


def five_day_deadline(received_on: dt.date) -> dt.date:
    """The last day a supplement notice may be given (行政许可法 第32条: within five working days)."""
    return add_workdays(received_on, FIVE_DAY_RULE_WORKDAYS).value


def apply_five_day_rule(*, today: dt.date | None = None) -> list[Case]:
    """Job: a case received more than five working days ago that never got a supplement notice and is not
    yet accepted counts as accepted from the day of receipt; its deadline runs from then."""
    today = today or _today()
    done = []
    # Five working days span at least five calendar days: a cheap pre-filter before the calendar is asked.
    cutoff = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=FIVE_DAY_RULE_WORKDAYS), dt.time.min))
    candidates = (Case.objects.filter(state__in=(S.RECEIVED, S.SUBMITTED, S.FORWARDED), received_at__lt=cutoff)
                  .exclude(notices__kind=NoticeKind.SUPPLEMENT).values_list("pk", "received_at"))
    for pk, received_at in candidates:
        received_on = timezone.localdate(received_at)
        if today <= five_day_deadline(received_on):
            continue
        with transaction.atomic():
            case = _lock(Case(pk=pk))
            if case.state not in (S.RECEIVED, S.SUBMITTED, S.FORWARDED) or \
                    case.notices.filter(kind=NoticeKind.SUPPLEMENT).exists():
                continue
            case = _transition(locked=case, to=S.ACCEPTED, actor=None,
                               reason="收件之日起五个工作日内未告知补正，视为受理（行政许可法第三十二条）",
                               data={"deemed": True, "received_on": received_on.isoformat()},
                               updates={"deemed_accepted": True, "accepted_at": received_on,
                                        **_start_clock(case, received_on)})
            _acceptance_notice(case, None)
            done.append(case)
    return done


# ---------------------------------------------------------------- personal data


def case_pii_reveal(*, case: Case, actor: User, reason: str, address: str = "") -> dict[str, str]:
    """Show the full ID and phone numbers of a case (they are masked everywhere else). Needs the permission
    ``cases.view_full_pii`` and a reason; every look is an audit event."""
    if actor is None or not actor.is_authenticated or not actor.has_perm("cases.view_full_pii"):
        raise PermissionDeniedError("您没有查看完整证件号码的权限。", "You may not view full personal numbers.",
                                    code="pii")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("请说明查看完整号码的理由。", "Give the reason for viewing the full numbers.",
                               field="reason")
    full = {"applicant_id_number": case.applicant_id_number, "agent_id_number": case.agent_id_number,
            "contact_phone": case.contact_phone}
    audit_record(actor=actor, action="pii.view", obj=case, address=address,
                 after={"number": case.number, "fields": sorted(k for k, v in full.items() if v), "reason": reason})
    return full
