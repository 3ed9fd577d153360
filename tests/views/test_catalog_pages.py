import pytest

from tests.catalog.conftest import catalogue  # noqa: F401  (fixture)

pytestmark = pytest.mark.usefixtures("catalogue")


def test_search_page(client):
    html = client.get("/matters/", {"q": "开饭店"}).content.decode()
    assert "食品经营许可" in html and "/matters/SCJ-001/" in html
    assert "没有找到" in client.get("/matters/", {"q": "火星移民"}).content.decode()


def test_guide_page_and_checklist_fragment(client):
    html = client.get("/matters/SCJ-001/").content.decode()
    assert "一次性告知" in html and "申请类型" in html and "法定办结时限" in html
    frag = client.get("/matters/SCJ-001/checklist/", {"sit_apply_type": "change", "sit_agent": "agent"}).content.decode()
    assert "授权委托书" in frag and "食品经营许可证正副本" in frag
    frag = client.get("/matters/SCJ-001/checklist/", {"sit_apply_type": "first", "sit_agent": "self"}).content.decode()
    assert "授权委托书" not in frag


def test_print_page(client):
    html = client.get("/matters/SCJ-001/checklist/print/", {"sit_apply_type": "change"}).content.decode()
    assert "一次性告知书" in html and "变更" in html and "九龙坡区政务服务中心" in html


def test_bad_answer_shows_message_not_500(client):
    r = client.get("/matters/SCJ-001/", {"sit_apply_type": "bogus"})
    assert r.status_code == 400
    assert "没有选项" in r.content.decode()


def test_unknown_matter_404(client):
    assert client.get("/matters/NOPE/").status_code == 404


def test_english_switch(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/matters/SCJ-001/").content.decode()
    assert "Legal time limit" in html and "Service guide" in html and "食品经营许可" in html
