"""One-thing bundles (一件事一次办 / 一事联办).

A ``Bundle`` is several matters of several departments with an order between some of them (a DAG), a field map
(a field several matters share — 企业名称, 法定代表人, 注册地址 — is asked once) and a material map (one material
serves several matters). Applying creates one ``BundleCase`` (one number for the applicant) and, per matter, a
``BundleCaseItem``: it waits (等待前置事项) until its prerequisites are approved, then becomes a normal ``Case``
in its department's back office. Models are thin: writes go through ``bundles.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .constants import BundleCaseState, ItemStatus


class Bundle(models.Model):
    """一件事: e.g. 企业开办 = 设立登记 → 公章刻制, 税务登记, 社保登记, 公积金缴存登记, 银行开户."""

    code = models.CharField("编码 Code", max_length=40, unique=True)
    name = models.CharField("名称 Name", max_length=100)
    description = models.TextField("说明 Description", blank=True)
    keywords = models.CharField("关键词 Keywords", max_length=300, blank=True)
    fields = models.JSONField("共享字段 Shared fields", default=list, blank=True,
                              help_text='[{"code": "enterprise_name", "label": "企业名称"}]；类型取自各事项表单')
    is_active = models.BooleanField("启用 Active", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "一件事 Bundle"
        verbose_name_plural = "一件事 Bundles"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class BundleItem(models.Model):
    """One matter of a bundle, with its prerequisites and how its form fields and materials map to shared ones."""

    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="items")
    key = models.CharField("环节编码 Key", max_length=40)
    matter = models.ForeignKey("catalog.Matter", on_delete=models.PROTECT, related_name="bundle_items",
                               verbose_name="事项 Matter")
    requires = models.JSONField("前置环节 Prerequisites", default=list, blank=True,
                                help_text='环节编码列表，如 ["setup"]')
    field_map = models.JSONField("字段映射 Field map", default=dict, blank=True,
                                 help_text='{"共享字段编码": "本事项表单字段编码"}')
    material_map = models.JSONField("材料共享 Material map", default=dict, blank=True,
                                    help_text='{"本事项材料编码": "共享材料键"}；同一电子证照类型的材料自动合并')
    produces = models.JSONField("办结产出 Produces", default=dict, blank=True,
                                help_text='{"共享字段编码": "标签"}，如 {"credit_code": "统一社会信用代码"}')
    order = models.PositiveSmallIntegerField("排序 Order", default=0)

    class Meta:
        verbose_name = "一件事环节 Bundle item"
        verbose_name_plural = "一件事环节 Bundle items"
        ordering = ["bundle", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["bundle", "key"], name="bundle_item_unique_key")]

    def __str__(self) -> str:
        return f"{self.bundle} · {self.matter}"


class BundleSequence(models.Model):
    """Daily parent-number counter per centre; locked FOR UPDATE while a number is drawn."""

    centre = models.ForeignKey("accounts.Centre", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["centre", "day"], name="bundle_sequence_unique_day")]


class BundleCase(models.Model):
    """一件事办件: the applicant's one number, one union form, one checklist, one ticket."""

    number = models.CharField("一件事编号 Number", max_length=40, unique=True)
    bundle = models.ForeignKey(Bundle, on_delete=models.PROTECT, related_name="cases")
    centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="bundle_cases",
                               verbose_name="收件中心 Receiving centre")
    channel = models.CharField("渠道 Channel", max_length=16)
    state = models.CharField("状态 State", max_length=16, choices=BundleCaseState.choices,
                             default=BundleCaseState.IN_PROGRESS, db_index=True)
    applicant_kind = models.CharField("申请人类型 Applicant kind", max_length=10)
    applicant_name = models.CharField("申请人 Applicant", max_length=100)
    applicant_id_number = models.CharField("身份证号 ID number", max_length=18, blank=True, db_index=True)
    applicant_credit_code = models.CharField("统一社会信用代码 Credit code", max_length=18, blank=True)
    contact_name = models.CharField("联系人 Contact", max_length=60, blank=True)
    contact_phone = models.CharField("联系电话 Phone", max_length=20, blank=True)
    contact_address = models.CharField("联系地址 Address", max_length=200, blank=True)
    answers = models.JSONField("情形 Answers", default=dict, blank=True)
    form_data = models.JSONField("联合表单 Union form", default=dict, blank=True)
    materials = models.JSONField("合并材料 Materials", default=list, blank=True)
    held_licence_types = models.JSONField("已有电子证照 Held e-licences", default=list, blank=True)
    produced = models.JSONField("前置事项产出 Produced data", default=dict, blank=True)
    messages = models.JSONField("告知 Messages to the applicant", default=list, blank=True)
    ticket_number = models.CharField("排队号 Ticket", max_length=20, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name="收件人 Received by")
    # Who filed it: the window clerk or guide who received it, or (online) the applicant, clerk or guide who
    # submitted it; each sub-case's filing is recorded as theirs, also when it is released later.
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name="提交人 Filed by")
    promised_days = models.PositiveSmallIntegerField("关键路径时限 Critical path (working days)", default=0)
    due_date = models.DateField("承诺办结日 Due date", null=True, blank=True)
    provisional = models.BooleanField("日历暂定 Provisional calendar", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    issued_at = models.DateTimeField("出件时间 Issued at", null=True, blank=True)

    class Meta:
        verbose_name = "一件事办件 Bundle case"
        verbose_name_plural = "一件事办件 Bundle cases"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.number


class BundleCaseItem(models.Model):
    """One matter of a bundle case: waiting for its prerequisites, released as a normal ``Case``, or stopped."""

    parent = models.ForeignKey(BundleCase, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(BundleItem, on_delete=models.PROTECT, related_name="+")
    key = models.CharField("环节编码 Key", max_length=40)
    status = models.CharField("状态 Status", max_length=12, choices=ItemStatus.choices, default=ItemStatus.WAITING)
    case = models.OneToOneField("cases.Case", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="bundle_item", verbose_name="子办件 Sub-case")
    answers = models.JSONField(default=dict, blank=True)
    form_data = models.JSONField(default=dict, blank=True)
    materials = models.JSONField(default=dict, blank=True)
    result_data = models.JSONField("办结产出 Result data", default=dict, blank=True)
    message = models.TextField("说明 Message", blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["parent", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["parent", "key"], name="bundle_case_item_unique_key")]
