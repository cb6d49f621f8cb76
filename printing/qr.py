"""QR codes to a page of the site, as inline SVG (segno: pure Python, nothing fetched)."""

import segno
from django.utils.safestring import mark_safe

from places.links import absolute_url

# Each module four units wide: about 2.5 cm for an address, read by a phone at arm's length.
SCALE = 4


def qr_svg(path, title):
    """An SVG QR code of the public address of `path` (a path of the site), titled `title`."""
    code = segno.make(absolute_url(path), error="m")
    return mark_safe(code.svg_inline(scale=SCALE, title=str(title), dark="#000", light="#fff"))
