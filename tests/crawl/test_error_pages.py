"""403, 404 and 500 pages are drawn in the site frame, in the page's language, like every other page."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import path

from tests.crawl.checks import problems
from yichuang.accounts.models import User
from yichuang.config import urls as site_urls


def _forbidden(request):
    raise PermissionDenied


def _broken(request):
    raise RuntimeError("boom")


urlpatterns = site_urls.urlpatterns + [path("__forbidden/", _forbidden), path("__broken/", _broken)]
handler403 = site_urls.handler403
handler404 = site_urls.handler404
handler500 = site_urls.handler500

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def _framed(resp) -> str:
    html = resp.content.decode()
    assert 'class="topbar"' in html and 'class="footer"' in html, html[:400]
    return html


def test_a_permission_refusal_uses_the_frame_in_chinese():
    resp = Client().get("/__forbidden/")
    assert resp.status_code == 403
    html = _framed(resp)
    assert "无权访问" in html and "Forbidden" not in html
    assert problems(html) == []


def test_an_unknown_page_uses_the_frame():
    resp = Client().get("/no/such/page/")
    assert resp.status_code == 404
    html = _framed(resp)
    assert "页面不存在" in html and "Not Found" not in html
    assert problems(html) == []


def test_a_server_error_uses_the_frame():
    resp = Client(raise_request_exception=False).get("/__broken/")
    assert resp.status_code == 500
    html = _framed(resp)
    assert "系统暂时出错" in html and problems(html) == []


def test_the_error_page_speaks_english_on_an_english_page():
    c = Client()
    c.cookies["django_language"] = "en"
    resp = c.get("/no/such/page/")
    assert resp.status_code == 404 and "Page not found" in resp.content.decode()


def test_a_form_without_its_csrf_token_gets_the_framed_page():
    c = Client(enforce_csrf_checks=True)
    resp = c.post("/accounts/login/", {"username": "x", "password": "y"})
    assert resp.status_code == 403
    assert "表单已过期" in _framed(resp)


def test_the_simulator_refusal_is_a_framed_chinese_page(django_user_model):
    clerk = User.objects.create_user(username="c1", password="pw-123456-x", role="clerk")
    c = Client()
    c.force_login(clerk)
    resp = c.get("/sim/")
    assert resp.status_code == 403
    html = _framed(resp)
    assert "只有管理员和效能监察可以使用大厅仿真" in html and problems(html) == []


def test_the_frame_shows_the_role_in_one_language():
    clerk = User.objects.create_user(username="c2", password="pw-123456-x", role="clerk")
    c = Client()
    c.force_login(clerk)
    html = c.get("/").content.decode()
    assert "综窗受理员" in html and "Window clerk" not in html
    c.cookies["django_language"] = "en"
    html = c.get("/").content.decode()
    assert "Window clerk" in html and "综窗受理员" not in html


def test_an_unknown_api_address_answers_json():
    resp = Client().get("/api/v1/no-such-route")
    assert resp.status_code == 404
    body = resp.json()
    assert body["code"] == "not_found" and body["message"] and body["message_en"]
