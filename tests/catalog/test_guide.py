"""The guide page (办事指南) and its data: FAQ in one shape, the national guide elements, the QR code, material
files, browsing by 个人/法人, theme and department, the form-versus-situation rule (issue 19: 1, 10b, 10c, 10e)."""

from __future__ import annotations

import importlib
import io

import pytest
import qrcode
import qrcode.image.svg
from django.apps import apps as django_apps
from django.core.files.base import ContentFile
from openpyxl import Workbook

from yichuang.catalog.apps import serving_process
from yichuang.catalog.excel import catalog_export_workbook, catalog_import_workbook
from yichuang.catalog.models import MaterialRequirement, Matter, MatterVersion
from yichuang.catalog.selectors import matter_search
from yichuang.catalog.services import matter_save
from yichuang.core.errors import ValidationFailed

from .conftest import FOOD_MATERIALS, FOOD_SITUATIONS, make_matter

pytestmark = pytest.mark.django_db

CJK = __import__("re").compile(r"[\u3400-\u9fff]")


def _bilingual(exc: ValidationFailed) -> None:
    assert CJK.search(exc.message) and not CJK.search(exc.message_en) and exc.message_en


# ------------------------------------------------------------------------------------------------ FAQ


@pytest.mark.parametrize("faq, needle", [
    ([{"question": "要多久？", "answer": "5天"}], "应只含“q”"),
    ([{"q": "要多久？"}], "应只含“q”"),
    ([{"q": "要多久？", "a": ""}], "缺少回答"),
    ([{"q": " ", "a": "5天"}], "缺少问题"),
    ("Q: 要多久？", "应为列表"),
    (["要多久？"], "格式不对"),
])
def test_a_faq_in_another_shape_is_refused_on_write(catalogue, faq, needle):
    with pytest.raises(ValidationFailed) as exc:
        make_matter("SCJ-FAQ", "食品经营许可（问答）", faq=faq)
    assert needle in exc.value.message and exc.value.field == "faq"
    _bilingual(exc.value)
    assert not Matter.objects.filter(implementation_code="SCJ-FAQ").exists()


def test_the_faq_is_stored_trimmed_and_rendered(catalogue, client):
    m = make_matter("SCJ-FAQ", "食品经营许可（问答）", faq=[{"q": " 要多久？ ", "a": "5个工作日。 "}])
    assert m.faq == [{"q": "要多久？", "a": "5个工作日。"}]
    html = client.get("/matters/SCJ-FAQ/").content.decode()
    assert "<summary>要多久？</summary><p>5个工作日。</p>" in html
    body = client.get("/api/v1/catalog/matters/SCJ-FAQ").json()
    assert body["faq"] == [{"q": "要多久？", "a": "5个工作日。"}]


def test_the_migration_converts_stored_faq_and_snapshots(catalogue, client):
    m = make_matter("SCJ-OLD", "食品经营许可（旧数据）", faq=[{"q": "甲？", "a": "甲。"}])
    old = [{"question": "要多久？", "answer": "5天"}, {"q": "收费吗？", "a": "不收费"}, "只有问题？", {"answer": "无题"}]
    Matter.objects.filter(pk=m.pk).update(faq=old)
    version = m.versions.get()
    MatterVersion.objects.filter(pk=version.pk).update(snapshot={**version.snapshot, "faq": old})
    # Before the fix the template read the other shape: with {"question"} data this page was a 500.
    migration = importlib.import_module("yichuang.catalog.migrations.0003_faq_one_shape")
    migration.forwards(django_apps, None)
    want = [{"q": "要多久？", "a": "5天"}, {"q": "收费吗？", "a": "不收费"}, {"q": "只有问题？", "a": ""}]
    m.refresh_from_db()
    version.refresh_from_db()
    assert m.faq == want and version.snapshot["faq"] == want
    from yichuang.catalog.services import _digest

    assert version.digest == _digest(version.snapshot)
    assert client.get("/matters/SCJ-OLD/").status_code == 200


# ------------------------------------------------------------------------- form fields vs situations


@pytest.mark.parametrize("field", [
    {"name": "apply_type", "label": "办理类别", "type": "select", "options": ["新办", "变更"]},
    {"name": "kind", "label": "申请类型", "type": "select", "options": ["新办", "变更"]},
])
def test_a_form_field_may_not_ask_a_situation_question_again(catalogue, field):
    with pytest.raises(ValidationFailed) as exc:
        make_matter("SCJ-DUP", "食品经营许可（重复）", situations=FOOD_SITUATIONS, materials=FOOD_MATERIALS,
                    form_fields=[{"name": "shop", "label": "店名", "type": "text"}, field])
    assert "情形中已问过的问题，表单中不再询问" in exc.value.message and exc.value.field == "form_fields"
    _bilingual(exc.value)


def test_adding_a_situation_that_a_form_field_asks_is_refused_too(catalogue):
    make_matter("SCJ-DUP", "食品经营许可（重复）", form_fields=[{"name": "agent", "label": "办理人", "type": "text"}])
    spec = {"implementation_code": "SCJ-DUP", "name": "食品经营许可（重复）", "department": "SCJ", "domain": "BIZ",
            "matter_type": "licensing", "legal_limit_days": 20, "promised_limit_days": 5,
            "form_fields": Matter.objects.get(implementation_code="SCJ-DUP").form_fields}
    with pytest.raises(ValidationFailed):
        matter_save(spec=spec, situations=FOOD_SITUATIONS, materials=FOOD_MATERIALS)


# ------------------------------------------------------------------------------- guide elements, QR


def test_guide_elements_fall_back_to_the_centre(catalogue, client):
    catalogue.address, catalogue.phone, catalogue.opening_hours = "杨家坪正街9号", "023-68780000", "周一至周五 9:00-17:00"
    catalogue.save()
    html = client.get("/matters/SCJ-001/").content.decode()
    for text in ("办理地点", "九龙坡区政务服务中心（杨家坪正街9号）", "办理时间", "周一至周五 9:00-17:00", "咨询电话",
                 "023-68780000", "监督投诉方式", "12345政务服务便民热线", "特别程序", "无"):
        assert text in html, text
    make_matter("SCJ-OWN", "食品经营许可（自有要素）", handling_place="二楼3号窗口", handling_hours="周一至周日",
                consult_phone="023-1", complaint_channel="监督电话 023-2", special_procedures="现场核查10日")
    body = client.get("/api/v1/catalog/matters/SCJ-OWN").json()
    assert (body["handling_place"], body["handling_hours"], body["consult_phone"], body["complaint_channel"],
            body["special_procedures"]) == ("二楼3号窗口", "周一至周日", "023-1", "监督电话 023-2", "现场核查10日")


def test_guide_text_that_is_too_long_is_refused(catalogue):
    with pytest.raises(ValidationFailed) as exc:
        make_matter("SCJ-LONG", "长地点", handling_place="楼" * 301)
    assert "办理地点过长" in exc.value.message and exc.value.field == "handling_place"


def test_the_qr_code_is_the_address_the_server_is_reached_at(catalogue, client, settings):
    host = "guide.jlp.example.cn:8443"
    settings.ALLOWED_HOSTS = ["guide.jlp.example.cn"]
    r = client.get("/matters/SCJ-001/qr.svg", HTTP_HOST=host)
    assert r.status_code == 200 and r["Content-Type"] == "image/svg+xml"
    want = io.BytesIO()
    qrcode.make(f"http://{host}/matters/SCJ-001/", image_factory=qrcode.image.svg.SvgPathImage, border=2).save(want)
    assert r.content == want.getvalue()
    html = client.get("/matters/SCJ-001/", HTTP_HOST=host).content.decode()
    assert f"http://{host}/matters/SCJ-001/" in html and "/matters/SCJ-001/qr.svg" in html
    poster = client.get("/matters/SCJ-001/poster/", HTTP_HOST=host).content.decode()
    assert "二维码办事指南" in poster and "食品经营许可申请书" in poster and f"http://{host}/matters/SCJ-001/" in poster
    assert client.get("/api/v1/catalog/matters/SCJ-001", HTTP_HOST=host).json()["qr_url"] == \
        f"http://{host}/matters/SCJ-001/qr.svg"


# ------------------------------------------------------------------------------------- material files


def _with_files(**files):
    mats = [dict(m) for m in FOOD_MATERIALS]
    mats[0].update(files)
    return make_matter("SCJ-001", "食品经营许可", keywords="开饭店", situations=FOOD_SITUATIONS, materials=mats)


def test_blank_form_and_sample_files_download(catalogue, client):
    _with_files(blank_form_file=ContentFile(b"PK-blank", name="form.xlsx"),
                sample_file=ContentFile(b"%PDF-sample", name="sample.pdf"))
    html = client.get("/matters/SCJ-001/").content.decode()
    assert "/matters/SCJ-001/materials/form/blank/" in html and "下载空白样表" in html and "下载示范文本" in html
    r = client.get("/matters/SCJ-001/materials/form/blank/")
    assert r.status_code == 200 and b"".join(r.streaming_content) == b"PK-blank"
    assert "attachment" in r["Content-Disposition"]
    r = client.get("/matters/SCJ-001/materials/form/sample/")
    assert b"".join(r.streaming_content) == b"%PDF-sample" and r["Content-Type"] == "application/pdf"
    assert client.get("/matters/SCJ-001/materials/licence/blank/").status_code == 404  # that material has none
    assert client.get("/matters/SCJ-001/materials/form/other/").status_code == 404
    items = client.post("/api/v1/catalog/matters/SCJ-001/checklist", {"answers": {}},
                        content_type="application/json").json()["items"]
    form = next(i for i in items if i["code"] == "form")
    assert form["blank_form_url"].endswith("/matters/SCJ-001/materials/form/blank/")
    assert next(i for i in items if i["code"] == "licence")["sample_file_url"] is None


def test_a_file_survives_saves_that_do_not_name_it_and_an_excel_round_trip(catalogue, client, tmp_path):
    _with_files(blank_form_file=ContentFile(b"PK-blank", name="form.xlsx"))
    make_matter("SCJ-001", "食品经营许可", keywords="开饭店,开餐馆", situations=FOOD_SITUATIONS, materials=FOOD_MATERIALS)
    assert MaterialRequirement.objects.get(matter__implementation_code="SCJ-001", code="form").blank_form_file
    path = tmp_path / "c.xlsx"
    catalog_export_workbook(path_or_file=path)
    assert catalog_import_workbook(path_or_file=path).ok
    r = client.get("/matters/SCJ-001/materials/form/blank/")
    assert r.status_code == 200 and b"".join(r.streaming_content) == b"PK-blank"


def test_a_file_of_a_bad_type_is_refused(catalogue):
    with pytest.raises(ValidationFailed) as exc:
        _with_files(blank_form_file=ContentFile(b"MZ", name="form.exe"))
    assert "文件类型“exe”不支持" in exc.value.message
    _bilingual(exc.value)


# ------------------------------------------------------------------------------------------- browse


@pytest.fixture
def browsable(catalogue):
    make_matter("SCJ-003", "企业设立登记", keywords="营业执照,开公司", service_objects=["legal_person", "个人"],
                themes=["开办企业"])
    make_matter("GA-001", "居民身份证换领", dept="GA", domain="SOC", keywords="身份证", legal=60, promised=20,
                service_objects=["person"], themes=["household"])
    return catalogue


def test_codes_are_stored_whether_given_as_codes_or_labels(browsable):
    m = Matter.objects.get(implementation_code="SCJ-003")
    assert m.service_objects == ["legal_person", "person"] and m.themes == ["company_start"]
    assert m.search_facets == "|obj:legal_person|obj:person|theme:company_start|"
    with pytest.raises(ValidationFailed) as exc:
        make_matter("SCJ-X", "某事项", themes=["开飞机"])
    assert "未知主题“开飞机”" in exc.value.message and exc.value.field == "themes"
    _bilingual(exc.value)


def test_browse_by_audience_theme_and_department(browsable, client):
    assert [m.name for m in matter_search(query="", audience="legal_person")] == ["企业设立登记"]
    assert [m.name for m in matter_search(query="", audience="个人")] == ["居民身份证换领", "企业设立登记"]
    assert [m.name for m in matter_search(query="", theme="household", department="GA")] == ["居民身份证换领"]
    assert matter_search(query="身份证", theme="company_start") == []

    html = client.get("/matters/").content.decode()
    assert 'href="?audience=person"' in html and 'href="?theme=company_start"' in html
    assert 'href="?department=GA"' in html and "区公安分局" in html
    html = client.get("/matters/", {"theme": "company_start"}).content.decode()
    assert "企业设立登记" in html and "居民身份证换领" not in html and "正在浏览" in html
    r = client.get("/matters/", {"theme": "开飞机"})
    assert r.status_code == 400 and "没有“开飞机”这个分类" in r.content.decode()
    from tests.crawl.checks import problems

    assert problems(r.content) == []  # no raw codes on the page

    api = client.get("/api/v1/catalog/matters", {"audience": "legal_person", "theme": "company_start"}).json()
    assert [m["name"] for m in api] == ["企业设立登记"] and api[0]["themes"] == ["company_start"]
    assert {"code": "company_start", "name": "开办企业"} in client.get("/api/v1/catalog/themes").json()
    assert client.get("/api/v1/catalog/audiences").json() == [{"code": "person", "name": "个人"},
                                                               {"code": "legal_person", "name": "法人"}]
    r = client.get("/api/v1/catalog/matters", {"audience": "alien"})
    assert r.status_code == 400 and r.json()["code"] == "validation_failed"
    assert not CJK.search(r.json()["message_en"])


def test_the_negative_list_is_listed_and_says_where_to_go(catalogue, client):
    html = client.get("/matters/", {"q": "民用爆炸物品"}).content.decode()
    assert "民用爆炸物品购买许可" in html and "不在本中心办理" in html
    html = client.get("/matters/GA-099/").content.decode()
    assert "本事项不在本中心办理" in html and "不在九龙坡区政务服务中心办理，请向区公安分局咨询办理地点" in html


def test_an_imported_workbook_renders(catalogue, client, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "事项"
    ws.append(["实施编码", "事项名称", "实施主体", "窗口领域", "事项类型", "法定办结时限", "承诺办结时限", "常见问题",
               "服务对象", "主题", "办理地点", "咨询电话", "特别程序", "表单字段"])
    ws.append(["X-1", "导入事项甲", "SCJ", "BIZ", "行政许可", 20, 5, "Q: 要多久？\nA: 5个工作日。", "法人、个人", "开办企业",
               "三楼5号窗口", "023-9", "现场核查", '[{"name": "shop", "label": "店名"}]'])
    ws.append(["X-2", "导入事项乙", "GA", "SOC", "公共服务", 1, 0, '[{"q": "多行\\n问题", "a": "答"}]', "个人", "户籍证件",
               None, None, None, None])
    ws.append(["X-3", "导入事项丙", "GA", "SOC", "公共服务", 1, 0, '[{"question": "旧格式"}]', None, None,
               None, None, None, None])
    s = wb.create_sheet("情形")
    s.append(["实施编码", "情形编码", "问题", "选项"])
    s.append(["X-1", "agent", "办理人", "self=本人;agent=代办"])
    path = tmp_path / "w.xlsx"
    wb.save(path)
    report = catalog_import_workbook(path_or_file=path)
    assert report.created == 2 and [(e.row, e.column) for e in report.errors] == [(4, "常见问题")]
    assert "应只含“q”" in report.errors[0].message
    for code in ("X-1", "X-2"):
        r = client.get(f"/matters/{code}/")
        assert r.status_code == 200, code
    html = client.get("/matters/X-1/").content.decode()
    assert "要多久？" in html and "三楼5号窗口" in html and "023-9" in html and "现场核查" in html and "法人" in html
    assert Matter.objects.get(implementation_code="X-1").themes == ["company_start"]


# ------------------------------------------------------------------------------------ jieba at start-up


@pytest.mark.parametrize("argv, environ, modules, want", [
    (["yichuang", "migrate"], {}, {}, False),
    (["yichuang", "openapi"], {}, {}, False),
    (["pytest"], {}, {}, False),
    (["yichuang", "demo", "--no-serve"], {}, {}, False),
    (["yichuang", "demo", "--port", "8101"], {}, {}, True),
    (["manage.py", "runserver"], {}, {}, False),  # the autoreloader's parent serves nothing
    (["manage.py", "runserver"], {"RUN_MAIN": "true"}, {}, True),
    (["manage.py", "runserver", "--noreload"], {}, {}, True),
    (["/usr/bin/gunicorn", "yichuang.config.wsgi"], {}, {}, True),
    (["python"], {}, {"granian": object()}, True),
    (["yichuang", "migrate"], {"YICHUANG_JIEBA_WARM": "1"}, {}, True),
    (["/usr/bin/gunicorn"], {"YICHUANG_JIEBA_WARM": "0"}, {}, False),
])
def test_which_processes_load_the_word_splitter_at_start_up(argv, environ, modules, want):
    assert serving_process(argv, environ, modules) is want
