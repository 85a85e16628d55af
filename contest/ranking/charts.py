"""Small server-side SVG charts: pure string building, no scripts, no external assets.

Every piece of text is XML-escaped; each chart carries role="img", an aria-label
and a <title> so screen readers announce it. Colours use currentColor where
possible so the page's theme applies.
"""

import math
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from contest.ranking.stats import Histogram

FONT = 'font-family="sans-serif" font-size="11"'


def _open(width: int, height: int, title: str) -> list[str]:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label={quoteattr(title)}>'
    )
    return [head, f"<title>{escape(title)}</title>"]


def _num(x: float) -> str:
    return f"{x:.1f}"


def _label(x: float, mark: str = ".") -> str:
    """A number as text for a reader: `mark` is the page language's decimal sign (, in kk/ru)."""
    return f"{x:g}".replace(".", mark)


def histogram_svg(
    hist: Histogram, title: str, x_label: str = "", width: int = 480, height: int = 240, mark: str = "."
) -> str:
    """A bar chart of `hist`: one bar per bin, its count in a tooltip, bin edges on the
    x axis, the largest count on the y axis."""
    left, right, top, bottom = 40, 10, 10, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max(hist.counts, default=0) or 1
    bar_w = plot_w / max(len(hist.counts), 1)
    out = _open(width, height, title)
    base = top + plot_h
    for i, count in enumerate(hist.counts):
        h = plot_h * count / peak
        x = left + i * bar_w
        tip = f"{_label(hist.edges[i], mark)}–{_label(hist.edges[i + 1], mark)}: {count}"
        out.append(
            f'<rect x="{_num(x + 1)}" y="{_num(base - h)}" width="{_num(max(bar_w - 2, 1))}" '
            f'height="{_num(h)}" fill="steelblue"><title>{escape(tip)}</title></rect>'
        )
    out.append(f'<line x1="{left}" y1="{base}" x2="{left + plot_w}" y2="{base}" '
               'stroke="currentColor"/>')
    for i, edge in enumerate(hist.edges):
        x = left + i * bar_w
        out.append(f'<text x="{_num(x)}" y="{base + 14}" text-anchor="middle" {FONT}>'
                   f"{escape(_label(edge, mark))}</text>")
    out.append(f'<text x="{left - 4}" y="{top + 10}" text-anchor="end" {FONT}>{peak}</text>')
    out.append(f'<text x="{left - 4}" y="{base}" text-anchor="end" {FONT}>0</text>')
    if x_label:
        out.append(f'<text x="{_num(left + plot_w / 2)}" y="{height - 6}" '
                   f'text-anchor="middle" {FONT}>{escape(x_label)}</text>')
    out.append("</svg>")
    return "\n".join(out)


CHAR_PX = 6.6  # a generous mean advance of an 11 px sans-serif letter, Cyrillic capitals included
LABEL_MIN, LABEL_MAX = 120, 260


def fit_label(label: str, room_px: float) -> str:
    """`label`, cut with an ellipsis when it would need more than `room_px`."""
    most = int(room_px // CHAR_PX)
    return label if len(label) <= most else label[:max(most - 1, 1)].rstrip() + "…"


def severity_svg(
    rows: Sequence[tuple[str, float, float]], title: str, width: int = 480, row_h: int = 18, mark: str = "."
) -> str:
    """One row per juror (label, severity, standard error): a point at the severity
    with a whisker of +-2 SE (none when the SE is unknown), and a dashed zero line.
    Negative = harsher than the average juror."""
    right, top, bottom = 20, 10, 30
    # The label column fits the longest name (Kazakh names with a patronymic run past 30
    # letters) up to LABEL_MAX px; a longer one is cut with an ellipsis, whole in its tooltip.
    longest = max((len(str(label)) for label, _s, _se in rows), default=0)
    left = min(max(LABEL_MIN, math.ceil(CHAR_PX * longest) + 10), LABEL_MAX)
    plot_w = max(width - LABEL_MIN - right, 200)
    width = left + plot_w + right
    spans = [abs(s) + 2 * (se if math.isfinite(se) else 0.0)
             for _, s, se in rows if math.isfinite(s)]
    reach = max(spans, default=0.0) or 1.0
    height = top + bottom + row_h * max(len(rows), 1)

    def px(v: float) -> str:
        return _num(left + plot_w * (v + reach) / (2 * reach))

    out = _open(width, height, title)
    out.append(f'<line x1="{px(0)}" y1="{top}" x2="{px(0)}" y2="{height - bottom}" '
               'stroke="currentColor" stroke-dasharray="3,3"/>')
    for i, (label, sev, se) in enumerate(rows):
        y = top + row_h * i + row_h / 2
        shown = fit_label(str(label), left - 10)
        whole = f"<title>{escape(str(label))}</title>" if shown != str(label) else ""
        out.append(f'<text x="{left - 6}" y="{_num(y + 4)}" text-anchor="end" {FONT}>'
                   f"{whole}{escape(shown)}</text>")
        if not math.isfinite(sev):
            continue
        tip = f"{label}: {sev:+.1f}" + (f" ± {2 * se:.1f}" if math.isfinite(se) else "")
        tip = tip.replace(".", mark) if mark != "." else tip
        out.append("<g>" + f"<title>{escape(tip)}</title>")
        if math.isfinite(se):
            out.append(f'<line x1="{px(sev - 2 * se)}" y1="{_num(y)}" x2="{px(sev + 2 * se)}" '
                       f'y2="{_num(y)}" stroke="currentColor"/>')
        out.append(f'<circle cx="{px(sev)}" cy="{_num(y)}" r="4" fill="firebrick"/></g>')
    axis_y = height - bottom + 14
    for v in (-reach, 0.0, reach):
        out.append(f'<text x="{px(v)}" y="{axis_y}" text-anchor="middle" {FONT}>'
                   f"{escape(f'{v:+.1f}'.replace('.', mark) if v else '0')}</text>")
    out.append("</svg>")
    return "\n".join(out)
