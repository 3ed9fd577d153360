"""Catalogue workbook import/export (实施清单 Excel)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from yichuang.accounts.models import Department
from yichuang.accounts.services import centre_create, department_create
from yichuang.catalog.excel import catalog_export_workbook, catalog_import_workbook
from yichuang.catalog.models import LicenceType, MaterialRequirement, Matter, MatterVersion, Situation, WindowDomain
from yichuang.catalog.services import domain_save, licence_type_save, matter_save, matter_snapshot
from yichuang.cli import main as cli_main
from yichuang.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db

MATTER_HEAD = ["事项名称", "实施编码", "基本编码", "实施主体", "窗口领域", "事项类型", "法定办结时限（工作日）",
               "承诺时限", "办件类型", "是否收费", "到现场次数", "受理条件", "设定依据"]
SIT_HEAD = ["实施编码", "情形编码", "问题", "选项"]
MAT_HEAD = ["实施编码", "材料编码", "材料名称", "必要性", "原件/复印件", "份数", "载体", "来源", "电子证照类型",
            "适用情形"]


@pytest.fixture
def setup_refs():
    centre = centre_create(code="330106", name="西湖区政务服务中心", level="county")
    dept = department_create(code="SCJG", name="区市场监管局", centre=centre, short_name="市场监管")
    department_create(code="MZ", name="区民政局", centre=centre)
    domain_save(code="enterprise", name="企业事务", ticket_prefix="E")
    domain_save(code="social", name="社会事务", ticket_prefix="S", order=1)
    licence_type_save(code="yyzz", name="营业执照", issuing_department=dept, validity_years=None)
    licence_type_save(code="sfz", name="居民身份证")
    return centre


@pytest.fixture
def keep_db_connection(monkeypatch):
    """BaseCommand.run_from_argv closes all connections when it ends; keep the test's transaction open."""
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)


def _book(path, sheets: dict[str, list[list]]):
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def _matter_row(name, code, dept="SCJG", legal=20, promised=5, mtype="行政许可", kind="承诺件"):
    return [name, code, "B-" + code, dept, "enterprise", mtype, legal, promised, kind, "否", 1, "无", "《条例》"]


def _bad_workbook(tmp_path):
    return _book(tmp_path / "bad.xlsx", {
        "事项": [
            MATTER_HEAD + ["备用列"],
            _matter_row("食品经营许可", "M1"),                       # row 2: ok
            _matter_row("个体工商户登记", "M2", legal=0, promised=0, kind="即办件"),  # row 3: ok
            _matter_row("承诺超限", "M3", legal=5, promised=10),      # row 4: promised > legal
            _matter_row("未知部门", "M4", dept="NOPE"),               # row 5: unknown department
            _matter_row("重复编码", "M1"),                            # row 6: duplicate code
            _matter_row("", "M5"),                                   # row 7: empty name
            _matter_row("坏类型", "M6", mtype="行政审批"),             # row 8: bad choice
            _matter_row("材料有误", "M7"),                            # row 9: ok itself, but a bad material
        ],
        "情形": [
            SIT_HEAD,
            ["M1", "apply_type", "申请类型", "first=首次申请;change=变更"],
        ],
        "材料": [
            MAT_HEAD,
            ["M1", "C1", "营业执照", "必要", "复印件", 1, "纸质", "电子证照", "yyzz", ""],
            ["M1", "C2", "变更申请书", "必要", "原件", 2, "纸质或电子", "申请人自备", "", "apply_type=change"],
            ["M9", "X1", "孤儿材料", "必要", "原件", 1, "纸质", "申请人自备", "", ""],         # row 4: unknown matter
            ["M7", "D1", "", "必要", "原件", 1, "纸质", "申请人自备", "", ""],                # row 5: empty name
            ["M7", "D2", "身份证", "必须", "原件", 1, "纸质", "申请人自备", "", ""],           # row 6: bad choice
            ["M2", "E1", "身份证", "必要", "原件", 1, "纸质", "申请人自备", "sfz", ""],
        ],
    })


def test_bad_rows_reported_valid_rows_imported(setup_refs, tmp_path):
    report = catalog_import_workbook(path_or_file=_bad_workbook(tmp_path))
    assert not report.ok
    assert set(Matter.objects.values_list("implementation_code", flat=True)) == {"M1", "M2"}
    assert report.created == 2
    m1 = Matter.objects.get(implementation_code="M1")
    assert m1.name == "食品经营许可" and m1.legal_limit_days == 20 and m1.charges is False
    assert [s.code for s in m1.situations.all()] == ["apply_type"]
    assert m1.situations.get().options == [{"code": "first", "label": "首次申请"}, {"code": "change", "label": "变更"}]
    c1, c2 = m1.materials.order_by("order")
    assert (c1.form, c1.source, c1.licence_type.code) == ("copy", "licence", "yyzz")
    assert c2.applies_when == {"apply_type": ["change"]} and c2.copies == 2
    assert Matter.objects.get(implementation_code="M2").handling_kind == "immediate"
    assert not Matter.objects.filter(implementation_code="M7").exists()  # its materials were bad: nothing written
    assert MaterialRequirement.objects.filter(code__in=["X1", "D1", "D2"]).count() == 0

    errs = {(e.sheet, e.row): e for e in report.errors}
    assert set(errs) == {("事项", 4), ("事项", 5), ("事项", 6), ("事项", 7), ("事项", 8), ("事项", 9),
                         ("材料", 4), ("材料", 5), ("材料", 6)}
    assert errs[("事项", 9)].message == "事项“M7”的情形或材料行有误，本事项未导入。"
    assert "不得超过法定办结时限" in errs[("事项", 4)].message and errs[("事项", 4)].column == "承诺办结时限"
    assert "未知部门" in errs[("事项", 5)].message and errs[("事项", 5)].column == "实施主体"
    assert "与第2行重复" in errs[("事项", 6)].message
    assert errs[("事项", 7)].message == "事项名称不能为空。"
    assert "事项类型“行政审批”无效" in errs[("事项", 8)].message
    assert "材料所属事项不存在" in errs[("材料", 4)].message
    assert str(errs[("材料", 5)]) == "[材料] 第5行 材料名称: 材料名称不能为空。"
    assert "必要性“必须”无效" in errs[("材料", 6)].message
    assert report.warnings == ["[事项] 未识别的列“备用列”，已忽略。"]
    assert "导入 2 个事项" in report.summary() and "失败 9 行" in report.summary()
    assert [(e.sheet, e.row) for e in report.errors][:2] == [("事项", 4), ("事项", 5)]  # sorted by sheet, row


def test_command_exit_status_and_output(setup_refs, tmp_path, capsys):
    path = _bad_workbook(tmp_path)
    with pytest.raises(SystemExit) as exc:
        call_command("import_catalog", str(path))
    assert exc.value.code == 1
    out, err = capsys.readouterr()
    assert "导入 2 个事项" in out and "未识别的列“备用列”" in out
    assert "[材料] 第5行 材料名称: 材料名称不能为空。" in err
    assert "[事项] 第4行 承诺办结时限:" in err


def test_cli_hyphenated_command_exit_codes(setup_refs, tmp_path, keep_db_connection):
    good = _book(tmp_path / "good.xlsx", {"事项": [MATTER_HEAD, _matter_row("食品经营许可", "M1")]})
    with pytest.raises(SystemExit) as exc:
        cli_main(["yichuang", "import-catalog", str(_bad_workbook(tmp_path))])
    assert exc.value.code == 1
    cli_main(["yichuang", "import-catalog", str(good)])  # success: returns normally
    assert Matter.objects.filter(implementation_code="M1").exists()


def test_dry_run_writes_nothing(setup_refs, tmp_path, capsys):
    before = MatterVersion.objects.count()
    report = catalog_import_workbook(path_or_file=_bad_workbook(tmp_path), dry_run=True)
    assert report.created == 2 and len(report.errors) == 9 and "试运行" in report.summary()
    assert Matter.objects.count() == 0 and MatterVersion.objects.count() == before
    with pytest.raises(SystemExit):
        call_command("import_catalog", str(_bad_workbook(tmp_path)), "--dry-run")
    assert Matter.objects.count() == 0


def test_update_by_code_creates_new_version(setup_refs, tmp_path):
    matter_save(spec={"implementation_code": "M1", "name": "旧名称", "department": "SCJG", "domain": "enterprise",
                      "matter_type": "licensing", "legal_limit_days": 20, "promised_limit_days": 10},
                materials=[{"code": "OLD", "name": "旧材料"}])
    m = Matter.objects.get(implementation_code="M1")
    assert m.versions.count() == 1
    report = catalog_import_workbook(path_or_file=_book(tmp_path / "u.xlsx", {
        "事项": [MATTER_HEAD, _matter_row("食品经营许可", "M1")],
        "材料": [MAT_HEAD, ["M1", "N1", "新材料", "非必要", "原件", 1, "电子", "申请人自备", "", ""]],
    }))
    assert report.ok and report.updated == 1 and report.created == 0
    m.refresh_from_db()
    assert m.name == "食品经营许可" and m.promised_limit_days == 5
    assert list(m.materials.values_list("code", "necessity")) == [("N1", "optional")]
    assert m.versions.count() == 2 and m.versions.first().snapshot["name"] == "食品经营许可"


def test_child_rows_for_matter_only_in_database(setup_refs, tmp_path):
    matter_save(spec={"implementation_code": "DB1", "name": "库中事项", "department": "MZ", "domain": "social",
                      "matter_type": "payment", "legal_limit_days": 10, "promised_limit_days": 5},
                situations=[{"code": "who", "question": "谁来办", "options": [
                    {"code": "self", "label": "本人"}, {"code": "agent", "label": "代办"}]}])
    report = catalog_import_workbook(path_or_file=_book(tmp_path / "c.xlsx", {
        "材料": [MAT_HEAD, ["DB1", "A1", "委托书", "必要", "原件", 1, "纸质", "申请人自备", "", "who=agent"]],
    }))
    assert report.ok, report.lines()
    m = Matter.objects.get(implementation_code="DB1")
    assert [s.code for s in m.situations.all()] == ["who"]  # situations sheet absent: kept
    assert m.materials.get().applies_when == {"who": ["agent"]}


def test_self_contained_workbook_creates_refs(tmp_path):
    centre_create(code="330106", name="西湖区政务服务中心", level="county")
    report = catalog_import_workbook(path_or_file=_book(tmp_path / "s.xlsx", {
        "部门": [["部门编码", "部门名称", "简称"], ["SCJG", "区市场监管局", "市场监管"]],
        "领域": [["编码", "名称", "号码前缀"], ["enterprise", "企业事务", "E"]],
        "证照类型": [["编码", "名称", "发证部门", "有效期（年）"], ["yyzz", "营业执照", "SCJG", 5]],
        "事项": [MATTER_HEAD, _matter_row("食品经营许可", "M1")],
    }))
    assert report.ok, report.lines()
    assert report.departments == 1 and report.domains == 1 and report.licence_types == 1
    assert Department.objects.get(code="SCJG").centre.code == "330106"
    assert LicenceType.objects.get(code="yyzz").validity_years == 5
    assert WindowDomain.objects.get(code="enterprise").ticket_prefix == "E"


def _full_catalogue():
    centre = centre_create(code="330106", name="西湖区政务服务中心", level="county")
    dept = department_create(code="SCJG", name="区市场监管局", centre=centre, short_name="市场监管")
    department_create(code="MZ", name="区民政局", centre=centre)
    domain_save(code="enterprise", name="企业事务", ticket_prefix="E")
    domain_save(code="social", name="社会事务", ticket_prefix="S", order=1)
    licence_type_save(code="yyzz", name="营业执照", issuing_department=dept, validity_years=20)
    licence_type_save(code="spjy", name="食品经营许可证")
    sits = [{"code": "apply_type", "question": "申请类型", "options": [
        {"code": "first", "label": "首次申请"}, {"code": "change", "label": "变更"}, {"code": "cancel", "label": "注销"}]},
        {"code": "applicant", "question": "谁来办理", "options": [
            {"code": "self", "label": "本人"}, {"code": "agent", "label": "代办"}]}]
    mats = [
        {"code": "C1", "name": "营业执照", "form": "copy", "source": "licence", "licence_type": "yyzz",
         "issuing_department": "市场监管局", "medium": "electronic", "review_points": "核对经营范围\n核对有效期"},
        {"code": "C2", "name": "授权委托书", "necessity": "tolerant", "copies": 2, "applies_when": {
            "applicant": ["agent"], "apply_type": ["first", "change"]}, "sample_text": "兹委托……",
         "blank_form": "forms/wts.docx", "notes": "=代办时提供"},
    ]
    matter_save(spec={
        "implementation_code": "330106-SCJG-001", "basic_code": "00001", "name": "食品经营许可（新办）",
        "department": "SCJG", "domain": "enterprise", "matter_type": "licensing", "legal_basis": "《食品安全法》第三十五条",
        "acceptance_conditions": "有与经营的食品品种相适应的场所。\n有食品安全管理人员。",
        "legal_limit_days": 20, "promised_limit_days": 5, "handling_kind": "promised", "charges": True,
        "fee_description": "不收费", "fee_basis": "", "visits_required": 0, "handling_levels": ["county", "town"],
        "negative_list": False, "result_kind": "licence", "result_licence_type": "spjy", "result_name": "食品经营许可证",
        "keywords": "开饭店,餐饮,食品", "faq": [{"q": "要多久？", "a": "5个工作日。"}, {"q": "收费吗？", "a": "不收费。"}],
        "process_steps": ["申请", "受理", "审查", "决定", "送达"],
        "form_fields": [{"name": "shop_name", "label": "店名", "type": "text", "required": True}],
        "service_objects": ["legal_person", "person"], "themes": ["business_permit", "company_start"],
        "handling_place": "区政务服务中心二楼企业服务区", "handling_hours": "周一至周五 9:00-17:00",
        "consult_phone": "023-68780101", "complaint_channel": "12345热线\n区市场监管局监督电话 023-68780901",
        "special_procedures": "现场核查，时间不计入办理时限。",
    }, situations=sits, materials=mats)
    matter_save(spec={
        "implementation_code": "330106-MZ-002", "name": "困难群众临时救助", "department": "MZ", "domain": "social",
        "matter_type": "payment", "legal_limit_days": 0, "promised_limit_days": 0, "is_active": False,
        "faq": [{"q": "多行\n问题", "a": "x"}, {"q": "第二问", "a": "多行\n回答"}], "process_steps": ["一步\n两行"],
    }, situations=[], materials=[{"code": "I1", "name": "身份证", "source": "government"}])


def _sheet_values(path):
    wb = load_workbook(path)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def test_export_import_round_trip_is_lossless(tmp_path):
    _full_catalogue()
    first = tmp_path / "first.xlsx"
    counts = catalog_export_workbook(path_or_file=first)
    assert counts["事项"] == 2 and counts["情形"] == 2 and counts["材料"] == 3
    snaps = {m.implementation_code: matter_snapshot(m) for m in Matter.objects.all()}

    # Empty the catalogue (and its reference data, but keep the centre) and import the export back.
    MatterVersion.objects.all().delete()
    Matter.objects.all().delete()
    LicenceType.objects.all().delete()
    WindowDomain.objects.all().delete()
    Department.objects.all().delete()
    assert not Situation.objects.exists()

    report = catalog_import_workbook(path_or_file=first)
    assert report.ok, report.lines()
    assert report.created == 2 and report.departments == 2 and report.domains == 2 and report.licence_types == 2
    assert {m.implementation_code: matter_snapshot(m) for m in Matter.objects.all()} == snaps

    second = io.BytesIO()  # file-like objects work too (uploads)
    catalog_export_workbook(path_or_file=second)
    second.seek(0)
    assert _sheet_values(first) == _sheet_values(second)

    # Re-importing the same workbook changes nothing: no new versions.
    versions = MatterVersion.objects.count()
    second.seek(0)
    report = catalog_import_workbook(path_or_file=second)
    assert report.ok and report.updated == 2 and MatterVersion.objects.count() == versions


def test_export_command(setup_refs, tmp_path, capsys):
    call_command("export_catalog", str(tmp_path / "out.xlsx"))
    assert "已导出" in capsys.readouterr().out
    assert set(load_workbook(tmp_path / "out.xlsx").sheetnames) == {"事项", "情形", "材料", "部门", "领域", "证照类型",
                                                                     "一件事"}


def test_flexible_headers_and_encodings(setup_refs, tmp_path):
    report = catalog_import_workbook(path_or_file=_book(tmp_path / "f.xlsx", {
        "实施清单": [
            [" 名称 ", "实施编码*", "办理部门", "领域", "事项类型", "法定时限", "承诺办结时限（工作日）", "是否收费",
             "可办理层级", "办理流程", "常见问题", "表单字段", "神秘列"],
            ["婚姻登记", "Z1", "区民政局", "社会事务", "public_service", 1, 0, "Y", "区县级、镇街",
             "取号\n受理\n发证", "Q: 要带什么？\nA: 身份证。", '[{"name": "x"}]', "?"],
        ],
    }))
    assert report.ok, report.lines()
    assert report.warnings == ["[事项] 未识别的列“神秘列”，已忽略。"]
    m = Matter.objects.get(implementation_code="Z1")
    assert m.department.code == "MZ" and m.domain.code == "social" and m.charges is True
    assert m.handling_kind == "immediate" and m.handling_levels == ["county", "town"]
    assert m.process_steps == ["取号", "受理", "发证"] and m.faq == [{"q": "要带什么？", "a": "身份证。"}]
    assert m.form_fields == [{"name": "x"}]


def test_bad_cells_and_situations(setup_refs, tmp_path):
    report = catalog_import_workbook(path_or_file=_book(tmp_path / "b.xlsx", {
        "事项": [MATTER_HEAD, _matter_row("甲", "A1"), _matter_row("乙", "A2")],
        "情形": [SIT_HEAD, ["A1", "t", "类型", "first"], ["A2", "t", "类型", "a=甲;b=乙"], ["A2", "t", "又一个", "a=甲;b=乙"]],
        "材料": [MAT_HEAD, ["A2", "M1", "表", "必要", "原件", "两", "纸质", "申请人自备", "", "t=zzz"]],
    }))
    errs = {(e.sheet, e.row): e for e in report.errors}
    assert "编码=标签" in errs[("情形", 2)].message
    assert "与第3行重复" in errs[("情形", 4)].message
    assert errs[("材料", 2)].column == "份数"
    assert not Matter.objects.exists()


def test_not_an_xlsx_is_a_clean_error(tmp_path, capsys, keep_db_connection):
    bad = tmp_path / "catalogue.xlsx"
    bad.write_text("事项名称,实施编码\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as exc:
        catalog_import_workbook(path_or_file=bad)
    assert "无法打开Excel文件" in exc.value.message
    with pytest.raises(SystemExit) as sexc:
        cli_main(["yichuang", "import-catalog", str(bad)])
    assert sexc.value.code == 1
    err = capsys.readouterr().err
    assert "无法打开Excel文件" in err and "Traceback" not in err
    with pytest.raises(SystemExit):
        cli_main(["yichuang", "import-catalog", str(tmp_path / "missing.xlsx")])
    assert "文件不存在" in capsys.readouterr().err


def test_unknown_centre_and_missing_required_column(setup_refs, tmp_path):
    path = _book(tmp_path / "d.xlsx", {"部门": [["部门编码", "部门名称"], ["NEW", "新部门"]]})
    with pytest.raises(ValidationFailed):
        catalog_import_workbook(path_or_file=path, centre="999999")
    report = catalog_import_workbook(path_or_file=path, centre="330106")
    assert report.ok and Department.objects.get(code="NEW").centre.code == "330106"
    report = catalog_import_workbook(path_or_file=_book(tmp_path / "n.xlsx", {"事项": [["事项名称"], ["甲"]]}))
    assert [str(e) for e in report.errors] == ["[事项] 第1行: 缺少必需的列：实施编码。"]


def test_column_of_an_error_comes_from_its_field(setup_refs, tmp_path):
    """A rule checked deep inside matter_save (a form field may not ask a situation's question again) names its
    field; the report puts the error in the column that fills that field, on the matter's row."""
    report = catalog_import_workbook(path_or_file=_book(tmp_path / "f.xlsx", {
        "事项": [MATTER_HEAD + ["表单字段"],
                 _matter_row("甲", "A1") + ['[{"name": "apply_type", "label": "申请类型", "type": "text"}]']],
        "情形": [SIT_HEAD, ["A1", "apply_type", "申请类型", "first=首次申请;change=变更"]],
        "材料": [MAT_HEAD, ["A1", "M1", "表", "必要", "原件", 1, "纸质", "申请人自备", "nope", ""],
                 ["A1", "M2", "表二", "必要", "原件", 1, "纸质", "申请人自备", "", "apply_type=zzz"]],
    }))
    errs = {(e.sheet, e.row): e for e in report.errors}
    assert errs[("材料", 2)].column == "电子证照类型" and errs[("材料", 3)].column == "适用情形"
    assert not Matter.objects.exists()

    report = catalog_import_workbook(path_or_file=_book(tmp_path / "g.xlsx", {
        "事项": [MATTER_HEAD + ["表单字段"],
                 _matter_row("甲", "A1") + ['[{"name": "apply_type", "label": "申请类型", "type": "text"}]']],
        "情形": [SIT_HEAD, ["A1", "apply_type", "申请类型", "first=首次申请;change=变更"]],
    }))
    [err] = report.errors
    assert (err.sheet, err.row, err.column) == ("事项", 2, "表单字段") and "情形中已问过的问题" in err.message
    assert not Matter.objects.exists()


def test_field_names_its_column_and_row():
    from yichuang.catalog.excel.columns import MATERIAL_COLS, MATTER_COLS, field_place, header_for

    assert header_for(MATERIAL_COLS, "materials.3.copies") == "份数" and field_place("materials.3.copies") == (
        "materials", 3)
    assert header_for(MATTER_COLS, "promised_limit_days") == "承诺办结时限" and field_place("name") == ("", None)
    assert header_for(MATTER_COLS, "centre") == ""
