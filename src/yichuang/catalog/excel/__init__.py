"""Catalogue import/export as an Excel workbook shaped like a 实施清单.

Sheets (titles and headers are matched loosely: spaces, ``*`` markers and bracketed notes such as “（工作日）” are
ignored, and common synonyms are accepted, e.g. 实施主体/办理部门/部门):

* 事项 — one row per matter, keyed by 实施编码 (an existing matter with that code is updated).
* 情形 — 实施编码, 情形编码, 问题, 选项. Options are written ``code=标签`` separated by ``;``,
  e.g. ``first=首次申请;change=变更``. Row order is the display order.
* 材料 — 实施编码, 材料编码, 材料名称, 必要性, 原件/复印件, 份数, 载体, 来源, 电子证照类型 (code),
  出具单位, 适用情形, 示范文本, 空白样表, 审查要点, 备注. 适用情形 is ``情形编码=选项,选项`` joined by ``;``,
  e.g. ``apply_type=first,change;applicant=self``; empty means the material is always required.
* 部门 (optional) — 部门编码, 部门名称, 简称; missing departments are created in the centre given by
  ``--centre`` or else the first centre.
* 领域 (optional) — 编码, 名称, 号码前缀, 排序.
* 证照类型 (optional) — 编码, 名称, 发证部门 (department code), 有效期（年）.
* sheets that apps above the catalogue register (:func:`sheet_register`): the bundles app's 一件事.

The modules: :mod:`.columns` (the columns of each sheet), :mod:`.cells` (reading and writing one cell),
:mod:`.registry` (the sheets), :mod:`.importer` and :mod:`.exporter` (the workbook), :mod:`.matters` and
:mod:`.references` (the catalogue's own sheets), :mod:`.sheets` (their registration).

Entry points: :func:`catalog_import_workbook` and :func:`catalog_export_workbook` (the ``yichuang
import-catalog`` / ``export-catalog`` commands and ``POST /api/v1/catalog/import``).
"""

from . import sheets as _sheets  # noqa: F401 - registers the catalogue's own sheets
from .cells import BLANK, CellError, format_cell, parse_cell
from .columns import Col, field_place, header_for
from .exporter import catalog_export_workbook
from .importer import catalog_import_workbook
from .registry import ImportRun, Sheet, registered_sheets, sheet_register
from .report import ImportReport, Row, RowError

__all__ = ["BLANK", "CellError", "Col", "ImportReport", "ImportRun", "Row", "RowError", "Sheet",
           "catalog_export_workbook", "catalog_import_workbook", "field_place", "format_cell", "header_for",
           "parse_cell", "registered_sheets", "sheet_register"]
