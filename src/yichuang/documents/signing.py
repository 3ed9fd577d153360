"""电子签章: sign PDFs with the centre's key and tell whether a PDF is genuine and unaltered (pyHanko).

The certificate and key are PEM files named in settings (``YICHUANG_SIGNING_CERT``/``_KEY``, default under
``$YICHUANG_VAR_DIR/pki/``); ``yichuang pki-demo`` creates a self-signed pair for the demo. Verification trusts
the centre's own certificate (and ``YICHUANG_TRUSTED_CERTS``): a PDF is genuine when its signature is intact,
made by a trusted certificate, and covers the whole file (nothing was added after signing).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

log = logging.getLogger(__name__)


@dataclass
class Verdict:
    genuine: bool
    signed: bool
    intact: bool = False
    trusted: bool = False
    whole_file: bool = False
    signer: str = ""
    signed_at: dt.datetime | None = None
    reason: str = ""
    reason_en: str = ""

    def as_dict(self) -> dict:
        return {"genuine": self.genuine, "signed": self.signed, "intact": self.intact, "trusted": self.trusted,
                "whole_file": self.whole_file, "signer": self.signer, "signed_at": self.signed_at,
                "message": self.reason, "message_en": self.reason_en}


def _off_loop(fn, *args, **kwargs):
    """pyHanko's sync API wraps ``asyncio.run``, which refuses to run inside a thread that already runs an event
    loop (an ASGI server thread, a browser-test driver); there it runs in a worker thread instead."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args, **kwargs).result()


def signing_configured() -> bool:
    return Path(settings.YICHUANG_SIGNING_CERT).is_file() and Path(settings.YICHUANG_SIGNING_KEY).is_file()


def _signer():
    from pyhanko.sign import signers

    passphrase = settings.YICHUANG_SIGNING_KEY_PASSPHRASE.encode() or None
    return signers.SimpleSigner.load(settings.YICHUANG_SIGNING_KEY, settings.YICHUANG_SIGNING_CERT,
                                     key_passphrase=passphrase)


def subject_name(name) -> str:
    """A certificate subject as the pages show it: the common name, with the organisation when it says more
    (九龙坡区政务服务中心 电子签章（演示）) — not asn1crypto's English "Common Name: …, Organization: …"."""
    native = name.native if hasattr(name, "native") else {}
    cn = str(native.get("common_name") or "").strip()
    org = str(native.get("organization_name") or "").strip()
    if cn and org and org not in cn:
        return f"{cn}（{org}）"
    return cn or org or name.human_friendly


def signer_name() -> str:
    from pyhanko.keys import load_cert_from_pemder

    return subject_name(load_cert_from_pemder(settings.YICHUANG_SIGNING_CERT).subject)


def sign_pdf(data: bytes, *, reason: str = "电子签章", location: str = "") -> bytes:
    """Sign with the centre's key (an invisible PAdES-style signature appended as an incremental update)."""
    return _off_loop(_sign_pdf, data, reason=reason, location=location)


def _sign_pdf(data: bytes, *, reason: str, location: str) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    meta = signers.PdfSignatureMetadata(field_name="CentreSeal", reason=reason, location=location or None,
                                        md_algorithm="sha256")
    return signers.sign_pdf(writer, meta, signer=_signer()).getvalue()


def _trust_roots() -> list:
    from pyhanko.keys import load_cert_from_pemder

    roots = []
    for path in [settings.YICHUANG_SIGNING_CERT, *settings.YICHUANG_TRUSTED_CERTS]:
        if path and Path(path).is_file():
            roots.append(load_cert_from_pemder(path))
    return roots


def verify_pdf(data: bytes) -> Verdict:
    """Genuine = every signature intact and trusted, the last one covering the whole file."""
    return _off_loop(_verify_pdf, data)


def _verify_pdf(data: bytes) -> Verdict:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    if not data.startswith(b"%PDF"):
        return Verdict(False, False, reason="不是PDF文件。", reason_en="Not a PDF file.")
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        sigs = reader.embedded_signatures
    except Exception as exc:  # an unreadable (damaged) file is not genuine
        log.info("unreadable PDF: %s", exc)
        return Verdict(False, False, reason="文件已损坏，无法读取签名。", reason_en="The file is damaged; no signature "
                       "could be read.")
    if not sigs:
        return Verdict(False, False, reason="文件没有电子签章。", reason_en="The file carries no digital signature.")
    roots = _trust_roots()
    verdict = Verdict(False, True)
    for i, sig in enumerate(sigs):
        try:
            status = validate_pdf_signature(sig, ValidationContext(trust_roots=roots, allow_fetching=False))
        except Exception as exc:
            log.info("signature %s invalid: %s", i, exc)
            verdict.reason, verdict.reason_en = "签名无法验证，文件可能被篡改。", "The signature cannot be validated; " \
                "the file may have been altered."
            return verdict
        verdict.signer = subject_name(status.signing_cert.subject)
        verdict.signed_at = status.signer_reported_dt
        verdict.intact = bool(status.intact and status.valid)
        verdict.trusted = bool(status.trusted)
        verdict.whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        if not verdict.intact:
            verdict.reason, verdict.reason_en = "签名后内容被修改，文件不是原件。", "The content changed after signing."
            return verdict
        if not verdict.trusted:
            verdict.reason, verdict.reason_en = "签章证书不受信任（不是本中心签发）。", "The signing certificate is not " \
                "trusted (not this centre's)."
            return verdict
    if not verdict.whole_file:
        verdict.reason, verdict.reason_en = "签名之后文件被追加修改。", "The file was changed after it was signed."
        return verdict
    verdict.genuine = True
    verdict.reason, verdict.reason_en = "签章有效，文件真实、未被篡改。", "Genuine: the signature is valid and the file " \
        "is unaltered."
    return verdict
