"""The demo centre's catalogue, as an applicant meets it: every guide page renders, every published matter is in
the list and found by its exact name, no form asks a situation question again (issue 19: 1, 10b, 10c)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from tests.crawl.checks import problems
from yichuang.catalog.excel import catalog_export_workbook, catalog_import_workbook
from yichuang.catalog.models import Matter, MatterVersion

pytestmark = pytest.mark.django_db

FLAGSHIPS = ["食品经营许可", "企业设立登记", "居民身份证换领", "国有建设用地使用权及房屋所有权转移登记",
             "基本养老保险关系转移接续", "住房公积金提取"]


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_demo_catalogue_front_door(client, tmp_path):
    call_command("demo", "--no-serve", "--skip-migrate", stdout=io.StringIO())
    published = list(Matter.objects.filter(is_active=True, versions__isnull=False).distinct()
                     .order_by("implementation_code"))
    assert len(published) == Matter.objects.count() == 87

    # 1. Every guide page (and its 展架 and QR code) answers 200; the FAQ of the flagships shows.
    for m in published:
        for suffix in ("", "poster/", "qr.svg"):
            r = client.get(f"/matters/{m.implementation_code}/{suffix}")
            assert r.status_code == 200, (m.name, suffix, r.status_code)
            if suffix != "qr.svg":  # no None/null, raw codes or English sentences on the page
                assert problems(r.content) == [], (m.name, suffix, problems(r.content)[:3])
    for name in FLAGSHIPS:
        m = Matter.objects.get(name=name)
        html = client.get(f"/matters/{m.implementation_code}/").content.decode()
        assert m.faq and m.faq[0]["q"] in html and m.faq[0]["a"] in html, name
        for label in ("办理地点", "办理时间", "咨询电话", "监督投诉方式", "特别程序", "手机扫码查看本指南"):
            assert label in html, (name, label)
        assert "九龙坡区政务服务中心" in html and "023-6878" in html, name

    # 2. The whole published catalogue is listed (API, paged) and every matter is found by its exact name.
    listed, offset = [], 0
    while True:
        page = client.get("/api/v1/catalog/matters", {"limit": 50, "offset": offset}).json()
        listed += [m["implementation_code"] for m in page]
        if len(page) < 50:
            break
        offset += 50
    assert listed == [m.implementation_code for m in published]
    for m in published:
        found = client.get("/api/v1/catalog/matters", {"q": m.name, "limit": 5}).json()
        assert found and found[0]["name"] == m.name, (m.name, [f["name"] for f in found])
    html = client.get("/matters/", {"q": "机动车驾驶证申领（驾驶人考试）"}).content.decode()
    assert "机动车驾驶证申领（驾驶人考试）" in html and "不在本中心办理" in html
    assert "驾驶证" in client.get("/matters/", {"q": "考驾照"}).content.decode()

    # Browsing: by department the union is the catalogue; 个人 and 法人 and every theme have matters.
    by_dept = set()
    for code in {m.department.code for m in published}:
        by_dept |= {m["implementation_code"] for m in
                    client.get("/api/v1/catalog/matters", {"department": code, "limit": 100}).json()}
    assert by_dept == set(listed)
    person = client.get("/api/v1/catalog/matters", {"audience": "person", "limit": 100}).json()
    company = client.get("/api/v1/catalog/matters", {"audience": "legal_person", "limit": 100}).json()
    assert {m["implementation_code"] for m in person} | {m["implementation_code"] for m in company} == set(listed)
    assert all(m.themes for m in published), [m.name for m in published if not m.themes]
    start = {m["name"] for m in client.get("/api/v1/catalog/matters", {"theme": "开办企业", "limit": 100}).json()}
    assert {"企业设立登记", "印章刻制备案", "新办纳税人涉税事项办理", "企业银行账户预约开户"} <= start
    for query in ({}, {"audience": "person"}, {"theme": "real_estate"}, {"department": "SCJ"}, {"q": "开饭店"}):
        r = client.get("/matters/", query)
        assert r.status_code == 200 and problems(r.content) == [], (query, problems(r.content)[:3])
    html = client.get("/matters/").content.decode()
    assert "按分类浏览（共 87 个事项）" in html and "个人办事" in html and "法人办事" in html and "开办企业" in html

    # 3. No form field asks again what a situation asks (企业类型 was asked twice).
    for m in published:
        snap = m.versions.order_by("-number").first().snapshot
        asked = {s["code"] for s in snap["situations"]} | {s["question"] for s in snap["situations"]}
        for f in snap["form_fields"]:
            assert f.get("name") not in asked and f.get("label") not in asked, (m.name, f)

    # 4. 空白样表 and 示范文本 files made at demo time download from the guide.
    food = Matter.objects.get(name="食品经营许可")
    html = client.get(f"/matters/{food.implementation_code}/").content.decode()
    for kind in ("blank", "sample"):
        url = f"/matters/{food.implementation_code}/materials/application/{kind}/"
        assert url in html
        r = client.get(url)
        assert r.status_code == 200 and b"".join(r.streaming_content)[:2] == b"PK"  # an .xlsx

    # 5. The demo catalogue survives its own Excel round trip: nothing changes, no new versions.
    versions = MatterVersion.objects.count()
    path = tmp_path / "demo.xlsx"
    catalog_export_workbook(path_or_file=path)
    report = catalog_import_workbook(path_or_file=path)
    assert report.ok, report.lines()[:5]
    assert MatterVersion.objects.count() == versions
