"""Scanned materials: only PDF, JPEG and PNG, recognised from their content (magic bytes), never from the
name or the declared type. A file whose name says ``.pdf`` but whose bytes are PNG is stored as PNG
(the extension is corrected); anything else is refused."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.utils.text import get_valid_filename

from yichuang.core.errors import ValidationFailed

SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)
DEFAULT_MAX_UPLOAD_MB = 10


def max_upload_bytes() -> int:
    return int(getattr(settings, "YICHUANG_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB)) * 1024 * 1024


def sniff(head: bytes) -> tuple[str, str] | None:
    for magic, content_type, ext in SIGNATURES:
        if head.startswith(magic):
            return content_type, ext
    return None


def upload_check(*, filename: str, head: bytes, size: int) -> tuple[str, str]:
    """Return (content type, safe file name with the right extension) or raise ValidationFailed."""
    limit = max_upload_bytes()
    if size <= 0:
        raise ValidationFailed("上传的文件为空。", "The uploaded file is empty.", field="file", code="empty_file")
    if size > limit:
        raise ValidationFailed(
            f"文件过大（{size / 1048576:.1f} MB），上限为 {limit // 1048576} MB。",
            f"The file is too large ({size / 1048576:.1f} MB); the limit is {limit // 1048576} MB.",
            field="file", code="file_too_large")
    found = sniff(head)
    if found is None:
        raise ValidationFailed("只能上传PDF、JPEG或PNG格式的文件（按文件内容识别）。",
                               "Only PDF, JPEG or PNG files may be uploaded (recognised from the content).",
                               field="file", code="file_type")
    content_type, ext = found
    stem = os.path.splitext(os.path.basename((filename or "").replace("\\", "/")))[0]
    try:
        stem = get_valid_filename(stem)[:80]
    except SuspiciousFileOperation:
        stem = "scan"
    return content_type, stem + ext


def upload_read(*, file, filename: str) -> tuple[str, str, bytes]:
    """A scan's bytes, checked: ``(content_type, safe_name, data)``. ``file`` is bytes or an uploaded file; a file
    that says it is too large is refused before it is read."""
    if isinstance(file, (bytes, bytearray)):
        data = bytes(file)
    else:
        size = getattr(file, "size", None)
        if size is not None and size > max_upload_bytes():
            upload_check(filename=filename, head=b"", size=size)
        file.seek(0)
        data = file.read()
    content_type, safe_name = upload_check(filename=filename, head=data[:16], size=len(data))
    return content_type, safe_name, data
