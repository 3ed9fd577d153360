"""Demo applicants: realistic Chinese names, ID numbers with a valid GB 11643 check character (region, birth date,
sequence with the holder's sex), mobile numbers of real carrier prefixes, and companies with a valid 统一社会信用代码.
Seeded, so every demo has the same people."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from yichuang.core.validators import id_number_check_char, uscc_check_char

# The most common surnames, roughly by frequency (the commonest appear more often).
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
            "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
MALE = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩俊峰建国志文海东林永成龙云川江山德荣兵锋亮晨阳"
FEMALE = "芳娜敏静丽艳娟霞秀玲燕红梅琳婷雪慧莉倩颖洁佳欣怡悦露蓉萍琴瑶雯丹凤兰"
# Chongqing's districts (most applicants are local), a few from Sichuan and elsewhere.
REGIONS = ("500107", "500107", "500107", "500107", "500106", "500103", "500108", "500112", "500105", "500104",
           "500113", "500153", "500226", "510104", "510107", "511602", "522101", "430105")
MOBILE_PREFIXES = tuple(str(p) for p in (*range(130, 140), 150, 151, 152, 153, *range(155, 160), 166, 173, 175, 176,
                                          177, 178, *range(180, 190), 191, 198, 199))
STREETS = ("杨家坪正街", "谢家湾正街", "石桥铺科园一路", "黄桷坪正街", "白市驿镇海龙路", "西彭镇铝城大道", "华岩镇华福路",
           "九龙园区华龙大道", "二郎科城路", "渝州路", "奥体路", "含谷镇含金路")
SHOP_WORDS = ("九龙", "山城", "渝味", "巴渝", "嘉华", "锦程", "鑫源", "华岩", "龙腾", "聚福", "金凤", "长江", "鹅岭",
              "佳和", "顺达", "盛隆")
TRADES = (("餐饮管理", "餐饮"), ("商贸", "商贸"), ("科技", "科技"), ("建筑工程", "建筑"), ("物流", "物流"),
          ("文化传媒", "传媒"), ("美容美发", "美发"), ("食品", "食品"))
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@dataclass(frozen=True)
class Person:
    name: str
    id_number: str
    phone: str
    sex: str          # 男 / 女
    birth: dt.date
    address: str


@dataclass(frozen=True)
class Company:
    name: str
    credit_code: str
    short: str        # 字号
    address: str


def _given(rnd: random.Random, chars: str) -> str:
    return "".join(rnd.choice(chars) for _ in range(rnd.choice((1, 2, 2, 2))))


def address(rnd: random.Random) -> str:
    return f"重庆市九龙坡区{rnd.choice(STREETS)}{rnd.randint(1, 300)}号{rnd.randint(1, 30)}-{rnd.randint(1, 8)}"


def mobile(rnd: random.Random) -> str:
    return rnd.choice(MOBILE_PREFIXES) + f"{rnd.randint(0, 10**8 - 1):08d}"


def person(rnd: random.Random, *, born_from: int = 1950, born_to: int = 2004) -> Person:
    """Someone with a name, an ID number whose sequence digit matches the sex (odd: male) and a mobile number."""
    sex = rnd.choice("男女")
    name = rnd.choice(SURNAMES) + _given(rnd, MALE if sex == "男" else FEMALE)
    birth = dt.date(rnd.randint(born_from, born_to), 1, 1) + dt.timedelta(days=rnd.randint(0, 364))
    seq = rnd.randrange(1, 999, 2) if sex == "男" else rnd.randrange(0, 999, 2)
    first17 = f"{rnd.choice(REGIONS)}{birth:%Y%m%d}{seq:03d}"
    return Person(name=name, id_number=first17 + id_number_check_char(first17), phone=mobile(rnd), sex=sex,
                  birth=birth, address=address(rnd))


def company(rnd: random.Random) -> Company:
    """A Jiulongpo company (登记管理部门 9 工商, 类别 1 企业) with a valid credit code."""
    short = rnd.choice(SHOP_WORDS)
    trade, _ = rnd.choice(TRADES)
    first17 = "91500107" + "".join(rnd.choice(USCC_CHARS) for _ in range(9))
    return Company(name=f"重庆{short}{trade}有限公司", credit_code=first17 + uscc_check_char(first17), short=short,
                   address=address(rnd))
