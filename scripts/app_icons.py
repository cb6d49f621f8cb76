#!/usr/bin/env python3
"""Draw the icons of the web app manifest (solozere/views.py: `manifest`) into static/img/app/.

The favicon's pin (static/img/favicon.svg, drawn as scripts/og_card.py draws it) on the site's
accent colour (static/css/site.css): 192 and 512 pixels with the favicon's rounded corners, for
« any » purpose; 512 pixels filling the square with the pin inside the central 80 % circle, for
« maskable » (the launcher cuts its own shape). Run it again after changing the colours.
"""

import sys
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from og_card import ACCENT, pin  # noqa: E402

TARGET = ROOT / "static" / "img" / "app"
# Drawn this many times larger, then reduced: smooth edges without antialiasing in ImageDraw.
OVERSAMPLE = 4


def icon(size, maskable):
    big = size * OVERSAMPLE
    if maskable:
        image = Image.new("RGB", (big, big), ACCENT)
        # The pin (from 5.7 to 27 of the favicon's 32 units high) 55 % of the width high,
        # centred: well inside the safe zone, a circle of 80 % of the width.
        scale = big * 0.55 / 21.3
        left, top = big / 2 - 16 * scale, big / 2 - 16.35 * scale
    else:
        image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
        ImageDraw.Draw(image).rounded_rectangle(
            [0, 0, big - 1, big - 1], radius=big * 6 / 32, fill=ACCENT
        )
        scale, left, top = big / 32, 0, 0
    pin(ImageDraw.Draw(image), left, top, scale)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main():
    TARGET.mkdir(parents=True, exist_ok=True)
    for name, size, maskable in [
        ("icon-192.png", 192, False),
        ("icon-512.png", 512, False),
        ("maskable-512.png", 512, True),
    ]:
        output = TARGET / name
        icon(size, maskable).save(output, format="PNG", optimize=True)
        print(f"{output.relative_to(ROOT)}: {size} × {size}")


if __name__ == "__main__":
    main()
