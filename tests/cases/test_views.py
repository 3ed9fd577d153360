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
