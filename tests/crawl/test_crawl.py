"""The front door, for every demo role: a fresh demo centre, every page a role reaches by following links and every
listed page (each matter's guide, each case, notice, licence and bundle), and every documented GET of the API.

Per page: no 5xx; no link on a page leads to a 404; no page shows None/null/undefined/NaN, a raw code where a name
belongs, or (in Chinese) an English sentence outside the language switch (rules in tests/crawl/checks.py).
The counts (pages x roles) are printed and written to var/crawl-report.txt.

Known failures being fixed by others are listed in XFAIL (must be empty at the end of issue 19).
"""

from __future__ import annotations

import collections
import io
import json
import logging
import os
import re
import sys
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

import lxml.html
import pytest
from django.core.management import call_command
from django.core.signals import got_request_exception
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from tests.crawl.checks import problems
from yichuang.demo import org

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "var" / "crawl-report.txt"
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ROLES = ["anonymous"] + [u[0] for u in org.USERS]
MAX_PAGES = int(os.environ.get("YICHUANG_CRAWL_MAX_PAGES", "120"))  # discovered pages per role, beyond the listed
GUIDE_READERS = {"anonymous", "applicant", "clerk", "guide"}
# Roles that see what another role of theirs sees (a second clerk, the B post, other departments' approvers): their
# own department's cases and fewer discovered pages.
PEERS = {"clerk2", "approver_scj_b", "approver_bdc", "approver_swj", "approver_rsj", "approver_gjj", "approver_yh"}
MAX_PEER_PAGES = 60
NOTICE_READERS = {"admin", "clerk", "approver_scj", "applicant"}  # every notice page; the others every 6th
MAX_QUERY_VARIANTS = 3  # the same path with different query strings (filters, pages): a few are enough
MAX_PER_PATTERN = 6  # discovered pages of one shape (digits aside: calendar years, admin change pages)
MAX_ADMIN = 25  # admin pages per role beyond the index
SKIP_PREFIXES = ("/accounts/logout", "/i18n/", "/static/", "/media/", "/api/v1/docs", "/__")
SKIP_SUFFIXES = ("/events",)  # the board's server-sent events stream never ends
# TEMPORARY: known failures other helpers are fixing now (issue 19), as (role or "*", regex on the url, words of
# the problem). Each is listed in /work/coord/crawl_findings.md. This list must be empty when issue 19 closes.
XFAIL: list[tuple[str, str, str]] = []

_results: dict[str, dict] = {}
# A PDF takes seconds to draw: each kind of PDF (its path with the digits taken out) is fetched once for staff and
# once for the applicant, not for every case and role.
_pdf_kinds: set[tuple[bool, str]] = set()


def _is_pdf(path: str) -> bool:
    return path.endswith((".pdf", "/pdf"))


def _pdf_kind(role: str, path: str) -> tuple[bool, str]:
    kind = re.sub(r"[0-9]+", "#", path)
    if path.startswith("/documents/notices/"):  # a notice's kind is its letters: 500107…-SL01.pdf is a 受理通知书
        kind = "notice-" + re.sub(r"[^A-Z]", "", path.rsplit("-", 1)[-1])
    return role == "applicant", kind


@pytest.fixture(autouse=True)
def _quiet_request_log():
    """A 500 is recorded as a finding; its traceback in the log would only drown the report."""
    log = logging.getLogger("django.request")
    level = log.level
    log.setLevel(logging.CRITICAL)
    yield
    log.setLevel(level)


@pytest.fixture(scope="module")
def crawl_media(tmp_path_factory):
    return tmp_path_factory.mktemp("crawl-media")


@pytest.fixture(autouse=True)
def _media_root(settings, crawl_media):
    """The demo's files (空白样表, 示范文本, scans) stay where the demo wrote them for every test of the module
    (tests/conftest.py gives each test a fresh media directory otherwise)."""
    settings.MEDIA_ROOT = crawl_media


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, crawl_media):
    """A fresh demo centre, loaded once for the whole module inside one transaction that is rolled back after."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER, MEDIA_ROOT=crawl_media):
        outer = transaction.atomic()
        outer.__enter__()
        REPORT.with_suffix(".partial.txt").unlink(missing_ok=True)
        try:
            started = time.monotonic()
            call_command("demo", "--no-serve", "--skip-migrate", stdout=io.StringIO())
            data = _demo_data()
            data["load_seconds"] = time.monotonic() - started
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield data
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
    _write_report(data)
    REPORT.with_suffix(".partial.txt").unlink(missing_ok=True)


def _demo_data() -> dict:
    from yichuang.accounts.models import Centre, User
    from yichuang.bundles.models import Bundle, BundleCase
    from yichuang.cases.models import Case, Notice
    from yichuang.cases.selectors import cases_of_applicant
    from yichuang.catalog.models import Matter
    from yichuang.feedback.models import Complaint, Rectification
    from yichuang.hall.models import Ticket
    from yichuang.licences.models import ELicence

    applicant = User.objects.get(username="applicant")
    return {
        "centres": list(Centre.objects.values_list("code", flat=True)),
        "centre_ids": dict(Centre.objects.values_list("code", "id")),
        "matters": list(Matter.objects.order_by("implementation_code").values_list("implementation_code", flat=True)),
        "cases": list(Case.objects.order_by("number").values_list("number", flat=True)),
        "case_departments": list(Case.objects.order_by("number").values_list("number", "department_id")),
        "departments": dict(User.objects.filter(department__isnull=False).values_list("username", "department_id")),
        "own_cases": [c.number for c in cases_of_applicant(user=applicant)],
        "notices": list(Notice.objects.order_by("number").values_list("case__number", "number")),
        "licences": list(ELicence.objects.order_by("number").values_list("number", flat=True)),
        "bundles": list(Bundle.objects.order_by("code").values_list("code", flat=True)),
        "bundle_cases": list(BundleCase.objects.order_by("number").values_list("number", flat=True)),
        "tickets": list(Ticket.objects.order_by("-id").values_list("id", "number", "centre__code")[:3]),
        "complaints": list(Complaint.objects.values_list("number", flat=True)),
        "rectifications": list(Rectification.objects.values_list("pk", flat=True)),
    }


def _seeds(role: str, d: dict) -> list[str]:
    code = org.DEMO_CENTRE_CODE
    urls = ["/", "/matters/", "/calendar/", "/cases/progress/", "/bundles/", "/bundles/progress/",
            "/licences/verify/", "/documents/verify/", f"/hall/kiosk/{code}/", f"/hall/board/{code}/",
            f"/hall/appointments/{code}/", "/accounts/login/"]
    # Every guide for the roles that read guides; a sample (every 8th) for the others, who reach more by links.
    matters = d["matters"] if role in GUIDE_READERS else d["matters"][::8]
    for m in matters:
        urls += [f"/matters/{m}/", f"/matters/{m}/checklist/"]
    urls += [f"/bundles/{b}/apply/" for b in d["bundles"]]
    urls += [f"/hall/tickets/{t[0]}/" for t in d["tickets"]]
    if role == "anonymous":
        return urls
    urls += ["/cases/inbox/", "/cases/receive/", "/cases/apply/", "/cases/mine/", "/hall/console/", "/hall/stats/",
             "/supervision/", "/supervision/inbox/", "/supervision/complaints/", "/supervision/door/",
             "/supervision/kpi/", "/licences/", "/sim/", "/admin/"]
    if role == "applicant":
        cases = d["own_cases"]
        urls += [f"/cases/apply/{m}/" for m in d["matters"]]
    elif role in PEERS:
        dept = d["departments"].get(role)
        cases = [n for n, dep in d["case_departments"] if dept and dep == dept] or d["cases"][::6]
    else:
        cases = d["cases"]
    own = set(cases)
    for number in cases:
        urls += [f"/cases/{number}/", f"/documents/cases/{number}/"]
    notices = [(c, n) for c, n in d["notices"] if c in own]
    urls += [f"/cases/{c}/notices/{n}/" for c, n in (notices if role in NOTICE_READERS else notices[::6])]
    urls += [f"/documents/notices/{n}.pdf" for c, n in d["notices"] if c in own]
    urls += [f"/licences/{n}/" for n in d["licences"]]
    urls += [f"/bundles/cases/{n}/" for n in d["bundle_cases"]]
    urls += [f"/supervision/complaints/{n}/" for n in d["complaints"]]
    urls += [f"/supervision/rectifications/{pk}/" for pk in d["rectifications"]]
    urls += [f"/supervision/rate/case/{n}/" for n in cases[:3]]
    return urls


def _norm(base: str, href: str) -> str | None:
    href = (href or "").strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
        return None
    parts = urlsplit(urljoin("http://testserver" + base, href))
    if parts.scheme not in ("http", "https") or parts.netloc not in ("testserver", ""):
        return None
    path = parts.path or "/"
    if path.startswith(SKIP_PREFIXES) or path.endswith(SKIP_SUFFIXES):
        return None
    return urlunsplit(("", "", path, parts.query, ""))


def _links(url: str, html: bytes) -> list[str]:
    try:
        doc = lxml.html.document_fromstring(html.decode("utf-8", "replace"))
    except Exception:  # noqa: BLE001 - an empty or odd body has no links
        return []
    found = [a.get("href") for a in doc.iter("a")]
    for form in doc.iter("form"):
        if (form.get("method") or "get").lower() == "get":
            found.append(form.get("action") or url.split("?")[0])
    return [u for u in (_norm(url, h) for h in found) if u]


def _get(client: Client, url: str, **extra):
    """One GET in its own savepoint: a view that fails inside the database (a 500) leaves PostgreSQL's transaction
    aborted, which would fail every later page of the crawl; its savepoint is rolled back instead. The exception
    that made a 500 is kept on the response (``crawl_error``) for the report."""
    errors: list[str] = []

    def keep(sender, request=None, **kwargs):
        exc = sys.exc_info()[1]
        errors.append(f"{type(exc).__name__}: {str(exc)[:160]}" if exc else "")

    got_request_exception.connect(keep)
    sid = transaction.savepoint()
    try:
        resp = client.get(url, **extra)
    finally:
        got_request_exception.disconnect(keep)
    if resp.status_code >= 500:
        transaction.savepoint_rollback(sid)
        transaction.set_rollback(False)
    else:
        transaction.savepoint_commit(sid)
    resp.crawl_error = errors[-1] if errors else ""
    return resp


def _known(role: str, url: str, problem: str) -> bool:
    return any((r in ("*", role)) and re.search(pattern, url) and words in problem for r, pattern, words in XFAIL)


def _crawl(role: str, d: dict) -> dict:
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="zh-hans")
    if role != "anonymous":
        assert client.login(username=role, password=org.DEMO_PASSWORD), role
    seeds = _seeds(role, d)
    queue = collections.deque((u, None) for u in seeds)
    seen: set[str] = set(seeds)
    variants: collections.Counter = collections.Counter()
    patterns: collections.Counter = collections.Counter()
    admin_pages = 0
    failures: list[str] = []
    known: list[str] = []
    status = collections.Counter()
    pages = 0
    slow: list[tuple[float, str]] = []
    started = time.monotonic()
    bound = (MAX_PEER_PAGES if role in PEERS else MAX_PAGES) + len(seeds)
    while queue and pages < bound:
        url, referrer = queue.popleft()
        path = url.split("?")[0]
        if _is_pdf(path) and role != "anonymous":
            if _pdf_kind(role, path) in _pdf_kinds:
                continue
            _pdf_kinds.add(_pdf_kind(role, path))
        pages += 1
        t0 = time.monotonic()
        resp = _get(client, url)
        slow.append((time.monotonic() - t0, url))
        if slow[-1][0] > 1 and os.environ.get("YICHUANG_CRAWL_VERBOSE"):
            print(f"  slow {slow[-1][0]:.1f}s {role} {url}", file=sys.stderr, flush=True)
        status[resp.status_code // 100 * 100] += 1
        ctype = resp.get("Content-Type", "")
        found: list[str] = []
        if resp.status_code >= 500:
            found.append(f"HTTP {resp.status_code} {getattr(resp, 'crawl_error', '')}".rstrip())
        elif resp.status_code == 404 and referrer:
            found.append(f"HTTP 404 from a link on {referrer}")
        cache = resp.get("Cache-Control", "")
        if resp.status_code == 200 and "event-stream" not in ctype and "no-store" not in cache and (
                role != "anonymous" or _is_pdf(path) or "code=" in url or "text/html" not in ctype):
            found.append(f"cacheable (Cache-Control: {cache or 'none'}) though it is private")  # issue 21, finding 5
        if resp.status_code in (301, 302, 303, 307, 308):
            target = _norm(url, resp["Location"])
            if target and target not in seen:
                seen.add(target)
                queue.appendleft((target, url))
        if getattr(resp, "streaming", False):
            # A file download (FileResponse). Reading it to the end closes it the test client's way; resp.close()
            # would send request_finished, whose close_old_connections drops PostgreSQL's connection mid-test.
            body = b"" if "event-stream" in ctype else b"".join(resp.streaming_content)
        else:
            body = resp.content
        if "text/html" in ctype and body:
            # Django's admin shows its own translations and the models' bilingual labels: only the empty words.
            found += problems(body, chinese=False if path.startswith("/admin/") else None)
            for link in _links(url, body):
                if link in seen:
                    continue
                path = link.split("?")[0]
                pattern = re.sub(r"[0-9]+", "#", path)
                patterns[pattern] += 1
                if patterns[pattern] > MAX_PER_PATTERN:
                    continue
                if "?" in link:
                    variants[path] += 1
                    if variants[path] > MAX_QUERY_VARIANTS:
                        continue
                if path.startswith("/admin/") and path != "/admin/":
                    if admin_pages >= MAX_ADMIN or "/delete/" in path or "/history/" in path:
                        continue
                    admin_pages += 1
                seen.add(link)
                queue.append((link, url))
        elif "application/pdf" in ctype and resp.status_code == 200 and not body.startswith(b"%PDF"):
            found.append("a PDF answer that is not a PDF")
        for p in found:
            line = f"{role:15} {url} -> {p}"
            (known if _known(role, url, p) else failures).append(line)
    result = {"pages": pages, "seconds": time.monotonic() - started, "status": dict(status), "failures": failures,
              "known": known, "slowest": sorted(slow, reverse=True)[:5]}
    if os.environ.get("YICHUANG_CRAWL_VERBOSE"):
        by_area: collections.Counter = collections.Counter()
        n_area: collections.Counter = collections.Counter()
        for t, u in slow:
            area = re.sub(r"[0-9]+", "#", "/".join(u.split("?")[0].split("/")[:3]))
            by_area[area] += t
            n_area[area] += 1
        print("  time by area: " + ", ".join(f"{a} {t:.1f}s/{n_area[a]}" for a, t in by_area.most_common(12)),
              file=sys.stderr)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    with open(REPORT.with_suffix(".partial.txt"), "a", encoding="utf-8") as f:  # readable while the crawl runs
        f.write("".join(line + "\n" for line in failures))
    print(f"crawl {role}: {pages} pages in {result['seconds']:.1f} s, {len(failures)} problems; slowest "
          + ", ".join(f"{u} {t:.2f}s" for t, u in result["slowest"][:3]), file=sys.stderr, flush=True)
    return result


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_every_role(role, demo, settings):
    settings.PASSWORD_HASHERS = FAST_HASHER
    result = _crawl(role, demo)
    _results[role] = result
    assert result["pages"] >= 50, f"{role} reached only {result['pages']} pages"
    assert not result["failures"], f"{len(result['failures'])} problems:\n" + "\n".join(result["failures"][:80])


def _api_params(path: str, d: dict) -> dict | None:
    """Path parameters filled from the demo, or None when a parameter has no simple demo value."""
    centre = org.DEMO_CENTRE_CODE
    ticket = d["tickets"][0] if d["tickets"] else (None, None, None)
    values = {
        "number": (d["bundle_cases"][:1] if path.startswith("/api/v1/bundles/") else
                   [ticket[1]] if "/tickets/" in path else
                   d["licences"][:1] if path.startswith("/api/v1/licences/") else d["cases"][:1]),
        "code": d["bundles"][:1] if path.startswith("/api/v1/bundles/") else d["matters"][:1],
        "notice_number": [n for _c, n in d["notices"][:1]],
        "centre_id": [d["centre_ids"].get(centre)],
        "centre_code": [centre],
        "ticket_id": [ticket[0]],
        "year": [timezone.localdate().year],
        "pk": d["rectifications"][:1],
    }
    out = {}
    for name in re.findall(r"{(\w+)}", path):
        v = values.get(name)
        if not v or v[0] is None:
            return None
        out[name] = v[0]
    return out


@pytest.mark.django_db
def test_every_documented_get_of_the_api(demo, settings):
    settings.PASSWORD_HASHERS = FAST_HASHER
    schema = json.loads((ROOT / "docs" / "openapi.json").read_text(encoding="utf-8"))
    routes = [p for p, ops in schema["paths"].items() if "get" in ops]
    failures, calls, skipped = [], 0, []
    for role in ROLES:
        client = Client(raise_request_exception=False)
        if role != "anonymous":
            assert client.login(username=role, password=org.DEMO_PASSWORD)
        for path in routes:
            params = _api_params(path, demo)
            if params is None:
                skipped.append(path)
                continue
            url = path.format(**params)
            resp = _get(client, url)
            calls += 1
            if resp.status_code >= 500:
                failures.append(f"{role:15} GET {url} -> HTTP {resp.status_code} {resp.crawl_error}".rstrip())
            elif resp.status_code >= 400 and "json" in resp.get("Content-Type", ""):
                body = resp.json()
                if not {"code", "message", "message_en"} <= set(body):
                    failures.append(f"{role:15} GET {url} -> {resp.status_code} without code/message/message_en")
    _results["api"] = {"pages": calls, "routes": len(routes), "skipped": sorted(set(skipped)), "failures": failures,
                       "status": {}, "seconds": 0, "known": []}
    assert not failures, "\n".join(failures[:80])


def _write_report(d: dict) -> None:
    lines = [f"Crawl of a fresh demo centre (demo load {d.get('load_seconds', 0):.1f} s)", "",
             f"{'role':16}{'pages':>7}{'2xx':>6}{'3xx':>6}{'4xx':>6}{'5xx':>6}{'problems':>10}{'known':>7}{'s':>7}"]
    total = 0
    for role in ROLES:
        r = _results.get(role)
        if not r:
            continue
        s = r["status"]
        total += r["pages"]
        lines.append(f"{role:16}{r['pages']:>7}{s.get(200, 0):>6}{s.get(300, 0):>6}{s.get(400, 0):>6}"
                     f"{s.get(500, 0):>6}{len(r['failures']):>10}{len(r['known']):>7}{r['seconds']:>7.1f}")
    crawled = sum(1 for r in ROLES if r in _results)
    lines.append(f"{'total':16}{total:>7}   ({crawled} roles)")
    if "api" in _results:
        a = _results["api"]
        lines.append(f"API: {a['pages']} GET calls ({a['routes']} documented GET routes x {len(ROLES)} roles), "
                     f"{len(a['failures'])} problems; routes without demo values: {', '.join(a['skipped']) or '-'}")
    lines.append("")
    for role in [*ROLES, "api"]:
        lines += _results.get(role, {}).get("failures", []) + _results.get(role, {}).get("known", [])
    text = "\n".join(lines) + "\n"
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(text, encoding="utf-8")
    print("\n" + "\n".join(lines[: len(ROLES) + 6]))
