#!/usr/bin/env python3
"""Draw static/img/og-card.png, the picture link previews show for a place without a photo.

1200 × 630 pixels, the size OpenGraph and Twitter cards expect: the favicon's pin on the site's
accent colour (static/css/site.css), its name and tagline in DejaVu Sans (apt-get install
fonts-dejavu-core). Run it again after changing the colours or the tagline.
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "static" / "img" / "og-card.png"
FONTS = Path("/usr/share/fonts/truetype/dejavu")
SIZE = (1200, 630)
ACCENT, PAPER, WASH = "#0b5e55", "#ffffff", "#f2f6f5"


def pin(draw, left, top, scale):
    """The favicon's map pin: a circle drawn to a point, with a hole."""
    radius = 8 * scale
    centre = (left + 16 * scale, top + 13.7 * scale)
    draw.ellipse(
        [centre[0] - radius, centre[1] - radius, centre[0] + radius, centre[1] + radius],
        fill=PAPER,
    )
    draw.polygon(
        [
            (centre[0] - 7.2 * scale, centre[1] + 3.6 * scale),
            (centre[0] + 7.2 * scale, centre[1] + 3.6 * scale),
            (left + 16 * scale, top + 27 * scale),
        ],
        fill=PAPER,
    )
    hole = 2.8 * scale
    draw.ellipse(
        [centre[0] - hole, centre[1] - hole, centre[0] + hole, centre[1] + hole], fill=ACCENT
    )


def main():
    card = Image.new("RGB", SIZE, ACCENT)
    draw = ImageDraw.Draw(card)
    pin(draw, 90, 150, 10)
    name = ImageFont.truetype(str(FONTS / "DejaVuSans-Bold.ttf"), 120)
    tagline = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 52)
    draw.text((430, 200), "Solozère", font=name, fill=PAPER)
    draw.text((436, 350), "Les tiers-lieux de Lozère", font=tagline, fill=WASH)
    card.save(OUTPUT, format="PNG", optimize=True)
    print(f"{OUTPUT.relative_to(ROOT)}: {SIZE[0]} × {SIZE[1]}")


if __name__ == "__main__":
    main()
