"""The catalogue's own sheets, registered when the package is imported. Workbook order: 事项, 情形, 材料, 部门,
领域, 证照类型 (then sheets other apps register, such as bundles' 一件事 at 70); import order: the reference sheets
first, then the matters with their situations and materials (stage 40), then what refers to matters."""

from __future__ import annotations

from .columns import DEPARTMENT_COLS, DOMAIN_COLS, LICENCE_COLS, MATERIAL_COLS, MATTER_COLS, SITUATION_COLS
from .matters import (SHEET_MATERIALS, SHEET_MATTERS, SHEET_SITUATIONS, export_materials, export_matters,
                      export_situations, import_matters)
from .references import (SHEET_DEPARTMENTS, SHEET_DOMAINS, SHEET_LICENCES, export_departments, export_domains,
                         export_licence_types, import_departments, import_domains, import_licence_types)
from .registry import Sheet, sheet_register

MATTERS_STAGE = 40  # a sheet that refers to matters imports after this stage

for _sheet in (
    Sheet(SHEET_MATTERS, MATTER_COLS, export_matters, import_matters, ("事项清单", "实施清单", "事项表"),
          ("implementation_code",), order=10, stage=MATTERS_STAGE),
    Sheet(SHEET_SITUATIONS, SITUATION_COLS, export_situations, None, ("情形清单", "办理情形"), ("matter", "code"),
          order=20),
    Sheet(SHEET_MATERIALS, MATERIAL_COLS, export_materials, None, ("材料清单", "申请材料"), ("matter",), order=30),
    Sheet(SHEET_DEPARTMENTS, DEPARTMENT_COLS, export_departments, import_departments, ("部门清单", "实施主体"),
          ("code",), order=40, stage=10),
    Sheet(SHEET_DOMAINS, DOMAIN_COLS, export_domains, import_domains, ("窗口领域", "办事领域"), ("code",),
          order=50, stage=20),
    Sheet(SHEET_LICENCES, LICENCE_COLS, export_licence_types, import_licence_types, ("证照", "电子证照类型"),
          ("code",), order=60, stage=30),
):
    sheet_register(_sheet)
