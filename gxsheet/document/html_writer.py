"""The report as one self-contained HTML page, ready to paste into a government website's CMS.

Everything sits in one ``<div class="gxsheet-report">``; the CSS comes from template/report.css
(an office may restyle it) and is inlined without its comments. Nothing external: no scripts, links, images or fonts.
Tables are laid out from ``grid(table)``, the same grid the workbook and the Word writer use.
Every piece of text is data and is escaped; the same document always gives the same bytes.
"""

from __future__ import annotations

import html
import re
from itertools import pairwise

from .. import templates
from ..schema.grid import Grid, GridCell, grid
from .model import Document, Heading, Paragraph, TableBlock

CSS_NAME = "report.css"
HEADING_CLASS = {1: "gxsheet-part", 2: "gxsheet-section"}
# What would make the page fetch something or let the CSS end its <style> element.
_FORBIDDEN_CSS = re.compile(r"@import|url\s*\(|//|https?:|</|expression\s*\(|javascript:", re.IGNORECASE)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def load_css() -> str:
    """template/report.css without its comments, checked to keep the page self-contained."""
    css = templates.read_text(CSS_NAME)
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)  # the comments are for the office, not the page
    bad = _FORBIDDEN_CSS.search(css)
    if bad:
        raise templates.TemplateProblem(
            f"模板 {templates.display(CSS_NAME)} 不能引用外部内容（发现“{bad.group()}”）：网页必须自包含")
    css = re.sub(r"[ \t]+\n", "\n", css)
    return re.sub(r"\n\s*\n", "\n\n", css).strip()


# What a page needs to read as the report when a CMS editor strips <style> and class attributes:
# these properties of the element's rules in report.css are repeated in its style attribute.
ESSENTIAL = ("font-size", "font-weight", "text-indent", "text-align", "margin-right", "border",
             "border-collapse", "white-space")
_RULE = re.compile(r"([^{}@]+)\{([^{}]*)\}")


def rules(css: str) -> dict[str, dict[str, str]]:
    """The declarations of each selector of the top-level rules (@media blocks left out), last one winning."""
    css = re.sub(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", css)
    out: dict[str, dict[str, str]] = {}
    for selectors, body in _RULE.findall(css):
        decls = [d.split(":", 1) for d in body.split(";") if ":" in d]
        for sel in selectors.split(","):
            target = out.setdefault(" ".join(sel.split()), {})
            for name, value in decls:
                target[name.strip()] = value.strip()
    return out


class _Inline:
    """style="…" attributes from the essential properties of report.css."""

    def __init__(self, css: str) -> None:
        self.rules = rules(css)

    def __call__(self, *selectors: str, **extra: str) -> str:
        merged: dict[str, str] = {}
        for sel in selectors:
            merged.update({k: v for k, v in self.rules.get(sel, {}).items() if k in ESSENTIAL})
        merged.update({k.replace("_", "-"): v for k, v in extra.items()})
        return f' style="{_e("; ".join(f"{k}: {v}" for k, v in merged.items()))}"' if merged else ""


def render_html(doc: Document) -> str:
    """The whole report as an HTML5 page (UTF-8, lang zh-CN)."""
    title = doc.meta.get("title") or "".join(doc.title)
    css = load_css()
    inline = _Inline(css)
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="generator" content="gxsheet">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>",
        "<style>",
        css,
        "</style>",
        "</head>",
        "<body>",
        '<div class="gxsheet-report">',
    ]
    if doc.unchecked:
        out.append(f'<p class="unchecked" role="alert">{_e(doc.unchecked)}</p>')
    out.append(f'<h1 class="gxsheet-title"{inline("h1.gxsheet-title")}>'
               f'{"<br>".join(_title_line(line) for line in doc.title)}</h1>')
    for block in doc.blocks:
        if isinstance(block, Heading):
            out.append(_heading(block, inline))
        elif isinstance(block, Paragraph):
            extra = {"margin_right": f"{block.right:g}em"} if block.right else {}
            style = inline(f"p.{block.style}", **extra)
            text = _e(block.text)
            if block.style == "contact":  # a phone may break a long e-mail address after its @
                text = text.replace("@", "@<wbr>")
            out.append(f'<p class="{_e(block.style)}"{style}>{text}</p>')
        else:
            out += _table(block, inline)
    out += ["</div>", "</body>", "</html>", ""]
    return "\n".join(out)


# A year ("2024年", not the 年 of 年度) and a word with 年度 stay whole when a phone wraps the title.
_UNBROKEN = re.compile(r"\d+年(?!度)|年度\w{0,2}")


def _title_line(line: str) -> str:
    out, last = [], 0
    for m in _UNBROKEN.finditer(line):
        out += [_e(line[last:m.start()]), f'<span style="white-space: nowrap">{_e(m.group())}</span>']
        last = m.end()
    return "".join([*out, _e(line[last:])])


def _heading(h: Heading, inline: _Inline) -> str:
    tag = f"h{min(h.level + 1, 6)}"
    cls = HEADING_CLASS.get(h.level)
    attr = f' class="{cls}"{inline(f"{tag}.{cls}")}' if cls else ""
    return f"<{tag}{attr}>{_e(h.text)}</{tag}>"


def _crossed(g: Grid, row: int) -> bool:
    """Whether a merge runs across the line above this row."""
    return any(c.row < row < c.row + c.rowspan for c in g.cells)


def sections(g: Grid) -> list[tuple[str, int, int]]:
    """The row groups of a table as (tag, first row, end row).

    A table of one block puts its leading header rows in <thead> (browsers repeat them on each
    printed page). A stacked table (表二: a block per 第二十条 item, each under its own headers)
    has no header for the whole table: each block is a <tbody> of its own, headers as <th>.
    """
    starts = [r for r in g.header_rows if r - 1 not in g.header_rows and r > 0]
    bounds = [0, *(r for r in starts if not _crossed(g, r)), g.rows]
    if len(bounds) > 2:
        return [("tbody", a, b) for a, b in pairwise(bounds)]
    n = 0
    while n in g.header_rows:
        n += 1
    while n and _crossed(g, n):
        n -= 1
    return [(tag, a, b) for tag, a, b in (("thead", 0, n), ("tbody", n, g.rows)) if a < b]


def _widths(g: Grid) -> list[str]:
    """Column widths: the value columns share about half the width (all of it without label columns)."""
    first = min((c.col for c in g.cells if c.key), default=0)
    share = (52 if first else 100) / (g.cols - first)
    return ["" if col < first else f"{share:.2f}%" for col in range(g.cols)]


def _cell(c: GridCell, block: TableBlock, inline: _Inline) -> str:
    span = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + (f' colspan="{c.colspan}"' if c.colspan > 1 else "")
    if c.key:
        style = inline("table.gxsheet-table td", "table.gxsheet-table td.num")
        return f'<td class="num" align="center"{span}{style}>{_e(block.values[c.key])}</td>'
    tag = "th" if c.header else "td"
    return f"<{tag}{span}{inline(f'table.gxsheet-table {tag}')}>{_e(c.text)}</{tag}>"


# border, spacing, width and align repeat the CSS as attributes: a CMS editor that drops <style>
# keeps them, and Word, WPS and LibreOffice take table borders and cell alignment only from them.
TABLE_OPEN = '<table class="gxsheet-table" border="1" cellspacing="0" cellpadding="4" width="100%">'


def _table(block: TableBlock, inline: _Inline) -> list[str]:
    g = grid(block.table)
    by_row: dict[int, list[GridCell]] = {r: [] for r in range(g.rows)}
    for c in sorted(g.cells, key=lambda c: (c.row, c.col)):
        by_row[c.row].append(c)
    rows = [('<tr class="gxsheet-head">' if r in g.header_rows else "<tr>")
            + "".join(_cell(c, block, inline) for c in by_row[r]) + "</tr>" for r in range(g.rows)]
    out = ['<div class="gxsheet-scroll">', TABLE_OPEN[:-1] + inline("table.gxsheet-table") + ">", "<colgroup>"]
    out += [f'<col style="width: {w}">' if w else "<col>" for w in _widths(g)]
    out.append("</colgroup>")
    for tag, first, end in sections(g):
        out += [f"<{tag}>", *rows[first:end], f"</{tag}>"]
    out += ["</table>", "</div>"]
    out += [f'<p class="note"{inline("p.note")}>{_e(note)}</p>' for note in block.notes]
    return out
