"""Charts out as PNG: the figure a page shows, titled, on white, as an image file.

Kaleido renders through the system's Chromium (it finds ``/usr/bin/chromium``); a render costs about
a second, so pages ask for it only when someone clicks the download.
"""

from __future__ import annotations

import plotly.graph_objects as go

WIDTH = 1400
HEIGHT = 700


def figure_png(
    figure: go.Figure, title: str | None = None, width: int = WIDTH, height: int | None = None
) -> bytes:
    """The figure as a PNG: ``title`` on top (a chart in a file has no page heading around it),
    white background, the figure's own height when it set one."""
    copy = go.Figure(figure)
    if title:
        copy.update_layout(title={"text": title, "x": 0.01, "xanchor": "left"})
        top = (copy.layout.margin.t or 0) if copy.layout.margin else 0
        copy.update_layout(margin={"t": max(top, 70)})
    copy.update_layout(
        paper_bgcolor="white", plot_bgcolor="white", template=copy.layout.template or "plotly_white"
    )
    return copy.to_image(format="png", width=width, height=height or copy.layout.height or HEIGHT, scale=1)
