"""The raster cover image of an e-book: the edition's cover drawn as a PNG (Pillow).

Reading apps show it on their shelves, and many cannot show an SVG cover. It is drawn
from the cover of the edition's HTML (acronym, project, number, title, funding line),
in the project's fonts (styles/fonts.yaml: each line in the first font that has all its
characters), with the EU emblem (styles/eu-emblem.png) and the design tokens' colours:
the same document gives the same bytes. A right-to-left cover is mirrored, its lines
shaped and ordered by Raqm (HarfBuzz and FriBiDi, which Pillow finds with Pango's).
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import Callable

from .tokens import Tokens

SIZE = (1200, 1600)                         # 3:4, as most e-book stores ask
MARGIN = 90
BAND = 40                                   # the blue band at the top, as the print cover's rule


def draw(cover, design: Tokens, fonts: Callable[[str, str], Path], emblem_path, direction: str = "ltr") -> bytes:
    """`cover`: the HTML <header class="cover">; `fonts(text, face)`: the file of the face
    ("Regular", "Bold") of the font that sets `text`."""
    from PIL import Image, ImageDraw

    def text(selector: str) -> str:
        found = cover.xpath(selector)
        return " ".join(found[0].text_content().split()) if found else ""

    heading, ink, muted = (f"#{design.color(name)}" for name in ("color-heading", "color-text", "color-muted"))
    image = Image.new("RGB", SIZE, "#ffffff")
    pen = _Pen(ImageDraw.Draw(image), direction)
    pen.draw.rectangle((0, 0, SIZE[0], BAND), fill=heading)
    width = SIZE[0] - 2 * MARGIN
    y = 260
    for selector, face, size, color, space, leading in (
            (".//p[@class='cover-acronym']", "Bold", 170, heading, 0, 1.1),
            (".//p[@class='cover-project']", "Regular", 46, muted, 20, 1.3),
            (".//p[@class='cover-number']", "Bold", 44, ink, 150, 1.3),
            (".//h1", "Bold", 84, heading, 30, 1.15)):
        words = text(selector)
        y = pen.paragraph(words, pen.font(fonts(words, face), size), color, y + space, MARGIN, width, leading)

    emblem = Image.open(emblem_path).convert("RGB")
    emblem = emblem.resize((300, round(300 * emblem.height / emblem.width)), Image.Resampling.LANCZOS)
    top = SIZE[1] - MARGIN - emblem.height
    image.paste(emblem, (SIZE[0] - MARGIN - emblem.width if pen.rtl else MARGIN, top))
    words = text(".//div[@class='cover-funding']/p")
    funding = pen.font(fonts(words, "Bold"), 48)
    start = MARGIN + emblem.width + 40            # beside the emblem
    line_height = round(48 * 1.25)
    lines = pen.wrap(words, funding, SIZE[0] - MARGIN - start)
    pen.paragraph(words, funding, heading, top + (emblem.height - line_height * len(lines)) // 2,
                  MARGIN if pen.rtl else start, SIZE[0] - MARGIN - start, 1.25)

    # A palette of 64 colours keeps the flat colours exact and the edges smooth, at a
    # third of the size of full colour.
    palette = image.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    palette.save(buffer, "PNG")
    return buffer.getvalue()


class _Pen:
    """Draws wrapped lines from the start edge: the left, or the right for right-to-left."""

    def __init__(self, draw, direction: str):
        self.draw, self.rtl = draw, direction == "rtl"

    def font(self, path: Path, size: int):
        from PIL import ImageFont

        # Left to right, the basic layout engine: the same pixels wherever Pillow runs.
        # Right to left needs Raqm's shaping (joined Arabic letters) and bidi order.
        engine = ImageFont.Layout.RAQM if self.rtl else ImageFont.Layout.BASIC
        return ImageFont.truetype(str(path), size, layout_engine=engine)

    def length(self, text: str, font) -> float:
        return font.getlength(text, direction="rtl") if self.rtl else font.getlength(text)

    def wrap(self, text: str, font, width: int) -> list[str]:
        """Words to lines no wider than `width` (a longer word stands alone)."""
        lines: list[str] = []
        for word in text.split():
            if lines and self.length(f"{lines[-1]} {word}", font) <= width:
                lines[-1] += f" {word}"
            else:
                lines.append(word)
        return lines

    def paragraph(self, text: str, font, color: str, y: int, left: int, width: int, leading: float) -> int:
        """Draw `text` wrapped from `y` in the box from `left`, `width` wide; the y below it."""
        for line in self.wrap(text, font, width):
            if self.rtl:
                self.draw.text((left + width - self.length(line, font), y), line, font=font, fill=color,
                               direction="rtl")
            else:
                self.draw.text((left, y), line, font=font, fill=color)
            y += round(font.size * leading)
        return y
