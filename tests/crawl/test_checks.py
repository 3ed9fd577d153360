"""The crawl's page rules catch what they are meant to catch (and leave Chinese pages with codes alone)."""

from tests.crawl.checks import enum_codes, problems


def page(body: str) -> str:
    return f"<html><head><title>办事指南</title><style>.x{{content:'None'}}</style></head><body>{body}</body></html>"


def test_a_clean_chinese_page_passes():
    assert problems(page("<h1>食品经营许可</h1><p>承诺时限 5 个工作日 · 一窗 Yichuang</p>"
                         "<form class='langswitch'><button>English</button></form>"
                         "<code>GET /api/v1/catalog/matters</code><a href='/matters/?q=None'>搜索</a>")) == []


def test_empty_words_in_visible_text_are_caught_but_not_in_scripts_or_attributes():
    assert problems(page("<td>None</td>"))
    assert problems(page("<td>窗口 null</td>"))
    assert problems(page("<span>undefined</span>"))
    assert problems(page("<span>NaN 分钟</span>"))
    assert problems(page("<span>[object Object]</span>"))
    assert problems(page("<input name='x' value='None'>"))
    assert not problems(page("<script>let x = null;</script><div data-x='None'></div><input type=hidden value=None>"))


def test_raw_codes_are_caught_as_whole_words():
    assert {"accepted", "needs_supplement", "approver", "tolerant"} <= enum_codes()
    assert problems(page("<td>状态：needs_supplement</td>"))
    assert problems(page("<td>accepted</td>"))
    assert not problems(page("<td>已受理</td><a href='/cases/?state=accepted'>已受理</a>"))


def test_english_sentences_in_a_chinese_page_are_caught_outside_code_and_the_switch():
    assert problems(page("<p>Case not found here</p>"))
    assert not problems(page("<p lang='en'>Case not found here</p>"))
    assert not problems(page("<pre>curl -H Authorization here</pre>"))
    assert not problems(page("<p>PDF 下载 · API 文档</p>"))
    assert not problems(page("<p>Case not found here</p>"), chinese=False)


def test_a_bilingual_error_box_on_a_chinese_page_is_english_in_a_chinese_page():
    assert problems(page("<p class='error-message'>请填写企业名称。</p>"
                         "<p class='error-message-en'>Enter the company name please</p>"))


def test_code_being_edited_is_not_words():
    assert not problems(page("<textarea translate='no'># Before the reform each window\\nclerk: 3</textarea>"))
    assert problems(page("<textarea># Before the reform each window</textarea>"))


def test_the_page_language_decides():
    english = "<html lang='en'><body><p>Take a number for a matter</p></body></html>"
    assert problems(english) == []
    assert problems(english.replace("lang='en'", "lang='zh-CN'"))
