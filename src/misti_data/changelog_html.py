"""Just enough Markdown for a CHANGELOG: headings, paragraphs, lists, quotes, code, links.

Everything is HTML-escaped first; only the few constructs below add markup, and a link is kept
only when its target is http(s), mailto or a relative path (never `javascript:`).
"""

from __future__ import annotations

import html
import re

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_ITEM = re.compile(r"^\s*(?:([-*+])|(\d+)[.)])\s+(.*)$")
_CODE = re.compile(r"`([^`]+)`")
_LINK = re.compile(r"\[([^\]]+)\]\(((?:[^()\s]|\([^()\s]*\))+)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_EM = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
_SAFE_URL = re.compile(r"^(https?://|mailto:|[^:]*$)", re.IGNORECASE)


def to_html(text: str, shift: int = 0) -> str:
    """HTML for `text`; headings move down `shift` levels so they nest under the page's own."""
    out: list[str] = []
    lines = text.replace("\r\n", "\n").split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
        elif line.startswith("```"):
            end = next(
                (j for j in range(i + 1, len(lines)) if lines[j].startswith("```")), len(lines)
            )
            out.append("<pre><code>" + html.escape("\n".join(lines[i + 1 : end])) + "</code></pre>")
            i = end + 1
        elif m := _HEADING.match(line):
            level = min(len(m.group(1)) + shift, 6)
            out.append(f"<h{level}>{inline(m.group(2))}</h{level}>")
            i += 1
        elif _ITEM.match(line):
            i = _list(lines, i, out)
        else:
            block = []
            quoted = line.startswith(">")
            while i < len(lines) and lines[i].strip() and not _starts_block(lines[i]):
                block.append(lines[i].lstrip("> ") if quoted else lines[i])
                i += 1
                if quoted and i < len(lines) and not lines[i].startswith(">"):
                    break
            para = f"<p>{inline(' '.join(s.strip() for s in block))}</p>"
            out.append(f"<blockquote>{para}</blockquote>" if quoted else para)
    return "\n".join(out)


def _starts_block(line: str) -> bool:
    return bool(_HEADING.match(line) or _ITEM.match(line) or line.startswith("```"))


def _list(lines: list[str], i: int, out: list[str]) -> int:
    ordered = _ITEM.match(lines[i]).group(2) is not None
    items: list[str] = []
    while i < len(lines) and lines[i].strip():
        m = _ITEM.match(lines[i])
        if m:
            items.append(m.group(3).strip())
        elif lines[i].startswith((" ", "\t")) and items:
            items[-1] += " " + lines[i].strip()
        else:
            break
        i += 1
    tag = "ol" if ordered else "ul"
    out.append(f"<{tag}>" + "".join(f"<li>{inline(item)}</li>" for item in items) + f"</{tag}>")
    return i


def inline(text: str) -> str:
    """Escape `text`, then mark up code spans, links, bold and emphasis (code is left alone)."""
    parts = _CODE.split(text)
    html_parts = []
    for n, part in enumerate(parts):
        if n % 2:
            html_parts.append(f"<code>{html.escape(part)}</code>")
            continue
        s = html.escape(part, quote=False)
        s = _LINK.sub(_link, s)
        s = _BOLD.sub(r"<strong>\1</strong>", s)
        s = _EM.sub(r"<em>\1</em>", s)
        html_parts.append(s)
    return "".join(html_parts)


def is_safe_url(url: str) -> bool:
    """http(s), mailto or a relative path: a link that cannot run script when clicked."""
    return bool(_SAFE_URL.match(url.strip()))


def _link(m: re.Match) -> str:
    label, url = m.group(1), html.unescape(m.group(2))
    if not is_safe_url(url):
        return label
    return f'<a href="{html.escape(url, quote=True)}">{label}</a>'
