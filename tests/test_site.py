"""The download page: links, facts, structure, colour contrast, and a real browser (Chromium)."""
from __future__ import annotations

import hashlib
import re
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from babel.numbers import parse_decimal
from lxml import html as lxml_html
from PIL import Image

from conftest import LANGS, manifest
from digin.errors import ContentError, Problems
from digin.i18n import translator_for
from digin.project import Project
from digin.publish import write_atomic
from digin.site import human_size, language_name, page_name, site_files

CHROMIUM = Path("/usr/bin/chromium")   # Debian's package; CI installs it
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars"]
EMBLEM_ALT = "Emblem of the European Union: a circle of twelve gold stars on a blue background"
UNITS = {"B": 1, "byte": 1, "bytes": 1, "kB": 1_000, "MB": 1_000_000}


def translators(project: Project) -> dict:
    return {lang: translator_for(project, lang, Problems()) for lang in project.languages()}


def page(out: Path, lang: str):
    return lxml_html.parse(str(out / page_name(lang))).getroot()


def local_targets(root) -> list[str]:
    """Every URL the page makes the browser load or the reader follow."""
    return root.xpath("//a/@href | //link/@href | //img/@src | //script/@src | //source/@src")


def assert_resolves(out: Path, page_file: Path, url: str) -> None:
    """A relative link to an existing file inside out/ (works from disk and any static host)."""
    parts = urlsplit(url)
    assert not parts.scheme and not parts.netloc and not url.startswith("/"), f"not relative: {url}"
    target = (page_file.parent / unquote(parts.path)).resolve()
    assert target.is_relative_to(out.resolve()), f"outside out/: {url}"
    assert target.is_file(), f"no such file: {url}"


def test_one_page_per_language_and_its_assets(project, built):
    names = {page_name(lang) for lang in LANGS}
    assert names == {"index.html"} | {f"index.{lang}.html" for lang in LANGS if lang != "en"}
    assert all((built / name).is_file() for name in names)
    for asset in ("site.css", "eu-emblem.svg"):
        assert (built / asset).read_bytes() == (project.styles / asset).read_bytes()
    assert not list(built.glob(".*.part"))   # atomic writes leave no temporary file


@pytest.mark.parametrize("lang", LANGS)
def test_every_artifact_is_linked_and_every_link_resolves(built, lang):
    root = page(built, lang)
    linked = root.xpath("//a[@class='file-link']/@href")
    assert sorted(linked) == sorted(entry["path"] for entry in manifest(built))
    for url in local_targets(root):
        assert_resolves(built, built / page_name(lang), url)


@pytest.mark.parametrize("lang", LANGS)
def test_sizes_pages_and_hashes_match_the_manifest(built, lang):
    by_path = {entry["path"]: entry for entry in manifest(built)}
    items = page(built, lang).xpath("//li[@class='file']")
    assert len(items) == len(by_path)
    for item in items:
        entry = by_path[item.xpath("a/@href")[0]]
        file_bytes = (built / entry["path"]).read_bytes()
        assert entry["bytes"] == len(file_bytes) and entry["sha256"] == hashlib.sha256(file_bytes).hexdigest()

        assert item.xpath("ancestor::section/@lang") == [entry["locale"]]
        assert item.findtext(".//span[@class='file-title']") == entry["title"]
        assert item.findtext(".//span[@class='file-format']") == entry["format"].upper()
        size = item.find(".//data")
        assert size.get("value") == str(entry["bytes"])
        assert size.text == human_size(entry["bytes"], lang)
        # Read back the way a reader of this language would: its decimal separator, the unit.
        number, unit = size.text.split()
        factor = UNITS[unit]
        assert abs(float(parse_decimal(number, locale=lang)) * factor - entry["bytes"]) <= 0.05 * factor, size.text
        pages = item.xpath(".//dd[@class='pages']/text()")
        assert pages == ([] if entry["pages"] is None else [str(entry["pages"])])
        assert item.xpath(".//code/text()") == [entry["sha256"]]


@pytest.mark.parametrize("lang", LANGS)
def test_page_structure(built, project, lang):
    root = page(built, lang)
    assert root.get("lang") == lang
    assert root.findtext("head/title").strip()
    assert root.xpath("//meta[@name='viewport']")
    for landmark in ("header", "nav", "main"):
        assert len(root.xpath(f"//{landmark}")) == 1, landmark
    # Headings: one h1, and no level skipped on the way down.
    levels = [int(h.tag[1]) for h in root.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels
    # Static: no script of any kind.
    assert not root.xpath("//script | //noscript | //iframe | //object | //embed")
    assert not root.xpath("//@*[starts-with(name(), 'on')]")
    assert not [url for url in local_targets(root) if url.strip().lower().startswith("javascript:")]
    ids = root.xpath("//@id")
    assert len(ids) == len(set(ids))

    # A section per language, with its language, the page's own first.
    langs = sorted({entry["locale"] for entry in manifest(built)}, key=LANGS.index)
    sections = root.xpath("//main/section")
    assert [s.get("lang") for s in sections] == [lang] + [other for other in langs if other != lang]
    assert [s.findtext("h2") for s in sections] == [language_name(s.get("lang")) for s in sections]
    for section in sections:
        # The UI text of another language's section is marked as the page's language.
        expected = None if section.get("lang") == lang else lang
        assert {e.get("lang") for e in section.xpath("h3 | .//dl")} == {expected}

    # The switcher: every language, in its own language, the current page marked.
    links = root.xpath("//nav//a")
    assert [a.get("href") for a in links] == [page_name(code) for code in LANGS]
    for a, code in zip(links, LANGS):
        assert a.get("lang") == a.get("hreflang") == code
        assert a.text_content() == language_name(code)
    assert root.xpath("//nav//a[@aria-current='page']/@href") == [page_name(lang)]

    translator = translators(project)[lang]
    assert root.xpath("//img[@class='eu-emblem']/@alt") == [str(translator.gettext(EMBLEM_ALT))]
    assert str(translator.gettext("Funded by the European Union")) in root.text_content()


def test_language_names_are_in_their_own_language():
    assert [language_name(code) for code in ("en", "nl", "it")] == ["English", "Nederlands", "Italiano"]
    assert human_size(198_720, "en") == "198.7 kB" and human_size(198_720, "nl") == "198,7 kB"


def test_lists_every_format_the_manifest_lists(tmp_path, project):
    """DOCX files (another writer) or any file in the manifest appear without a code change."""
    entries = []
    for lang in LANGS:
        for kind, item_id, fmt, pages in [("toolkit", "toolkit", "docx", None), ("handout", "allyship", "docx", 2),
                                          ("practice", "ghent-diversity-framework", "pdf", 3)]:
            path, data = f"{lang}/{kind}/{item_id}.{fmt}", f"{lang} {item_id} {fmt}".encode()
            write_atomic(tmp_path / path, data)
            entries.append({"path": path, "locale": lang, "kind": kind, "id": item_id, "format": fmt,
                            "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(), "pages": pages,
                            "title": f"Title {lang} {item_id}"})
    for name, data in site_files(project, entries, translators(project)).items():
        write_atomic(tmp_path / name, data)
    root = page(tmp_path, "nl")
    docx = root.xpath("//a[@class='file-link'][span[@class='file-format']='DOCX']/@href")
    assert sorted(docx) == sorted(e["path"] for e in entries if e["format"] == "docx")
    assert all(a.get("type").endswith("wordprocessingml.document")
               for a in root.xpath("//a[@class='file-link'][span[@class='file-format']='DOCX']"))
    # Groups in the page's order: toolkit, practices, handouts.
    assert root.xpath("//section[@lang='nl']//a/@href") == ["nl/toolkit/toolkit.docx",
                                                            "nl/practice/ghent-diversity-framework.pdf",
                                                            "nl/handout/allyship.docx"]


def test_no_artifacts_is_an_error(project):
    with pytest.raises(ContentError, match="no artifacts listed"):
        site_files(project, [], translators(project))


# --- Colour contrast (WCAG 2.x AA) -------------------------------------------------------

def luminance(hex_colour: str) -> float:
    """WCAG relative luminance of #rrggbb."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def stylesheet(project) -> tuple[dict[str, str], str]:
    """The colour custom properties of :root, and the rest of the stylesheet."""
    css = re.sub(r"/\*.*?\*/", "", (project.styles / "site.css").read_text(encoding="utf-8"), flags=re.S)
    root = re.search(r":root\s*\{(.*?)\}", css, re.S)
    declared = dict(re.findall(r"--([\w-]+)\s*:\s*([^;]+);", root.group(1)))
    return {name: value.strip() for name, value in declared.items()}, css[:root.start()] + css[root.end():]


def test_contrast_of_every_text_and_background_pair_is_aa(project):
    colours, _rest = stylesheet(project)
    assert all(re.fullmatch(r"#[0-9a-fA-F]{6}", value) for value in colours.values()), colours
    fg = {name: value for name, value in colours.items() if name.startswith("fg-")}
    bg = {name: value for name, value in colours.items() if name.startswith("bg-")}
    assert fg and bg
    ratios = {(f, b): contrast(fg[f], bg[b]) for f in fg for b in bg}
    assert {pair: round(r, 2) for pair, r in ratios.items() if r < 4.5} == {}
    assert contrast(colours["fg-text"], colours["bg-page"]) >= 7   # body text: AAA


def test_every_colour_of_the_stylesheet_is_a_checked_pair(project):
    colours, rest = stylesheet(project)
    assert not re.findall(r"#[0-9a-fA-F]{3,8}\b|\b(?:rgba?|hsla?|hwb|lab|lch|oklch|oklab)\(", rest)
    for prop, value in re.findall(r"(?<![\w-])(color|background|background-color)\s*:\s*([^;}]+)", rest):
        prefix = "fg-" if prop == "color" else "bg-"
        assert re.fullmatch(rf"var\(--{prefix}[\w-]+\)", value.strip()), f"{prop}: {value}"
    for name in re.findall(r"var\(--([\w-]+)\)", rest):
        assert name in colours, f"undeclared --{name}"


# --- A real browser ----------------------------------------------------------------------

def chromium(*args: str) -> subprocess.CompletedProcess:
    """One headless Chromium run with a fresh profile: no network, nothing carried over."""
    assert CHROMIUM.is_file(), "the browser tests need Debian's Chromium: apt-get install -y chromium"
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run([str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                                capture_output=True, text=True, timeout=90)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


@pytest.mark.parametrize("lang", LANGS)
def test_browser_renders_the_page_and_its_links_resolve(built, lang):
    page_file = built / page_name(lang)
    dom = lxml_html.fromstring(chromium("--dump-dom", page_file.as_uri()).stdout)
    assert dom.get("lang") == lang
    sections = dom.xpath("//main/section")
    assert [s.findtext("h2") for s in sections][0] == language_name(lang)
    assert sorted(s.get("lang") for s in sections) == sorted({e["locale"] for e in manifest(built)})
    assert sorted(dom.xpath("//a[@class='file-link']/@href")) == sorted(e["path"] for e in manifest(built))
    for url in local_targets(dom):
        assert_resolves(built, page_file, url)


@pytest.mark.parametrize("width, height", [(390, 844), (1280, 900)])
def test_browser_screenshot_at_phone_and_desktop_width(built, project, tmp_path, width, height):
    png = tmp_path / f"index.nl-{width}.png"
    chromium(f"--screenshot={png}", f"--window-size={width},{height}", (built / page_name("nl")).as_uri())
    with Image.open(png) as image:
        image = image.convert("RGB")
        assert image.size == (width, height)
        assert len(image.getcolors(maxcolors=width * height)) > 50   # text and images, not a blank page
        # site.css was applied: the header's background fills the top left corner.
        colours, _rest = stylesheet(project)
        header = colours["bg-header"]
        assert image.getpixel((2, 2)) == tuple(int(header[i:i + 2], 16) for i in (1, 3, 5))
