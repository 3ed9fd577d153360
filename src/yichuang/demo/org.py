"""Demo organisation: centre hierarchy, departments, window domains, licence types and users.

Division codes follow GB/T 2260 (6 digits) and the 9/12-digit town/village codes of the statistical
division scheme. 九龙坡区 (500107) is the demo centre.
"""

from __future__ import annotations

from yichuang.core.validators import id_number_check_char, uscc_check_char

DEMO_CENTRE_CODE = "500107"
DEMO_PASSWORD = "yichuang-demo"

# (code, name, level, parent code, address, phone)
CENTRES = [
    ("500000", "重庆市政务服务中心", "city", None, "重庆市渝北区青枫北路12号", "023-12345"),
    ("500107", "九龙坡区政务服务中心", "county", "500000", "重庆市九龙坡区杨家坪正街9号", "023-68780000"),
    ("500107002", "杨家坪街道便民服务中心", "town", "500107", "九龙坡区杨家坪西郊路28号", "023-68781101"),
    ("500107100", "西彭镇便民服务中心", "town", "500107", "九龙坡区西彭镇正街45号", "023-65821102"),
    ("500107002003", "杨家坪街道前进路社区便民服务站", "village", "500107002", "九龙坡区前进路77号", "023-68781203"),
    # 跨域通办 partners: another Chongqing district (全渝通办) and Sichuan (川渝通办).
    ("500153", "荣昌区政务服务中心", "county", "500000", "重庆市荣昌区昌州街道海棠大道1号", "023-46780000"),
    ("510000", "四川省政务服务中心", "province", None, "四川省成都市锦江区东大街99号", "028-12345"),
]
OPENING_HOURS = "周一至周五 9:00-12:00、13:30-17:30（周六上午延时服务）"


def _credit_code(org: str) -> str:
    """统一社会信用代码 of a government body (登记管理部门 1, 机关 1), check character computed."""
    first17 = "11" + DEMO_CENTRE_CODE + org
    return first17 + uscc_check_char(first17)


# (code, name, short name, 9-character organisation code for the credit code)
DEPARTMENTS = [
    ("SCJ", "九龙坡区市场监督管理局", "区市场监管局", "MB1A2B3C4"),
    ("GAJ", "九龙坡区公安分局", "区公安分局", "MB1A2B3D5"),
    ("BDC", "九龙坡区不动产登记中心", "区不动产登记中心", "MB1A2B3E6"),
    ("RSJ", "九龙坡区人力资源和社会保障局", "区人力社保局", "MB1A2B3F7"),
    ("GJJ", "重庆市住房公积金管理中心九龙坡区分中心", "公积金分中心", "MB1A2B3G8"),
    ("SWJ", "国家税务总局重庆市九龙坡区税务局", "区税务局", "MB1A2B3H9"),
    ("WJW", "九龙坡区卫生健康委员会", "区卫生健康委", "MB1A2B3J0"),
    ("MZJ", "九龙坡区民政局", "区民政局", "MB1A2B3K1"),
    ("JTJ", "九龙坡区交通运输委员会", "区交通运输委", "MB1A2B3L2"),
    ("ZJW", "九龙坡区住房和城乡建设委员会", "区住房城乡建委", "MB1A2B3M3"),
    ("YBJ", "九龙坡区医疗保障局", "区医保局", "MB1A2B3N4"),
    ("STJ", "重庆市九龙坡区生态环境局", "区生态环境局", "MB1A2B3P5"),
    ("WLW", "九龙坡区文化和旅游发展委员会", "区文化旅游委", "MB1A2B3Q6"),
    ("CGJ", "九龙坡区城市管理局", "区城市管理局", "MB1A2B3R7"),
    # 一件事联办 partners that sit in the centre: a bank for 企业开办 and the utilities for 一链办理.
    ("YH", "企业开户银行联办网点（九龙坡区）", "开户银行", "MB1A2B3T8"),
    ("GYSY", "水电气讯公用事业联合服务窗口", "水电气讯联办", "MB1A2B3U9"),
]
DEPARTMENT_CREDIT_CODES = {code: _credit_code(org) for code, _n, _s, org in DEPARTMENTS}


def department_code(short: str) -> str:
    return f"{DEMO_CENTRE_CODE}-{short}"


# (code, name, ticket prefix)
DOMAINS = [
    ("social", "社会事务", "A"),
    ("enterprise", "企业事务", "B"),
    ("realestate", "不动产", "C"),
    ("police", "公安", "D"),
    ("tax", "税务", "E"),
    ("fund", "公积金", "F"),
    ("insurance", "医保社保", "G"),
    ("construction", "工程建设", "J"),
    ("issuance", "综合出件", "H"),
]

# (code, name, issuing department short code, validity in years or None)
LICENCE_TYPES = [
    ("YYZZ", "营业执照", "SCJ", None),
    ("SPJYXKZ", "食品经营许可证", "SCJ", 5),
    ("YPJYXKZ", "药品经营许可证", "SCJ", 5),
    ("BDCQZS", "不动产权证书", "BDC", None),
    ("BDCDJZM", "不动产登记证明", "BDC", None),
    ("JMSFZ", "居民身份证", "GAJ", 20),
    ("JMHKB", "居民户口簿", "GAJ", None),
    ("DLYSJYXKZ", "道路运输经营许可证", "JTJ", 4),
    ("GGCSWSXKZ", "公共场所卫生许可证", "WJW", 4),
    ("YLJGZYXKZ", "医疗机构执业许可证", "WJW", 5),
    ("CSYXZM", "出生医学证明", "WJW", None),
    ("JZGCSGXKZ", "建筑工程施工许可证", "ZJW", None),
    ("PSXKZ", "城镇污水排入排水管网许可证", "CGJ", 5),
    ("RLZYFWXKZ", "人力资源服务许可证", "RSJ", None),
    ("JHZ", "结婚证", "MZJ", None),
    ("SHBZK", "社会保障卡", "RSJ", None),
    ("PWXKZ", "排污许可证", "STJ", 5),
    ("YCZY", "营业性演出许可证", "WLW", None),
]


def make_id_number(first17: str) -> str:
    return first17 + id_number_check_char(first17)


# E-licences already in the library (电子证照库) when the demo starts, so that a new case shows 免提交 at once:
# (licence type, holder kind, holder name, first 17 characters of the ID number / credit code)
DEMO_COMPANY = ("重庆九龙美食餐饮有限公司", "91500107MA5U8XK3L")
DEMO_LICENCES = [
    ("YYZZ", "company", DEMO_COMPANY[0], DEMO_COMPANY[1]),
    ("JMSFZ", "person", "孙小梅", "50010719910315012"),
]


def make_credit_code(first17: str) -> str:
    return first17 + uscc_check_char(first17)


# (username, display name, role, department short code or None, post, centre code, id first 17, phone, superuser)
USERS = [
    ("admin", "系统管理员", "admin", None, "", DEMO_CENTRE_CODE, "50010719800101001", "13800000001", True),
    ("clerk", "李晓燕（综窗1号）", "clerk", None, "", DEMO_CENTRE_CODE, "50010719900312002", "13800000002", False),
    ("clerk2", "王建国（综窗2号）", "clerk", None, "", DEMO_CENTRE_CODE, "50010719880706003", "13800000003", False),
    ("approver_scj", "陈静（市场监管A岗）", "approver", "SCJ", "A", DEMO_CENTRE_CODE, "50010719850214004",
     "13800000004", False),
    ("approver_scj_b", "刘洋（市场监管B岗）", "approver", "SCJ", "B", DEMO_CENTRE_CODE, "50010719870923005",
     "13800000005", False),
    ("approver_ga", "张伟（公安户政）", "approver", "GAJ", "A", DEMO_CENTRE_CODE, "50010719830517006",
     "13800000006", False),
    ("approver_bdc", "赵敏（不动产登记）", "approver", "BDC", "A", DEMO_CENTRE_CODE, "50010719891101007",
     "13800000007", False),
    ("approver_swj", "黄磊（税务）", "approver", "SWJ", "A", DEMO_CENTRE_CODE, "50010719860419013", "13800000013",
     False),
    ("approver_rsj", "何芳（人力社保）", "approver", "RSJ", "A", DEMO_CENTRE_CODE, "50010719840726014", "13800000014",
     False),
    ("approver_gjj", "罗军（公积金）", "approver", "GJJ", "A", DEMO_CENTRE_CODE, "50010719820911015", "13800000015",
     False),
    ("approver_yh", "谢婷（开户银行）", "approver", "YH", "A", DEMO_CENTRE_CODE, "50010719930105016", "13800000016",
     False),
    ("issuer", "周婷（出件窗口）", "issuer", None, "", DEMO_CENTRE_CODE, "50010719920808008", "13800000008", False),
    ("supervisor", "吴强（效能监察）", "supervisor", None, "", DEMO_CENTRE_CODE, "50010719780330009",
     "13800000009", False),
    ("clerk_rc", "陈红（荣昌综窗，异地代收）", "clerk", None, "", "500153", "50022619910203017", "13800000017", False),
    ("guide", "郑丽（帮办代办）", "guide", None, "", DEMO_CENTRE_CODE, "50010719950612010", "13800000010", False),
    ("applicant", "孙小梅", "applicant", None, "", None, "50010719910315012", "13900000011", False),
]
