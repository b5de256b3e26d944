"""A person at a browser: a Playwright page that checks every page it loads with axe-core.

`Visitor.check()` looks at the page at two widths, a desktop's 1280 px and a phone's 390 px. At each it runs
axe-core (from the npm package, `node_modules/axe-core`) for the WCAG 2.0 and 2.1 A and AA rules and fails on
any violation, naming the rule, the elements and the help page; it fails when the page scrolls sideways or an
element reaches past the viewport, and when visible text is rendered smaller than 12 px (SVG text measured
as drawn, after the viewBox's scaling). It also fails when the page logged a Content-Security-Policy refusal
or a script error. A visitor counts
the documents its page loads: `assert_all_checked()` (run by the fixtures after each test) fails when a
page was loaded and never checked, so no page of a walk escapes the audit.

axe is injected with `page.evaluate(source)`, which runs through the DevTools protocol and is not subject
to the page's CSP: the pages keep the CSP they have in production (script-src 'self' + nonces), and the
tests see any refusal it causes. (A `<script>` tag added by `add_script_tag` would be refused by that CSP;
Playwright's `bypass_csp=True` context option would allow it, but would also hide the CSP from the test.)
"""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE_SOURCE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
# The widths every page is checked at: the walks' desktop and a 390 px phone (iPhone 12 to 15).
WIDTHS = (1280, 390)
SMALLEST_TEXT_PX = 12
# What reaches past the viewport, and which visible text is too small: at most a few of each, named.
LAYOUT_SCRIPT = """([smallest]) => {
    const width = document.documentElement.clientWidth;
    const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
        + (el.classList.length ? "." + [...el.classList].join(".") : "");
    const shown = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
    const hidden = new Map();
    const clipped = el => {
        // Bootstrap's visually-hidden text (and a stacked table's headings) is one clipped pixel: not seen,
        // not in the way; so is everything inside it.
        if (!el || el === document.body) return false;
        if (!hidden.has(el)) {
            const style = getComputedStyle(el);
            const own = style.clip === "rect(0px, 0px, 0px, 0px)" || style.clipPath === "inset(50%)";
            hidden.set(el, own || clipped(el.parentElement));
        }
        return hidden.get(el);
    };
    const problems = [];
    const scrollWidth = document.documentElement.scrollWidth;
    if (scrollWidth > window.innerWidth) {
        problems.push(`the page is ${scrollWidth} px wide in a ${window.innerWidth} px window`);
    }
    for (const el of document.body.querySelectorAll("*")) {
        const box = el.getBoundingClientRect();
        if (box.width === 0 || !shown(el) || clipped(el)) continue;
        if (box.right > width + 0.5 || box.left < -0.5) {
            problems.push(`${name(el)} reaches ${Math.round(box.left)}–${Math.round(box.right)} px `
                + `of ${width}: ${(el.innerText || el.textContent || "").trim().slice(0, 60)}`);
        }
    }
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const seen = new Set();
    while (walker.nextNode()) {
        const el = walker.currentNode.parentElement;
        if (!el || seen.has(el) || !walker.currentNode.textContent.trim()) continue;
        seen.add(el);
        if (!shown(el) || clipped(el) || el.closest("script, style, noscript, title")) continue;
        let size = parseFloat(getComputedStyle(el).fontSize);
        if (el instanceof SVGElement && el.getScreenCTM()) {
            const m = el.getScreenCTM();
            size *= Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
        }
        if (size < smallest - 0.05) {
            problems.push(`text at ${size.toFixed(1)} px in ${name(el)}: `
                + walker.currentNode.textContent.trim().slice(0, 60));
        }
    }
    return problems;
}"""
# Browsers ask for /favicon.ico on their own; the app has none, and its 404 is no fault of a page.
IGNORED_CONSOLE = (re.compile(r"favicon\.ico"),)


def axe_source():
    if not AXE_SOURCE.exists():
        raise RuntimeError(f"{AXE_SOURCE} is missing: run `npm ci` (make e2e does).")
    return AXE_SOURCE.read_text()


def describe_violations(url, violations):
    """The violations as a readable list: rule, impact, help URL, then each element and what is wrong."""
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"][:10]:
            lines.append(f"    at {' '.join(map(str, node['target']))}: {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " / ")
            lines.append(f"      {summary[:400]}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    … and {len(violation['nodes']) - 10} more elements")
    return "\n".join(lines)


class Visitor:
    """One person's browser tab (its own cookies), auditing every page it loads."""

    def __init__(self, context, base_url, name, axe, audited):
        self.context, self.base_url, self.name, self.axe = context, base_url, name, axe
        self.page = context.new_page()
        self.page.set_default_timeout(15_000)
        self.loads = self.checked_loads = 0
        self.problems = []
        self.audited = audited  # shared by the session: every URL checked, for the summary
        self.page.on("load", self._loaded)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))

    def _loaded(self, _page):
        self.loads += 1

    def _console(self, message):
        source = f"{message.text} {(message.location or {}).get('url', '')}"
        if message.type == "error" and not any(p.search(source) for p in IGNORED_CONSOLE):
            self.problems.append(f"console error on {self.page.url}: {source}")

    def url(self, path):
        return self.base_url + path

    def goto(self, path):
        """Open `path` and check the page."""
        response = self.page.goto(self.url(path))
        self.check()
        return response

    def click(self, locator):
        """Click something that loads a page (a link or a submit button), wait for it, check it."""
        with self.page.expect_navigation():
            locator.click()
        self.check()

    def press(self, key):
        """Press a key that loads a page (Enter on a link or in a form), wait for it, check it."""
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        self.check()

    def check(self):
        """Check the page at each width (axe, sideways scrolling, text size), then CSP refusals and errors."""
        self.page.wait_for_load_state("load")
        if self.loads - self.checked_loads > 1:
            raise AssertionError(f"{self.name}: a page loaded before {self.page.url} was never checked")
        self.checked_loads = self.loads
        self.page.evaluate(self.axe)
        original = self.page.viewport_size
        try:
            for width in WIDTHS:
                self.page.set_viewport_size({"width": width, "height": original["height"]})
                self._check_at(width)
        finally:
            self.page.set_viewport_size(original)
        problems, self.problems = self.problems, []
        assert not problems, "\n".join(problems)

    def _check_at(self, width):
        result = self.page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
        self.audited.append((self.name, self.page.url, len(result["violations"])))
        where = f"{self.page.url} at {width} px"
        assert not result["violations"], describe_violations(where, result["violations"])
        layout = self.page.evaluate(LAYOUT_SCRIPT, [SMALLEST_TEXT_PX])
        listed = "\n".join(f"  {problem}" for problem in layout[:15])
        assert not layout, f"{len(layout)} layout problem(s) on {where}:\n{listed}"

    def assert_all_checked(self):
        assert self.checked_loads == self.loads, f"{self.name}: {self.page.url} was loaded but never checked"

    def log_in(self, username, password):
        """Log in through the login page, as a person types it."""
        self.goto("/konto/logga-in/")
        self.page.get_by_label("Användarnamn").fill(username)
        self.page.get_by_label("Lösenord").fill(password)
        self.click(self.page.get_by_role("button", name="Logga in"))
        assert self.page.locator(".site-nav__user").is_visible(), f"{username} was not logged in"

    def message(self):
        """The text of the page's status messages."""
        return " ".join(self.page.locator(".site-messages").all_inner_texts())

    def focused(self):
        """What has the keyboard focus: tag, text, outline; its role, name and expanded state for AT."""
        info = self.page.evaluate(
            """() => {
                const el = document.activeElement;
                const style = getComputedStyle(el);
                return {tag: el.tagName.toLowerCase(), text: el.innerText || "",
                        href: el.getAttribute("href"), id: el.id,
                        outline: style.outlineStyle !== "none" ? parseFloat(style.outlineWidth) : 0};
            }"""
        )
        session = self.context.new_cdp_session(self.page)
        try:
            document = session.send("DOM.getDocument", {"depth": 0})
            node = session.send(
                "DOM.querySelector", {"nodeId": document["root"]["nodeId"], "selector": ":focus"}
            )
            if node.get("nodeId"):
                tree = session.send(
                    "Accessibility.getPartialAXTree", {"nodeId": node["nodeId"], "fetchRelatives": False}
                )
                own = tree["nodes"][0]
                info["role"] = own.get("role", {}).get("value")
                info["name"] = own.get("name", {}).get("value")
                properties = {p["name"]: p["value"].get("value") for p in own.get("properties", [])}
                info["expanded"] = properties.get("expanded")
        finally:
            session.detach()
        return info

    def screenshot(self, folder, test_name):
        folder.mkdir(parents=True, exist_ok=True)
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{test_name}-{self.name}")
        self.page.screenshot(path=str(folder / f"{stem}.png"), full_page=True)
        (folder / f"{stem}.html").write_text(self.page.content())
        (folder / f"{stem}.url").write_text(self.page.url + "\n")


def write_audit_summary(audited, path):
    """Write which pages were checked, by whom, with their violation counts (test-results/axe-pages.json)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [{"who": who, "url": url.split("/", 3)[-1], "violations": count} for who, url, count in audited]
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
    return len({row["url"].split("?")[0] for row in rows})
