"""Who a department is on paper: the 代字 of its 文号 and its 复议机关 (administrative review body).

Both are set per department (:class:`~.models.DepartmentDocumentSettings`, in the admin); without a setting they are
derived:

- 代字: the province's one-character abbreviation (渝, 川 … from the first two digits of the centre's 行政区划代码),
  the district (九龙坡 from 九龙坡区政务服务中心) and the department's short form (市监 for 市场监督管理局):
  渝九龙坡市监 — the 文号 then reads 渝九龙坡市监许〔2026〕12号.
- 复议机关: 《中华人民共和国行政复议法》（2023年修订）第二十四条: the people's government at the department's own
  level hears the review of its departments' acts (九龙坡区人民政府); 第二十七条: for bodies under vertical
  leadership — 海关, 金融, 外汇管理, 税务 and 国家安全 — the next higher authority of the same line does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .models import DepartmentDocumentSettings

PROVINCES = {
    "11": ("京", "北京市"), "12": ("津", "天津市"), "13": ("冀", "河北省"), "14": ("晋", "山西省"),
    "15": ("蒙", "内蒙古自治区"), "21": ("辽", "辽宁省"), "22": ("吉", "吉林省"), "23": ("黑", "黑龙江省"),
    "31": ("沪", "上海市"), "32": ("苏", "江苏省"), "33": ("浙", "浙江省"), "34": ("皖", "安徽省"),
    "35": ("闽", "福建省"), "36": ("赣", "江西省"), "37": ("鲁", "山东省"), "41": ("豫", "河南省"),
    "42": ("鄂", "湖北省"), "43": ("湘", "湖南省"), "44": ("粤", "广东省"), "45": ("桂", "广西壮族自治区"),
    "46": ("琼", "海南省"), "50": ("渝", "重庆市"), "51": ("川", "四川省"), "52": ("黔", "贵州省"),
    "53": ("滇", "云南省"), "54": ("藏", "西藏自治区"), "61": ("陕", "陕西省"), "62": ("甘", "甘肃省"),
    "63": ("青", "青海省"), "64": ("宁", "宁夏回族自治区"), "65": ("新", "新疆维吾尔自治区"),
}

# Common department names and the short forms their 文号 use.
SHORT_FORMS = [
    ("市场监督管理", "市监"), ("市场监管", "市监"), ("人力资源和社会保障", "人社"), ("人力社保", "人社"),
    ("公安", "公"), ("不动产登记", "不动产"), ("卫生健康", "卫健"), ("民政", "民"), ("交通运输", "交"),
    ("住房和城乡建设", "建"), ("住房城乡建", "建"), ("医疗保障", "医保"), ("生态环境", "环"),
    ("文化和旅游", "文旅"), ("文化旅游", "文旅"), ("城市管理", "城管"), ("税务", "税"), ("住房公积金", "公积金"),
    ("公积金", "公积金"),
]
VERTICAL = ("税务", "海关", "国家安全", "金融监督", "金融监管", "外汇管理")
CENTRE_SUFFIXES = ("政务服务中心", "便民服务中心", "便民服务站", "行政服务中心", "政务服务大厅")
ORGAN_SUFFIXES = ("管理委员会", "委员会", "管理局", "分中心", "中心", "分局", "局", "委", "办公室", "办")


@dataclass(frozen=True)
class Authority:
    prefix: str  # 文号代字 (without the kind character)
    review_body: str  # 复议机关
    court: str  # 管辖法院 ("" = 依法向人民法院)


def province_of(code: str) -> tuple[str, str]:
    return PROVINCES.get((code or "")[:2], ("", ""))


def _county_centre(centre):
    """A town or village service centre decides nothing of its own here: its departments belong to the county."""
    seen = 0
    while centre is not None and centre.level in ("town", "village") and centre.parent_id and seen < 5:
        centre, seen = centre.parent, seen + 1
    return centre


def region_name(centre) -> str:
    """九龙坡区政务服务中心 → 九龙坡区."""
    name = centre.name if centre is not None else ""
    for suffix in CENTRE_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def default_review_body(department) -> str:
    centre = _county_centre(department.centre)
    if any(word in department.name for word in VERTICAL):
        return _higher_tax_office(department.name, centre) or "上一级主管部门"
    region = region_name(centre)
    if not region:
        return "本级人民政府"
    _abbr, province = province_of(centre.code)
    if province and not region.startswith(province) and region != province.rstrip("省市"):
        region = province + region
    return f"{region}人民政府"


def _higher_tax_office(name: str, centre) -> str:
    """国家税务总局重庆市九龙坡区税务局 → 国家税务总局重庆市税务局 (the tax office one level up)."""
    _abbr, province = province_of(centre.code if centre is not None else "")
    head = "国家税务总局" + province
    if province and name.startswith(head) and name.endswith("税务局") and name != head + "税务局":
        return head + "税务局"
    return ""


def default_prefix(department) -> str:
    centre = _county_centre(department.centre)
    abbr, province = province_of(centre.code if centre is not None else "")
    region = region_name(centre)
    for word in (province, province[:-1] if province else ""):
        if word and region.startswith(word):
            region = region[len(word):]
    region = re.sub(r"(自治县|自治州|区|县|市)$", "", region) if len(region) > 2 else region
    name = department.short_name or department.name
    short = ""
    for word, form in SHORT_FORMS:
        if word in name:
            short = form
            break
    if not short:
        short = re.sub(r"^(区|县|市)", "", name)
        for suffix in ORGAN_SUFFIXES:
            if short.endswith(suffix) and len(short) > len(suffix):
                short = short[: -len(suffix)]
                break
    return f"{abbr}{region}{short}"


def department_authority(department) -> Authority:

    row = DepartmentDocumentSettings.objects.filter(department=department).first()
    prefix = (row.number_prefix if row else "").strip() or default_prefix(department)
    review = (row.review_body if row else "").strip() or default_review_body(department)
    return Authority(prefix=prefix, review_body=review, court=(row.court if row else "").strip())
