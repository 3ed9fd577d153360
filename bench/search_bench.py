"""Matter search over 2,000 matters: median / p90 / p99 per query.

    uv run python bench/search_bench.py                       # SQLite (a temporary file)
    YICHUANG_DATABASE_URL=postgres://postgres@127.0.0.1:5432/yc_bench_search uv run python bench/search_bench.py

The PostgreSQL database named is dropped and recreated. Target: median < 20 ms.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time

N_MATTERS = int(os.environ.get("BENCH_MATTERS", "2000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "200"))
QUERIES = ["开饭店", "身份证", "sfz", "shenfenzheng", "营业执照", "公积金提取", "bdc", "不动产", "yyzz", "社保",
           "餐饮许可办理", "xyzxyz"]


def _setup_database() -> str:
    url = os.environ.get("YICHUANG_DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        base, name = url.rsplit("/", 1)
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return url
    path = os.path.join(tempfile.mkdtemp(prefix="yc-search-"), "bench.sqlite3")
    os.environ["YICHUANG_DATABASE_URL"] = f"sqlite:///{path}"
    return os.environ["YICHUANG_DATABASE_URL"]


def main() -> None:
    url = _setup_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yichuang.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from yichuang.catalog.selectors import matter_search
    from yichuang.catalog.services import matter_save
    from yichuang.demo.loader import demo_load
    from yichuang.demo.matters import demo_matters

    call_command("migrate", verbosity=0)
    demo_load()
    base = [m["spec"] if "spec" in m else m for m in demo_matters()]
    places = ["", "（区级）", "（镇街）", "（告知承诺）", "（延续）", "（变更）", "（注销）", "（补办）", "（跨省通办）",
              "（全程网办）"]
    prefixes = ["", "个人", "企业", "外商投资企业", "农民专业合作社", "个体工商户", "社会组织", "事业单位",
                "退役军人", "老年人", "残疾人", "新生儿", "港澳台居民", "外籍人员", "学生", "教师", "医师", "护士",
                "律师", "建筑企业", "运输企业", "药品企业", "食品企业", "文化企业", "旅游企业"]
    t0 = time.perf_counter()
    made = 0
    with transaction.atomic():
        from yichuang.catalog.models import Matter

        existing = Matter.objects.count()
        i = 0
        while existing + made < N_MATTERS:
            src = base[i % len(base)]
            spec = dict(src["spec"]) if "spec" in src else None
            if spec is None:
                m = Matter.objects.select_related("department", "domain").all()[i % existing]
                spec = {"implementation_code": m.implementation_code, "name": m.name,
                        "department": m.department.code, "domain": m.domain.code, "matter_type": m.matter_type,
                        "legal_limit_days": m.legal_limit_days, "promised_limit_days": m.promised_limit_days,
                        "keywords": m.keywords}
            prefix = prefixes[(i // len(places)) % len(prefixes)]
            suffix = places[i % len(places)]
            spec["implementation_code"] = f"BENCH{i:05d}"
            spec["name"] = f"{prefix}{spec['name']}{suffix}"
            for k in ("result_licence_type", "result_kind"):
                spec.pop(k, None)
            matter_save(spec=spec, situations=[], materials=[])
            made += 1
            i += 1
    load_s = time.perf_counter() - t0
    total = Matter.objects.filter(is_active=True).count()
    print(f"database: {connection.vendor} ({url.split('@')[-1]})")
    print(f"matters: {total} (generated {made} in {load_s:.1f} s)")
    t = time.perf_counter()
    matter_search(query="开饭店")
    print(f"first query (jieba dictionary load): {(time.perf_counter() - t) * 1000:.0f} ms")
    everything = []
    print(f"{'query':<16}{'hits':>6}{'median ms':>11}{'p90 ms':>9}{'p99 ms':>9}")
    for q in QUERIES:
        times = []
        for _ in range(REPEAT):
            t = time.perf_counter()
            hits = matter_search(query=q, limit=20)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        everything += times
        print(f"{q:<16}{len(hits):>6}{statistics.median(times):>11.2f}{times[int(len(times) * .9)]:>9.2f}"
              f"{times[int(len(times) * .99)]:>9.2f}")
    everything.sort()
    print(f"{'ALL':<16}{'':>6}{statistics.median(everything):>11.2f}{everything[int(len(everything) * .9)]:>9.2f}"
          f"{everything[int(len(everything) * .99)]:>9.2f}")
    print(f"target: median < 20 ms -> {'OK' if statistics.median(everything) < 20 else 'MISSED'}")


if __name__ == "__main__":
    sys.exit(main())
