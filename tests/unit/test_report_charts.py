"""The HTML report's before/after charts: inline SVG with words for screen readers, no script
and nothing fetched, and drawn for real by a headless Chromium with the network cut off."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from perfcoach.report import render
from perfcoach.report.svg import COLOURS
from tests.unit.test_report import _report

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
CHARTS = ("dist-wall_s", "dist-cpu_s", "dist-peak_rss_kib")


def test_every_figure_gets_a_chart_of_its_runs_with_a_text_alternative() -> None:
    html = render(_report(), "html")
    svgs = re.findall(r"<svg .*?</svg>", html, flags=re.S)
    assert [re.search(r'id="([^"]+)"', svg)[1] for svg in svgs] == list(CHARTS)  # type: ignore[index]
    wall = svgs[0]
    assert 'role="img"' in wall and 'aria-labelledby="dist-wall_s-t dist-wall_s-d"' in wall
    assert '<title id="dist-wall_s-t">wall time: every run, before and after</title>' in wall
    assert (
        "before: median 1.25 s, 3 runs from 1.2 s to 1.3 s; "
        "after: median 310 ms, 3 runs from 300 ms to 320 ms" in wall
    )
    assert wall.count("<circle") == 6  # three runs a side, one dot each
    assert "<title>after run 2: 310 ms</title>" in wall
    assert "<script" not in html and "javascript:" not in html
    assert not re.search(r'(src|href)="', html)  # nothing to fetch: the page stands alone


def test_a_figure_one_side_lacks_gets_no_chart() -> None:
    report = _report()
    compare = report.measurements[1]
    against = compare.figures["against"]
    assert against is not None
    against["cpu_s"] = None  # imported from pyperf: no CPU time
    html = render(report, "html")
    assert 'id="dist-wall_s"' in html and 'id="dist-cpu_s"' not in html


def _pixels(png: bytes) -> set[tuple[int, int, int]]:
    """Every colour in an 8-bit RGB or RGBA PNG, as Chromium writes its screenshots."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, data, header = 8, b"", b""
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, body = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            data += body
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0
    bpp = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(data), width * bpp
    prev, seen = bytearray(stride), set()
    for y in range(height):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        seen.update(zip(line[0::bpp], line[1::bpp], line[2::bpp], strict=True))
        prev = line
    return seen


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


@pytest.mark.skipif(
    BROWSER is None,
    reason="no Chromium installed (apt-get install chromium; .ci/run installs it): "
    "the HTML report's charts are not checked in a browser",
)
def test_the_report_renders_its_charts_in_headless_chromium(tmp_path: Path) -> None:
    page, shot = tmp_path / "report.html", tmp_path / "report.png"
    page.write_text(render(_report(), "html"), encoding="utf-8")
    assert BROWSER is not None
    done = subprocess.run(
        [
            BROWSER,
            "--headless",
            "--no-sandbox",  # CI runs as root, where Chromium's own sandbox refuses to start
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--disable-background-networking",
            "--disable-component-update",
            "--host-resolver-rules=MAP * ~NOTFOUND",  # the page must render with no network
            "--window-size=720,1100",
            f"--screenshot={shot}",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    for chart in CHARTS:
        svg = re.search(rf'<svg [^>]*id="{chart}".*?</svg>', dom, flags=re.S)
        assert svg is not None, chart
        assert svg[0].count("<circle") == 6 and "<desc" in svg[0]
    # only the charts paint the before and after colours: both rows were drawn
    colours = _pixels(shot.read_bytes())
    assert _rgb(COLOURS["after"]) in colours
    assert _rgb(COLOURS["before"]) in colours
    assert len(colours) > 20  # text, rules and antialiased dots, not a blank page
