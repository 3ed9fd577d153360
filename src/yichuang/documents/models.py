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
