import pytest


@pytest.mark.django_db
def test_progress_form_renders(client):
    r = client.get("/cases/progress/")
    assert r.status_code == 200
    assert "办件进度查询" in r.content.decode()


@pytest.mark.django_db
def test_progress_unknown_case_shows_message(client):
    r = client.get("/cases/progress/", {"number": "NOPE", "code": "1234"})
    assert r.status_code == 200
    assert "未找到办件" in r.content.decode()


def test_progress_found_hides_staff_names(client, world):
    from tests.cases.conftest import accepted_case
    case = accepted_case(world)
    r = client.get("/cases/progress/", {"number": case.number, "code": case.applicant_id_number[-4:]})
    body = r.content.decode()
    assert r.status_code == 200
    assert case.number in body
    assert str(world.approver) not in body


def test_inbox_page_shows_the_department_cases_with_lights(client, world):
    from tests.cases.conftest import accepted_case
    case = accepted_case(world)
    assert client.get("/cases/inbox/").status_code == 302
    client.force_login(world.approver)
    body = client.get("/cases/inbox/").content.decode()
    assert case.number in body and "light-green" in body
    body = client.get("/cases/inbox/", {"light": "red", "state": "bogus", "page": "x"}).content.decode()
    assert case.number not in body and "没有待办件" in body
    client.force_login(world.applicant)
    assert client.get("/cases/inbox/").status_code == 403
