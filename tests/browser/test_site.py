"""Every page of the built site, checked in a real browser and by a link checker."""

from __future__ import annotations

import json
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

import pytest

from conftest import AXE, SITE

PAGES = sorted(p.relative_to(SITE).as_posix() for p in SITE.rglob("*.html")
               if not p.relative_to(SITE).as_posix().startswith(("_static/", "_sources/")))
CHAPTERS = [p for p in PAGES if p.startswith("chapters/0")]
# A numbered chapter's own page (02_...), not a companion nested under it (02b_...).
MAIN_CHAPTERS = [p for p in CHAPTERS if p[len("chapters/0") + 1] == "_"]
CONTENT = [p for p in PAGES if p.startswith("chapters/")]


class _Visit:
    """What one page load did: requests to other hosts (blocked), failed requests, console errors."""

    def __init__(self, page, base_url: str):
        self.outside, self.failed, self.errors = [], [], []

        def on_route(route):
            if route.request.url.startswith(base_url) or route.request.url.startswith("data:"):
                route.continue_()
            else:
                self.outside.append(route.request.url)
                route.abort()

        def on_response(response):
            if response.status >= 400:
                self.failed.append(f"{response.status} {response.url}")

        page.route("**/*", on_route)
        page.on("response", on_response)
        page.on("requestfailed", lambda request: self.failed.append(f"failed {request.url}")
                if request.url.startswith(base_url) else None)
        page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: self.errors.append(str(error)))


@contextmanager
def _opened(browser, site_url: str, path: str, theme: str | None = None):
    """A fresh browser context with the page loaded; yields the page and its _Visit."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        if theme:
            context.add_init_script(f"localStorage.setItem('mode', '{theme}');")
        page = context.new_page()
        visit = _Visit(page, site_url)
        page.goto(f"{site_url}/{path}", wait_until="networkidle")
        yield page, visit
    finally:
        context.close()


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_with_no_error_and_asks_no_other_host(browser, site_url, path):
    with _opened(browser, site_url, path) as (page, visit):
        assert visit.outside == [], f"requests to other hosts: {visit.outside}"
        assert visit.failed == [], f"failed requests: {visit.failed}"
        assert visit.errors == [], f"console errors: {visit.errors}"


@pytest.mark.parametrize("path", CONTENT)
def test_math_is_typeset(browser, site_url, path):
    with _opened(browser, site_url, path) as (page, _):
        page.wait_for_function("() => !window.MathJax || !MathJax.startup || MathJax.startup.promise",
                               timeout=15000)
        page.evaluate("() => window.MathJax && MathJax.startup ? MathJax.startup.promise : null")
        text = page.evaluate("""() => { const a = document.querySelector('article').cloneNode(true);
            a.querySelectorAll('pre, code, .highlight, mjx-container').forEach(e => e.remove());
            return a.textContent; }""")  # code may legitimately show dollar signs
        assert "$$" not in text and "\\(" not in text and "\\[" not in text
        if page.locator("div.math, span.math").count():
            assert page.locator("mjx-container").count() > 0, "math on the page but nothing typeset"


@pytest.mark.parametrize("path", CONTENT)
def test_every_image_has_alt_text_and_loads(browser, site_url, path):
    with _opened(browser, site_url, path) as (page, _):
        images = page.eval_on_selector_all(
            "article img", "els => els.map(e => ({alt: e.getAttribute('alt') || '', ok: e.complete && "
            "e.naturalWidth > 0, src: e.src.slice(0, 60)}))")
        for image in images:
            assert len(image["alt"].strip()) > 10, f"an image without a real alt text: {image['src']}"
            assert image["ok"], f"an image did not load: {image['src']}"


@pytest.mark.parametrize("path", MAIN_CHAPTERS)
def test_static_sliders_change_the_picture(browser, site_url, path):
    with _opened(browser, site_url, path) as (page, _):
        explorers = page.locator(".al-static-explorer")
        assert explorers.count() >= 1, "every chapter has at least one explorer"
        for index in range(explorers.count()):
            explorer = explorers.nth(index)
            visible = "el => Array.from(el.querySelectorAll('img')).filter(i => !i.hidden).map(i => i.dataset.key)"
            before = explorer.evaluate(visible)
            assert len(before) == 1
            for slider in explorer.locator("input[type=range]").all():
                top = int(slider.get_attribute("max"))
                current = int(slider.input_value())
                slider.fill(str(0 if current == top else top))  # fires the input event
                after = explorer.evaluate(visible)
                assert len(after) == 1 and after != before, f"slider {slider.get_attribute('aria-label')} did nothing"
                before = after


@pytest.mark.parametrize("path", MAIN_CHAPTERS)
def test_static_sliders_work_from_the_keyboard(browser, site_url, path):
    with _opened(browser, site_url, path) as (page, _):
        explorer = page.locator(".al-static-explorer").first
        slider = explorer.locator("input[type=range]").first
        visible = "el => Array.from(el.querySelectorAll('img')).filter(i => !i.hidden).map(i => i.dataset.key)"
        slider.focus()
        assert slider.evaluate("el => el === document.activeElement && el.matches(':focus-visible')"), \
            "a focused slider must show its focus"
        outline = slider.evaluate("el => getComputedStyle(el).outlineStyle")
        assert outline != "none", "the focus ring must be visible"
        before = explorer.evaluate(visible)
        key = "ArrowLeft" if int(slider.input_value()) == int(slider.get_attribute("max")) else "ArrowRight"
        page.keyboard.press(key)
        after = explorer.evaluate(visible)
        assert len(after) == 1 and after != before, f"{key} did not change the picture"


@pytest.mark.parametrize("path", PAGES)
def test_no_accessibility_violations(browser, site_url, path):
    """axe-core's WCAG 2 A and AA rules: no violation of any impact."""
    with _opened(browser, site_url, path) as (page, _):
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("""async () => {
            const r = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa"]}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                                           first: v.nodes[0].html.slice(0, 160)}));
        }""")
        assert result == [], "\n".join(f"{v['impact']} {v['id']} x{v['nodes']}: {v['first']}" for v in result)


@pytest.mark.parametrize("path", CHAPTERS)
def test_launch_and_download_buttons_are_present(browser, site_url, path):
    with _opened(browser, site_url, path) as (page, _):
        hrefs = page.eval_on_selector_all(".dropdown-launch-buttons a", "els => els.map(e => e.href)")
        assert any("mybinder.org" in h for h in hrefs) and any("colab.research.google.com" in h for h in hrefs)
        assert page.locator(".btn-launch-thebe").count() == 1
        assert page.locator(".dropdown-download-buttons .btn-download-source-button").count() == 1
        source = page.eval_on_selector(".btn-download-source-button", "e => e.href")
        assert source.endswith(".ipynb") and (SITE / urlparse(source).path.lstrip("/")).exists()


@pytest.mark.parametrize("path", CHAPTERS)
def test_figures_stay_legible_in_dark_mode(browser, site_url, path):
    with _opened(browser, site_url, path, theme="dark") as (page, _):
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        # Figures are drawn on an opaque white face, so dark text on them stays readable.
        first = page.locator("article .cell_output img").first
        pixel = first.evaluate("""img => { const c = document.createElement('canvas');
            c.width = img.naturalWidth; c.height = img.naturalHeight; const g = c.getContext('2d');
            g.drawImage(img, 0, 0); return Array.from(g.getImageData(1, 1, 1, 1).data); }""")
        assert pixel[3] == 255 and min(pixel[:3]) > 240, f"figure corner is {pixel}, not opaque white"


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "a" and attributes.get("href"):
            self.hrefs.append(attributes["href"])


def _parse(path: Path) -> _Links:
    links = _Links()
    links.feed(path.read_text(encoding="utf-8"))
    return links


@pytest.mark.parametrize("path", PAGES)
def test_internal_links_resolve(path):
    page = SITE / path
    for href in _parse(page).hrefs:
        parsed = urlparse(href)
        if parsed.scheme or href.startswith(("mailto:", "javascript:")):
            continue
        target, anchor = urldefrag(href)
        file = page if not target else (page.parent / unquote(target)).resolve()
        if file.is_dir():
            file = file / "index.html"
        assert file.exists(), f"{path}: broken link {href}"
        if anchor and file.suffix == ".html":
            assert unquote(anchor) in _parse(file).ids, f"{path}: link {href} names a missing anchor"


def test_report_page_weight(browser, site_url):
    weights = {}
    for path in CONTENT:
        with _opened(browser, site_url, path) as (page, _):
            # The page and every file it loaded, as the browser's own resource timing counts them.
            weights[path] = page.evaluate("""() => performance.getEntriesByType('navigation')
                .concat(performance.getEntriesByType('resource'))
                .reduce((total, entry) => total + (entry.encodedBodySize || 0), 0)""")
    report = SITE.parent / "page-weight.json"
    report.write_text(json.dumps(weights, indent=1) + "\n")
    for path, size in weights.items():
        print(f"{path:45s} {size / 1e6:6.2f} MB")
    assert all(size < 8e6 for size in weights.values()), "a page weighs more than 8 MB"
