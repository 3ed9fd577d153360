from django.db import models


class DocumentKind(models.TextChoices):
    ACCEPTANCE = "acceptance", "受理通知书"
    NON_ACCEPTANCE = "non_acceptance", "不予受理通知书"
    SUPPLEMENT = "supplement", "补齐补正通知书"
    DECISION = "decision", "决定书"
    TOLERANT_COMMITMENT = "tolerant_commitment", "容缺受理承诺书"
    SUSPENSION = "suspension", "中止告知书"
    CHECKLIST = "checklist", "一次性告知书"
    SERVICE_RECEIPT = "service_receipt", "送达回证"
    LICENCE = "licence", "电子证照"


# Kinds that are cases.Notice rows (the notice's number is the document's number).
NOTICE_KINDS = frozenset({DocumentKind.ACCEPTANCE, DocumentKind.NON_ACCEPTANCE, DocumentKind.SUPPLEMENT,
                          DocumentKind.DECISION, DocumentKind.TOLERANT_COMMITMENT, DocumentKind.SUSPENSION})
