"""One questionnaire, one union form, one checklist for a bundle — pure functions over a definition.

A definition is ``{"code", "name", "fields": [{"code", "label"}…], "items": [{"key", "name", "matter_code",
"department", "requires", "field_map", "material_map", "produces", "snapshot", "result_licence_type"}…]}``
(``selectors.bundle_definition`` builds it from the database, from each matter's current version).

Rules:
* A shared field (``field_map``: shared code → the matter's own field code) is asked once, whatever the number of
  matters that use it. A field a prerequisite produces (``produces``, e.g. 统一社会信用代码 from 设立登记) is not
  asked at all: it is filled in when the prerequisite is approved.
* A matter's own fields that no shared field covers are asked in that matter's section, named ``<key>.<code>``.
* A situation question that several matters ask alike (same code, same options) is asked once.
* Materials are merged by key: the ``material_map`` key when given, else the e-licence type (证照类型: one ID card
  serves every matter), else the material is the matter's own. A material whose e-licence type a prerequisite
  issues (营业执照 after 设立登记) is not asked for: the result is shared.
"""

from __future__ import annotations

from typing import Any

from yichuang.catalog.checklist import checklist_build

from .dag import ancestors

NECESSITY_RANK = {"optional": 0, "tolerant": 1, "required": 2}


def _fcode(spec: dict) -> str:
    return str(spec.get("code") or spec.get("name") or "").strip()


def _requires(defn: dict) -> dict[str, list[str]]:
    return {it["key"]: list(it.get("requires") or []) for it in defn["items"]}


def produced_by(defn: dict) -> dict[str, str]:
    """shared field code → key of the item that produces it."""
    out: dict[str, str] = {}
    for it in defn["items"]:
        for code in (it.get("produces") or {}):
            out.setdefault(code, it["key"])
    return out


def shared_fields(defn: dict) -> list[dict[str, Any]]:
    labels = {f["code"]: f.get("label") for f in defn.get("fields") or []}
    producers = produced_by(defn)
    out: dict[str, dict[str, Any]] = {}
    for it in defn["items"]:
        specs = {_fcode(f): f for f in it["snapshot"].get("form_fields") or []}
        for shared, own in (it.get("field_map") or {}).items():
            spec = specs.get(own, {})
            entry = out.get(shared)
            if entry is None:
                entry = out[shared] = {
                    "code": shared, "label": labels.get(shared) or (it.get("produces") or {}).get(shared)
                    or spec.get("label") or shared, "type": spec.get("type") or "text", "required": False,
                    "options": spec.get("options") or [], "used_by": [], "produced_by": producers.get(shared)}
            entry["used_by"].append(it["key"])
            entry["required"] = entry["required"] or bool(spec.get("required"))
    for it in defn["items"]:
        for shared, label in (it.get("produces") or {}).items():
            out.setdefault(shared, {"code": shared, "label": labels.get(shared) or label, "type": "text",
                                    "required": True, "options": [], "used_by": [], "produced_by": it["key"]})
    return list(out.values())


def asked_fields(defn: dict) -> list[dict[str, Any]]:
    """The union form: shared fields once (not those a prerequisite produces), then each matter's own fields."""
    out = [dict(f, section="") for f in shared_fields(defn) if not f["produced_by"]]
    for it in defn["items"]:
        mapped = set((it.get("field_map") or {}).values())
        for spec in it["snapshot"].get("form_fields") or []:
            code = _fcode(spec)
            if code and code not in mapped:
                out.append({"code": f"{it['key']}.{code}", "label": spec.get("label") or code,
                            "type": spec.get("type") or "text", "required": bool(spec.get("required")),
                            "options": spec.get("options") or [], "used_by": [it["key"]], "produced_by": None,
                            "section": it["name"]})
    return out


def questionnaire(defn: dict) -> list[dict[str, Any]]:
    groups: dict[tuple, dict[str, Any]] = {}
    by_code: dict[str, set] = {}
    for it in defn["items"]:
        for s in it["snapshot"].get("situations") or []:
            sig = (s["code"], tuple((o["code"], o.get("label")) for o in s.get("options") or []))
            by_code.setdefault(s["code"], set()).add(sig)
            g = groups.setdefault(sig, {"code": s["code"], "question": s["question"], "options": s["options"],
                                        "targets": []})
            g["targets"].append([it["key"], s["code"]])
    out = []
    for sig, g in groups.items():
        alike = len(by_code[g["code"]]) == 1
        name = g["code"] if alike else f"{g['targets'][0][0]}.{g['code']}"
        if not alike:
            names = {it["key"]: it["name"] for it in defn["items"]}
            g["question"] = f"{g['question']}（{'、'.join(names[k] for k, _ in g['targets'])}）"
        out.append({**g, "name": name})
    return out


def item_answers(defn: dict, answers: dict[str, str]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {it["key"]: {} for it in defn["items"]}
    for q in questionnaire(defn):
        value = (answers or {}).get(q["name"])
        if value in (None, ""):
            continue
        for key, code in q["targets"]:
            out[key][code] = value
    return out


def unanswered(defn: dict, answers: dict[str, str]) -> list[dict[str, Any]]:
    return [q for q in questionnaire(defn) if not (answers or {}).get(q["name"])]


def shared_licence_types(defn: dict, key: str) -> dict[str, str]:
    """E-licence types that ``key``'s prerequisites issue: licence type code → the prerequisite's name."""
    by_key = {it["key"]: it for it in defn["items"]}
    out = {}
    for pre in ancestors(_requires(defn), key):
        lt = by_key[pre].get("result_licence_type")
        if lt:
            out.setdefault(lt, by_key[pre]["name"])
    return out


def merged_checklist(defn: dict, answers: dict[str, str], held: set[str] | frozenset[str] = frozenset()
                     ) -> list[dict[str, Any]]:
    """One deduplicated checklist. Each entry: key, name, necessity, licence_type, exempt, exempt_reason and
    ``serves``: the [item key, material code] pairs it satisfies."""
    per_item = item_answers(defn, answers)
    merged: dict[str, dict[str, Any]] = {}
    for it in defn["items"]:
        from_pre = shared_licence_types(defn, it["key"])
        checklist = checklist_build(it["snapshot"], per_item[it["key"]], set(held))
        for m in checklist.items:
            key = (it.get("material_map") or {}).get(m.code) or (f"lt:{m.licence_type}" if m.licence_type
                                                                 else f"{it['key']}:{m.code}")
            if m.licence_type and m.licence_type in from_pre:
                key = f"shared:{m.licence_type}"   # the prerequisite's result, never the applicant's paper
            entry = merged.get(key)
            if entry is None:
                entry = merged[key] = {"key": key, "name": m.name, "necessity": m.necessity, "form": m.form,
                                       "copies": m.copies, "licence_type": m.licence_type,
                                       "licence_type_name": m.licence_type_name, "exempt": m.exempt,
                                       "exempt_reason": m.exempt_reason, "serves": [], "matters": []}
            if NECESSITY_RANK.get(m.necessity, 2) > NECESSITY_RANK.get(entry["necessity"], 2):
                entry["necessity"] = m.necessity
            if m.licence_type and m.licence_type in from_pre and not entry["exempt"]:
                entry["exempt"] = True
                entry["exempt_reason"] = f"由“{from_pre[m.licence_type]}”办结后共享，无需提交"
            entry["serves"].append([it["key"], m.code])
            if it["name"] not in entry["matters"]:
                entry["matters"].append(it["name"])
    return list(merged.values())


def item_form_data(item: dict, form: dict[str, Any], produced: dict[str, Any]) -> dict[str, Any]:
    """The matter's own form data from the union form and what prerequisites produced."""
    out: dict[str, Any] = {}
    for shared, own in (item.get("field_map") or {}).items():
        if shared in produced and produced[shared] not in (None, ""):
            out[own] = produced[shared]
        elif shared in form:
            out[own] = form[shared]
    prefix = f"{item['key']}."
    for name, value in form.items():
        if name.startswith(prefix):
            out[name[len(prefix):]] = value
    return out


def fields_for_now(item: dict, defn: dict) -> list[dict]:
    """The matter's field specs as they can be checked at application time: fields that a prerequisite will
    produce are not required yet."""
    later = {own for shared, own in (item.get("field_map") or {}).items() if shared in produced_by(defn)
             and produced_by(defn)[shared] != item["key"]}
    return [dict(f, required=False) if _fcode(f) in later else f for f in item["snapshot"].get("form_fields") or []]
