"""Benchmark: e-licence reuse and signed PDF documents.

    uv run python bench/documents_bench.py [N] [LIBRARY]   # SQLite in a temporary directory
    YICHUANG_DATABASE_URL=postgres://…/yc_bench uv run python bench/documents_bench.py   # (the database is wiped)

Fills the library with LIBRARY licences (default 20,000) held by as many companies, then prints: the time to find
the licence types an applicant holds (the lookup every case receipt makes), a company case received with two
materials 免提交, and per document: render (fpdf2 + embedded CJK subset), sign (pyHanko), verify. Not a test.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("YICHUANG_VAR_DIR", tempfile.mkdtemp(prefix="yc-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yichuang.config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def ms(values: list[float]) -> str:
    return f"mean {statistics.mean(values) * 1000:7.1f} ms  p95 {sorted(values)[int(len(values) * 0.95) - 1] * 1000:7.1f} ms"


def main(n: int, library: int) -> None:
    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
    from tests.licences.licence_world import approve_company, build_licence_world, credit_code, receive_company
    from yichuang.documents import services as ds
    from yichuang.documents.pdf import render_pdf
    from yichuang.documents.builders import spec_for_notice
    from yichuang.documents.pki import demo_pki_create
    from yichuang.documents.signing import sign_pdf, verify_pdf
    from yichuang.licences.constants import LicenceStatus
    from yichuang.licences.models import ELicence
    from yichuang.licences.selectors import licence_types_held

    demo_pki_create(centre_name="基准测试中心")
    w = build_licence_world()
    today = timezone.localdate()
    t = time.perf_counter()
    ELicence.objects.bulk_create([
        ELicence(licence_type=w.yyzz if i % 2 else w.spjy, number=f"BENCH{i:08d}", holder_kind="company",
                 holder_name=f"公司{i}", holder_identifier=credit_code(1000 + i), issuer=w.dept,
                 issuer_name=w.dept.name, centre=w.centre, valid_from=today, status=LicenceStatus.ACTIVE,
                 issued_at=timezone.now()) for i in range(library)], batch_size=2000)
    print(f"library filled with {library} licences in {time.perf_counter() - t:.1f} s "
          f"({settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]})")

    held = []
    for i in range(200):
        t = time.perf_counter()
        licence_types_held(identifier=credit_code(1000 + (i * 97) % library))
        held.append(time.perf_counter() - t)
    print(f"licence_types_held (per case receipt):  {ms(held)}")

    approve_company(w, matter_code="M-REG")
    case = approve_company(w, matter_code="M-FOOD")
    recv = []
    for i in range(n):
        t = time.perf_counter()
        c = receive_company(w, matter_code="M-FOOD", answers={"apply_type": "change"})
        recv.append(time.perf_counter() - t)
    exempt = c.materials.filter(status="exempt").count()
    print(f"receive a case with {exempt} materials 免提交:  {ms(recv)}")

    notice = case.notices.get(kind="acceptance")
    spec = spec_for_notice(notice)
    render, sign, verify, size = [], [], [], 0
    for _ in range(n):
        t = time.perf_counter()
        data = render_pdf(spec)
        render.append(time.perf_counter() - t)
        t = time.perf_counter()
        signed = sign_pdf(data)
        sign.append(time.perf_counter() - t)
        t = time.perf_counter()
        assert verify_pdf(signed).genuine
        verify.append(time.perf_counter() - t)
        size = len(signed)
    print(f"render 受理通知书 PDF:                 {ms(render)}")
    print(f"sign (pyHanko, RSA-2048, SHA-256):     {ms(sign)}")
    print(f"verify:                                {ms(verify)}")
    print(f"signed PDF size: {size / 1024:.1f} KiB")
    t = time.perf_counter()
    ds.document_for_notice(notice=notice)
    first = time.perf_counter() - t
    t = time.perf_counter()
    ds.document_bytes(ds.document_for_notice(notice=notice))
    print(f"first download (render+sign+store) {first * 1000:.0f} ms; later downloads "
          f"{(time.perf_counter() - t) * 1000:.1f} ms (stored bytes)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20, int(sys.argv[2]) if len(sys.argv) > 2 else 20000)
