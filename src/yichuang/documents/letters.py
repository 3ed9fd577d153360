"""What the 容缺受理承诺书 and the 中止告知书 say. The case services record them as notices (like the 受理通知书):
``_notice(case=…, kind=…, **letters.tolerant_commitment(case, items))`` — the text and the content come from here.

- 容缺受理承诺书: the items that may follow later and their due date, the applicant's written commitment, what
  happens when they do not arrive (the tolerant acceptance lapses: the case goes back to 补齐补正), and a signature line.
- 中止告知书: 《中华人民共和国行政许可法》第四十五条 — the time a hearing, an inspection, a test, an expert review …
  needs is not counted in the time limit, and the organ tells the applicant in writing how long it needs.
"""

from __future__ import annotations

import datetime as dt

from yichuang.catalog.constants import MatterType
from yichuang.workcal.workdays import add_workdays

from .wording import case_matter_type

# Working days each kind of suspension is expected to take (the notice says "预计"; the real time is what the
# resumption records). 听证: 行政许可法 第四十七条 (the hearing is held within 20 days of the request).
EXPECTED_WORKDAYS = {
    "site_inspection": 10,
    "technical_review": 20,
    "hearing": 20,
    "expert_review": 20,
    "publicity": 5,
}
SUSPENSION_BASIS = {
    "site_inspection": "《中华人民共和国行政许可法》第三十四条第三款、第四十五条",
    "technical_review": "《中华人民共和国行政许可法》第四十五条",
    "hearing": "《中华人民共和国行政许可法》第四十五条、第四十七条",
    "expert_review": "《中华人民共和国行政许可法》第四十五条",
    "publicity": "《中华人民共和国行政许可法》第四十五条及本事项公示规定",
}
SUSPENSION_LABELS = {"site_inspection": "现场勘验", "technical_review": "技术审查", "hearing": "听证",
                     "expert_review": "专家评审", "publicity": "公示"}


def _d(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def commitment_sentence(*, applicant: str, items: list[str], due: dt.date) -> str:
    return (f"本人（本单位）{applicant}自愿申请容缺受理，承诺于{_d(due)}前补交上述容缺材料"
            f"（{'、'.join(items)}），并对已提交材料的真实性、合法性负责。逾期未补交的，容缺受理自动失效，"
            "办件转为补齐补正；提交虚假材料或不履行承诺的，依法承担相应责任，并记入信用记录。")


def tolerant_commitment(case, items: list[dict]) -> dict:
    """容缺受理承诺书 of a case accepted tolerantly (``items``: [{"code", "name"}] of the tolerant materials)."""
    names = [i.get("name", "") for i in items]
    due = case.tolerant_due
    written = (case.tolerant_commitment or "").strip()
    sentence = commitment_sentence(applicant=case.applicant_name, items=names, due=due)
    text = (f"{case.handling_centre.name}、{case.department.name}：\n"
            f"本人（本单位）申请办理“{case.matter.name}”（办件编号{case.number}），下列材料暂缺，申请容缺受理：\n"
            + "\n".join(f"{i}. {n}" for i, n in enumerate(names, 1)) + f"\n{sentence}"
            + (f"\n申请人书面承诺：{written}" if written else ""))
    return {"text": text, "content": {"items": items, "due_date": due.isoformat(), "commitment": written,
                                      "sentence": sentence, "matter_type": case_matter_type(case)}}


def expected_end(start: dt.date, workdays: int) -> tuple[dt.date, bool]:
    result = add_workdays(start, workdays)
    return result.value, bool(result.provisional)


def suspension(case, susp) -> dict:
    """中止告知书 of a suspension (``susp``: the :class:`~yichuang.cases.models.Suspension` row just opened)."""
    reason = susp.reason
    label = SUSPENSION_LABELS.get(reason, reason)
    days = EXPECTED_WORKDAYS.get(reason, 10)
    end, provisional = expected_end(susp.start_date, days)
    basis = SUSPENSION_BASIS.get(reason, "《中华人民共和国行政许可法》第四十五条")
    if case_matter_type(case) != MatterType.LICENSING:  # the statute governs licensing; other matters follow it
        basis = "参照" + basis
    note = (susp.note or "").strip()
    text = (f"{case.applicant_name}：\n您申请的“{case.matter.name}”（办件编号{case.number}）需要进行{label}"
            + (f"（{note}）" if note else "") + f"。依据{basis}，{label}所需时间不计算在办理时限内。"
            f"自{_d(susp.start_date)}起中止计时，预计需要{days}个工作日（约至{_d(end)}），"
            "完成后恢复计时，办结期限相应顺延，届时将另行告知。\n中止期间您可以通过进度查询了解办理情况。")
    return {"text": text, "content": {"reason": reason, "reason_label": label, "note": note, "legal_basis": basis,
                                      "start": susp.start_date.isoformat(), "expected_workdays": days,
                                      "expected_end": end.isoformat(), "expected_end_provisional": provisional,
                                      "clock_paused": True}}
