"""Issue 21, finding 15: every privileged change made in the Django admin (users, superuser flag, 失信 flags, any
model, bulk deletes too) and every sign-in, sign-out and failed sign-in is in the audit chain, which still verifies."""

from __future__ import annotations

import lxml.html
import pytest
from django.test import Client

from yichuang.accounts.constants import Role
from yichuang.accounts.models import User
from yichuang.audit.models import AuditEvent
from yichuang.audit.services import audit_verify
from yichuang.cases.models import ApplicantCredit

pytestmark = pytest.mark.django_db
PASSWORD = "secret-pass-1"


@pytest.fixture
def root():
    return User.objects.create_superuser(username="root", password=PASSWORD, role=Role.ADMIN)


@pytest.fixture
def admin_client(root):
    c = Client()
    c.force_login(root)
    return c


def _post_change_form(client, url: str, **changes):
    """Submit an admin change form as the browser would, with some fields changed."""
    page = client.get(url)
    assert page.status_code == 200
    form = next(f for f in lxml.html.fromstring(page.content.decode()).forms if f.get("id", "").endswith("_form"))
    data = dict(form.form_values())
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    data["_save"] = "保存"
    return client.post(url, data)


def test_login_logout_and_failed_login_are_audited(root):
    c = Client()
    assert c.post("/accounts/login/", {"username": "root", "password": "wrong"}).status_code in (200, 400, 403, 429)
    assert AuditEvent.objects.filter(action="auth.login_failed", object_id="root").exists()
    assert not AuditEvent.objects.filter(after__icontains="wrong").exists()  # never the password tried
    assert c.login(username="root", password=PASSWORD)
    assert AuditEvent.objects.filter(action="auth.login", actor_id=root.pk).exists()
    c.post("/accounts/logout/")
    assert AuditEvent.objects.filter(action="auth.logout", actor_id=root.pk).exists()
    assert audit_verify()[0]


def test_superuser_flag_set_in_the_admin_is_audited_with_before_and_after(admin_client, root):
    u = User.objects.create_user(username="clerk9", password=PASSWORD, role=Role.CLERK)
    resp = _post_change_form(admin_client, f"/admin/accounts/user/{u.pk}/change/", is_superuser="on")
    assert resp.status_code == 302, resp.content[:2000]
    u.refresh_from_db()
    assert u.is_superuser
    ev = AuditEvent.objects.get(action="admin.change", object_type="accounts.user", object_id=str(u.pk))
    assert ev.actor_id == root.pk
    assert ev.before["is_superuser"] is False and ev.after["values"]["is_superuser"] is True
    assert ev.after["values"].get("password") in (None, "***")
    assert audit_verify()[0]


def test_credit_flag_edits_and_bulk_deletes_in_the_admin_are_audited(admin_client):
    a = ApplicantCredit.objects.create(identifier="91500000MA5U000001", bad_credit=True, reason="虚假材料")
    b = ApplicantCredit.objects.create(identifier="91500000MA5U000002", bad_credit=True, reason="虚假材料")
    resp = _post_change_form(admin_client, f"/admin/cases/applicantcredit/{a.pk}/change/", bad_credit=None)
    assert resp.status_code == 302
    ev = AuditEvent.objects.get(action="admin.change", object_type="cases.applicantcredit", object_id=str(a.pk))
    assert ev.before == {"bad_credit": True, "updated_at": ev.before["updated_at"]}
    assert ev.after["values"]["bad_credit"] is False
    resp = admin_client.post("/admin/cases/applicantcredit/", {
        "action": "delete_selected", "_selected_action": [a.pk, b.pk], "post": "yes"})
    assert resp.status_code == 302 and not ApplicantCredit.objects.exists()
    deleted = set(AuditEvent.objects.filter(action="admin.delete").values_list("object_id", flat=True))
    assert deleted == {str(a.pk), str(b.pk)}
    assert audit_verify()[0]


def test_every_registered_admin_is_audited():
    from django.contrib import admin

    from yichuang.audit.admin_site import AuditedModelAdmin

    assert admin.site._registry
    assert all(isinstance(ma, AuditedModelAdmin) for ma in admin.site._registry.values())
