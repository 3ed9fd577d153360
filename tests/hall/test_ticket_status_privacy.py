"""The public ticket status (anonymous, sequential ids) shows what a waiting person needs and nothing that the
progress lookup or the rating endpoint accepts: no case numbers, no ID digits."""

from .test_api import BASE, api_hall, auth, post  # noqa: F401


def test_public_ticket_status_shows_no_case_numbers_or_id_digits(client, api_hall):  # noqa: F811
    h = api_hall
    idn = "110101199003040011"
    from yichuang.core.validators import id_number_check_char

    idn = idn[:17] + id_number_check_char(idn[:17])
    t = post(client, f"{BASE}/tickets", {"centre_id": h.centre.pk, "domain_id": h.a.pk, "id_number": idn}).json()
    w = h.w1.pk
    post(client, f"{BASE}/windows/{w}/call-next", **h.h1)
    post(client, f"{BASE}/windows/{w}/tickets/{t['id']}/cases", {"case_number": "500107-20261202-0001"}, **h.h1)
    for url in (f"{BASE}/tickets/{t['id']}", f"{BASE}/centres/{h.centre.code}/tickets/{t['number']}"):
        body = client.get(url).json()
        text = str(body)
        assert "500107-20261202-0001" not in text and idn[-4:] not in text
        assert "case_numbers" not in body and "id_number" not in body
        assert body["number"] == t["number"] and body["state"] == "called" and body["window"] == "1"
        assert "ahead" in body and "estimated_wait_minutes" in body
