"""What a decision says, by the kind of matter (事项类型), and the 复议/诉讼 告知 every adverse decision carries.

准予许可 / 不予许可 are words of 《中华人民共和国行政许可法》 and belong to 行政许可 only; a 行政确认 (户籍, 不动产登记)
registers or confirms, a 行政给付 pays, a 公共服务 is simply done (办结). The 告知 follows
《中华人民共和国行政复议法》（2023年修订）第二十条 (sixty days from knowing of the act) and
《中华人民共和国行政诉讼法》第四十六条 (six months), and names the 复议机关 of the department
(:mod:`.authority`).
"""

from __future__ import annotations

from dataclasses import dataclass

from yichuang.catalog.constants import MatterType

from .authority import department_authority

# 行政复议法 第二十条第一款; 行政诉讼法 第四十六条第一款.
REVIEW_DAYS = 60
LITIGATION_MONTHS = 6
REVIEW_LAW = "《中华人民共和国行政复议法》第二十条"
LITIGATION_LAW = "《中华人民共和国行政诉讼法》第四十六条"


@dataclass(frozen=True)
class Verdict:
    """The words of one outcome: ``label`` as the decision field shows it (准予许可), ``sentence`` as the body says
    it after "经审查，" (决定准予许可), ``title`` the document's own title (准予行政许可决定书), ``doc_char`` the
    character of the 文号 (渝九龙坡市监**许**〔2026〕1号)."""

    label: str
    sentence: str
    title: str
    doc_char: str


def _pair(matter_type: str, matter_name: str) -> tuple[Verdict, Verdict]:
    name = matter_name or ""
    if matter_type == MatterType.LICENSING:
        return (Verdict("准予许可", "决定准予许可", "准予行政许可决定书", "许"),
                Verdict("不予许可", "决定不予许可", "不予行政许可决定书", "许"))
    if matter_type == MatterType.CONFIRMATION:
        if "认定" in name:
            word = "认定"
        elif "登记" in name or "备案" in name:
            word = "登记"
        else:
            word = "确认"
        yes = "准予登记" if word == "登记" else f"予以{word}"
        return (Verdict(yes, f"决定{yes}", f"{yes if word == '登记' else word}决定书", "确"),
                Verdict(f"不予{word}", f"决定不予{word}", f"不予{word}决定书", "确"))
    if matter_type == MatterType.PAYMENT:
        return (Verdict("准予给付", "决定准予给付", "行政给付决定书", "给"),
                Verdict("不予给付", "决定不予给付", "不予给付决定书", "给"))
    if matter_type == MatterType.ADJUDICATION:
        return (Verdict("支持申请人的请求", "裁决支持申请人的请求", "行政裁决书", "裁"),
                Verdict("驳回申请人的请求", "裁决驳回申请人的请求", "行政裁决书", "裁"))
    if matter_type == MatterType.REWARD:
        return (Verdict("给予奖励", "决定给予奖励", "行政奖励决定书", "奖"),
                Verdict("不予奖励", "决定不予奖励", "不予奖励决定书", "奖"))
    if matter_type == MatterType.PUBLIC_SERVICE:
        return (Verdict("办结", "符合办理条件，已予办结", "办结通知书", "办"),
                Verdict("不予办理", "决定不予办理", "不予办理告知书", "办"))
    # 其他行政权力 and anything unknown: 备案 is 予以备案, the rest 准予办理.
    if "备案" in name:
        return (Verdict("予以备案", "决定予以备案", "备案决定书", "备"),
                Verdict("不予备案", "决定不予备案", "不予备案决定书", "备"))
    return (Verdict("准予办理", "决定准予办理", "办理决定书", "决"),
            Verdict("不予办理", "决定不予办理", "不予办理决定书", "决"))


def verdict(*, matter_type: str, matter_name: str, approved: bool) -> Verdict:
    yes, no = _pair(matter_type, matter_name)
    return yes if approved else no


def case_matter_type(case) -> str:
    """The type of the matter as it stood when the case was received (its version), else as it stands now."""
    snapshot = getattr(getattr(case, "matter_version", None), "snapshot", None) or {}
    return snapshot.get("matter_type") or case.matter.matter_type


def case_verdict(case, *, approved: bool) -> Verdict:
    return verdict(matter_type=case_matter_type(case), matter_name=case.matter.name, approved=approved)


def remedy_sentence(*, review_body: str, court: str = "", act: str = "本决定", paper: str = "本决定书") -> str:
    """如不服…: the body that hears a 行政复议 and the court of a 行政诉讼, with their time limits."""
    court_part = f"向{court}" if court else "依法向人民法院"
    return (f"如不服{act}，可以自收到{paper}之日起{REVIEW_DAYS}日内向{review_body}申请行政复议，"
            f"或者自收到{paper}之日起{LITIGATION_MONTHS}个月内{court_part}提起行政诉讼"
            f"（{REVIEW_LAW}、{LITIGATION_LAW}）。")


def remedy_content(case, *, act: str = "本决定", paper: str = "本决定书") -> dict:
    """The 告知 of a case's department: what the notice's content records (so the page and the PDF say the same
    whatever the department's settings become later)."""

    auth = department_authority(case.matter.department)
    return {"review_body": auth.review_body, "court": auth.court, "review_days": REVIEW_DAYS,
            "litigation_months": LITIGATION_MONTHS,
            "remedy": remedy_sentence(review_body=auth.review_body, court=auth.court, act=act, paper=paper)}


def decision_text(case, *, approved: bool, opinion: str = "", legal_basis: str = "") -> tuple[str, dict]:
    """The text and the content of a 决定书 (the case services record both on the notice)."""
    v = case_verdict(case, approved=approved)
    text = (f"{case.applicant_name}：\n您申请的“{case.matter.name}”（办件编号{case.number}），经审查，{v.sentence}。\n"
            + (f"审查意见：{opinion}\n" if opinion else "") + (f"依据：{legal_basis}\n" if legal_basis else ""))
    content = {"matter_type": case_matter_type(case), "verdict": v.label, "doc_title": v.title}
    if not approved:
        remedy = remedy_content(case)
        text += remedy["remedy"]
        content.update(remedy)
    return text.rstrip("\n"), content


def non_acceptance_text(case, *, reason: str, legal_basis: str) -> tuple[str, dict]:
    """The text and the content of a 不予受理通知书."""
    remedy = remedy_content(case, act="本决定", paper="本通知书")
    text = (f"{case.applicant_name}：\n您申请的“{case.matter.name}”（办件编号{case.number}），经审查，决定不予受理。\n"
            f"理由：{reason}\n依据：{legal_basis}\n{remedy['remedy']}")
    return text, {**remedy, "matter_type": case_matter_type(case)}
