"""Draw the EU emblem (the flag of Europe) as styles/eu-emblem.svg and .png.

Geometry from the EU's graphic specification: a 3:2 blue rectangle, twelve gold
five-pointed stars on a circle whose radius is a third of the height; each star's
outer radius is an eighteenth of the height. Run again only to change the files.
"""
from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw

STYLES = Path(__file__).resolve().parent.parent / "styles"
WIDTH, HEIGHT = 810, 540
BLUE, GOLD = "#003399", "#FFCC00"


def star(cx: float, cy: float, radius: float) -> list[tuple[float, float]]:
    inner = radius * math.sin(math.radians(18)) / math.sin(math.radians(54))
    return [(cx + (radius if i % 2 == 0 else inner) * math.cos(-math.pi / 2 + i * math.pi / 5),
             cy + (radius if i % 2 == 0 else inner) * math.sin(-math.pi / 2 + i * math.pi / 5)) for i in range(10)]


def stars(scale: float = 1.0) -> list[list[tuple[float, float]]]:
    cx, cy, ring = WIDTH / 2 * scale, HEIGHT / 2 * scale, HEIGHT / 3 * scale
    return [star(cx + ring * math.cos(-math.pi / 2 + k * math.pi / 6), cy + ring * math.sin(-math.pi / 2 + k * math.pi / 6),
                 HEIGHT / 18 * scale) for k in range(12)]


def svg() -> str:
    polygons = "\n  ".join('<polygon points="{}"/>'.format(" ".join(f"{x:.2f},{y:.2f}" for x, y in s)) for s in stars())
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}">\n'
            f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{BLUE}"/>\n<g fill="{GOLD}">\n  {polygons}\n</g>\n</svg>\n')


def png(scale: int = 4) -> Image.Image:
    """Drawn large and scaled down, for smooth edges."""
    image = Image.new("RGB", (WIDTH * scale, HEIGHT * scale), BLUE)
    draw = ImageDraw.Draw(image)
    for polygon in stars(scale):
        draw.polygon(polygon, fill=GOLD)
    return image.resize((WIDTH // 2, HEIGHT // 2), Image.LANCZOS)


if __name__ == "__main__":
    (STYLES / "eu-emblem.svg").write_text(svg(), encoding="utf-8")
    png().save(STYLES / "eu-emblem.png", optimize=True)
