"""Bar charts drawn on the server as SVG, each with the rows of its data table.

No chart library and no script: the picture is plain SVG markup built here, so
it shows without JavaScript and is served with the page. The SVG carries a
summary of its values as its text alternative (``<title>``/``<desc>``) and the
page shows the same rows as a table.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Iterable, Optional

from markupsafe import Markup

#: Geometry of a chart, in SVG user units (the SVG scales to its box).
WIDTH = 480
ROW_HEIGHT = 44
LABEL_HEIGHT = 18
BAR_HEIGHT = 16
MARGIN = 8
#: Characters of a label drawn above its bar; the table has the whole text.
LABEL_LENGTH = 60
_KHMER = re.compile("[\u1780-\u17ff\u19e0-\u19ff]")


@dataclasses.dataclass(frozen=True)
class Bar:
    """One bar: its label, its value and where its entries are listed."""

    label: str
    value: int
    url: Optional[str] = None
    #: Language of the label when it is not the page's (e.g. an English licence name).
    lang: Optional[str] = None


@dataclasses.dataclass(frozen=True)
class Chart:
    """A chart: its identifier on the page, caption, bars and the SVG drawing."""

    id: str
    caption: str
    value_label: str
    bars: tuple[Bar, ...]
    svg: Markup


def _short(label: str) -> str:
    return label if len(label) <= LABEL_LENGTH else label[:LABEL_LENGTH - 1].rstrip() + "…"


def text_language(text: str, page_language: str) -> Optional[str]:
    """The language to mark on a label shown on a page in ``page_language``:
    ``en`` for a label without any Khmer letter on a Khmer page (names of
    licences, formats, organisations), else None (the page's language)."""
    if page_language == "km" and text and not _KHMER.search(text):
        return "en"
    return None


def bar_chart(chart_id: str, caption: str, value_label: str, bars: Iterable[Bar],
              summary_template: str = "{label}: {value}") -> Chart:
    """A horizontal bar chart, longest bar first in the order given.

    :param chart_id: unique on the page (ids of the SVG's title and description)
    :param caption: what the chart shows (its ``<title>``; the page's figcaption)
    :param value_label: the header of the values' column (e.g. "Datasets")
    :param summary_template: one value in the text alternative, with ``{label}``
        and ``{value}``
    """
    bars = tuple(bars)
    top = max((bar.value for bar in bars), default=0) or 1
    height = MARGIN * 2 + ROW_HEIGHT * max(len(bars), 1)
    summary = "; ".join(summary_template.format(label=bar.label, value=bar.value) for bar in bars)
    parts = [
        Markup('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
               'role="img" aria-labelledby="{id}-title {id}-desc">').format(w=WIDTH, h=height, id=chart_id),
        Markup('<title id="{}-title">{}</title>').format(chart_id, caption),
        Markup('<desc id="{}-desc">{}</desc>').format(chart_id, summary),
    ]
    usable = WIDTH - 2 * MARGIN - 48  # room for the value after the longest bar
    for index, bar in enumerate(bars):
        y = MARGIN + index * ROW_HEIGHT
        length = max(round(usable * bar.value / top), 2 if bar.value else 0)
        lang = Markup(' lang="{}"').format(bar.lang) if bar.lang else Markup("")
        parts.append(Markup(
            '<g><text x="{x}" y="{ty}"{lang}>{label}</text>'
            '<rect class="odconf-bar" x="{x}" y="{by}" width="{length}" height="{bh}" rx="2"/>'
            '<text x="{vx}" y="{vy}">{value}</text></g>').format(
                x=MARGIN, ty=y + LABEL_HEIGHT - 4, lang=lang, label=_short(bar.label),
                by=y + LABEL_HEIGHT, length=length, bh=BAR_HEIGHT,
                vx=MARGIN + length + 6, vy=y + LABEL_HEIGHT + BAR_HEIGHT - 3, value=bar.value))
    parts.append(Markup("</svg>"))
    return Chart(id=chart_id, caption=caption, value_label=value_label, bars=bars,
                 svg=Markup("").join(parts))

