"""ID and phone numbers typed into a bundle's union form were stored in plaintext on the bundle case and its items:
encrypt them under the current key, as a case's form (issue 21, finding 1). The sub-cases are cases (cases 0007)."""

from django.db import migrations

from yichuang.bundles import union
from yichuang.cases.forms import form_encrypt_legacy, form_pii_fields
from yichuang.core import crypto


def _snapshot(pitem) -> dict:
    if pitem.case_id:
        return pitem.case.matter_version.snapshot or {}
    version = pitem.item.matter.versions.order_by("-number").first()
    return version.snapshot if version else {}


def _rows(apps, schema_editor):
    """(queryset of one row, its form fields, its form) for every bundle case and bundle case item."""
    BundleCase = apps.get_model("bundles", "BundleCase")
    BundleCaseItem = apps.get_model("bundles", "BundleCaseItem")
    db = schema_editor.connection.alias
    for parent in BundleCase.objects.using(db).select_related("bundle").iterator(chunk_size=200):
        pitems = list(BundleCaseItem.objects.using(db).filter(parent_id=parent.pk)
                      .select_related("item__matter", "case__matter_version").order_by("order", "id"))
        items = []
        for p in pitems:
            snapshot = _snapshot(p)
            items.append({"key": p.key, "name": p.item.matter.name, "field_map": dict(p.item.field_map or {}),
                          "produces": dict(p.item.produces or {}), "requires": list(p.item.requires or []),
                          "snapshot": snapshot})
            yield BundleCaseItem.objects.using(db).filter(pk=p.pk), snapshot.get("form_fields"), p.form_data
        defn = {"fields": list(parent.bundle.fields or []), "items": items}
        yield BundleCase.objects.using(db).filter(pk=parent.pk), union.asked_fields(defn), parent.form_data


def encrypt_existing(apps, schema_editor):
    for row, fields, data in list(_rows(apps, schema_editor)):
        data, changed = form_encrypt_legacy(fields, data)
        if changed:
            row.update(form_data=data)


def decrypt_existing(apps, schema_editor):
    for row, fields, data in list(_rows(apps, schema_editor)):
        plain = dict(data or {})
        for code, spec in form_pii_fields(fields).items():
            if isinstance(plain.get(code), str):
                plain[code] = crypto.decrypt(plain[code], kind=spec["type"])  # raises rather than lose a number
        if plain != (data or {}):
            row.update(form_data=plain)


class Migration(migrations.Migration):

    dependencies = [
        ("bundles", "0002_bundlecase_filed_by"),
        ("cases", "0007_encrypt_form_numbers"),
    ]

    operations = [
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]
