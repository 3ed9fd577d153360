"""ID and phone numbers typed into a case's form (fields of type id_number / phone of the matter version the case
was filed under) were stored in plaintext: encrypt them under the current key (issue 21, finding 1)."""

from django.db import migrations

from yichuang.cases.forms import form_encrypt_legacy, form_pii_fields
from yichuang.core import crypto


def _rows(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    db = schema_editor.connection.alias
    rows = (Case.objects.using(db).exclude(form_data={}).select_related("matter_version")
            .only("id", "form_data", "matter_version__snapshot"))
    for case in rows.iterator(chunk_size=500):
        yield Case.objects.using(db).filter(pk=case.pk), (case.matter_version.snapshot or {}).get("form_fields"), \
            case.form_data


def encrypt_existing(apps, schema_editor):
    for row, fields, data in _rows(apps, schema_editor):
        data, changed = form_encrypt_legacy(fields, data)
        if changed:
            row.update(form_data=data)


def decrypt_existing(apps, schema_editor):
    for row, fields, data in _rows(apps, schema_editor):
        plain = dict(data)
        for code, spec in form_pii_fields(fields).items():
            if isinstance(plain.get(code), str):
                plain[code] = crypto.decrypt(plain[code], kind=spec["type"])  # raises rather than lose a number
        if plain != data:
            row.update(form_data=plain)


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0006_notice_kinds_tolerant_commitment_suspension"),
        ("catalog", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]
