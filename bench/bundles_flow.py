"""Benchmark: 企业开办 (demo bundle, six matters) through the services — apply at the window (union form, merged
checklist, parent number, 设立登记 received and forwarded), accept and approve 设立登记 with the new credit code
(releases five sub-cases into five departments), then accept + approve the five, and the one hand-over.

    uv run python bench/bundles_flow.py [N]            # SQLite in a temporary directory
    YICHUANG_DATABASE_URL=postgres://…/yc_bench uv run python bench/bundles_flow.py [N]   # (the database is wiped)

Prints the mean time per step. Not a test: figures vary with the machine.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

os.environ.setdefault("YICHUANG_VAR_DIR", tempfile.mkdtemp(prefix="yc-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yichuang.config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def main(n: int) -> None:
    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
    from tests.cases.conftest import make_credit_code, make_id
    from yichuang.accounts.models import User
    from yichuang.bundles import selectors as bsel
    from yichuang.bundles import services as bs
    from yichuang.cases import services as cs
    from yichuang.demo.loader import demo_load

    demo_load()
    users = {u.username: u for u in User.objects.all()}
    by_dept = {u.department_id: u for u in users.values() if u.role == "approver" and u.post != "B"}
    bundle = bsel.bundle_get(code="qykb")
    steps = {k: 0.0 for k in ("apply", "approve_setup_release5", "decide_five", "detail", "issue")}
    form = {"enterprise_name": "重庆小满科技有限公司", "address": "九龙坡区杨家坪正街1号", "legal_rep": "张小满",
            "legal_rep_id": make_id(88), "setup.company_type": "有限责任公司", "setup.registered_capital": "100",
            "setup.business_scope": "软件开发"}
    checklist = bsel.bundle_public(bundle=bundle, answers={"company_type": "llc", "agent": "self"})["checklist"]
    materials = {m["key"]: "provided" for m in checklist if not m["exempt"]}
    t_all = time.perf_counter()
    for i in range(n):
        t = time.perf_counter()
        parent = bs.bundle_apply(bundle=bundle, actor=users["clerk"], applicant_name="张小满", id_number=make_id(i % 900 + 1),
                                 answers={"company_type": "llc", "agent": "self"}, form_data=form, materials=materials)
        steps["apply"] += time.perf_counter() - t
        items = {p.key: p for p in parent.items.select_related("case__matter")}
        t = time.perf_counter()
        setup = cs.case_accept(case=items["setup"].case, actor=by_dept[items["setup"].case.matter.department_id])
        bs.bundle_subcase_decide(case=setup, actor=by_dept[setup.matter.department_id], approve=True,
                                 result_data={"credit_code": make_credit_code(i + 1)})
        steps["approve_setup_release5"] += time.perf_counter() - t
        t = time.perf_counter()
        for p in parent.items.select_related("case__matter").exclude(key="setup"):
            approver = by_dept[p.case.matter.department_id]
            cs.case_approve(case=cs.case_accept(case=p.case, actor=approver), actor=approver)
        steps["decide_five"] += time.perf_counter() - t
        t = time.perf_counter()
        bsel.bundle_case_detail(parent=parent)
        steps["detail"] += time.perf_counter() - t
        t = time.perf_counter()
        bs.bundle_case_issue(parent=parent, actor=users["issuer"], method="window", signed_by="张小满")
        steps["issue"] += time.perf_counter() - t
    total = time.perf_counter() - t_all
    print(f"{settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}: {n} 企业开办 bundles in {total:.2f} s "
          f"({total / n * 1000:.1f} ms per bundle, 6 sub-cases each)")
    for k, v in steps.items():
        print(f"  {k:24s} {v / n * 1000:8.2f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
