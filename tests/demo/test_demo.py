import io

import pytest
from django.core.management import call_command
from django.db.models import Count, F

from yichuang.accounts.models import Department, User
from yichuang.catalog.models import Matter, MatterVersion
from yichuang.core.validators import validate_id_number
from yichuang.demo import org

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _run(*extra: str) -> str:
    out = io.StringIO()
    call_command("demo", "--no-serve", "--skip-migrate", *extra, stdout=out)
    return out.getvalue()


def test_demo_loads_a_realistic_centre():
    output = _run()
    assert Department.objects.count() >= 10
    assert Matter.objects.count() >= 60
    assert not Matter.objects.annotate(n=Count("materials")).filter(n=0).exists()
    assert Matter.objects.annotate(n=Count("situations")).filter(n__gte=1).count() >= 20
    assert not Matter.objects.filter(promised_limit_days__gt=F("legal_limit_days")).exists()
    assert not Matter.objects.filter(versions__isnull=True).exists()
    assert Matter.objects.filter(negative_list=True).exists()
    assert Matter.objects.filter(handling_kind="immediate").exists()
    assert Matter.objects.filter(visits_required=0).exists()
    food = Matter.objects.get(name="食品经营许可")
    assert food.result_licence_type.name == "食品经营许可证"
    assert food.faq and food.form_fields and "开饭店" in food.keywords
    assert food.materials.filter(necessity="tolerant").exists()
    assert food.materials.filter(licence_type__name="营业执照").exists()
    assert Matter.objects.get(name="居民身份证换领").charges
    for username, *_rest in org.USERS:
        assert username in output
    assert "yichuang-demo" in output and "/api/v1/docs" in output


def test_demo_users_one_per_role_with_valid_ids():
    _run()
    users = {u.username: u for u in User.objects.all()}
    assert {u.role for u in users.values()} == {"admin", "clerk", "approver", "issuer", "supervisor", "guide",
                                                 "applicant"}
    for user in users.values():
        assert validate_id_number(user.id_number) == user.id_number
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert users["approver_scj"].department.short_name == "区市场监管局"
    assert users["approver_scj"].post == "A" and users["approver_scj_b"].post == "B"
    assert users["clerk"].check_password(org.DEMO_PASSWORD)


def test_demo_is_idempotent():
    _run()
    counts = (Matter.objects.count(), MatterVersion.objects.count(), User.objects.count(), Department.objects.count())
    _run()
    assert (Matter.objects.count(), MatterVersion.objects.count(), User.objects.count(),
            Department.objects.count()) == counts


def test_demo_reset_refuses_non_sqlite(settings):
    from django.core.management.base import CommandError

    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        pytest.skip("reset is allowed on SQLite; not exercised on the test database")
    with pytest.raises(CommandError):
        _run("--reset")


def test_admin_pages_for_accounts(client):
    _run()
    client.force_login(User.objects.get(username="admin"))
    for path in ["/admin/accounts/user/", "/admin/accounts/centre/", "/admin/accounts/department/",
                 "/admin/accounts/apitoken/", "/admin/accounts/user/?role__exact=approver"]:
        assert client.get(path).status_code == 200, path


def test_admin_user_change_page(client):
    _run()
    client.force_login(User.objects.get(username="admin"))
    clerk = User.objects.get(username="clerk")
    assert client.get(f"/admin/accounts/user/{clerk.pk}/change/").status_code == 200
    assert client.get("/admin/accounts/user/add/").status_code == 200


def test_demo_with_migrate_is_harmless_on_a_migrated_database():
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    assert Matter.objects.count() >= 60


def test_demo_library_holds_licences_that_exempt_materials():
    from yichuang.licences.models import ELicence
    from yichuang.licences.selectors import licence_types_held

    _run()
    _run()  # idempotent: no second copy
    company = org.make_credit_code(org.DEMO_COMPANY[1])
    assert ELicence.objects.filter(holder_identifier=company).count() == 1
    assert licence_types_held(identifier=company) == {"YYZZ"}
    assert licence_types_held(identifier=org.make_id_number("50010719910315012")) == {"JMSFZ"}
