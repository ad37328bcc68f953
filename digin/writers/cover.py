"""The raster cover image of an e-book: the edition's cover drawn as a PNG (Pillow).

Reading apps show it on their shelves, and many cannot show an SVG cover. It is drawn
from the cover of the edition's HTML (acronym, project, number, title, funding line),
in the project's font (styles/fonts), with the EU emblem (styles/eu-emblem.png) and the
design tokens' colours: the same document gives the same bytes.
"""
from __future__ import annotations

import io

from .tokens import Tokens

SIZE = (1200, 1600)                         # 3:4, as most e-book stores ask
MARGIN = 90
BAND = 40                                   # the blue band at the top, as the print cover's rule


def draw(cover, design: Tokens, fonts, emblem_path) -> bytes:
    """`cover`: the HTML <header class="cover">; `fonts`: {"Regular": path, "Bold": path}."""
    from PIL import Image, ImageDraw

    def text(selector: str) -> str:
        found = cover.xpath(selector)
        return " ".join(found[0].text_content().split()) if found else ""

    heading, ink, muted = (f"#{design.color(name)}" for name in ("color-heading", "color-text", "color-muted"))
    image = Image.new("RGB", SIZE, "#ffffff")
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, 0, SIZE[0], BAND), fill=heading)
    width = SIZE[0] - 2 * MARGIN
    y = 260
    y = _paragraph(pen, text(".//p[@class='cover-acronym']"), _font(fonts["Bold"], 170), heading, y, width, 1.1)
    y = _paragraph(pen, text(".//p[@class='cover-project']"), _font(fonts["Regular"], 46), muted, y + 20, width)
    y = _paragraph(pen, text(".//p[@class='cover-number']"), _font(fonts["Bold"], 44), ink, y + 150, width)
    _paragraph(pen, text(".//h1"), _font(fonts["Bold"], 84), heading, y + 30, width, 1.15)

    emblem = Image.open(emblem_path).convert("RGB")
    emblem = emblem.resize((300, round(300 * emblem.height / emblem.width)), Image.Resampling.LANCZOS)
    top = SIZE[1] - MARGIN - emblem.height
    image.paste(emblem, (MARGIN, top))
    funding = _font(fonts["Bold"], 48)
    left = MARGIN + emblem.width + 40
    lines = _wrap(text(".//div[@class='cover-funding']/p"), funding, SIZE[0] - MARGIN - left)
    line_height = round(48 * 1.25)
    y = top + (emblem.height - line_height * len(lines)) // 2
    for line in lines:
        pen.text((left, y), line, font=funding, fill=heading)
        y += line_height

    # A palette of 64 colours keeps the flat colours exact and the edges smooth, at a
    # third of the size of full colour.
    palette = image.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    palette.save(buffer, "PNG")
    return buffer.getvalue()


def _font(path, size: int):
    from PIL import ImageFont

    # The basic layout engine: the same pixels wherever Pillow runs (Raqm may be absent).
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)


def _wrap(text: str, font, width: int) -> list[str]:
    """Words to lines no wider than `width` (a longer word stands alone)."""
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines


def _paragraph(pen, text: str, font, color: str, y: int, width: int, leading: float = 1.3) -> int:
    """Draw `text` wrapped from `y`; the y below it."""
    size = font.size
    for line in _wrap(text, font, width):
        pen.text((MARGIN, y), line, font=font, fill=color)
        y += round(size * leading)
    return y
