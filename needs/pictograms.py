"""The fixed set of pictograms a need may show, vendored with the services' (Tabler's icons)."""

from pathlib import Path

from django.templatetags.static import static

NAMES = tuple(
    line.strip()
    for line in (Path(__file__).parent / "pictograms.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
)
CHOICES = [(name, name) for name in NAMES]


def url(name):
    return static(f"img/pictos/{name}.svg")
