"""The package's public address: `homepage` in datapackage.json, or `site --base-url` for one
build. With one, every identifier is absolute (page, feed, citation, the release's README); without
one, nothing invents it."""

from __future__ import annotations

import json
import re
import zipfile

import feedparser
import pytest

from conftest import (
    copy_shipped,
    edit_descriptor,
    git,
    init_repo,
    set_version,
    validate_cff,
)

HOME = "https://example.github.io/misti-data/"
REPOSITORY = "https://github.com/example/misti-data"


def jsonld_of(site) -> dict:
    html = (site / "index.html").read_text(encoding="utf-8")
    [block] = re.findall(r'<script type="application/ld\+json">\n(.*?)\n</script>', html, re.DOTALL)
    return json.loads(block)


def set_homepage(pkg, value) -> None:
    edit_descriptor(pkg, lambda d: d.update(homepage=value))


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """The shipped package at 1.0.0 with its changelog, citation and data licence; each test
    commits it with the git remote it needs."""
    pkg = copy_shipped(tmp_path / "repo", ("CHANGELOG.md", "CITATION.cff", "LICENSE-DATA.md"))
    set_version(pkg, "1.0.0")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798761600")  # 2027-01-01
    return pkg


def commit(pkg, remote: str) -> None:
    init_repo(pkg)
    git(pkg, "remote", "add", "origin", remote)


def test_a_release_with_a_homepage_says_where_it_lives(run, repo, tmp_path):
    set_homepage(repo, HOME)
    # credentials in a remote's address never reach the citation
    commit(repo, "https://someone:secret@github.com/example/misti-data.git")
    assert run("release", repo).exit_code == 0
    cff = (repo / "CITATION.cff").read_text()
    assert f'\nurl: "{HOME}"\n' in cff and f'\nrepository-code: "{REPOSITORY}"\n' in cff
    assert "secret" not in cff
    assert validate_cff(repo / "CITATION.cff") == (0, "ok -- validation done\n")
    with zipfile.ZipFile(repo / "releases" / "misti-indicators-1.0.0.zip") as zf:
        readme = zf.read("misti-indicators-1.0.0/README.md").decode()
    assert (
        f"Newer versions, and every earlier one, are published at <{HOME}>; the feed "
        f"<{HOME}releases/feed.atom> announces each new release.\n"
    ) in readme
    feed = feedparser.parse((repo / "releases" / "feed.atom").read_bytes())
    assert {link.rel: link.href for link in feed.feed.links} == {
        "self": f"{HOME}releases/feed.atom",
        "alternate": HOME,
    }
    [enclosure] = feed.entries[0].enclosures
    assert enclosure.href == f"{HOME}releases/misti-indicators-1.0.0.zip"
    assert (
        int(enclosure.length) == (repo / "releases" / "misti-indicators-1.0.0.zip").stat().st_size
    )
    # the site takes the same address from the descriptor
    assert run("site", repo).exit_code == 0
    data = jsonld_of(repo / "site")
    assert (data["@id"], data["url"], data["identifier"]) == (HOME, HOME, HOME)
    assert {d["contentUrl"].startswith(HOME) for d in data["distribution"]} == {True}


def test_without_an_address_nothing_is_made_up(run, repo):
    commit(repo, "git@github.com:example/misti-data.git")  # an ssh remote: no known web address
    assert run("release", repo).exit_code == 0
    cff = (repo / "CITATION.cff").read_text()
    assert re.findall(r"(?m)^(url|repository-code):", cff) == []
    with zipfile.ZipFile(repo / "releases" / "misti-indicators-1.0.0.zip") as zf:
        assert "Newer versions" not in zf.read("misti-indicators-1.0.0/README.md").decode()
    feed = (repo / "releases" / "feed.atom").read_text()
    assert 'rel="self"' not in feed and "http" not in feed.replace(
        "http://www.w3.org/2005/Atom", ""
    )
    assert 'href="misti-indicators-1.0.0.zip" length="' in feed


def test_base_url_overrides_the_homepage_for_one_build(run, tmp_path):
    pkg = copy_shipped(tmp_path / "pkg")
    set_homepage(pkg, HOME)
    assert run("site", pkg, "--base-url", "https://mirror.example.org/data").exit_code == 0
    data = jsonld_of(pkg / "site")
    assert data["url"] == "https://mirror.example.org/data/"
    assert (
        data["distribution"][0]["contentUrl"] == "https://mirror.example.org/data/datapackage.json"
    )
    html = (pkg / "site" / "index.html").read_text()
    assert '<link rel="canonical" href="https://mirror.example.org/data/">' in html


@pytest.mark.parametrize(
    "url",
    ["ftp://example.org/x/", "example.org/misti", "https://u:p@example.org/", "https://x.org/?a=1"],
)
def test_a_base_url_that_is_not_a_web_folder_is_refused(run, tmp_path, url):
    pkg = copy_shipped(tmp_path / "pkg")
    result = run("site", pkg, "--base-url", url)
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: --base-url: {url!r} is not the http(s) address of a folder (e.g. https://example.org/misti/)\n"
    )
    assert not (pkg / "site").exists()


def test_a_homepage_that_is_not_a_web_address_is_refused(run, tmp_path):
    pkg = copy_shipped(tmp_path / "pkg")
    set_homepage(pkg, "misti.example.org")
    result = run("site", pkg)
    assert result.exit_code == 2
    assert "`homepage`: 'misti.example.org' is not the http(s) address of a folder" in result.stderr
