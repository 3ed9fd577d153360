"""暂存扫描件: the scans of a case form that was refused (a bad ID number, a required field left empty, a material
missing for 收件并流转) are kept for the next try of the same form, so the clerk or the applicant does not pick the
files again (a browser never refills a file input).

A held scan is stored under MEDIA_ROOT/holding/<user id>/ (never served from the web root) and listed in the
user's session under the form's key (the matter, and the ticket for a window). Only that user's session can use
it; a successful submission, a fresh visit to the form or the ``drop_<code>`` box discards it; a scan held
longer than a day is removed the next time anything is held.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.utils import timezone

from .uploads import upload_check

SESSION_KEY = "cases_holding"
MAX_AGE = dt.timedelta(days=1)


def _forms(request) -> dict:
    return request.session.get(SESSION_KEY) or {}


def held(request, form_key: str) -> dict[str, dict]:
    """The scans held for this form: {requirement code: {"name", "path", "size"}}, those still on disk."""
    entries = _forms(request).get(form_key) or {}
    return {code: e for code, e in entries.items() if default_storage.exists(e["path"])}


def held_files(request, form_key: str, *, skip: set[str] = frozenset()) -> dict[str, File]:
    """The held scans as files for the service (except the codes in ``skip``: a new file or a discard wins)."""
    out = {}
    for code, entry in held(request, form_key).items():
        if code in skip:
            continue
        f = default_storage.open(entry["path"], "rb")
        f.name = entry["name"]
        out[code] = f
    return out


def hold(request, form_key: str, files: dict) -> None:
    """Keep ``files`` ({code: uploaded file}, each already checked) for the next try; replaces earlier ones."""
    _sweep(request.user.pk)
    forms = dict(_forms(request))
    entries = dict(forms.get(form_key) or {})
    for code, f in files.items():
        f.seek(0)
        data = f.read()
        content_type, safe_name = upload_check(filename=f.name or "", head=data[:16], size=len(data))
        ext = os.path.splitext(safe_name)[1]
        path = default_storage.save(f"holding/{request.user.pk}/{secrets.token_hex(12)}{ext}", ContentFile(data))
        old = entries.get(code)
        if old and old["path"] != path:
            default_storage.delete(old["path"])
        entries[code] = {"name": f.name or safe_name, "path": path, "size": len(data), "type": content_type}
    forms[form_key] = entries
    request.session[SESSION_KEY] = forms


def discard(request, form_key: str, codes: set[str] | None = None) -> None:
    """Forget the form's held scans (``codes``: only those) and delete them."""
    forms = dict(_forms(request))
    entries = dict(forms.get(form_key) or {})
    for code in list(entries):
        if codes is None or code in codes:
            default_storage.delete(entries.pop(code)["path"])
    if entries:
        forms[form_key] = entries
    else:
        forms.pop(form_key, None)
    if forms != _forms(request):
        request.session[SESSION_KEY] = forms


def _sweep(user_pk) -> None:
    folder = f"holding/{user_pk}"
    try:
        _dirs, names = default_storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return
    cutoff = timezone.now() - MAX_AGE
    for name in names:
        path = f"{folder}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
        except (FileNotFoundError, NotImplementedError):
            continue
