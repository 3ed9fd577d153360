from django.db import models


class MatterType(models.TextChoices):
    LICENSING = "licensing", "行政许可"
    PAYMENT = "payment", "行政给付"
    CONFIRMATION = "confirmation", "行政确认"
    ADJUDICATION = "adjudication", "行政裁决"
    REWARD = "reward", "行政奖励"
    OTHER_POWER = "other_power", "其他行政权力"
    PUBLIC_SERVICE = "public_service", "公共服务"


class HandlingKind(models.TextChoices):
    IMMEDIATE = "immediate", "即办件"
    PROMISED = "promised", "承诺件"


class HandlingLevel(models.TextChoices):
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "区县级"
    TOWN = "town", "镇街"
    VILLAGE = "village", "村社"


class ResultKind(models.TextChoices):
    LICENCE = "licence", "证照"
    DECISION = "decision", "决定/批文"
    NONE = "none", "无"


class Necessity(models.TextChoices):
    REQUIRED = "required", "必要"
    OPTIONAL = "optional", "非必要"
    TOLERANT = "tolerant", "必要（可容缺）"


class MaterialForm(models.TextChoices):
    ORIGINAL = "original", "原件"
    COPY = "copy", "复印件"
    BOTH = "both", "原件和复印件"


class Medium(models.TextChoices):
    PAPER = "paper", "纸质"
    ELECTRONIC = "electronic", "电子"
    EITHER = "either", "纸质或电子"


class MaterialSource(models.TextChoices):
    APPLICANT = "applicant", "申请人自备"
    LICENCE = "licence", "电子证照"
    DEPARTMENT = "department", "部门核发"
    GOVERNMENT = "government", "政府部门共享"


class ServiceObject(models.TextChoices):
    """服务对象 of the national guide elements: 自然人 (个人) or 法人 (企业和其他组织)."""

    PERSON = "person", "个人"
    LEGAL_PERSON = "legal_person", "法人"


class Theme(models.TextChoices):
    """主题分类: how applicants browse the catalogue by the thing they want done."""

    COMPANY_START = "company_start", "开办企业"
    BUSINESS_PERMIT = "business_permit", "准营许可"
    COMPANY_CHANGE = "company_change", "企业变更注销"
    HOUSEHOLD = "household", "户籍证件"
    REAL_ESTATE = "real_estate", "不动产"
    SOCIAL_INSURANCE = "social_insurance", "社保"
    MEDICAL_INSURANCE = "medical_insurance", "医保"
    HOUSING_FUND = "housing_fund", "公积金"
    TAX = "tax", "税务"
    MARRIAGE_BIRTH = "marriage_birth", "婚育"
    EMPLOYMENT = "employment", "就业创业"
    SOCIAL_AID = "social_aid", "社会救助"
    ELDERLY_DISABLED = "elderly_disabled", "养老助残"
    HEALTH = "health", "医疗卫生"
    TRANSPORT = "transport", "交通出行"
    CONSTRUCTION = "construction", "工程建设"
    CULTURE = "culture", "文化旅游"
    UTILITIES = "utilities", "水电气讯"
