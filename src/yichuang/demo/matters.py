"""Demo catalogue: real matters of a district 政务服务中心 (实施清单), with situations and materials.

Names, legal bases, limits and fees follow the published catalogues of Chinese provinces; limits are in
working days, the promised limit never exceeds the legal one. Implementation codes are well formed:
the department's unified social credit code (18) + a 12-digit basic code + a 3-digit item suffix.

Each matter row is compact (see :func:`matter`); the key matters (食品经营许可, 企业设立登记, 居民身份证换领,
不动产转移登记, 社保关系转移, 公积金提取) carry full detail: situations, review points, FAQ, process steps and
form fields.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fpdf import FPDF

from yichuang.core.errors import DomainError
from yichuang.core.xlsx import append_row
from yichuang.documents.pdf import cjk_font

from .org import DEPARTMENT_CREDIT_CODES, DEPARTMENTS, department_code

TYPE_NUMBERS = {"licensing": 1, "payment": 2, "confirmation": 3, "adjudication": 4, "reward": 5,
                "other_power": 7, "public_service": 9}
DEPT_INDEX = {code: i + 1 for i, (code, *_rest) in enumerate(DEPARTMENTS)}
ALL_LOCAL = ["county"]


# --- materials -------------------------------------------------------------------------------------------

def mat(code: str, name: str, *, nec: str = "required", form: str = "original", copies: int = 1,
        medium: str = "either", source: str = "applicant", lt: str | None = None, when: dict | None = None,
        issuer: str = "", review: str = "", sample: str = "", blank: str = "", notes: str = "") -> dict:
    return {"code": code, "name": name, "necessity": nec, "form": form, "copies": copies, "medium": medium,
            "source": source, "licence_type": lt, "applies_when": when or {}, "issuing_department": issuer,
            "review_points": review, "sample_text": sample, "blank_form": blank, "notes": notes}


AGENT = {"code": "agent", "question": "办理人", "options": [
    {"code": "self", "label": "本人办理"}, {"code": "agent", "label": "委托他人代办"}]}
APPLY_TYPE = {"code": "apply_type", "question": "申请类型", "options": [
    {"code": "first", "label": "首次申请"}, {"code": "change", "label": "变更"},
    {"code": "renew", "label": "延续"}, {"code": "cancel", "label": "注销"}]}
SUBJECT = {"code": "subject", "question": "申请主体", "options": [
    {"code": "person", "label": "个人"}, {"code": "company", "label": "企业或其他组织"}]}

POA_SAMPLE = ("授权委托书\n委托人：张三，身份证号码：500107198001010011\n受托人：李四，身份证号码：500107198502020022\n"
              "现委托受托人代为办理______事项，受托人在办理过程中签署的文件我均予以承认。\n委托期限：自____年__月__日至____年__月__日。\n"
              "委托人（签字）：        日期：")


def id_card(name: str = "申请人居民身份证", code: str = "id_card") -> dict:
    return mat(code, name, source="licence", lt="JMSFZ", review="核验人证一致，证件在有效期内。",
               notes="已关联电子证照的，无需提交纸质材料。")


def agent_materials() -> list[dict]:
    return [
        mat("power_of_attorney", "授权委托书", when={"agent": ["agent"]}, sample=POA_SAMPLE,
            review="委托事项、委托期限明确，委托人签字（盖章）。"),
        mat("agent_id_card", "受托人居民身份证", source="licence", lt="JMSFZ", when={"agent": ["agent"]},
            review="核验受托人人证一致。"),
    ]


def company_materials(form_name: str) -> list[dict]:
    return [
        mat("application", form_name, blank=f"{form_name}（空白样表）", review="填写完整，法定代表人签字并加盖公章。"),
        mat("business_licence", "营业执照", form="copy", source="licence", lt="YYZZ",
            notes="通过电子证照库共享，无需提交纸质材料。"),
        id_card("法定代表人（负责人）居民身份证", "legal_rep_id"),
    ]


def person_materials(form_name: str) -> list[dict]:
    return [mat("application", form_name, blank=f"{form_name}（空白样表）"), id_card()]


# --- matter rows -----------------------------------------------------------------------------------------

def matter(dept: str, seq: int, name: str, mtype: str, domain: str, legal: int, promised: int, *,
           keywords: str = "", basis: str = "", conditions: str = "", visits: int = 1,
           levels: list[str] | None = None, result: str = "none", licence: str | None = None, result_name: str = "",
           fee: str = "", fee_basis: str = "", negative: bool = False, situations: list[dict] | None = None,
           materials: list[dict] | None = None, faq: list[dict] | None = None, steps: list[str] | None = None,
           fields: list[dict] | None = None, kind: str | None = None, company: bool = False,
           objects: list[str] | None = None, themes: list[str] | None = None, place: str = "", hours: str = "",
           phone: str = "", complaint: str = "", special: str = "") -> dict[str, Any]:
    basic = f"{TYPE_NUMBERS[mtype]:04d}{DEPT_INDEX[dept]:02d}{seq:03d}000"
    situations = situations if situations is not None else [AGENT]
    if materials is None:
        materials = company_materials(f"{name}申请书") if company else person_materials(f"{name}申请表")
        if any(s["code"] == "agent" for s in situations):
            materials += agent_materials()
    spec = {
        "implementation_code": f"{DEPARTMENT_CREDIT_CODES[dept]}{basic}001",
        "basic_code": basic,
        "name": name,
        "department": department_code(dept),
        "matter_type": mtype,
        "domain": domain,
        "legal_basis": basis,
        "acceptance_conditions": conditions,
        "legal_limit_days": legal,
        "promised_limit_days": promised,
        "handling_kind": kind or ("immediate" if promised == 0 else "promised"),
        "charges": bool(fee),
        "fee_description": fee,
        "fee_basis": fee_basis,
        "visits_required": visits,
        "handling_levels": levels if levels is not None else ALL_LOCAL,
        "negative_list": negative,
        "result_kind": result,
        "result_licence_type": licence,
        "result_name": result_name,
        "keywords": keywords,
        "faq": faq or [],
        "process_steps": steps or ["申请", "受理", "审查", "决定", "送达"],
        "form_fields": fields or [],
        # 办事指南要素: where, when, whom to ask, where to complain, special procedures (their time not counted).
        "service_objects": objects or (["legal_person"] if company else ["person"]),
        "themes": themes if themes is not None else _themes(dept, name),
        "handling_place": place or (f"{CENTRE_NAME}{DOMAIN_PLACES[domain]}（{CENTRE_ADDRESS}）" if not negative else ""),
        "handling_hours": hours or (REALESTATE_HOURS if domain == "realestate" else ""),
        "consult_phone": phone or DEPT_PHONES.get(dept, ""),
        "complaint_channel": complaint or (
            f"12345政务服务便民热线；{department_name(dept)}监督电话 {DEPT_SUPERVISION[dept]}；"
            f"{CENTRE_NAME}一楼“办不成事”反映窗口；办结后可在本系统“好差评”评价"),
        "special_procedures": special,
    }
    return {"spec": spec, "situations": situations, "materials": materials}


# --- 办事指南要素 of the demo centre ----------------------------------------------------------------------

CENTRE_NAME = "九龙坡区政务服务中心"
CENTRE_ADDRESS = "重庆市九龙坡区杨家坪正街9号"
REALESTATE_HOURS = "周一至周五 9:00-17:00（午间不间断服务），周六 9:00-12:00"
DOMAIN_PLACES = {
    "enterprise": "二楼企业服务区（企业开办、准营许可综合窗口）",
    "police": "一楼公安服务区（户籍、身份证综合窗口）",
    "realestate": "三楼不动产登记区（交易、税务、登记一窗受理）",
    "insurance": "一楼社保医保区（社会保障综合窗口）",
    "fund": "一楼住房公积金窗口",
    "tax": "二楼税务服务区",
    "social": "一楼社会事务综合窗口",
    "construction": "三楼工程建设项目审批综合窗口",
}
# 咨询电话 and 监督电话 of the departments (the demo's numbers: 023-6878 xxxx is the centre's exchange).
DEPT_PHONES = {
    "SCJ": "023-68780101", "GAJ": "023-68780102", "BDC": "023-68780103", "RSJ": "023-68780104",
    "GJJ": "023-68780105", "SWJ": "023-12366", "WJW": "023-68780107", "MZJ": "023-68780108",
    "JTJ": "023-68780109", "ZJW": "023-68780110", "YBJ": "023-68780111", "STJ": "023-68780112",
    "WLW": "023-68780113", "CGJ": "023-68780114", "YH": "023-68780115", "GYSY": "023-68780116",
}
DEPT_SUPERVISION = {code: f"023-687809{i + 1:02d}" for i, code in enumerate(DEPT_PHONES)}


def department_name(dept: str) -> str:
    return next((name for code, name, *_rest in DEPARTMENTS if code == dept), "")


# 主题: what an applicant browses by. Keyed by department, with the matters that belong elsewhere named.
DEPT_THEMES = {
    "SCJ": ["business_permit"], "GAJ": ["household"], "BDC": ["real_estate"], "RSJ": ["social_insurance"],
    "GJJ": ["housing_fund"], "SWJ": ["tax"], "WJW": ["health"], "MZJ": ["social_aid"], "JTJ": ["transport"],
    "ZJW": ["construction"], "YBJ": ["medical_insurance"], "STJ": ["construction"], "WLW": ["culture"],
    "CGJ": ["construction"], "YH": ["company_start"], "GYSY": ["utilities", "real_estate"],
}
NAME_THEMES = {
    "企业设立登记": ["company_start"], "个体工商户设立登记": ["company_start"],
    "企业变更登记": ["company_change"], "企业注销登记": ["company_change"], "清税证明开具": ["company_change", "tax"],
    "印章刻制备案": ["company_start"], "新办纳税人涉税事项办理": ["company_start", "tax"],
    "单位参保登记": ["company_start", "social_insurance"], "单位住房公积金缴存登记": ["company_start", "housing_fund"],
    "民用爆炸物品购买许可": ["business_permit"], "机动车驾驶证申领（驾驶人考试）": ["transport"],
    "出生登记": ["household", "marriage_birth"], "失业保险金申领": ["employment", "social_insurance"],
    "就业创业证申领": ["employment"], "人力资源服务许可": ["business_permit", "employment"],
    "城乡居民基本养老保险待遇申领": ["social_insurance", "elderly_disabled"], "契税申报": ["tax", "real_estate"],
    "公共场所卫生许可": ["business_permit", "health"], "出生医学证明补发": ["marriage_birth", "health"],
    "出生医学证明首次签发": ["marriage_birth", "health"], "生育登记服务": ["marriage_birth"],
    "内地居民结婚登记": ["marriage_birth"], "社会团体成立登记": ["business_permit"],
    "困难残疾人生活补贴和重度残疾人护理补贴申领": ["elderly_disabled", "social_aid"],
    "高龄失能老年人养老服务补贴申领": ["elderly_disabled"], "公共租赁住房申请": ["social_aid", "real_estate"],
    "道路旅客运输经营许可": ["transport", "business_permit"], "道路普通货物运输经营许可": ["transport", "business_permit"],
    "排污许可证核发": ["business_permit"], "营业性演出审批": ["culture", "business_permit"],
    "娱乐场所从事娱乐场所经营活动审批": ["culture", "business_permit"], "药品零售企业经营许可": ["business_permit", "health"],
}


def _themes(dept: str, name: str) -> list[str]:
    return list(NAME_THEMES.get(name) or DEPT_THEMES.get(dept, []))


STD_STEPS = ["申请：到综合窗口或登录网上办事大厅提交申请", "受理：综合窗口收件，部门后台受理",
             "审查：审批部门审查材料，必要时现场核查", "决定：作出准予或不予决定", "送达：综合出件窗口领取或邮寄送达"]

FOOD_FIELDS = [
    {"name": "operator_name", "label": "经营者名称", "type": "text", "required": True},
    {"name": "credit_code", "label": "统一社会信用代码", "type": "credit_code", "required": True},
    {"name": "legal_rep", "label": "法定代表人（负责人）", "type": "text", "required": True},
    {"name": "premises", "label": "经营场所", "type": "text", "required": True},
    # 主体业态 is a situation question of 食品经营许可 (it selects the materials); the form does not ask it again.
    {"name": "items", "label": "经营项目", "type": "multiselect", "required": True,
     "options": ["预包装食品销售", "散装食品销售", "热食类食品制售", "冷食类食品制售", "自制饮品制售"]},
    {"name": "phone", "label": "联系电话", "type": "phone", "required": True},
]

COMPANY_FIELDS = [
    # 企业类型 is the situation question of 企业设立登记 (it selects the 章程); the form does not ask it again.
    {"name": "enterprise_name", "label": "企业名称", "type": "text", "required": True},
    {"name": "address", "label": "住所", "type": "text", "required": True},
    {"name": "registered_capital", "label": "注册资本（万元）", "type": "number", "required": True},
    {"name": "legal_rep", "label": "法定代表人", "type": "text", "required": True},
    {"name": "legal_rep_id", "label": "法定代表人身份证号码", "type": "id_number", "required": True},
    {"name": "business_scope", "label": "经营范围", "type": "textarea", "required": True},
]

ID_FIELDS = [
    {"name": "name", "label": "姓名", "type": "text", "required": True},
    {"name": "id_number", "label": "公民身份号码", "type": "id_number", "required": True},
    # 换领原因 and 领取方式 are situation questions (they select the materials); the form does not ask them again.
    {"name": "address", "label": "邮寄地址（选择邮寄送达时填写）", "type": "text", "required": False},
]

TRANSFER_FIELDS = [
    {"name": "location", "label": "不动产坐落", "type": "text", "required": True},
    {"name": "certificate_no", "label": "不动产权证书号", "type": "text", "required": True},
    {"name": "seller", "label": "转让方（义务人）", "type": "text", "required": True},
    {"name": "buyer", "label": "受让方（权利人）", "type": "text", "required": True},
    {"name": "price", "label": "成交价格（元）", "type": "number", "required": True},
]


def _f(name: str, label: str, kind: str = "text", required: bool = True, **kw) -> dict:
    return {"name": name, "label": label, "type": kind, "required": required, **kw}


# Forms of the matters joined in one-thing bundles (demo/bundles.py maps their shared fields).
SEAL_FIELDS = [_f("enterprise_name", "单位名称"), _f("credit_code", "统一社会信用代码", "credit_code"),
               _f("legal_rep", "法定代表人"), _f("seal_kinds", "刻制印章种类", required=False)]
TAX_FIELDS = [_f("taxpayer_name", "纳税人名称"), _f("credit_code", "统一社会信用代码", "credit_code"),
              _f("reg_address", "注册地址"), _f("legal_rep", "法定代表人"), _f("tax_officer", "办税人员", required=False),
              _f("invoice_kind", "申领发票种类", "select", required=False,
                 options=["数电普通发票", "数电专用发票"])]
SOCIAL_FIELDS = [_f("unit_name", "单位名称"), _f("credit_code", "统一社会信用代码", "credit_code"),
                 _f("unit_address", "单位地址"), _f("staff_count", "参保职工人数", "integer", required=False)]
FUND_FIELDS = [_f("unit_name", "单位名称"), _f("credit_code", "统一社会信用代码", "credit_code"),
               _f("unit_address", "单位地址"), _f("deposit_ratio", "缴存比例（%）", "number", required=False)]
BANK_FIELDS = [_f("account_name", "账户名称"), _f("credit_code", "统一社会信用代码", "credit_code"),
               _f("legal_rep", "法定代表人"), _f("bank_branch", "预约开户银行", "select", required=False,
                                                options=["工商银行", "农业银行", "中国银行", "建设银行", "重庆农商行"])]
INDIVIDUAL_FIELDS = [_f("shop_name", "个体工商户名称"), _f("operator", "经营者姓名"), _f("premises", "经营场所"),
                     _f("business_scope", "经营范围", "textarea")]
PREPACK_FIELDS = [_f("operator_name", "经营者名称"), _f("credit_code", "统一社会信用代码", "credit_code"),
                  _f("premises", "经营场所")]
HYGIENE_FIELDS = [_f("unit_name", "单位名称"), _f("credit_code", "统一社会信用代码", "credit_code"),
                  _f("premises", "经营场所"), _f("legal_rep", "法定代表人（负责人）"),
                  _f("venue_kind", "场所类别", "select", options=["美容美发场所", "宾馆", "游泳场所", "沐浴场所"])]
BIRTH_CERT_FIELDS = [_f("baby_name", "新生儿姓名"), _f("baby_sex", "性别", "select", options=["男", "女"]),
                     _f("birth_date", "出生日期", "date"), _f("mother_name", "母亲姓名"),
                     _f("mother_id", "母亲公民身份号码", "id_number"), _f("father_name", "父亲姓名", required=False)]
BIRTH_REG_FIELDS = [_f("baby_name", "申报人姓名（新生儿）"), _f("birth_date", "出生日期", "date"),
                    _f("birth_cert_no", "出生医学证明编号"), _f("hukou_address", "落户地址")]
NEWBORN_INSURANCE_FIELDS = [_f("insured_name", "参保人姓名"), _f("insured_id", "参保人公民身份号码"),
                            _f("guardian_phone", "监护人电话", "phone")]
NEWBORN_CARD_FIELDS = [_f("holder_name", "持卡人姓名"), _f("holder_id", "持卡人公民身份号码"),
                       _f("mail_address", "邮寄地址", required=False)]
UTILITY_FIELDS = [_f("location", "用户地址（不动产坐落）"), _f("new_holder", "新户主"),
                  _f("new_cert_no", "不动产权证书号"), _f("account_no", "原户号", required=False)]


def _key_matters() -> list[dict]:
    food_sit = [
        {"code": "apply_type", "question": "申请类型", "options": [
            {"code": "first", "label": "首次申请"}, {"code": "change", "label": "变更"},
            {"code": "renew", "label": "延续"}, {"code": "cancel", "label": "注销"}]},
        {"code": "business_form", "question": "主体业态", "options": [
            {"code": "sales", "label": "食品销售"}, {"code": "catering", "label": "餐饮服务"},
            {"code": "canteen", "label": "单位食堂"}]},
        AGENT,
    ]
    food_mats = [
        mat("application", "食品经营许可申请书", review="填写完整，经营项目与场所、设备相适应；申请人签字（盖章）。",
            blank="食品经营许可申请书（空白样表）"),
        mat("business_licence", "营业执照或其他主体资格证明文件", form="copy", source="licence", lt="YYZZ",
            when={"apply_type": ["first", "change", "renew"]}, notes="通过电子证照库共享，无需提交纸质材料。"),
        id_card("法定代表人（负责人）居民身份证", "legal_rep_id"),
        mat("layout", "与食品经营相适应的主要设备设施布局、操作流程等文件",
            when={"apply_type": ["first", "change"]},
            review="布局图标明经营场所面积、功能间划分及设备位置；餐饮服务须标明清洗消毒、更衣设施。"),
        mat("safety_rules", "食品安全自查、从业人员健康管理、进货查验记录、食品安全事故处置等保证食品安全的规章制度",
            nec="tolerant", when={"apply_type": ["first", "renew"]}, notes="可容缺受理，30日内补齐。"),
        mat("safety_officer", "食品安全管理人员及其培训考核合格材料", nec="tolerant",
            when={"business_form": ["catering", "canteen"]}),
        mat("original_licence", "食品经营许可证正副本", when={"apply_type": ["change", "renew", "cancel"]},
            source="licence", lt="SPJYXKZ"),
        mat("cancel_statement", "食品经营许可注销申请书", when={"apply_type": ["cancel"]}),
    ] + agent_materials()
    id_sit = [
        {"code": "reason", "question": "换领原因", "options": [
            {"code": "expired", "label": "有效期满"}, {"code": "damaged", "label": "证件损坏无法辨认"},
            {"code": "changed", "label": "登记项目变更"}]},
        {"code": "delivery", "question": "领取方式", "options": [
            {"code": "window", "label": "窗口领取"}, {"code": "post", "label": "邮寄送达"}]},
    ]
    id_mats = [
        mat("old_id_card", "原居民身份证", source="licence", lt="JMSFZ", review="核对证件照片与本人一致，回收旧证。"),
        mat("household_register", "居民户口簿", lt="JMHKB", source="licence",
            when={"reason": ["changed"]}, review="登记项目已在户籍信息中变更。"),
        mat("photo", "符合标准的居民身份证数码相片回执", nec="optional", medium="electronic",
            notes="可在窗口现场免费采集相片。"),
        mat("change_proof", "登记项目变更证明（如姓名变更、出生日期更正材料）", when={"reason": ["changed"]},
            issuer="户籍所在地派出所"),
        mat("postal_form", "邮寄送达申请表", when={"delivery": ["post"]}, form="original"),
    ]
    transfer_sit = [
        {"code": "cause", "question": "转移原因", "options": [
            {"code": "sale", "label": "买卖（二手房）"}, {"code": "gift", "label": "赠与"},
            {"code": "inherit", "label": "继承、受遗赠"}]},
        AGENT,
    ]
    transfer_mats = [
        mat("application", "不动产登记申请书", review="申请人、坐落、不动产单元号填写准确，双方签字。",
            blank="不动产登记申请书（空白样表）"),
        id_card("申请人居民身份证（买卖双方）"),
        mat("title_certificate", "不动产权证书", source="licence", lt="BDCQZS", review="核对权利人、坐落、面积与登记簿一致。"),
        mat("sale_contract", "存量房买卖合同（网签备案）", when={"cause": ["sale"]}, copies=1,
            review="合同经网签备案，双方签字。"),
        mat("gift_contract", "赠与合同（经公证）", when={"cause": ["gift"]}),
        mat("inherit_proof", "继承权公证书或生效法律文书、死亡证明", when={"cause": ["inherit"]},
            review="核查全部法定继承人是否到场或已放弃继承。"),
        mat("tax_proof", "契税完税凭证", source="government", issuer="国家税务总局重庆市九龙坡区税务局",
            notes="与税务部门实时共享，无需提交纸质凭证。"),
        mat("marriage_status", "婚姻状况证明（结婚证或离婚证、单身声明）", nec="tolerant", source="licence", lt="JHZ"),
    ] + agent_materials()
    fund_sit = [
        {"code": "reason", "question": "提取原因", "options": [
            {"code": "purchase", "label": "购买自住住房"}, {"code": "loan", "label": "偿还住房贷款本息"},
            {"code": "rent", "label": "租赁住房"}, {"code": "retire", "label": "离休、退休"}]},
        AGENT,
    ]
    fund_mats = [
        id_card(),
        mat("bank_card", "本人银行借记卡（一类账户）", form="copy", review="账户户名与职工本人一致。"),
        mat("purchase_contract", "购房合同及购房发票", when={"reason": ["purchase"]}, lt="BDCQZS",
            notes="已办理不动产登记的，可通过不动产权证书电子证照核验。"),
        mat("loan_contract", "借款合同及还款明细", when={"reason": ["loan"]}),
        mat("rent_statement", "无房租房提取承诺书", when={"reason": ["rent"]}, sample="本人承诺在本市无自有住房……"),
        mat("retire_proof", "离退休证明", when={"reason": ["retire"]}, source="government",
            issuer="区人力资源和社会保障局", notes="人社部门数据共享，可免提交。"),
    ] + agent_materials()
    return [
        matter("SCJ", 1, "食品经营许可", "licensing", "enterprise", 10, 3,
               keywords="开饭店,开餐馆,餐饮,饭店,小吃店,便利店卖食品,食品许可证,奶茶店,食堂",
               basis="《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》（国家市场监督管理总局令第78号）",
               conditions="具有与经营的食品品种、数量相适应的经营场所、设备设施、食品安全管理人员和规章制度。",
               result="licence", licence="SPJYXKZ", result_name="食品经营许可证", situations=food_sit,
               materials=food_mats, steps=STD_STEPS, fields=FOOD_FIELDS, company=True,
               themes=["business_permit", "company_start"],
               special="现场核查：需要对申请材料的实质内容进行核实的，由两名以上执法人员进行现场核查，核查时间不计入办理时限"
                       "（不超过10个工作日）；仅申请预包装食品销售的不需现场核查。",
               faq=[{"q": "只卖预包装食品需要办食品经营许可证吗？", "a": "仅销售预包装食品的，办理备案即可，无需取得许可。"},
                    {"q": "食品经营许可证有效期多久？", "a": "有效期为5年，需延续的应在届满前90个工作日至15个工作日期间提出申请。"},
                    {"q": "材料不全能先受理吗？", "a": "规章制度、食品安全管理人员培训材料可容缺受理，承诺期限内补齐后发证。"}]),
        matter("SCJ", 2, "企业设立登记", "licensing", "enterprise", 3, 1,
               keywords="开公司,注册公司,办营业执照,成立公司,企业开办,新办企业",
               basis="《中华人民共和国公司法》第二十九条；《中华人民共和国市场主体登记管理条例》第十九条",
               conditions="名称、住所、经营范围等符合法律法规规定，申请材料齐全、符合法定形式。",
               result="licence", licence="YYZZ", result_name="营业执照", steps=STD_STEPS, fields=COMPANY_FIELDS,
               objects=["person", "legal_person"],
               situations=[{"code": "company_type", "question": "企业类型", "options": [
                   {"code": "llc", "label": "有限责任公司"}, {"code": "jsc", "label": "股份有限公司"},
                   {"code": "branch", "label": "分公司"}]}, AGENT],
               materials=[
                   mat("application", "公司登记（备案）申请书", review="法定代表人签字，全体股东确认。"),
                   mat("articles", "公司章程", when={"company_type": ["llc", "jsc"]}, sample="（有限责任公司章程示范文本）",
                       review="全体股东签字（盖章），出资额、出资方式、出资期限明确。"),
                   mat("shareholder_ids", "股东、发起人主体资格证明或自然人身份证件", form="copy"),
                   id_card("法定代表人、董事、监事和经理的身份证件", "officer_ids"),
                   mat("premises", "住所使用相关文件（产权证明或租赁合同）", nec="tolerant", lt="BDCQZS",
                       notes="重庆市实行住所申报承诺制，可提交住所申报承诺书。"),
                   mat("parent_licence", "隶属企业营业执照", form="copy", source="licence", lt="YYZZ",
                       when={"company_type": ["branch"]}),
               ] + agent_materials(),
               faq=[{"q": "注册公司最快多久能拿到营业执照？", "a": "材料齐全、符合法定形式的，1个工作日内办结，可同步领取电子营业执照。"},
                    {"q": "企业开办还需要办哪些事？", "a": "可通过“企业开办一件事”一次办理设立登记、公章刻制、发票申领、社保登记和公积金缴存登记。"}]),
        matter("GAJ", 1, "居民身份证换领", "confirmation", "police", 60, 20,
               keywords="身份证,换身份证,身份证到期,身份证过期,身份证坏了,换证",
               basis="《中华人民共和国居民身份证法》第十一条",
               conditions="居民身份证有效期满、证件严重损坏不能辨认或登记项目变更。",
               fee="工本费20元", result="licence", licence="JMSFZ", result_name="居民身份证",
               fee_basis="《国家发展改革委 财政部关于居民身份证收费标准及有关问题的通知》（发改价格〔2003〕2322号）",
               levels=["county", "town"], visits=1, situations=id_sit, materials=id_mats, fields=ID_FIELDS,
               hours="周一至周五 9:00-12:00、13:30-17:30；周六 9:00-12:00（仅受理身份证业务）",
               steps=["取号", "采集相片和指纹", "窗口受理并缴纳工本费", "制证", "领取或邮寄送达"],
               faq=[{"q": "身份证到期前多久可以换？", "a": "有效期满前3个月内可申请换领。"},
                    {"q": "可以异地换领身份证吗？", "a": "可以，在全国任一公安机关居民身份证受理点均可申请异地换领。"},
                    {"q": "换领期间需要出行怎么办？", "a": "可同时申领临时居民身份证，当场办结。"}]),
        matter("BDC", 2, "国有建设用地使用权及房屋所有权转移登记", "confirmation", "realestate", 30, 3,
               keywords="过户,二手房过户,买房过户,房产过户,房屋赠与,房产继承,买卖登记",
               basis="《中华人民共和国民法典》第二百零九条；《不动产登记暂行条例》第三条、第二十条",
               fee="住宅类每件80元（含第一本证书工本费），非住宅类每件550元",
               fee_basis="《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）",
               result="licence", licence="BDCQZS", result_name="不动产权证书", situations=transfer_sit,
               materials=transfer_mats, fields=TRANSFER_FIELDS, objects=["person", "legal_person"],
               special="公告：继承、受遗赠转移经查验确有必要的，在登记机构门户网站公告15个工作日，公告期不计入办理时限；"
                       "实地查看：房屋状况需核实的，实地查看时间不计入办理时限。",
               steps=["预约取号", "交易、税务、登记一窗受理", "缴税缴费", "审核登簿", "发证（可邮寄或领取电子证照）"],
               faq=[{"q": "二手房过户需要买卖双方同时到场吗？", "a": "原则上双方到场，也可委托代理人凭经公证的授权委托书办理。"},
                    {"q": "过户要交哪些税费？", "a": "主要有契税、增值税及附加、个人所得税和登记费，具体由税务窗口核定。"}]),
        matter("RSJ", 1, "基本养老保险关系转移接续", "public_service", "insurance", 45, 15,
               keywords="社保转移,社保关系转移,养老保险转移,换城市工作社保,社保转出,社保转入",
               basis="《城镇企业职工基本养老保险关系转移接续暂行办法》（国办发〔2009〕66号）",
               visits=0, levels=["county", "town"],
               special="跨省转移：转入地、转出地经办机构通过全国社会保险关系转移系统传递联系函和参保信息，"
                       "转出地办理时间不计入本机构办理时限。",
               situations=[{"code": "direction", "question": "转移方向", "options": [
                   {"code": "in", "label": "外省市转入本市"}, {"code": "out", "label": "本市转出"}]}, AGENT],
               materials=[
                   id_card(),
                   mat("application", "基本养老保险关系转移接续申请表", medium="electronic",
                       review="转出地、转入地经办机构信息准确。"),
                   mat("participation_proof", "参保缴费凭证", when={"direction": ["in"]}, source="government",
                       issuer="转出地社会保险经办机构", notes="经全国社保转移平台传递，无需本人提交。"),
               ] + agent_materials(),
               faq=[{"q": "社保转移需要回原参保地办理吗？", "a": "不需要，向新参保地提出申请即可，可通过国家社会保险公共服务平台全程网办。"},
                    {"q": "转移需要多长时间？", "a": "转入地、转出地各在15个工作日内办结，全程一般不超过45个工作日。"}]),
        matter("GJJ", 1, "住房公积金提取", "public_service", "fund", 3, 0,
               keywords="公积金提取,取公积金,提公积金,租房提取,购房提取,退休提取,公积金销户",
               basis="《住房公积金管理条例》第二十四条、第二十五条",
               levels=["county", "town"], visits=0, situations=fund_sit, materials=fund_mats,
               fields=[{"name": "amount", "label": "提取金额（元）", "type": "number", "required": True},
                       {"name": "bank_account", "label": "收款银行账号", "type": "text", "required": True}],
               faq=[{"q": "租房提取每年能提多少？", "a": "按当地规定的月提取限额执行，无需提供租房合同，签署承诺书即可。"},
                    {"q": "提取后多久到账？", "a": "审核通过后即时转账，一般当日到账。"}]),
    ]


def _other_matters() -> list[dict]:
    m = matter
    return [
        # 市场监督管理局
        m("SCJ", 3, "企业变更登记", "licensing", "enterprise", 3, 1, company=True, result="licence", licence="YYZZ",
          keywords="公司变更,变更法人,变更地址,变更经营范围,股权变更",
          basis="《中华人民共和国市场主体登记管理条例》第二十四条"),
        m("SCJ", 4, "企业注销登记", "licensing", "enterprise", 3, 1, company=True,
          keywords="公司注销,注销公司,简易注销,关闭公司", basis="《中华人民共和国市场主体登记管理条例》第三十一条"),
        m("SCJ", 5, "个体工商户设立登记", "licensing", "enterprise", 3, 0, levels=["county", "town"],
          fields=INDIVIDUAL_FIELDS,
          result="licence", licence="YYZZ", keywords="个体户,开个体户,开小店,摆摊执照,个体营业执照",
          basis="《促进个体工商户发展条例》；《中华人民共和国市场主体登记管理条例》"),
        m("SCJ", 6, "药品零售企业经营许可", "licensing", "enterprise", 20, 15, company=True, result="licence",
          licence="YPJYXKZ", situations=[APPLY_TYPE, AGENT], keywords="开药店,药房,药品经营许可证,零售药店",
          basis="《中华人民共和国药品管理法》第五十一条；《药品经营和使用质量监督管理办法》"),
        m("SCJ", 7, "仅销售预包装食品备案", "other_power", "enterprise", 1, 0, company=True, visits=0,
          fields=PREPACK_FIELDS,
          keywords="预包装食品备案,便利店备案,超市卖包装食品",
          basis="《中华人民共和国食品安全法》第三十五条"),
        m("SCJ", 8, "特种设备使用登记", "licensing", "enterprise", 15, 5, company=True,
          keywords="电梯登记,锅炉登记,叉车登记,压力容器", basis="《中华人民共和国特种设备安全法》第三十三条"),
        m("SCJ", 9, "食品生产加工小作坊登记", "licensing", "enterprise", 15, 5, levels=["county"],
          keywords="小作坊,手工作坊,豆腐坊,小作坊登记证", basis="《重庆市食品生产加工小作坊和食品摊贩管理条例》"),
        # 公安
        m("GAJ", 2, "居民身份证补领", "confirmation", "police", 60, 20, fee="工本费40元", result="licence",
          licence="JMSFZ", levels=["county", "town"], keywords="身份证丢了,补身份证,身份证遗失,补办身份证",
          fee_basis="《国家发展改革委 财政部关于居民身份证收费标准及有关问题的通知》（发改价格〔2003〕2322号）",
          basis="《中华人民共和国居民身份证法》第十一条", situations=[],
          materials=[mat("household_register", "居民户口簿", source="licence", lt="JMHKB"),
                     mat("photo", "居民身份证相片回执", nec="optional", medium="electronic")]),
        m("GAJ", 3, "临时居民身份证申领", "confirmation", "police", 3, 0, fee="工本费10元",
          fee_basis="《国家发展改革委 财政部关于居民身份证收费标准及有关问题的通知》（发改价格〔2003〕2322号）",
          keywords="临时身份证,临时身份证明,坐飞机身份证", basis="《中华人民共和国临时居民身份证管理办法》第五条",
          situations=[], materials=[mat("household_register", "居民户口簿", source="licence", lt="JMHKB"),
                                    mat("receipt", "居民身份证领取凭证", nec="optional")]),
        m("GAJ", 4, "出生登记", "confirmation", "police", 5, 0, levels=["county", "town"], fields=BIRTH_REG_FIELDS,
          keywords="上户口,新生儿落户,宝宝上户口,出生落户", basis="《中华人民共和国户口登记条例》第七条",
          situations=[AGENT], materials=[
              mat("birth_certificate", "出生医学证明", source="licence", lt="CSYXZM"),
              mat("household_register", "父母一方居民户口簿", source="licence", lt="JMHKB"),
              mat("marriage_certificate", "父母结婚证", nec="optional", source="licence", lt="JHZ"),
              id_card("父母居民身份证", "parents_id")] + agent_materials()),
        m("GAJ", 5, "户口迁移（迁入）", "licensing", "police", 20, 5, keywords="迁户口,户口迁入,落户,人才落户,投靠落户",
          basis="《中华人民共和国户口登记条例》第十三条"),
        m("GAJ", 6, "居住证申领", "confirmation", "police", 15, 7, levels=["county", "town", "village"],
          keywords="居住证,办居住证,外地人居住证,暂住证", basis="《居住证暂行条例》第九条、第十条",
          materials=[id_card(), mat("residence_proof", "居住半年以上证明（租赁合同、劳动合同或就读证明）"),
                     mat("photo", "近期标准相片", nec="optional")]),
        m("GAJ", 7, "居民户口簿补领、换领", "confirmation", "police", 5, 1, keywords="户口本丢了,补户口本,换户口本",
          basis="《中华人民共和国户口登记条例》"),
        m("GAJ", 8, "民用爆炸物品购买许可", "licensing", "police", 5, 3, company=True, negative=True,
          place="重庆市公安局九龙坡区分局治安管理支队（重庆市九龙坡区谢家湾正街52号），不在区政务服务中心办理",
          hours="周一至周五 9:00-12:00、14:00-17:30",
          keywords="爆破器材购买,炸药购买", basis="《民用爆炸物品安全管理条例》第二十一条"),
        m("GAJ", 9, "机动车驾驶证申领（驾驶人考试）", "licensing", "police", 20, 20, negative=True,
          place="重庆市公安局交通巡逻警察总队车辆管理所及各驾驶人考试中心（可通过“交管12123”App预约考试），"
                "不在区政务服务中心办理",
          hours="周一至周日 8:30-17:30（法定节假日除外）", phone="023-12123",
          keywords="驾照考试,考驾照,科目一,驾驶证", levels=["city"],
          basis="《中华人民共和国道路交通安全法》第十九条；《机动车驾驶证申领和使用规定》（公安部令第162号）"),
        # 不动产
        m("BDC", 1, "国有建设用地使用权及房屋所有权首次登记", "confirmation", "realestate", 30, 5, company=True,
          result="licence", licence="BDCQZS", keywords="新房首次登记,大证,开发商办证,首登",
          fee="住宅类每件80元，非住宅类每件550元",
          fee_basis="《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）",
          basis="《不动产登记暂行条例》；《不动产登记暂行条例实施细则》第三十五条"),
        m("BDC", 3, "抵押权首次登记", "confirmation", "realestate", 30, 2, result="licence", licence="BDCDJZM",
          keywords="房屋抵押,抵押登记,按揭登记,贷款抵押", fee="住宅类每件80元",
          fee_basis="《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）",
          basis="《中华人民共和国民法典》第四百零二条；《不动产登记暂行条例实施细则》第六十六条"),
        m("BDC", 4, "抵押权注销登记", "confirmation", "realestate", 30, 1, keywords="解押,注销抵押,还完贷款解押",
          basis="《不动产登记暂行条例实施细则》第七十一条"),
        m("BDC", 5, "不动产变更登记", "confirmation", "realestate", 30, 3,
          keywords="房产证改名,门牌号变更,不动产信息变更", basis="《不动产登记暂行条例》第十四条"),
        m("BDC", 6, "不动产登记资料查询", "public_service", "realestate", 5, 0, visits=0,
          levels=["county", "town"], keywords="查房产,房产查询,查档,有无房产证明,不动产查询",
          basis="《不动产登记资料查询暂行办法》"),
        m("BDC", 7, "预告登记", "confirmation", "realestate", 30, 3, keywords="期房预告登记,预售登记,预抵押",
          basis="《中华人民共和国民法典》第二百二十一条"),
        m("BDC", 8, "更正登记", "confirmation", "realestate", 30, 10, keywords="房产证错误更正,登记错误",
          basis="《不动产登记暂行条例实施细则》第七十九条"),
        m("BDC", 9, "不动产权证书补发、换发", "confirmation", "realestate", 30, 5, fee="工本费每本10元",
          fee_basis="《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）",
          result="licence", licence="BDCQZS", keywords="房产证丢了,补办房产证,房产证损坏",
          basis="《不动产登记暂行条例实施细则》第二十二条"),
        # 人力社保
        m("RSJ", 2, "失业保险金申领", "payment", "insurance", 10, 5, visits=0, levels=["county", "town"],
          keywords="失业金,领失业金,失业保险,失业补助", basis="《失业保险条例》第十四条、第十六条"),
        m("RSJ", 3, "就业创业证申领", "public_service", "insurance", 5, 0, levels=["county", "town", "village"],
          keywords="就业创业证,失业证,就业失业登记证", basis="《就业服务与就业管理规定》第六十三条"),
        m("RSJ", 4, "人力资源服务许可", "licensing", "enterprise", 20, 10, company=True, result="licence",
          licence="RLZYFWXKZ", keywords="职业中介,人力资源公司,职介所许可",
          basis="《人力资源市场暂行条例》第十八条", situations=[APPLY_TYPE, AGENT]),
        m("RSJ", 5, "社会保障卡申领", "public_service", "insurance", 30, 10, levels=["county", "town", "village"],
          fields=NEWBORN_CARD_FIELDS,
          result="licence", licence="SHBZK", keywords="社保卡,办社保卡,社保卡补办,医保卡",
          basis="《社会保障卡管理办法》"),
        m("RSJ", 6, "单位参保登记", "public_service", "insurance", 5, 0, company=True, visits=0, fields=SOCIAL_FIELDS,
          keywords="社保开户,单位社保登记,公司交社保", basis="《中华人民共和国社会保险法》第五十七条"),
        m("RSJ", 7, "工伤认定", "confirmation", "insurance", 60, 30,
          keywords="工伤,工伤认定,上班受伤,工伤申请", special="调查核实：需要对事故伤害进行调查核实的，调查核实时间不计入；依赖司法机关或有关部门结论的，中止认定直至结论作出。",
          basis="《工伤保险条例》第十七条、第二十条"),
        m("RSJ", 8, "城乡居民基本养老保险待遇申领", "payment", "insurance", 20, 10, levels=["county", "town", "village"],
          keywords="城乡居民养老金,农村养老金,领养老金", basis="《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）"),
        m("RSJ", 9, "个人权益记录查询打印", "public_service", "insurance", 1, 0, visits=0,
          levels=["county", "town", "village"], keywords="社保缴费记录,打印社保清单,参保证明",
          basis="《社会保险个人权益记录管理办法》", situations=[], materials=[id_card()]),
        # 公积金
        m("GJJ", 2, "住房公积金个人住房贷款", "public_service", "fund", 15, 10,
          keywords="公积金贷款,公积金买房贷款,组合贷", basis="《住房公积金管理条例》第二十六条"),
        m("GJJ", 3, "单位住房公积金缴存登记", "public_service", "fund", 5, 0, company=True, visits=0, fields=FUND_FIELDS,
          keywords="公积金开户,单位公积金登记,公司交公积金", basis="《住房公积金管理条例》第十四条"),
        m("GJJ", 4, "住房公积金异地转移接续", "public_service", "fund", 15, 5, visits=0,
          keywords="公积金转移,公积金异地转入,换城市公积金", basis="《全国住房公积金异地转移接续业务操作规程》"),
        # 税务
        m("SWJ", 1, "新办纳税人涉税事项办理", "public_service", "tax", 1, 0, company=True, fields=TAX_FIELDS,
          keywords="税务登记,新办企业税务,税务报到,发票申领", basis="《中华人民共和国税收征收管理法》第十五条"),
        m("SWJ", 2, "增值税发票领用", "other_power", "tax", 5, 0, company=True, visits=0,
          keywords="领发票,发票申领,增票", basis="《中华人民共和国发票管理办法》第十五条"),
        m("SWJ", 3, "开具税收完税证明", "public_service", "tax", 1, 0, visits=0,
          keywords="完税证明,纳税证明,个税证明", basis="《税收票证管理办法》", situations=[],
          materials=[id_card()]),
        m("SWJ", 4, "代开增值税发票", "public_service", "tax", 1, 0, keywords="代开发票,个人开发票,自然人代开",
          basis="《中华人民共和国发票管理办法》第十六条"),
        m("SWJ", 5, "契税申报", "other_power", "tax", 1, 0, keywords="交契税,买房交税,契税",
          basis="《中华人民共和国契税法》第九条"),
        m("SWJ", 6, "清税证明开具", "other_power", "tax", 20, 0, company=True,
          keywords="清税证明,税务注销,注销税务登记", basis="《中华人民共和国税收征收管理法实施细则》第十六条"),
        # 卫生健康
        m("WJW", 1, "公共场所卫生许可", "licensing", "social", 20, 5, company=True, result="licence", fields=HYGIENE_FIELDS,
          licence="GGCSWSXKZ", situations=[APPLY_TYPE, AGENT], keywords="卫生许可证,开宾馆,游泳馆,酒店卫生许可",
          basis="《公共场所卫生管理条例》第八条"),
        m("WJW", 2, "医疗机构执业登记", "licensing", "social", 45, 20, company=True, result="licence",
          licence="YLJGZYXKZ", keywords="开诊所,诊所执业许可,医疗机构执业许可证",
          special="现场审核：对医疗机构的场所、设备、人员进行现场审核，必要时组织专家评审，审核和评审时间不计入办理时限。",
          basis="《医疗机构管理条例》第十五条"),
        m("WJW", 3, "出生医学证明补发", "public_service", "social", 30, 10, result="licence", licence="CSYXZM",
          keywords="出生证丢了,补出生证,出生医学证明", basis="《中华人民共和国母婴保健法》第二十三条"),
        m("WJW", 4, "护士执业注册", "licensing", "social", 20, 10, keywords="护士注册,护士执业证",
          basis="《护士条例》第八条"),
        m("WJW", 5, "生育登记服务", "public_service", "social", 1, 0, visits=0, levels=["county", "town", "village"],
          keywords="生育登记,准生证,生育服务证,怀孕登记", basis="《中华人民共和国人口与计划生育法》"),
        m("WJW", 6, "医师执业注册", "licensing", "social", 20, 10, keywords="医师注册,医生执业证",
          basis="《中华人民共和国医师法》第十三条"),
        # 民政
        m("MZJ", 1, "内地居民结婚登记", "confirmation", "social", 1, 0, result="licence", licence="JHZ",
          keywords="结婚,领证,结婚证,扯证,婚姻登记", basis="《中华人民共和国民法典》第一千零四十九条；《婚姻登记条例》",
          situations=[], materials=[id_card("双方居民身份证"), mat("household_register", "双方居民户口簿", nec="optional",
                                                                   source="licence", lt="JMHKB",
                                                                   notes="全国通办试点地区凭身份证即可办理。"),
                                    mat("photo", "双方近期半身免冠合影照片（2张）", copies=2)]),
        m("MZJ", 2, "最低生活保障对象认定", "confirmation", "social", 30, 20, levels=["county", "town"],
          keywords="低保,申请低保,最低生活保障", special="入户调查、民主评议和公示：乡镇（街道）入户调查后在村（社区）公示7天，公示期不计入办理时限。",
          basis="《社会救助暂行办法》第十一条"),
        m("MZJ", 3, "特困人员认定", "confirmation", "social", 30, 20, levels=["county", "town"],
          keywords="五保,特困供养,特困人员", basis="《社会救助暂行办法》第十四条"),
        m("MZJ", 4, "临时救助", "payment", "social", 15, 5, levels=["county", "town", "village"],
          keywords="临时救助,困难补助,急难救助", basis="《社会救助暂行办法》第四十七条"),
        m("MZJ", 5, "社会团体成立登记", "licensing", "social", 60, 30, company=True,
          keywords="成立协会,社会团体,商会成立", basis="《社会团体登记管理条例》第九条"),
        m("MZJ", 6, "困难残疾人生活补贴和重度残疾人护理补贴申领", "payment", "social", 20, 15,
          levels=["county", "town", "village"], keywords="残疾人补贴,两项补贴,护理补贴",
          basis="《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》（国发〔2015〕52号）"),
        m("MZJ", 7, "高龄失能老年人养老服务补贴申领", "payment", "social", 20, 10, levels=["county", "town", "village"],
          keywords="高龄补贴,老年人补贴,80岁补贴", basis="《重庆市养老服务条例》"),
        # 交通
        m("JTJ", 1, "道路旅客运输经营许可", "licensing", "enterprise", 20, 10, company=True, result="licence",
          licence="DLYSJYXKZ", situations=[APPLY_TYPE, AGENT], keywords="客运许可,班车,包车客运",
          basis="《中华人民共和国道路运输条例》第十条"),
        m("JTJ", 2, "道路普通货物运输经营许可", "licensing", "enterprise", 20, 5, company=True, result="licence",
          licence="DLYSJYXKZ", keywords="货运许可,货车运输证,物流公司许可",
          basis="《中华人民共和国道路运输条例》第二十四条"),
        m("JTJ", 3, "出租汽车驾驶员从业资格注册", "licensing", "enterprise", 10, 5, keywords="网约车司机,出租车司机注册",
          basis="《出租汽车驾驶员从业资格管理规定》第二十四条"),
        # 住建
        m("ZJW", 1, "建筑工程施工许可证核发", "licensing", "construction", 7, 3, company=True, result="licence",
          licence="JZGCSGXKZ", keywords="施工许可,施工许可证,开工许可",
          basis="《中华人民共和国建筑法》第七条；《建筑工程施工许可管理办法》"),
        m("ZJW", 2, "商品房预售许可", "licensing", "construction", 10, 5, company=True,
          keywords="预售许可证,期房销售,预售证", special="现场勘验：对项目形象进度进行现场勘验，勘验时间不计入办理时限。",
          basis="《城市商品房预售管理办法》第七条"),
        m("ZJW", 3, "建设工程竣工验收备案", "other_power", "construction", 15, 5, company=True,
          keywords="竣工备案,竣工验收", basis="《建设工程质量管理条例》第四十九条"),
        m("ZJW", 4, "公共租赁住房申请", "public_service", "social", 30, 20, levels=["county", "town"],
          keywords="公租房,申请公租房,廉租房,保障房", basis="《公共租赁住房管理办法》"),
        # 医保
        m("YBJ", 1, "城乡居民基本医疗保险参保登记", "public_service", "insurance", 1, 0, visits=0,
          fields=NEWBORN_INSURANCE_FIELDS,
          levels=["county", "town", "village"], keywords="医保参保,居民医保,新农合,交医保",
          basis="《中华人民共和国社会保险法》第二十五条"),
        m("YBJ", 2, "基本医疗保险关系转移接续", "public_service", "insurance", 15, 10, visits=0,
          keywords="医保转移,医保关系转移,医保转入", basis="《流动就业人员基本医疗保障关系转移接续暂行办法》"),
        m("YBJ", 3, "异地就医备案", "public_service", "insurance", 1, 0, visits=0,
          keywords="异地就医,医保备案,外地看病报销", basis="《关于进一步做好基本医疗保险跨省异地就医直接结算工作的通知》",
          situations=[], materials=[id_card()]),
        m("YBJ", 4, "门诊慢特病待遇认定", "confirmation", "insurance", 30, 15,
          keywords="慢性病,特病认定,门诊特殊疾病", basis="《重庆市职工基本医疗保险办法》"),
        m("YBJ", 5, "医疗费用手工（零星）报销", "payment", "insurance", 30, 20,
          keywords="医疗报销,零星报销,手工报销,医药费报销", basis="《中华人民共和国社会保险法》第二十八条"),
        # 生态环境
        m("STJ", 1, "建设项目环境影响报告表审批", "licensing", "construction", 30, 15, company=True,
          keywords="环评,环评审批,环境影响评价", special="技术评估：组织技术评估或专家评审的时间不计入办理时限；需要听证的，听证时间不计入。",
          basis="《中华人民共和国环境影响评价法》第二十二条"),
        m("STJ", 2, "排污许可证核发", "licensing", "enterprise", 30, 20, company=True, result="licence",
          licence="PWXKZ", situations=[APPLY_TYPE, AGENT], keywords="排污许可,排污证",
          basis="《排污许可管理条例》第十二条"),
        m("STJ", 3, "建设项目环境影响登记表备案", "other_power", "construction", 1, 0, company=True, visits=0,
          keywords="环评登记表,环评备案", basis="《建设项目环境影响登记表备案管理办法》"),
        # 文化旅游
        m("WLW", 1, "营业性演出审批", "licensing", "enterprise", 20, 5, company=True, result="licence", licence="YCZY",
          keywords="演出许可,演唱会审批,商业演出", basis="《营业性演出管理条例》第十五条"),
        m("WLW", 2, "娱乐场所从事娱乐场所经营活动审批", "licensing", "enterprise", 20, 10, company=True,
          keywords="开KTV,歌舞厅,娱乐场所许可,游艺厅", basis="《娱乐场所管理条例》第十一条"),
        # 城市管理
        m("CGJ", 1, "城镇污水排入排水管网许可", "licensing", "construction", 20, 5, company=True, result="licence",
          licence="PSXKZ", situations=[APPLY_TYPE, AGENT], keywords="排水许可,排水证,污水排入",
          basis="《城镇排水与污水处理条例》第二十一条；《城镇污水排入排水管网许可管理办法》"),
        m("CGJ", 2, "设置大型户外广告审批", "licensing", "construction", 20, 5, company=True,
          keywords="户外广告,广告牌,招牌审批", basis="《城市市容和环境卫生管理条例》第十一条"),
        m("CGJ", 3, "城市建筑垃圾处置核准", "licensing", "construction", 20, 5, company=True,
          keywords="建筑垃圾,渣土处置,渣土运输", basis="《城市建筑垃圾管理规定》第七条"),
        m("CGJ", 4, "临时占用城市道路审批", "licensing", "construction", 20, 5,
          keywords="占道,临时占道,占用道路", basis="《城市道路管理条例》第三十一条"),
    ] + _bundle_matters()


def _bundle_matters() -> list[dict]:
    """Matters that 一件事 bundles join and the catalogue above lacks: 公章刻制, 银行开户, 出生医学证明, 水电气讯过户."""
    m = matter
    utility = lambda seq, name, kw: m(  # noqa: E731
        "GYSY", seq, name, "public_service", "realestate", 5, 1, fields=UTILITY_FIELDS, situations=[],
        keywords=kw, basis="《优化营商环境条例》第二十四条（不动产登记与水电气讯过户联动办理）",
        materials=[mat("transfer_form", f"{name}申请表", medium="electronic"),
                   mat("property_cert", "不动产权证书", form="copy", source="licence", lt="BDCQZS"), id_card()])
    return [
        m("GAJ", 10, "印章刻制备案", "other_power", "police", 1, 1, company=True, fields=SEAL_FIELDS,
          keywords="刻章,公章刻制,刻公章,印章备案,企业开办", basis="《印铸刻字业暂行管理规则》；《国务院关于第三批取消中央指定地方实施行政许可事项的决定》（国发〔2017〕7号）"),
        m("YH", 1, "企业银行账户预约开户", "public_service", "enterprise", 1, 1, company=True, fields=BANK_FIELDS,
          keywords="银行开户,对公账户,基本存款账户,企业开办", basis="《人民币银行结算账户管理办法》"),
        m("WJW", 7, "出生医学证明首次签发", "public_service", "social", 5, 1, result="licence", licence="CSYXZM",
          fields=BIRTH_CERT_FIELDS, situations=[], keywords="出生证,出生医学证明,新生儿出生",
          basis="《中华人民共和国母婴保健法》第二十三条",
          materials=[mat("mother_id", "母亲居民身份证", source="licence", lt="JMSFZ"),
                     mat("delivery_record", "助产机构分娩记录", source="government", issuer="助产机构")]),
        utility(1, "供水过户", "水表过户,自来水过户,二手房水过户"),
        utility(2, "供电过户", "电表过户,电费过户,二手房电过户"),
        utility(3, "燃气过户", "天然气过户,燃气过户,二手房气过户"),
        utility(4, "有线电视及宽带过户", "宽带过户,网络过户,有线电视过户"),
    ]


# --- 空白样表 and 示范文本 files, made at demo time (small: an .xlsx is ~5 kB, the PDF ~15 kB) -------------

DEMO_FILES = "catalog/demo/"
FOOD_FORM_ROWS = [("经营者名称", "重庆小满餐饮管理有限公司"), ("统一社会信用代码", "91500107MA5U8XYZ3K"),
                  ("法定代表人（负责人）", "张小满"), ("经营场所", "重庆市九龙坡区杨家坪正街18号附1号"),
                  ("主体业态", "餐饮服务经营者"), ("经营项目", "热食类食品制售；冷食类食品制售"),
                  ("联系电话", "13800138000"), ("申请人签字（盖章）", "张小满（公章）"), ("申请日期", "2026年3月2日")]
TRANSFER_FORM_ROWS = [("不动产坐落", "九龙坡区杨家坪西郊路28号5幢3-2"), ("不动产单元号", "500107002003GB00012F00050032"),
                      ("不动产权证书号", "渝（2019）九龙坡区不动产权第000123456号"), ("转让方（义务人）", "李大山"),
                      ("受让方（权利人）", "孙小梅"), ("登记原因", "买卖"), ("成交价格（元）", "1280000"),
                      ("申请人签字", "李大山　孙小梅"), ("申请日期", "2026年3月2日")]


def _xlsx(title: str, rows: list[tuple[str, str]], filled: bool) -> bytes:
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    ws = wb.active
    ws.title = "示范文本" if filled else "空白样表"
    append_row(ws, [title + ("（示范文本）" if filled else "")])
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:B1")
    ws["A1"].alignment = Alignment(horizontal="center")
    thin = Side(style="thin")
    for label, example in rows:
        for cell in append_row(ws, [label, example if filled else ""]):
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 48
    append_row(ws, [])
    append_row(ws, ["说明：本表由" + CENTRE_NAME + "提供，可在线填写后打印签字；示范文本中的信息仅为示例。"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _poa_pdf() -> bytes | None:
    """授权委托书 示范文本 as a PDF, when a CJK font is installed (else None: the demo skips this one file)."""
    try:
        path, index = cjk_font()
    except DomainError:
        return None
    pdf = FPDF(format="A4")
    pdf.set_creation_date(dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    pdf.add_font("cjk", fname=path, collection_font_number=index)
    pdf.add_page()
    pdf.set_font("cjk", size=18)
    pdf.cell(0, 14, "授权委托书（示范文本）", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=12)
    pdf.multi_cell(0, 9, POA_SAMPLE.replace("______事项", "食品经营许可（首次申请）事项").replace(
        "____年__月__日至____年__月__日", "2026年3月2日至2026年4月1日"))
    pdf.ln(4)
    pdf.set_text_color(120, 120, 120)
    pdf.multi_cell(0, 7, "示范文本中的姓名、证件号码仅为示例；委托人须亲笔签字，受托人办理时出示本人身份证件。")
    return bytes(pdf.output())


def _store(name: str, content: bytes) -> str:
    """Write a demo file under a fixed name (same name on every load, so versions stay unchanged)."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    path = DEMO_FILES + name
    if default_storage.exists(path):
        default_storage.delete(path)
    return default_storage.save(path, ContentFile(content))


def _attach_files(items: list[dict]) -> None:
    food = {"blank_form_file": _store("food_licence_application_blank.xlsx",
                                      _xlsx("食品经营许可申请书", FOOD_FORM_ROWS, False)),
            "sample_file": _store("food_licence_application_sample.xlsx",
                                  _xlsx("食品经营许可申请书", FOOD_FORM_ROWS, True))}
    transfer = {"blank_form_file": _store("realestate_application_blank.xlsx",
                                          _xlsx("不动产登记申请书", TRANSFER_FORM_ROWS, False)),
                "sample_file": _store("realestate_application_sample.xlsx",
                                      _xlsx("不动产登记申请书", TRANSFER_FORM_ROWS, True))}
    poa_pdf = _poa_pdf()
    poa = {"sample_file": _store("power_of_attorney_sample.pdf", poa_pdf)} if poa_pdf else {}
    for item in items:
        name = item["spec"]["name"]
        for material in item["materials"]:
            if name == "食品经营许可" and material["code"] == "application":
                material.update(food)
            elif name == "国有建设用地使用权及房屋所有权转移登记" and material["code"] == "application":
                material.update(transfer)
            elif material["code"] == "power_of_attorney":
                material.update(poa)


def demo_matters(*, files: bool = True) -> list[dict]:
    items = _key_matters() + _other_matters()
    if files:
        _attach_files(items)
    return items
