"""Rendered, signed documents (文书). A document is rendered and signed once and kept, so every download is the
same bytes and a verification can compare against what was issued."""

from django.db import models

from .constants import DocumentKind


def document_upload_to(instance: "Document", filename: str) -> str:
    folder = instance.case.number if instance.case_id else "licences"
    return f"documents/{folder}/{filename}"


class Document(models.Model):
    kind = models.CharField("文书类型 Kind", max_length=20, choices=DocumentKind.choices)
    number = models.CharField("文书编号 Number", max_length=64, unique=True)
    title = models.CharField("标题 Title", max_length=100)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="documents")
    notice = models.OneToOneField("cases.Notice", null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="document")
    licence = models.ForeignKey("licences.ELicence", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="documents")
    file = models.FileField("文件 File", upload_to=document_upload_to, max_length=300)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(default=0)
    signed = models.BooleanField("已签章 Signed", default=False)
    signer = models.CharField("签章人 Signer", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "文书 Document"
        verbose_name_plural = "文书 Documents"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.title} {self.number}"


class DepartmentDocumentSettings(models.Model):
    """文书设置 of a department: the 代字 of its 文号 and its 复议机关; blank fields take the defaults of
    :mod:`yichuang.documents.authority`."""

    department = models.OneToOneField("accounts.Department", on_delete=models.CASCADE, related_name="document_settings",
                                      verbose_name="部门 Department")
    number_prefix = models.CharField("文号代字 Number prefix", max_length=30, blank=True,
                                     help_text="如“渝九龙坡市监”；留空则按中心和部门简称生成 e.g. 渝九龙坡市监")
    review_body = models.CharField("复议机关 Review body", max_length=100, blank=True,
                                   help_text="留空：本级人民政府（垂直管理部门为上一级主管部门）")
    court = models.CharField("管辖法院 Court", max_length=100, blank=True, help_text="留空：依法向人民法院")

    class Meta:
        verbose_name = verbose_name_plural = "部门文书设置 Department document settings"

    def __str__(self) -> str:
        return str(self.department)

    def clean(self):
        from django.core.exceptions import ValidationError

        if any(ch in self.number_prefix for ch in "〔〕号 "):
            raise ValidationError({"number_prefix": "文号代字只填机关代字（如“渝九龙坡市监”），不含年份、括号和“号”。"})


class DocumentNumberSequence(models.Model):
    """The last 文号 sequence a department drew in a year (one row per department and year)."""

    department = models.ForeignKey("accounts.Department", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["department", "year"], name="doc_number_seq_per_dept_year")]


class NoticeDocNumber(models.Model):
    """文号 of a notice (决定书, 不予受理通知书): drawn once when the notice is given, never again."""

    notice = models.OneToOneField("cases.Notice", on_delete=models.CASCADE, related_name="doc_number")
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    seq = models.PositiveIntegerField()
    text = models.CharField("文号 Document number", max_length=60, unique=True)

    class Meta:
        verbose_name = verbose_name_plural = "文号 Document numbers"
        constraints = [models.UniqueConstraint(fields=["department", "year", "seq"], name="doc_number_once")]

    def __str__(self) -> str:
        return self.text
