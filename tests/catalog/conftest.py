import pytest

from yichuang.accounts.services import centre_create, department_create
from yichuang.catalog.services import domain_save, matter_save


def make_matter(code, name, *, dept="SCJ", domain="BIZ", keywords="", legal=20, promised=5, situations=None,
                materials=None, **extra):
    spec = {"implementation_code": code, "name": name, "department": dept, "domain": domain,
            "matter_type": "licensing", "legal_limit_days": legal, "promised_limit_days": promised,
            "keywords": keywords, **extra}
    return matter_save(spec=spec, situations=situations or [], materials=materials or [])


FOOD_SITUATIONS = [{"code": "apply_type", "question": "申请类型",
                    "options": [{"code": "first", "label": "首次申请"}, {"code": "change", "label": "变更"}]},
                   {"code": "agent", "question": "办理人",
                    "options": [{"code": "self", "label": "本人办理"}, {"code": "agent", "label": "委托代办"}]}]
FOOD_MATERIALS = [
    {"code": "form", "name": "食品经营许可申请书"},
    {"code": "licence", "name": "营业执照", "source": "applicant", "form": "copy"},
    {"code": "old", "name": "食品经营许可证正副本", "applies_when": {"apply_type": ["change"]}},
    {"code": "poa", "name": "授权委托书", "applies_when": {"agent": ["agent"]}},
]


@pytest.fixture
def catalogue(db):
    centre = centre_create(code="500107", name="九龙坡区政务服务中心", level="county")
    department_create(code="SCJ", name="区市场监督管理局", centre=centre)
    department_create(code="GA", name="区公安分局", centre=centre)
    department_create(code="BDC", name="区不动产登记中心", centre=centre)
    domain_save(code="BIZ", name="企业事务", ticket_prefix="B")
    domain_save(code="SOC", name="社会事务", ticket_prefix="A")
    make_matter("SCJ-001", "食品经营许可", keywords="开饭店,开餐馆,餐饮,小吃店", situations=FOOD_SITUATIONS,
                materials=FOOD_MATERIALS)
    make_matter("SCJ-002", "食品经营许可注销", keywords="餐饮")
    make_matter("SCJ-003", "企业设立登记", keywords="营业执照,开公司,注册公司")
    make_matter("GA-001", "居民身份证换领", dept="GA", domain="SOC", keywords="身份证,换身份证,身份证到期",
                legal=60, promised=20)
    make_matter("GA-002", "居民身份证首次申领", dept="GA", domain="SOC", keywords="身份证,办身份证", legal=60,
                promised=20)
    make_matter("BDC-001", "不动产登记", dept="BDC", domain="SOC", keywords="房产证,过户", legal=30, promised=5)
    make_matter("BDC-002", "不动产登记（停用）", dept="BDC", domain="SOC", is_active=False)
    make_matter("GA-099", "民用爆炸物品购买许可", dept="GA", domain="SOC", negative_list=True)
    return centre
