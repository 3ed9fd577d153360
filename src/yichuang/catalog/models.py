"""The matter catalogue (实施清单): what a centre can do, for whom, with which materials.

Live rows (``Matter``, ``Situation``, ``MaterialRequirement``) are what administrators edit and what search
indexes. Every published edit freezes a ``MatterVersion`` snapshot; a case points at the snapshot it was
received under, so later edits never change what an applicant was told.
"""

from __future__ import annotations

from django.core.validators import FileExtensionValidator
from django.db import models

from yichuang.accounts.models import Department

from .constants import (HandlingKind, MaterialForm, MaterialSource, MatterType, Medium, Necessity, ResultKind)

# Files an administrator may attach to a material as its 空白样表 or 示范文本.
FILE_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "odt", "ods", "wps", "jpg", "jpeg", "png"]


class WindowDomain(models.Model):
    """办事领域: 社会事务, 企业事务, 不动产… — how the hall groups matters for windows and tickets."""

    code = models.CharField("编码 Code", max_length=20, unique=True)
    name = models.CharField("名称 Name", max_length=40, unique=True)
    ticket_prefix = models.CharField("号码前缀 Ticket prefix", max_length=2, unique=True)
    order = models.PositiveSmallIntegerField("排序 Order", default=0)

    class Meta:
        verbose_name = "办事领域 Window domain"
        verbose_name_plural = "办事领域 Window domains"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class LicenceType(models.Model):
    """证照类型: a kind of licence a matter issues and a material can be satisfied by (e.g. 营业执照)."""

    code = models.CharField("编码 Code", max_length=40, unique=True)
    name = models.CharField("名称 Name", max_length=60, unique=True)
    issuing_department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL,
                                           verbose_name="发证部门 Issuer")
    validity_years = models.PositiveSmallIntegerField("有效期（年） Validity (years)", null=True, blank=True)

    class Meta:
        verbose_name = "证照类型 Licence type"
        verbose_name_plural = "证照类型 Licence types"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Matter(models.Model):
    """政务服务事项 (an implementation item of the 实施清单)."""

    implementation_code = models.CharField("实施编码 Implementation code", max_length=64, unique=True)
    basic_code = models.CharField("基本编码 Basic code", max_length=64, blank=True, db_index=True)
    name = models.CharField("事项名称 Name", max_length=200)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="matters",
                                   verbose_name="实施主体 Department")
    matter_type = models.CharField("事项类型 Type", max_length=20, choices=MatterType.choices)
    domain = models.ForeignKey(WindowDomain, on_delete=models.PROTECT, related_name="matters",
                               verbose_name="窗口领域 Window domain")
    legal_basis = models.TextField("设定依据 Legal basis", blank=True)
    acceptance_conditions = models.TextField("受理条件 Acceptance conditions", blank=True)
    legal_limit_days = models.PositiveSmallIntegerField("法定办结时限（工作日） Legal limit (working days)")
    promised_limit_days = models.PositiveSmallIntegerField("承诺办结时限（工作日） Promised limit (working days)")
    handling_kind = models.CharField("办件类型 Kind", max_length=12, choices=HandlingKind.choices)
    charges = models.BooleanField("是否收费 Charges a fee", default=False)
    fee_description = models.CharField("收费标准 Fee", max_length=200, blank=True)
    fee_basis = models.TextField("收费依据 Fee basis", blank=True)
    visits_required = models.PositiveSmallIntegerField("到现场次数 On-site visits", default=1)
    handling_levels = models.JSONField("可办理层级 Levels (就近办)", default=list, blank=True)
    negative_list = models.BooleanField("负面清单（不进驻中心） Negative list", default=False)
    result_kind = models.CharField("办理结果 Result", max_length=12, choices=ResultKind.choices,
                                   default=ResultKind.NONE)
    result_licence_type = models.ForeignKey(LicenceType, null=True, blank=True, on_delete=models.PROTECT,
                                            related_name="issued_by_matters", verbose_name="结果证照 Result licence")
    result_name = models.CharField("结果名称 Result name", max_length=100, blank=True)
    keywords = models.CharField("关键词 Keywords", max_length=300, blank=True,
                                help_text="以逗号或空格分隔，如：开饭店,餐饮,食品 (comma-separated)")
    faq = models.JSONField("常见问题 FAQ", default=list, blank=True,
                           help_text='[{"q": "问题", "a": "回答"}]（唯一格式 the only shape）')
    process_steps = models.JSONField("办理流程 Process steps", default=list, blank=True)
    form_fields = models.JSONField("表单字段 Form fields", default=list, blank=True)
    # 国家政务服务事项办事指南要素: blank place, hours and phone fall back to the department's centre.
    handling_place = models.CharField("办理地点 Place", max_length=300, blank=True,
                                      help_text="空白时显示所在中心的名称和地址 (blank: the centre's address)")
    handling_hours = models.CharField("办理时间 Hours", max_length=200, blank=True,
                                      help_text="空白时显示所在中心的办公时间 (blank: the centre's hours)")
    consult_phone = models.CharField("咨询电话 Enquiries", max_length=100, blank=True,
                                     help_text="空白时显示所在中心的电话 (blank: the centre's phone)")
    complaint_channel = models.TextField("监督投诉方式 Complaints", blank=True,
                                         help_text="空白时显示12345热线和中心的“办不成事”反映窗口")
    special_procedures = models.TextField("特别程序 Special procedures", blank=True,
                                          help_text="现场勘验、听证、公示等，及其时限（不计入办理时限）")
    service_objects = models.JSONField("服务对象 Service objects", default=list, blank=True,
                                       help_text='["person", "legal_person"]：个人、法人')
    themes = models.JSONField("主题 Themes", default=list, blank=True, help_text='["company_start", ...]')
    is_active = models.BooleanField("启用 Active", default=True)
    # Denormalised search keys, maintained by catalog.search.
    search_text = models.TextField(blank=True, editable=False)
    search_pinyin = models.TextField(blank=True, editable=False)
    search_initials = models.TextField(blank=True, editable=False)
    search_facets = models.TextField(blank=True, editable=False)  # |obj:person|theme:tax| (browse filters)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "事项 Matter"
        verbose_name_plural = "事项 Matters"
        ordering = ["implementation_code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(promised_limit_days__lte=models.F("legal_limit_days")),
                                   name="matter_promised_within_legal"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def online_only(self) -> bool:
        """全程网办: no on-site visit."""
        return self.visits_required == 0


class Situation(models.Model):
    """情形: a question whose answer selects the materials that apply (首次/变更/注销, 本人/代办…)."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="situations")
    code = models.CharField("编码 Code", max_length=40)
    question = models.CharField("问题 Question", max_length=200)
    options = models.JSONField("选项 Options", default=list, help_text='[{"code": "first", "label": "首次申请"}]')
    order = models.PositiveSmallIntegerField("排序 Order", default=0)

    class Meta:
        verbose_name = "情形 Situation"
        verbose_name_plural = "情形 Situations"
        ordering = ["matter", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["matter", "code"], name="situation_unique_code")]

    def __str__(self) -> str:
        return self.question


class MaterialRequirement(models.Model):
    """申请材料: one item of the one-time checklist (一次性告知)."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="materials")
    code = models.CharField("编码 Code", max_length=40)
    name = models.CharField("材料名称 Name", max_length=200)
    necessity = models.CharField("必要性 Necessity", max_length=12, choices=Necessity.choices,
                                 default=Necessity.REQUIRED)
    form = models.CharField("原件/复印件 Form", max_length=12, choices=MaterialForm.choices,
                            default=MaterialForm.ORIGINAL)
    copies = models.PositiveSmallIntegerField("份数 Copies", default=1)
    medium = models.CharField("载体 Medium", max_length=12, choices=Medium.choices, default=Medium.EITHER)
    source = models.CharField("来源 Source", max_length=12, choices=MaterialSource.choices,
                              default=MaterialSource.APPLICANT)
    licence_type = models.ForeignKey(LicenceType, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="satisfies", verbose_name="可用电子证照 E-licence type")
    issuing_department = models.CharField("出具单位 Issued by", max_length=100, blank=True)
    applies_when = models.JSONField("适用情形 Applies when", default=dict, blank=True,
                                    help_text='{"situation_code": ["option_code", ...]}；空表示始终需要')
    sample_text = models.TextField("示范文本 Sample", blank=True)
    blank_form = models.CharField("空白样表 Blank form", max_length=200, blank=True)
    blank_form_file = models.FileField("空白样表文件 Blank form file", upload_to="catalog/forms/", blank=True,
                                       max_length=200, validators=[FileExtensionValidator(FILE_EXTENSIONS)])
    sample_file = models.FileField("示范文本文件 Sample file", upload_to="catalog/samples/", blank=True,
                                   max_length=200, validators=[FileExtensionValidator(FILE_EXTENSIONS)])
    review_points = models.TextField("审查要点 Review points", blank=True)
    notes = models.CharField("备注 Notes", max_length=300, blank=True)
    order = models.PositiveSmallIntegerField("排序 Order", default=0)

    class Meta:
        verbose_name = "申请材料 Material"
        verbose_name_plural = "申请材料 Materials"
        ordering = ["matter", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["matter", "code"], name="material_unique_code")]

    def __str__(self) -> str:
        return self.name


class MatterVersion(models.Model):
    """A frozen snapshot of a matter with its situations and materials, as published."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本号 Version")
    snapshot = models.JSONField()
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = "事项版本 Matter version"
        verbose_name_plural = "事项版本 Matter versions"
        ordering = ["matter", "-number"]
        constraints = [models.UniqueConstraint(fields=["matter", "number"], name="matter_version_unique")]

    def __str__(self) -> str:
        return f"{self.matter} v{self.number}"
