"""一次性告知: the checklist for a matter given the applicant's situation answers.

A pure function over a frozen matter snapshot, so the live page, the API, a case received last year and a
printed notice all compute the same list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from yichuang.core.errors import ValidationFailed


@dataclass
class ChecklistItem:
    code: str
    name: str
    necessity: str
    form: str
    copies: int
    medium: str
    source: str
    licence_type: str | None
    licence_type_name: str | None
    issuing_department: str
    sample_text: str
    blank_form: str
    review_points: str
    notes: str
    exempt: bool = False  # 免提交: satisfied by an e-licence the applicant holds
    exempt_reason: str = ""
    blank_form_file: str = ""  # stored names of the downloadable 空白样表 / 示范文本 ("" when none)
    sample_file: str = ""


@dataclass
class Checklist:
    matter_code: str
    matter_name: str
    answers: dict[str, str]
    unanswered: list[dict[str, Any]]
    items: list[ChecklistItem] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.unanswered


def material_applies(applies_when: dict[str, list[str]], answers: dict[str, str]) -> bool:
    """A material applies when, for every situation it names, the answer is one of the listed options.
    An unanswered situation does not exclude it (the checklist shows the widest set until answered)."""
    for situation, options in (applies_when or {}).items():
        answer = answers.get(situation)
        if answer is not None and answer not in options:
            return False
    return True


def checklist_build(snapshot: dict[str, Any], answers: dict[str, str] | None = None,
                    held_licence_types: set[str] | frozenset[str] = frozenset()) -> Checklist:
    answers = {k: v for k, v in (answers or {}).items() if v not in (None, "")}
    situations = {s["code"]: s for s in snapshot.get("situations", [])}
    for code, value in answers.items():
        if code not in situations:
            raise ValidationFailed(f"未知情形“{code}”。", f"Unknown situation {code!r}.", field=code)
        options = {o["code"] for o in situations[code]["options"]}
        if value not in options:
            raise ValidationFailed(
                f"情形“{situations[code]['question']}”没有选项“{value}”。",
                f"Situation {code!r} has no option {value!r}.", field=code)
    checklist = Checklist(
        matter_code=snapshot["implementation_code"],
        matter_name=snapshot["name"],
        answers=answers,
        unanswered=[s for code, s in situations.items() if code not in answers],
    )
    for m in snapshot.get("materials", []):
        if not material_applies(m.get("applies_when") or {}, answers):
            continue
        item = ChecklistItem(
            code=m["code"], name=m["name"], necessity=m["necessity"], form=m["form"], copies=m["copies"],
            medium=m["medium"], source=m["source"], licence_type=m.get("licence_type"),
            licence_type_name=m.get("licence_type_name"), issuing_department=m.get("issuing_department", ""),
            sample_text=m.get("sample_text", ""), blank_form=m.get("blank_form", ""),
            review_points=m.get("review_points", ""), notes=m.get("notes", ""),
            blank_form_file=m.get("blank_form_file") or "", sample_file=m.get("sample_file") or "",
        )
        if item.licence_type and item.licence_type in held_licence_types:
            item.exempt = True
            item.exempt_reason = "已有有效电子证照，免提交"
        checklist.items.append(item)
    return checklist
