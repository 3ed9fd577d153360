from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yichuang.catalog.search import matter_search_keys
from yichuang.catalog.selectors import matter_search

from .conftest import make_matter


def names(q, **kw):
    return [m.name for m in matter_search(query=q, with_negative_list=True, **kw)]


def test_colloquial_chinese_finds_the_licence(catalogue):
    assert names("开饭店")[0] == "食品经营许可"
    assert names("开餐馆")[0] == "食品经营许可"


def test_id_card_by_chinese_pinyin_and_initials(catalogue):
    for q in ["身份证", "sfz", "shenfenzheng", "shenfen", "SFZ", "shen fen zheng"]:
        found = names(q)
        assert found[:2] and set(found[:2]) <= {"居民身份证换领", "居民身份证首次申领"}, (q, found)


def test_initials_of_the_name(catalogue):
    assert names("bdcdj")[0] == "不动产登记"
    assert names("jmsfzhl")[0] == "居民身份证换领"
    assert names("yyzz")[0] == "企业设立登记"


def test_exact_name_beats_contains(catalogue):
    assert names("食品经营许可")[:2] == ["食品经营许可", "食品经营许可注销"]


def test_inactive_excluded_but_the_negative_list_is_found(catalogue):
    # 负面清单 matters are published: the applicant must learn where to go (issue 19, 10b).
    assert "不动产登记（停用）" not in names("不动产")
    assert names("民用爆炸物品") == ["民用爆炸物品购买许可"]


def test_pickers_of_matters_handled_here_leave_the_negative_list_out(catalogue):
    assert [m.name for m in matter_search(query="民用爆炸物品")] == []
    assert "民用爆炸物品购买许可" not in [m.name for m in matter_search(query="")]


def test_nonsense_finds_nothing(catalogue):
    assert names("qqqqzzzz") == []
    assert names("火星移民") == []


def test_empty_query_browses_the_active_catalogue(catalogue):
    browsed = names("   ")
    assert "食品经营许可" in browsed and "民用爆炸物品购买许可" in browsed and "不动产登记（停用）" not in browsed


def test_word_overlap_when_the_whole_phrase_is_absent(catalogue):
    assert "食品经营许可" in names("餐饮许可办理")


def test_filters(catalogue):
    assert names("身份证", department="SCJ") == []
    assert names("许可", domain="SOC") == ["民用爆炸物品购买许可"]
    assert names("许可", domain="BIZ", department="GA") == []


def test_keys_are_kept_current_on_save(catalogue):
    m = make_matter("SCJ-010", "药品经营许可", keywords="开药店")
    keys = matter_search_keys(m)
    assert "yaopinjingyingxuke" in keys["search_pinyin"] and "kyd" in keys["search_initials"]
    assert names("开药店")[0] == "药品经营许可"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300), st.integers(min_value=1, max_value=50))
def test_search_never_raises_and_respects_limit(catalogue, text, limit):
    assert len(matter_search(query=text, limit=limit)) <= limit
