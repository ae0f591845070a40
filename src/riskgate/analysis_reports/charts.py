"""Server-side SVG charts for the assessment reports: bar, stacked bar, line with an upper bound,
donut.

Pure functions from numbers and labels to an SVG document (a string), so that a PDF can embed
the same picture the console shows, without a browser or a third-party plotting library.
Whatever the input — no data, NaN, negative or astronomically large values, labels with markup or
control characters — the output is well-formed XML; the same input always gives the same bytes
(fixed number formatting, no ids or timestamps). Text uses a CJK font family first, so Chinese
labels render wherever WenQuanYi Micro Hei (or Noto Sans CJK) is installed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

FONT_FAMILY = "WenQuanYi Micro Hei, Noto Sans CJK SC, Microsoft YaHei, sans-serif"
PALETTE = (
    "#2f6fb0", "#d9822b", "#3a9a5b", "#c23b3b", "#7a5cb8",
    "#8c6d46", "#d16fa6", "#6b7785", "#b3a230", "#2aa3b4",
)
# Values are clamped to this magnitude before drawing; labels still show the clamped figure.
LIMIT = 1e15
MAX_CATEGORIES = 200
MAX_LABEL = 24


@dataclass(frozen=True)
class Size:
    width: int = 640
    height: int = 300


# --- Helpers (also used by the tests) -------------------------------------------------------


def clean_value(value: object) -> float:
    """A finite float within ±LIMIT; anything else (None, NaN, ±inf, junk) counts as 0."""
    try:
        number = float(value)  # type: ignore[arg-type]  # any value: float() refuses what it cannot read
    except (TypeError, ValueError, OverflowError):
        return 0.0
    if not math.isfinite(number):
        return 0.0
    return max(-LIMIT, min(LIMIT, number))


def clean_text(text: object, limit: int = MAX_LABEL) -> str:
    """Printable text for an SVG label: XML-illegal characters dropped, long labels shortened."""
    raw = "" if text is None else str(text)
    kept = "".join(
        c for c in raw
        if (c in "\t " or c.isprintable()) and not 0xD800 <= ord(c) <= 0xDFFF
        and c not in "\ufffe\uffff"
    )
    kept = " ".join(kept.split())
    return kept if len(kept) <= limit else kept[: limit - 1] + "…"


def text_width(text: str, font_size: float) -> float:
    """A rough rendered width: CJK and other wide characters are a full em, the rest ~0.6 em."""
    return sum(font_size if ord(c) > 0x2E80 else font_size * 0.6 for c in text)


def fmt(number: float) -> str:
    """A fixed, locale-free rendering of a coordinate (two decimals, no '-0')."""
    text = f"{number:.2f}"
    return "0.00" if text == "-0.00" else text


def label_number(number: float) -> str:
    """An axis or value label: integers plainly, large numbers with a suffix, else 3 digits."""
    magnitude = abs(number)
    for limit, suffix in ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e4, "k")):
        if magnitude >= limit:
            return f"{number / limit:.3g}{suffix}"
    if number == int(number):
        return str(int(number))
    return f"{number:.3g}"


def nice_ticks(low: float, high: float, count: int = 5, *, integer: bool = False) -> list[float]:
    """Round tick values covering [low, high] (which include 0 for bar charts); whole numbers
    only when `integer` (counts)."""
    if high < low:
        low, high = high, low
    if high - low < 1e-6:  # also keeps log10 away from underflowing steps
        high = low + 1.0
    raw_step = (high - low) / max(count, 1)
    exponent = math.floor(math.log10(raw_step))
    base = 10.0 ** exponent
    step = next(m * base for m in (1, 2, 5, 10) if m * base >= raw_step)
    if integer:
        step = max(step, 1.0)
    start = math.floor(low / step) * step
    ticks = [start]
    while (ticks[-1] < high - step * 1e-9 or len(ticks) < 2) and len(ticks) < 50:
        ticks.append(start + step * len(ticks))
    return [0.0 if abs(t) < step * 1e-9 else t for t in ticks]


def _text(x: float, y: float, content: str, *, size: int = 11, anchor: str = "middle",
          weight: str = "normal", fill: str = "#333", rotate: float | None = None) -> str:
    transform = f' transform="rotate({fmt(rotate)} {fmt(x)} {fmt(y)})"' if rotate else ""
    return (f'<text x="{fmt(x)}" y="{fmt(y)}" font-size="{size}" text-anchor="{anchor}" '
            f'font-weight="{weight}" fill="{fill}"{transform}>{escape(content)}</text>')


def _document(size: Size, title: str, body: list[str]) -> str:
    title = clean_text(title, 80)
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size.width}" '
            f'height="{size.height}" viewBox="0 0 {size.width} {size.height}" '
            f'font-family={quoteattr(FONT_FAMILY)} role="img" '
            f'aria-label={quoteattr(title)}>')
    parts = [head, f"<title>{escape(title)}</title>",
             f'<rect width="{size.width}" height="{size.height}" fill="#ffffff"/>']
    if title:
        parts.append(_text(size.width / 2, 18, title, size=13, weight="bold"))
    parts.extend(body)
    parts.append("</svg>")
    return "\n".join(parts)


def _empty(size: Size, title: str, message: str) -> str:
    return _document(size, title, [
        _text(size.width / 2, size.height / 2, clean_text(message, 60), size=12, fill="#888")])


@dataclass(frozen=True)
class _Plot:
    """The plotting area and the value axis of a chart with categories along x."""

    left: float
    top: float
    right: float
    bottom: float
    ticks: list[float]

    @property
    def low(self) -> float:
        return self.ticks[0]

    @property
    def high(self) -> float:
        return self.ticks[-1]

    def y(self, value: float) -> float:
        span = self.high - self.low or 1.0
        return self.bottom - (value - self.low) / span * (self.bottom - self.top)

    def slot(self, count: int) -> float:
        return (self.right - self.left) / max(count, 1)


def _plot(size: Size, low: float, high: float, *, legend: bool, integer: bool = False) -> _Plot:
    ticks = nice_ticks(low, high, integer=integer)
    widest = max(text_width(label_number(t), 10) for t in ticks)
    bottom = size.height - (78 if legend else 58)
    return _Plot(left=12 + widest, top=34, right=size.width - 14, bottom=bottom, ticks=ticks)


def _axes(plot: _Plot, categories: Sequence[str]) -> list[str]:
    parts = []
    for tick in plot.ticks:
        y = plot.y(tick)
        parts.append(f'<line x1="{fmt(plot.left)}" y1="{fmt(y)}" x2="{fmt(plot.right)}" '
                     f'y2="{fmt(y)}" stroke="#e3e3e3" stroke-width="1"/>')
        parts.append(_text(plot.left - 4, y + 3.5, label_number(tick), size=10, anchor="end"))
    zero = plot.y(0.0) if plot.low <= 0 <= plot.high else plot.bottom
    parts.append(f'<line x1="{fmt(plot.left)}" y1="{fmt(zero)}" x2="{fmt(plot.right)}" '
                 f'y2="{fmt(zero)}" stroke="#888" stroke-width="1"/>')
    slot = plot.slot(len(categories))
    # Show every n-th label so that they do not overlap; rotate when slots are narrow.
    longest = max((text_width(c, 10) for c in categories), default=0.0)
    rotate = longest > slot * 0.95
    room = 14.0 if rotate else longest + 6
    every = max(1, math.ceil(room / max(slot, 1e-9)))
    for index, category in enumerate(categories):
        if index % every:
            continue
        x = plot.left + slot * (index + 0.5)
        if rotate:
            parts.append(_text(x + 3, plot.bottom + 12, category, size=10, anchor="end",
                               rotate=-35))
        else:
            parts.append(_text(x, plot.bottom + 14, category, size=10))
    return parts


def _legend(size: Size, names: Sequence[str], colours: Sequence[str], *,
            dashed: set[int] | None = None) -> list[str]:
    parts, x = [], 14.0
    y = size.height - 14
    for index, (name, colour) in enumerate(zip(names, colours, strict=True)):
        width = text_width(name, 10) + 26
        if x + width > size.width and x > 14:
            break
        if dashed and index in dashed:
            parts.append(f'<line x1="{fmt(x)}" y1="{fmt(y - 4)}" x2="{fmt(x + 14)}" '
                         f'y2="{fmt(y - 4)}" stroke="{colour}" stroke-width="2" '
                         f'stroke-dasharray="4 2"/>')
        else:
            parts.append(f'<rect x="{fmt(x)}" y="{fmt(y - 9)}" width="12" height="10" '
                         f'fill="{colour}"/>')
        parts.append(_text(x + 17, y, name, size=10, anchor="start"))
        x += width
    return parts


def _whole(values: Sequence[float]) -> bool:
    return all(float(v).is_integer() for v in values)


def _categories(categories: Sequence[object]) -> list[str]:
    return [clean_text(c) for c in list(categories)[:MAX_CATEGORIES]]


def _series_values(values: Sequence[object], count: int) -> list[float]:
    cleaned = [clean_value(v) for v in list(values)[:count]]
    return cleaned + [0.0] * (count - len(cleaned))


# --- Charts ---------------------------------------------------------------------------------


def bar_chart(categories: Sequence[object], values: Sequence[object], *, title: str = "",
              empty_message: str = "No data", colour: str = PALETTE[0],
              size: Size = Size()) -> str:
    """One bar per category; negative values hang below the zero line."""
    labels = _categories(categories)
    numbers = _series_values(values, len(labels))
    if not labels:
        return _empty(size, title, empty_message)
    plot = _plot(size, min(0.0, *numbers), max(0.0, *numbers), legend=False,
                 integer=_whole(numbers))
    slot = plot.slot(len(labels))
    parts = _axes(plot, labels)
    zero = plot.y(0.0)
    show_values = slot >= 22
    for index, value in enumerate(numbers):
        x = plot.left + slot * index + slot * 0.15
        top, bottom = sorted((plot.y(value), zero))
        parts.append(f'<rect x="{fmt(x)}" y="{fmt(top)}" width="{fmt(slot * 0.7)}" '
                     f'height="{fmt(bottom - top)}" fill="{colour}"/>')
        if show_values and value:
            y = top - 3 if value > 0 else bottom + 11
            parts.append(_text(x + slot * 0.35, y, label_number(value), size=9))
    return _document(size, title, parts)


def stacked_bar_chart(categories: Sequence[object],
                      series: Sequence[tuple[object, Sequence[object]]], *, title: str = "",
                      empty_message: str = "No data", size: Size = Size()) -> str:
    """Bars stacked by series; positive parts stack up from zero and negative parts down."""
    labels = _categories(categories)
    named = [(clean_text(name), _series_values(values, len(labels)))
             for name, values in list(series)[: len(PALETTE)]]
    if not labels or not named:
        return _empty(size, title, empty_message)
    ups = [sum(max(v[i], 0.0) for _n, v in named) for i in range(len(labels))]
    downs = [sum(min(v[i], 0.0) for _n, v in named) for i in range(len(labels))]
    plot = _plot(size, min(0.0, *downs), max(0.0, *ups), legend=True,
                 integer=_whole([v for _n, values in named for v in values]))
    slot = plot.slot(len(labels))
    parts = _axes(plot, labels)
    for index in range(len(labels)):
        up, down = 0.0, 0.0
        x = plot.left + slot * index + slot * 0.15
        for number, (_name, values) in enumerate(named):
            value = values[index]
            if value == 0:
                continue
            if value > 0:
                start, up = up, up + value
                top, bottom = plot.y(up), plot.y(start)
            else:
                start, down = down, down + value
                top, bottom = plot.y(start), plot.y(down)
            parts.append(f'<rect x="{fmt(x)}" y="{fmt(top)}" width="{fmt(slot * 0.7)}" '
                         f'height="{fmt(max(bottom - top, 0.0))}" fill="{PALETTE[number]}"/>')
    parts += _legend(size, [n for n, _v in named], PALETTE[: len(named)])
    return _document(size, title, parts)


def line_chart(categories: Sequence[object],
               series: Sequence[tuple[object, Sequence[object]]], *, title: str = "",
               upper_bound: Sequence[object | None] | None = None,
               bound_label: str = "Upper bound", empty_message: str = "No data",
               size: Size = Size()) -> str:
    """Lines over categories (e.g. weeks), with an optional dashed upper-bound line; points
    where the first series exceeds the bound are marked with a red dot (an alarm)."""
    labels = _categories(categories)
    named = [(clean_text(name), _series_values(values, len(labels)))
             for name, values in list(series)[: len(PALETTE) - 1]]
    bound: list[float | None] = []
    if upper_bound is not None:
        raw = list(upper_bound)[: len(labels)]
        bound = [None if v is None else clean_value(v) for v in raw]
        bound += [None] * (len(labels) - len(bound))
    if not labels or not named:
        return _empty(size, title, empty_message)
    everything = [v for _n, values in named for v in values] + [b for b in bound if b is not None]
    plot = _plot(size, min(0.0, *everything), max(0.0, *everything), legend=True,
                 integer=_whole(everything))
    slot = plot.slot(len(labels))
    parts = _axes(plot, labels)

    def xy(index: int, value: float) -> str:
        return f"{fmt(plot.left + slot * (index + 0.5))},{fmt(plot.y(value))}"

    for number, (_name, values) in enumerate(named):
        points = " ".join(xy(i, v) for i, v in enumerate(values))
        parts.append(f'<polyline points="{points}" fill="none" stroke="{PALETTE[number]}" '
                     f'stroke-width="2"/>')
    names, colours, dashed = [n for n, _v in named], list(PALETTE[: len(named)]), set()
    if bound:
        segment: list[str] = []
        segments = []
        for index, value in enumerate(bound):
            if value is None:
                if segment:
                    segments.append(segment)
                segment = []
            else:
                segment.append(xy(index, value))
        if segment:
            segments.append(segment)
        for run in segments:
            parts.append(f'<polyline points="{" ".join(run)}" fill="none" stroke="#c23b3b" '
                         f'stroke-width="1.5" stroke-dasharray="5 3"/>')
        first = named[0][1]
        for index, value in enumerate(bound):
            if value is not None and first[index] > value:
                x, y = xy(index, first[index]).split(",")
                parts.append(f'<circle cx="{x}" cy="{y}" r="3.5" fill="#c23b3b"/>')
        names.append(clean_text(bound_label))
        colours.append("#c23b3b")
        dashed.add(len(names) - 1)
    parts += _legend(size, names, colours, dashed=dashed)
    return _document(size, title, parts)


def donut_chart(slices: Sequence[tuple[object, object]], *, title: str = "",
                empty_message: str = "No data", size: Size = Size()) -> str:
    """Shares of a whole as a ring; zero, negative and non-numeric parts are left out (a share
    cannot be negative), and the legend gives each part's count and percentage."""
    parts_in = [(clean_text(label), clean_value(value)) for label, value in list(slices)[:50]]
    kept = [(label, value) for label, value in parts_in if value > 0][: len(PALETTE)]
    total = sum(value for _l, value in kept)
    if not kept or total <= 0:
        return _empty(size, title, empty_message)
    radius = min(size.height - 60, size.width / 2 - 40) / 2
    radius = max(radius, 10.0)
    inner = radius * 0.55
    cx, cy = 20 + radius, 32 + radius
    parts: list[str] = []
    angle = -math.pi / 2
    for number, (_label, value) in enumerate(kept):
        share = value / total
        if share >= 0.999999:
            parts.append(f'<circle cx="{fmt(cx)}" cy="{fmt(cy)}" r="{fmt((radius + inner) / 2)}" '
                         f'fill="none" stroke="{PALETTE[number]}" '
                         f'stroke-width="{fmt(radius - inner)}"/>')
            break
        end = angle + share * 2 * math.pi
        large = 1 if share > 0.5 else 0

        def point(r: float, a: float) -> str:
            return f"{fmt(cx + r * math.cos(a))} {fmt(cy + r * math.sin(a))}"

        path = (f"M {point(radius, angle)} A {fmt(radius)} {fmt(radius)} 0 {large} 1 "
                f"{point(radius, end)} L {point(inner, end)} "
                f"A {fmt(inner)} {fmt(inner)} 0 {large} 0 {point(inner, angle)} Z")
        parts.append(f'<path d="{path}" fill="{PALETTE[number]}" stroke="#ffffff" '
                     f'stroke-width="1"/>')
        angle = end
    parts.append(_text(cx, cy + 5, label_number(total), size=14, weight="bold"))
    x = cx + radius + 30
    for number, (label, value) in enumerate(kept):
        row_y = 44 + number * 20
        if row_y > size.height - 8:
            break
        parts.append(f'<rect x="{fmt(x)}" y="{fmt(row_y - 10)}" width="12" height="12" '
                     f'fill="{PALETTE[number]}"/>')
        percent = f"{value / total * 100:.1f}%"
        parts.append(_text(x + 18, row_y, f"{label}  {label_number(value)} ({percent})",
                           size=11, anchor="start"))
    return _document(size, title, parts)
