"""Every page, every role, every language, a phone and a laptop (issue 17).

A visitor, a student, a juror and an organizer each sign in and crawl the pages reachable
from their menus and the contests' objects (links followed two levels deep; one page per
URL shape, so /entries/7 stands for every entry), in kk, ru and en, at 360x740 and
1366x900. A page fails when it scrolls sideways, shows a stored code ("needs_attention")
or an untranslated English sentence in kk or ru, or when axe-core (the npm package's
axe.min.js, vendored by the axe-playwright-python package) run inside the page reports a
WCAG 2.1 A/AA violation. axe runs once per page (kk, 360 px: its rules do not depend on the
language) to keep the run short; overflow, codes and translations are checked everywhere.
A screenshot of every page at both widths in kk and ru goes to test-artifacts/crawl/ (JPEG), with
report.txt listing the pages found, the problems and where the time went.
"""
from __future__ import annotations

import re
import threading
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from contest.enums import Role
from contest.extensions import db
from tests import factories
from tests.layout.visible import raw_codes_in, untranslated_in

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "crawl"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LANGUAGES = ("kk", "ru", "en")
PHONE, LAPTOP = {"width": 360, "height": 740}, {"width": 1366, "height": 900}
AXE_LANG = "kk"  # axe's rules do not depend on the language; once per page keeps the run short
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_RUN = ("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
           ".then(r => r.violations.map(v => [v.id, v.impact,"
           " v.nodes.slice(0, 3).map(n => n.target.join(' '))]))")
SHOT_IN = ("kk", "ru")  # screenshots of every page at both widths in kk and ru (en adds time, not sight)
START = {"visitor": ["/", "/contests", "/account/login", "/account/register"]}
MAX_PAGES = 45  # per role: URL shapes, not URLs
# Not pages: files, exports, actions and the way out.
SKIP = re.compile(r"/(download|file|files|export|exports|logout|pdf|docx|xlsx|csv|zip|preview|previews|"
                  r"language|static|healthz|verify/[^/]+/pdf)(/|$|\.)|\.(pdf|docx|xlsx|csv|zip|png|txt|json)$")


def _shape(path: str) -> str:
    return re.sub(r"\d+", "N", path.rstrip("/") or "/")


def _data():
    """An open contest with the student's entry, a judged and published contest, a jury."""
    from contest.awards import services as awards

    open_contest = factories.make_contest(phase="open", formats=["pdf", "docx", "txt", "text"],
                                          rules={"kk": "Эссе ережелері", "ru": "Правила эссе", "en": "Rules"})
    student = factories.make_user(Role.STUDENT, full_name="Әйгерім Сейітқасымова")
    factories.make_entry(open_contest, student)
    issuer = {"kk": "Құқық институты", "ru": "Институт права", "en": "Law Institute"}
    judged = factories.make_contest(phase="judging", k=1, ranking_method="mean", issuer=issuer)
    juror = factories.make_juror(contest=judged, full_name="Бекзат Омаров")
    entries = [factories.make_entry(judged, student if i == 0 else None) for i in range(3)]
    for entry, scores in zip(entries, ((9, 4), (6, 3), (3, 1))):
        factories.make_review(judged, entry, juror, scores, feedback="Жақсы дәлелденген.")
    factories.add_tiers(judged, (1, 1, 1))
    organizer = factories.make_user(Role.ORGANIZER, full_name="Гүлнара Төлегенова")
    road = {"kk": "Жол қауіпсіздігі", "ru": "Безопасность на дорогах", "en": "Road safety"}
    judging = factories.make_contest(phase="judging", k=1, title=road)
    other = factories.make_entry(judging)
    factories.make_assignment(other, juror)
    awards.publish_results(contest=judged, actor=organizer)
    coordinator = _coordinator_with_a_pupil(open_contest)
    db.session.commit()
    return {"visitor": None, "student": student.email, "juror": juror.email, "organizer": organizer.email,
            "coordinator": coordinator.email}


def _coordinator_with_a_pupil(contest):
    """A school coordinator (issue 21) with one pupil whose essay is in the open contest."""
    from contest.accounts.models import User
    from contest.coordinators import services as coordinators
    from contest.schools.services import set_school

    coordinator = factories.make_user(Role.COORDINATOR, commit=False, full_name="Сәуле Жақыпова")
    set_school(coordinator, region="aktobe", name="Школа-гимназия №5")
    db.session.flush()
    pupil = coordinators.add_pupil(coordinator=coordinator, full_name="Әлия Нұрланқызы", grade="5-8",
                                   language="kk", is_minor=False)
    db.session.flush()
    factories.make_entry(contest, db.session.get(User, pupil.user_id), commit=False)
    return coordinator


def _login(page, base: str, email: str) -> None:
    page.goto(base + "/account/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/dashboard"))


def _links(page, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    out = []
    for href in hrefs:
        url = urlsplit(urljoin(page.url, href))
        same_site = url.scheme in ("http", "https") and f"{url.scheme}://{url.netloc}" == base
        if same_site and not SKIP.search(url.path):
            out.append(url.path)
    return out


class Crawl:
    """Some roles' pages in a browser of one thread: load each page once per language, check it at 360 px,
    then resize to 1366 px and check it again (a resize is a relayout, much cheaper than a load)."""

    def __init__(self, base: str, axe_source: str):
        self.base, self.axe = base, axe_source
        self.problems: list[tuple] = []
        self.visited = 0
        self.timing: dict[str, float] = {}

    def _timed(self, what: str, start: float) -> None:
        self.timing[what] = self.timing.get(what, 0.0) + time.perf_counter() - start

    def check(self, page, role: str, lang: str, path: str) -> bool:
        """Open one page and record what is wrong with it at both widths; False if it is not a page."""
        started = time.perf_counter()
        page.set_viewport_size(PHONE)
        try:
            response = page.goto(self.base + path)
        except Exception:  # a download, not a page
            return False
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            return False
        self.visited += 1
        self._timed("load", started)
        if response.status != 200:
            self.problems.append((role, lang, path, "status", response.status))
            return True
        if lang != "en":
            started = time.perf_counter()
            html = page.content()
            for kind, found in (("raw codes", raw_codes_in(html)),
                                ("untranslated", untranslated_in(html, lang))):
                if found:
                    self.problems.append((role, lang, path, kind, found[:5]))
            self._timed("text", started)
        if lang == AXE_LANG:
            self._axe(page, role, lang, path)
        name = f"{role}-{lang}-{{}}-{path.strip('/').replace('/', '_') or 'home'}.jpeg"
        for size in (PHONE, LAPTOP):
            started = time.perf_counter()
            if size is LAPTOP:
                page.set_viewport_size(size)
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > size["width"]:
                self.problems.append((role, lang, path, f"sideways at {size['width']}", scroll))
            if lang in SHOT_IN:
                page.screenshot(path=str(SHOTS / name.format(size["width"])), type="jpeg", quality=60,
                                full_page=size is PHONE)
            self._timed("layout+screenshot", started)
        return True

    def _axe(self, page, role: str, lang: str, path: str) -> None:
        started = time.perf_counter()
        page.evaluate(self.axe)
        result = page.evaluate(AXE_RUN, AXE_TAGS)
        if result:
            self.problems.append((role, lang, path, "axe", result))
        self._timed("axe", started)

    def discover(self, page, role: str, lang: str) -> list[str]:
        """Breadth-first from the start pages, two levels of links, one URL per shape."""
        start = START.get(role, ["/", "/dashboard"])
        queue, seen, pages = [(path, 0) for path in start], {_shape(p) for p in start}, []
        while queue and len(pages) < MAX_PAGES:
            path, depth = queue.pop(0)
            if not self.check(page, role, lang, path):
                continue
            pages.append(path)
            if depth >= 2:
                continue
            for link in _links(page, self.base):
                if _shape(link) not in seen:
                    seen.add(_shape(link))
                    queue.append((link, depth + 1))
        return pages

    def run(self, roles: dict, found: dict) -> None:
        """Every language for these roles, in a browser of this thread's own."""
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=LAUNCH_ARGS)
            try:
                for lang in LANGUAGES:
                    for role, user in roles.items():
                        context = browser.new_context(viewport=PHONE, locale=lang, bypass_csp=True)
                        context.set_default_timeout(15_000)
                        page = context.new_page()
                        page.goto(self.base + "/")
                        if user is not None:
                            _login(page, self.base, user)
                        with page.expect_navigation():
                            page.click(f"button[name=lang][value={lang}]")
                        if role not in found:
                            found[role] = self.discover(page, role, lang)
                        else:
                            for path in found[role]:
                                self.check(page, role, lang, path)
                        context.close()
            finally:
                browser.close()


def test_every_page_for_every_role_language_and_width(server, app):
    from axe_playwright_python import sync_playwright as axe_module

    axe_source = (Path(axe_module.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
    people = _data()
    SHOTS.mkdir(parents=True, exist_ok=True)
    found: dict[str, list[str]] = {}
    groups = [{"organizer": people["organizer"]},
              {k: people[k] for k in ("student", "juror", "visitor", "coordinator")}]
    crawls = [Crawl(server, axe_source) for _ in groups]
    threads = [threading.Thread(target=c.run, args=(g, found)) for c, g in zip(crawls, groups)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    problems = [p for c in crawls for p in c.problems]
    timing = {k: sum(c.timing.get(k, 0.0) for c in crawls) for k in crawls[0].timing}
    (SHOTS / "report.txt").write_text("\n".join(
        [f"{role}: {paths}" for role, paths in found.items()] + [repr(p) for p in problems]
        + [f"{k}: {v:.1f}s (both threads)" for k, v in sorted(timing.items())]), encoding="utf-8")
    counts = {role: len(paths) for role, paths in found.items()}
    least = {"organizer": 20, "student": 6, "juror": 4, "visitor": 4, "coordinator": 4}
    assert {role: n for role, n in least.items() if counts.get(role, 0) < n} == {}, counts
    visited = sum(c.visited for c in crawls)
    assert problems == [], f"{len(problems)} problems on {visited} page loads: {problems}"
