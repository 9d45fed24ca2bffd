"""The site folder stands alone: built, copied elsewhere on its own, served over HTTP and loaded in
Chromium, every link answers, every table reads with its declared types, the feed is Atom and the
JSON-LD parses; with an address, every identifier is absolute under it."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest

from conftest import ROOT, copy_shipped, launch_chromium, needs_chromium
from misti_data.semver import archive_version

BASE = "https://example.org/misti/"
RELEASES = ROOT / "releases"
# What a repository holds beside the package, and the site links or copies.
BESIDE = ("releases", "CHANGELOG.md", "CITATION.cff", "LICENSE-DATA.md")


def repository_copy(dest: Path) -> Path:
    """The shipped package with its releases, changelog, citation and data licence, and no address
    (the `--base-url` build gives one)."""
    pkg = copy_shipped(dest, BESIDE)
    descriptor = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    if descriptor.pop("homepage", None):
        (pkg / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    return pkg


def releases() -> list[str]:
    """The shipped release archives' names, newest first."""
    found = [(archive_version("misti-indicators", p.name), p.name) for p in RELEASES.glob("*.zip")]
    return [name for _, name in sorted(found, reverse=True)]


@contextlib.contextmanager
def served(folder: Path):
    """`python -m http.server` on 127.0.0.1 and a free port, for the folder; its root URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    root = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                urllib.request.urlopen(root, timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.1)
        yield root
    finally:
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, b""


def jsonld_of(html: str) -> dict:
    [block] = re.findall(r'<script type="application/ld\+json">\n(.*?)\n</script>', html, re.DOTALL)
    return json.loads(block)


# Every href and src of the page, as the browser resolves them.
LINKS = """() => [...document.querySelectorAll("[href], [src]")]
  .map(e => e.href !== undefined && e.getAttribute("href") !== null ? e.href : e.src)"""


def open_page(root: str, shots: Path) -> dict:
    """The page at 1280 and 390 px: its links, HTML, width, console messages, screenshots."""
    from playwright.sync_api import sync_playwright

    found = {}
    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            for width in WIDTHS:
                page = browser.new_page(viewport={"width": width, "height": 900})
                messages = []
                page.on("console", lambda m, out=messages: out.append(f"{m.type}: {m.text}"))
                page.on("pageerror", lambda e, out=messages: out.append(f"pageerror: {e}"))
                response = page.goto(root, wait_until="load")
                found[width] = {
                    "status": response.status,
                    "messages": messages,
                    "links": page.evaluate(LINKS),
                    "html": page.content(),
                    "page_width": page.evaluate("document.documentElement.scrollWidth"),
                    "earlier_open": page.evaluate(
                        "document.getElementById('earlier-releases').open"
                    ),
                    "first_download": page.evaluate(
                        "document.querySelector('#downloads td.file a').getAttribute('href')"
                    ),
                }
                page.screenshot(path=str(shots / f"site-{width}.png"), full_page=True)
                page.close()
        finally:
            browser.close()
    return found


WIDTHS = (1280, 390)


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """The site built without an address and with --base-url, each copied alone to a new place,
    after which the package it was built from is deleted."""
    from click.testing import CliRunner

    from misti_data.cli import cli

    work = tmp_path_factory.mktemp("sites")
    pkg = repository_copy(work / "pkg")
    runner = CliRunner()
    done = runner.invoke(cli, ["export", str(pkg)], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    found = {}
    for name, args in (("relative", []), ("absolute", ["--base-url", BASE.rstrip("/")])):
        built = work / f"build-{name}" / "site"
        done = runner.invoke(
            cli, ["site", str(pkg), "--out", str(built), *args], catch_exceptions=False
        )
        assert done.exit_code == 0, done.output
        found[name] = shutil.copytree(built, work / f"elsewhere-{name}" / "www")
        shutil.rmtree(built.parent)
    shutil.rmtree(pkg)  # nothing may point back into it
    return found


@needs_chromium
@pytest.mark.parametrize("kind", ["relative", "absolute"])
def test_the_site_folder_works_on_its_own_anywhere(sites, kind, tmp_path):
    folder = sites[kind]
    base = BASE if kind == "absolute" else None
    with served(folder) as root:
        pages = open_page(root, tmp_path)
        for width, facts in pages.items():
            assert facts["status"] == 200 and facts["messages"] == [], width
            assert facts["page_width"] == width
            # the newest release first; the earlier ones folded away on a phone only
            assert facts["first_download"] == f"releases/{releases()[0]}"
            assert facts["earlier_open"] == (width > 640)
            assert (tmp_path / f"site-{width}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        facts = pages[1280]

        # every link of the page answers 200 from the folder, or leaves for the sources' own sites
        local = [u for u in facts["links"] if u.startswith(root)]
        outside = {u for u in facts["links"] if not u.startswith((root, "data:"))}
        assert len(local) >= 20
        for url in local:
            assert fetch(url.split("#")[0])[0] == 200, url
        cited = set(
            re.findall(r"https?://[^\s,\"]+", (folder / "data" / "sources.csv").read_text())
        )
        licence = json.loads((folder / "datapackage.json").read_text())["licenses"][0]["path"]
        assert outside <= cited | {licence} | ({base} if base else set()), outside - cited

        # the JSON-LD: its downloads answer, under the address when there is one
        data = jsonld_of(facts["html"])
        urls = [d["contentUrl"] for d in data["distribution"]]
        assert len(urls) == len(set(urls)) >= 15
        for url in urls:
            if base:
                assert url.startswith(base), url
                url = url[len(base) :]
            else:
                assert not urlsplit(url).scheme, url
            assert fetch(urljoin(root, url))[0] == 200, url
        if base:
            assert (data["@id"], data["url"], data["identifier"]) == (base, base, base)
        else:
            assert not {"@id", "url", "identifier", "sameAs"} & set(data)

        # the feed is Atom; with an address it links itself, the page, and absolute enclosures
        status, body = fetch(urljoin(root, "releases/feed.atom"))
        feed = feedparser.parse(body)
        assert status == 200 and feed.bozo == 0 and feed.version == "atom10"
        assert len(feed.entries) == len(releases()) >= 4
        links = {link.rel: link.href for link in feed.feed.get("links", [])}
        assert links == ({"self": f"{BASE}releases/feed.atom", "alternate": BASE} if base else {})
        for entry in feed.entries:
            [enclosure] = [link for link in entry.links if link.rel == "enclosure"]
            relative = enclosure.href[len(base) :] if base else f"releases/{enclosure.href}"
            assert enclosure.href.startswith(base or "misti-indicators-")
            assert int(enclosure.length) == len(fetch(urljoin(root, relative))[1])

        # every table read over HTTP with its declared types (frictionless, as any consumer would)
        from frictionless import validate

        report = validate(urljoin(root, "datapackage.json"))
        assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type"])
        resources = json.loads((folder / "datapackage.json").read_text())["resources"]
        assert report.stats["tasks"] == len(resources) >= 8


def test_a_rebuild_replaces_the_earlier_site_whole(run, shipped):
    assert run("site", shipped).exit_code == 0
    (shipped / "site" / "stale.txt").write_text("from an earlier build")
    assert run("site", shipped).exit_code == 0
    assert not (shipped / "site" / "stale.txt").exists()
    assert (shipped / "site" / "data" / "observations.csv").read_bytes() == (
        shipped / "data" / "observations.csv"
    ).read_bytes()
    assert [p.name for p in shipped.iterdir() if p.name.startswith(".")] == []  # no leftovers


@pytest.mark.parametrize("where", [".", "..", "data", "data/site", "schemas/../seeds/site"])
def test_the_site_never_replaces_the_package(run, shipped, where):
    before = sorted(p.relative_to(shipped) for p in shipped.rglob("*"))
    result = run("site", shipped, "--out", shipped / where)
    assert result.exit_code == 2
    assert "the site folder would hold the package's own files" in result.stderr
    assert sorted(p.relative_to(shipped) for p in shipped.rglob("*")) == before


def test_a_folder_of_something_else_is_not_replaced(run, shipped, tmp_path):
    other = tmp_path / "public"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    result = run("site", shipped, "--out", other)
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {other}: not empty and not a site built by misti-data: choose an empty or new folder\n"
    )
    assert [p.name for p in other.iterdir()] == ["notes.txt"]
