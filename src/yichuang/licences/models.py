"""The e-licence library (电子证照库): licences issued by approved cases, reused to satisfy materials.

Models are thin: every write goes through ``licences.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from yichuang.core.fields import EncryptedCharField

from .constants import HolderKind, LicenceStatus


class LicenceSequence(models.Model):
    """Yearly number counter per licence type; locked FOR UPDATE while a number is drawn."""

    licence_type = models.ForeignKey("catalog.LicenceType", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["licence_type", "year"], name="licence_sequence_unique")]


class ELicence(models.Model):
    """电子证照: one licence held by a person or an organisation."""

    licence_type = models.ForeignKey("catalog.LicenceType", on_delete=models.PROTECT, related_name="licences",
                                     verbose_name="证照类型 Type")
    number = models.CharField("证照编号 Number", max_length=40, unique=True)
    holder_kind = models.CharField("持证主体类型 Holder kind", max_length=10, choices=HolderKind.choices)
    holder_name = models.CharField("持证主体 Holder", max_length=100)
    # Encrypted at rest (a person's ID number; a credit code alike, one kind for both so that the same number is the
    # same ciphertext as in cases): found by the exact number, shown masked (selectors.mask_identifier).
    holder_identifier = EncryptedCharField("身份证号/统一社会信用代码 Holder identifier", kind="id_number", max_length=18,
                                           db_index=True)
    issuer = models.ForeignKey("accounts.Department", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name="发证部门 Issuer")
    issuer_name = models.CharField("发证机关 Issuer name", max_length=100)
    centre = models.ForeignKey("accounts.Centre", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name="中心 Centre")
    valid_from = models.DateField("有效期自 Valid from")
    valid_to = models.DateField("有效期至 Valid to", null=True, blank=True, help_text="空表示长期 empty = no end")
    status = models.CharField("状态 Status", max_length=12, choices=LicenceStatus.choices,
                              default=LicenceStatus.ACTIVE, db_index=True)
    status_reason = models.CharField("状态原因 Reason", max_length=300, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    source_case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="licences", verbose_name="来源办件 Source case")
    data = models.JSONField("证照信息 Details", default=dict, blank=True)
    renewals = models.PositiveSmallIntegerField("延续次数 Renewals", default=0)
    issued_at = models.DateTimeField("发证时间 Issued at")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        verbose_name = "电子证照 E-licence"
        verbose_name_plural = "电子证照 E-licences"
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["holder_identifier", "status"], name="licence_holder_status")]
        constraints = [
            models.CheckConstraint(condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                                   name="licence_validity_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.licence_type.name} {self.number}"


class LicenceUse(models.Model):
    """免提交: a case material satisfied by an e-licence from the library (no upload, no paper)."""

    case_material = models.OneToOneField("cases.CaseMaterial", on_delete=models.CASCADE, related_name="licence_use")
    licence = models.ForeignKey(ELicence, on_delete=models.PROTECT, related_name="uses")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "证照引用 Licence use"
        verbose_name_plural = "证照引用 Licence uses"
        ordering = ["-at", "-id"]
