"""A server-drawn SVG bar chart for the participation statistics, in the style of
ranking.charts: no scripts, every text escaped, role="img" with a title."""
from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

FONT = 'font-family="sans-serif" font-size="11"'
SERIES = (("entries", "#c9d6e8"), ("ready", "#7fa7d6"), ("judged", "steelblue"), ("winners", "#d08c2c"))


def groups_svg(rows: list[tuple[str, dict[str, int]]], title: str, legend: dict[str, str],
               width: int = 560, row_h: int = 22, label_w: int = 190) -> str:
    """One row per group: four thin bars (entries, ready, judged, winners) on one scale."""
    top, right = 26, 40
    height = top + row_h * max(len(rows), 1) + 8
    peak = max((values["entries"] for _label, values in rows), default=0) or 1
    plot_w = width - label_w - right
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-label={quoteattr(title)}>',
           f"<title>{escape(title)}</title>"]
    x = label_w
    for key, colour in SERIES:
        out.append(f'<rect x="{x}" y="6" width="10" height="10" fill="{colour}"/>'
                   f'<text x="{x + 14}" y="15" {FONT}>{escape(legend[key])}</text>')
        x += 18 + 7 * len(legend[key])
    bar_h = (row_h - 6) / len(SERIES)
    for i, (label, values) in enumerate(rows):
        y = top + i * row_h
        short = label if len(label) <= 30 else label[:29] + "…"
        out.append(f'<text x="{label_w - 6}" y="{y + row_h / 2 + 4:.1f}" text-anchor="end" {FONT}>'
                   f"{escape(short)}</text>")
        for j, (key, colour) in enumerate(SERIES):
            w, tip = plot_w * values[key] / peak, escape(f"{label} · {legend[key]}: {values[key]}")
            out.append(f'<rect x="{label_w}" y="{y + 2 + j * bar_h:.1f}" width="{w:.1f}" '
                       f'height="{bar_h:.1f}" fill="{colour}"><title>{tip}</title></rect>')
        end = label_w + plot_w * values["entries"] / peak + 4
        out.append(f'<text x="{end:.1f}" y="{y + row_h / 2 + 4:.1f}" {FONT}>{values["entries"]}</text>')
    out.append("</svg>")
    return "\n".join(out)
