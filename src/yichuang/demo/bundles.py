"""Demo one-thing bundles (一件事一次办) from the seeds, and the cross-region scope (全渝通办, 川渝通办).

企业开办: 设立登记 first; 公章刻制, 税务（发票）, 社保登记, 公积金缴存登记, 银行开户 follow in parallel with the new
统一社会信用代码 (seed 004: one set of materials travelling between departments, 20+ days down to a few).
"""

from __future__ import annotations

from yichuang.bundles.services import bundle_save
from yichuang.catalog.models import Matter
from yichuang.crossregion.services import region_save

from .org import DEMO_CENTRE_CODE

CREDIT = {"credit_code": "统一社会信用代码"}
AGENT_SHARED = {"power_of_attorney": "poa", "agent_id_card": "agent_id"}   # one 授权委托书, one 受托人身份证


def _code(name: str) -> str:
    return Matter.objects.get(name=name).implementation_code


def _item(key: str, name: str, requires=(), field_map=None, produces=None, material_map=None) -> dict:
    matter = Matter.objects.get(name=name)
    own = set(matter.materials.values_list("code", flat=True))
    shared = {k: v for k, v in AGENT_SHARED.items() if k in own}
    return {"key": key, "matter": matter.implementation_code, "requires": list(requires),
            "field_map": field_map or {}, "produces": produces or {}, "material_map": {**shared, **(material_map or {})}}


def demo_bundles() -> list[tuple[dict, list[dict]]]:
    company = {"enterprise_name": "enterprise_name", "credit_code": "credit_code"}
    individual_tax = {"shop_name": "taxpayer_name", "credit_code": "credit_code", "premises": "reg_address",
                      "operator": "legal_rep"}
    utility = {"location": "location", "buyer": "new_holder", "new_cert_no": "new_cert_no"}
    return [
        ({"code": "qykb", "name": "企业开办", "keywords": "开公司,注册公司,企业开办,新办企业",
          "description": "一次申请、一套材料：设立登记后，公章刻制、税务登记（发票申领）、社保登记、公积金缴存登记、"
                         "银行预约开户并联办理，统一出件。",
          "fields": [{"code": "enterprise_name", "label": "企业名称"}, {"code": "address", "label": "注册地址（住所）"},
                     {"code": "legal_rep", "label": "法定代表人"}]},
         [_item("setup", "企业设立登记", produces=CREDIT,
                field_map={"enterprise_name": "enterprise_name", "address": "address", "legal_rep": "legal_rep",
                           "legal_rep_id": "legal_rep_id"}),
          _item("seal", "印章刻制备案", ["setup"], {**company, "legal_rep": "legal_rep"}),
          _item("tax", "新办纳税人涉税事项办理", ["setup"],
                {"enterprise_name": "taxpayer_name", "credit_code": "credit_code", "address": "reg_address",
                 "legal_rep": "legal_rep"}),
          _item("social", "单位参保登记", ["setup"],
                {"enterprise_name": "unit_name", "credit_code": "credit_code", "address": "unit_address"}),
          _item("fund", "单位住房公积金缴存登记", ["setup"],
                {"enterprise_name": "unit_name", "credit_code": "credit_code", "address": "unit_address"}),
          _item("bank", "企业银行账户预约开户", ["setup"],
                {"enterprise_name": "account_name", "credit_code": "credit_code", "legal_rep": "legal_rep"})]),
        ({"code": "kbld", "name": "开便利店", "keywords": "开便利店,开超市,小卖部",
          "description": "个体工商户登记后，预包装食品备案与税务登记并联办理。",
          "fields": [{"code": "shop_name", "label": "店名（个体工商户名称）"}]},
         [_item("register", "个体工商户设立登记", produces=CREDIT,
                field_map={"shop_name": "shop_name", "operator": "operator", "premises": "premises"}),
          _item("prepack", "仅销售预包装食品备案", ["register"],
                {"shop_name": "operator_name", "credit_code": "credit_code", "premises": "premises"}),
          _item("tax", "新办纳税人涉税事项办理", ["register"], individual_tax)]),
        ({"code": "klfd", "name": "开理发店", "keywords": "开理发店,美发店,美容美发",
          "description": "个体工商户登记后，公共场所卫生许可与税务登记并联办理。",
          "fields": [{"code": "shop_name", "label": "店名（个体工商户名称）"}]},
         [_item("register", "个体工商户设立登记", produces=CREDIT,
                field_map={"shop_name": "shop_name", "operator": "operator", "premises": "premises"}),
          _item("hygiene", "公共场所卫生许可", ["register"],
                {"shop_name": "unit_name", "credit_code": "credit_code", "premises": "premises",
                 "operator": "legal_rep"}),
          _item("tax", "新办纳税人涉税事项办理", ["register"], individual_tax)]),
        ({"code": "bdcyl", "name": "不动产登记＋水电气讯过户（一链办理）", "keywords": "二手房过户,水电气过户,一链办理",
          "description": "不动产转移登记登簿后，供水、供电、燃气、有线电视及宽带过户同步办理，无需再跑各家营业厅。"},
         [_item("transfer", "国有建设用地使用权及房屋所有权转移登记", produces={"new_cert_no": "新不动产权证书号"},
                field_map={"location": "location", "buyer": "buyer"}),
          _item("water", "供水过户", ["transfer"], utility),
          _item("power", "供电过户", ["transfer"], utility),
          _item("gas", "燃气过户", ["transfer"], utility),
          _item("net", "有线电视及宽带过户", ["transfer"], utility)]),
        ({"code": "xsecs", "name": "新生儿出生一件事", "keywords": "新生儿,宝宝出生,上户口,出生证",
          "description": "出生医学证明签发后办理出生登记（落户），再同步办理城乡居民医保参保和社会保障卡申领。",
          "fields": [{"code": "baby_name", "label": "新生儿姓名"}]},
         [_item("cert", "出生医学证明首次签发", produces={"birth_cert_no": "出生医学证明编号"},
                field_map={"baby_name": "baby_name", "birth_date": "birth_date"}),
          _item("hukou", "出生登记", ["cert"], {"baby_name": "baby_name", "birth_date": "birth_date",
                                              "birth_cert_no": "birth_cert_no"},
                produces={"baby_id": "新生儿公民身份号码"}),
          _item("insurance", "城乡居民基本医疗保险参保登记", ["hukou"],
                {"baby_name": "insured_name", "baby_id": "insured_id"}),
          _item("card", "社会保障卡申领", ["hukou"], {"baby_name": "holder_name", "baby_id": "holder_id"})]),
    ]


# Matters any Chongqing centre may receive for the demo centre (全渝通办), and those open to Sichuan (川渝通办).
QUANYU = ["企业设立登记", "个体工商户设立登记", "居民身份证换领", "住房公积金提取", "基本养老保险关系转移接续",
          "出生登记", "企业变更登记"]
CHUANYU = ["企业设立登记", "住房公积金提取", "基本养老保险关系转移接续"]


def demo_bundles_load() -> int:
    n = 0
    for spec, items in demo_bundles():
        bundle_save(spec=spec, items=items)
        n += 1
    region_save(code="quanyu", name="全渝通办", scope="province", centres=["500000"],
                matters=[_code(m) for m in QUANYU])
    region_save(code="chuanyu", name="川渝通办", scope="cross_province", centres=["500000", "510000"],
                matters=[_code(m) for m in CHUANYU])
    return n


__all__ = ["demo_bundles_load", "DEMO_CENTRE_CODE"]
