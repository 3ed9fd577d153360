"""A self-signed certificate and key for the demo centre (never for production, never committed)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from django.conf import settings


def demo_pki_create(*, centre_name: str = "一窗演示中心", force: bool = False, cert_path: str | None = None,
                    key_path: str | None = None, years: int = 10) -> tuple[Path, Path, bool]:
    """Write a self-signed RSA-2048 certificate and its key (PEM, key mode 0600). Returns (cert, key, created)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    cert_file = Path(cert_path or settings.YICHUANG_SIGNING_CERT)
    key_file = Path(key_path or settings.YICHUANG_SIGNING_KEY)
    if cert_file.exists() and key_file.exists() and not force:
        return cert_file, key_file, False
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, centre_name),
        x509.NameAttribute(NameOID.COMMON_NAME, f"{centre_name} 电子签章（演示）"),
    ])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    for f in (cert_file, key_file):
        f.parent.mkdir(parents=True, exist_ok=True)
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    os.chmod(key_file, 0o600)
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert_file, key_file, True
