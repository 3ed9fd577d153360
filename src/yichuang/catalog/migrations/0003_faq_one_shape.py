"""常见问题 in one shape, ``[{"q": 问题, "a": 回答}]``, in the live matters and in every frozen version.

Older data (and a template that read ``question``/``answer``) mixed ``{"q","a"}`` with ``{"question","answer"}``
and bare strings. Each item becomes ``{"q", "a"}``: ``question``/``title`` give the question, ``answer``/``text``
the answer, a bare string is a question whose answer is empty (kept, not invented), an item with no question
at all is dropped. A version whose snapshot changes gets its digest recomputed (the digest is the hash of the
snapshot it stands beside)."""

import hashlib
import json

from django.db import migrations


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ("" if value is None else str(value).strip())


def faq_normalise(items) -> list[dict]:
    if not isinstance(items, list):
        return []
    out = []
    for item in items:
        if isinstance(item, dict):
            q = _text(item.get("q") or item.get("question") or item.get("title"))
            a = _text(item.get("a") or item.get("answer") or item.get("text"))
        elif isinstance(item, str):
            q, a = _text(item), ""
        else:
            continue
        if q:
            out.append({"q": q, "a": a})
    return out


def forwards(apps, schema_editor):
    Matter = apps.get_model("catalog", "Matter")
    MatterVersion = apps.get_model("catalog", "MatterVersion")
    for matter in Matter.objects.only("pk", "faq").iterator():
        fixed = faq_normalise(matter.faq)
        if fixed != matter.faq:
            Matter.objects.filter(pk=matter.pk).update(faq=fixed)
    for version in MatterVersion.objects.only("pk", "snapshot").iterator():
        snap = version.snapshot
        if not isinstance(snap, dict) or "faq" not in snap:
            continue
        fixed = faq_normalise(snap["faq"])
        if fixed != snap["faq"]:
            snap = {**snap, "faq": fixed}
            digest = hashlib.sha256(json.dumps(snap, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
            MatterVersion.objects.filter(pk=version.pk).update(snapshot=snap, digest=digest)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_guide_elements_browse_and_files")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
