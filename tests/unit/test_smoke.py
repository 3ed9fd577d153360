import pytest


@pytest.mark.django_db
def test_home_and_api_docs(client):
    assert client.get("/").status_code == 200
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200 and r.json()["info"]["title"].startswith("一窗")
    assert client.get("/api/v1/docs").status_code == 200


@pytest.mark.django_db
def test_english_switch(client):
    r = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert r.status_code == 302
