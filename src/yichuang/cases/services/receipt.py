"""收件: at a window (or self-service, door-to-door, on behalf of another centre) and 网上申请 online. Everything is
checked first, then the number is drawn and the case, its materials and its history are written in one
transaction."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from yichuang.accounts.constants import Role
from yichuang.accounts.models import Centre, User
from yichuang.audit.services import audit_record
from yichuang.catalog.checklist import checklist_build
from yichuang.catalog.models import Matter, MatterVersion
from yichuang.core.errors import NotFound, PermissionDeniedError, ValidationFailed
from yichuang.core.validators import validate_credit_code, validate_id_number

from .. import hooks
from ..constants import PHYSICAL_CHANNELS, ApplicantKind, Channel, MaterialMedium, MaterialStatus
from ..constants import CaseState as S
from ..forms import form_encrypt, form_validate
from ..models import Case, CaseMaterial, CaseSequence
from ..statemachine import rule_for
from ..uploads import upload_read
from .credit import _has_bad_credit
from .door import _history, _transition
from .materials import BLOCKING, _apply_material, _blocking_items, _material_entry, _missing_error


# ---------------------------------------------------------------- numbering


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


# ---------------------------------------------------------------- receipt


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
        bad_credit=bad, channel=channel, state=state,
        # ID and phone numbers typed into the form are stored encrypted, like the applicant's own (forms.py).
        form_data=form_encrypt(snapshot.get("form_fields") or [], cleaned),
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


def case_online_filer_check(*, actor: User | None, applicant_kind: str, id_number: str) -> None:
    """Who may file an online application (one 网上申请, or a 一件事 filed online): the applicant in their own name,
    or a window clerk or guide for them. Back-office approvers decide and issuance clerks hand over, supervisors only
    watch: none of them files applications (受审分离, 只读监察)."""
    if actor is not None and actor.role not in rule_for(S.DRAFT, S.SUBMITTED).roles:
        raise PermissionDeniedError("只有申请人、综窗受理员或帮办代办员可以提交网上申请。",
                                    "Only applicants, window clerks and guides submit online applications.",
                                    code="role")
    if actor is not None and actor.role == Role.APPLICANT and applicant_kind == ApplicantKind.PERSON \
            and actor.id_number != (id_number or "").strip().upper():
        raise PermissionDeniedError("只能以本人身份提交申请。", "You may apply only in your own name.", code="not_own")


def case_submit_online(*, actor: User | None, matter_code: str, applicant_kind: str = ApplicantKind.PERSON,
                       applicant_name: str, id_number: str = "", credit_code: str = "", contact_name: str = "",
                       contact_phone: str = "", contact_address: str = "", answers: dict | None = None,
                       form_data: dict | None = None, materials: dict | None = None,
                       held_licence_types: frozenset | set = frozenset(), uploads: dict | None = None) -> Case:
    """一网通办: the applicant submits online; the case waits for the back office's pre-review. ``uploads``: the
    scans, stored with the case (see ``_create_case``)."""
    case_online_filer_check(actor=actor, applicant_kind=applicant_kind, id_number=id_number)
    return _create_case(actor=actor, matter_code=matter_code, applicant_kind=applicant_kind,
                        applicant_name=applicant_name, id_number=id_number, credit_code=credit_code,
                        contact_name=contact_name, contact_phone=contact_phone, contact_address=contact_address,
                        agent_name="", agent_id_number="", agent_authorisation=False, answers=answers,
                        form_data=form_data, materials=materials, channel=Channel.ONLINE, centre=None,
                        handling_centre=None, bad_credit=False, ticket_number="",
                        held_licence_types=held_licence_types, state=S.SUBMITTED, uploads=uploads)
