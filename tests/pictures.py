"""The README's dashboard picture: a generated dashboard's layout drawn as SVG from its JSON.

`python -m tests.pictures` rewrites docs/images/dashboard-layout.svg from output/'s Brownie
dashboard: rows as bands, panels as boxes at their grid positions, with titles and units. Grafana
itself is not needed; tests/test_pictures.py keeps the picture in step with the dashboard.
"""

from __future__ import annotations

import json
import sys
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = ROOT / "output" / "grafana" / "dashboards" / "brownie-metadata.json"
PICTURE = ROOT / "docs" / "images" / "dashboard-layout.svg"
CELL_W, CELL_H = 40, 22  # pixels per grid column and row (Grafana: 24 columns)


def svg(board: dict) -> str:
    """The layout of `board` (Grafana's dashboard JSON) as an SVG document."""
    panels = board["panels"]
    bottom = max(p["gridPos"]["y"] + p["gridPos"]["h"] for p in panels)
    width, height = 24 * CELL_W + 20, bottom * CELL_H + 60
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="13">',
        f'<rect width="{width}" height="{height}" fill="#111217"/>',
        f'<text x="10" y="24" fill="#ccccdc" font-size="16">{escape(board["title"])}</text>',
    ]
    for panel in panels:
        pos = panel["gridPos"]
        x, y = 10 + pos["x"] * CELL_W, 40 + pos["y"] * CELL_H
        w, h = pos["w"] * CELL_W - 6, pos["h"] * CELL_H - 6
        if panel["type"] == "row":
            out.append(f'<text x="{x}" y="{y + 16}" fill="#6e9fff">▾ {escape(panel["title"])}</text>')
            continue
        unit = panel.get("fieldConfig", {}).get("defaults", {}).get("unit", "")
        out.append(f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="3" fill="#181b1f" stroke="#2c3235"/>')
        out.append(f'<text x="{x + 8}" y="{y + 18}" fill="#ccccdc">{escape(panel["title"])}</text>')
        if unit:
            out.append(f'<text x="{x + 8}" y="{y + 36}" fill="#8e8e8e" font-size="11">{escape(unit)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main() -> int:
    """Rewrite the picture from the committed dashboard."""
    PICTURE.parent.mkdir(parents=True, exist_ok=True)
    PICTURE.write_text(svg(json.loads(DASHBOARD.read_text())))
    print(f"wrote {PICTURE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
