"""Reading a PDF's text as it lies on its pages (digin/pdfpages.py), on a small PDF made
here: the placing of text (matrices, text positioning operators, form XObjects), its
decoding through a ToUnicode map, marked-content ids and links. The built PDFs are read
in tests/test_typesetting.py, and checked against pypdf's reading there."""
from __future__ import annotations

import pikepdf
import pytest

from digin import typeset
from digin.pdfpages import read_pages

TO_UNICODE = b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
1 begincodespacerange <0000> <ffff> endcodespacerange
2 beginbfchar
<0001> <0048>
<0002> <0069>
endbfchar
6 beginbfchar
<0040> <0032>
<0041> <0030>
<0042> <0020>
<0043> <0627>
<0044> <06440625>
<0045> <0645>
endbfchar
2 beginbfrange
<0010> <0012> <0061>
<0020> <0021> [<00660069> <00660066>]
endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end"""

PAGE = b"""1 0 0 -1 0 100 cm
/P <</MCID 0>> BDC BT /F1 10 Tf 1 0 0 -1 20 30 Tm [<0001> -250 <0002>] TJ ET EMC
/Artifact BMC BT /F1 10 Tf 1 0 0 -1 20 90 Tm (\\000\\020) Tj ET EMC
/P <</MCID 1>> BDC BT /F1 10 Tf 12 TL 1 0 0 -1 20 50 Tm <00100011> Tj T* <0012> Tj 0 -2 Td [<0020><0021>] TJ ET
q 1 0 0 1 0 20 cm /Fm1 Do Q EMC"""

FORM = b"BT /F1 5 Tf 1 0 0 -1 40 40 Tm <00200002> Tj ET"


def small_pdf(tmp_path, content: bytes = PAGE):
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0,
                                                BaseFont=pikepdf.Name("/Test"), Encoding=pikepdf.Name("/Identity-H"),
                                                ToUnicode=pikepdf.Stream(pdf, TO_UNICODE)))
    fonts = pikepdf.Dictionary(F1=font)
    form = pikepdf.Stream(pdf, FORM)
    form.Type, form.Subtype, form.BBox, form.Resources = (pikepdf.Name.XObject, pikepdf.Name.Form,
                                                          [0, 0, 200, 100], pikepdf.Dictionary(Font=fonts))
    page = pikepdf.Page(pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, 200, 100],
                                           Resources=pikepdf.Dictionary(Font=fonts, XObject=pikepdf.Dictionary(Fm1=form)),
                                           Contents=pikepdf.Stream(pdf, content)))
    link = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 10, 10],
                              A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://example.org/a")))
    page.obj.Annots = pdf.make_indirect(pikepdf.Array([link]))
    pdf.pages.append(page)
    path = tmp_path / "small.pdf"
    pdf.save(path)
    return path


def test_text_is_decoded_placed_and_tied_to_its_marked_content(tmp_path):
    with pikepdf.open(small_pdf(tmp_path)) as pdf:
        [page] = read_pages(pdf)
    shown = [(run.text, run.mcid, round(run.baseline, 3), round(run.size, 3)) for run in page.runs]
    assert shown == [
        (None, 0, 0.0, 0.0),
        ("Hi", 0, 30.0, 10.0),            # a TJ's spacing adds no text; y flipped twice: 30 from the top
        ("a", None, 90.0, 10.0),          # one-byte escapes of a literal string, two bytes a code
        (None, 1, 0.0, 0.0),
        ("ab", 1, 50.0, 10.0),            # a range of codes
        ("c", 1, 62.0, 10.0),             # T*: the next line, 12 points (TL) down the page
        ("fiff", 1, 64.0, 10.0),          # Td's -2: 2 points down (the text space is flipped); ligatures' letters
        ("fii", 1, 60.0, 5.0),            # in a form XObject drawn 20 points lower: at 40 + 20
    ]
    assert page.links == ["https://example.org/a"]


def test_an_unknown_code_is_shown_as_unknown(tmp_path):
    content = b"BT /F1 10 Tf 0 0 Td <00010099> Tj ET"
    with pikepdf.open(small_pdf(tmp_path, content)) as pdf:
        [page] = read_pages(pdf)
    assert [run.text for run in page.runs] == ["H\ufffd"]


def test_right_to_left_text_reads_in_its_order(tmp_path):
    """Drawn left to right as it shows, "20 ا لإ م" reads "ملإا 20": backwards by glyph, a
    ligature's letters (لإ) and the number (20) kept in their own order."""
    content = b"BT /F1 10 Tf 0 0 Td <004000410042004300440045> Tj ET"
    with pikepdf.open(small_pdf(tmp_path, content)) as pdf:
        [page] = read_pages(pdf)
    assert [run.text for run in page.runs] == ["\u0645\u0644\u0625\u0627 20"]


@pytest.mark.parametrize("data, message", [(b"not a PDF at all", "cannot be checked"),
                                           (None, "not a tagged PDF")])
def test_a_file_the_check_cannot_read_is_one_located_problem(tmp_path, data, message):
    path = small_pdf(tmp_path)            # a PDF, but without a structure tree
    if data is not None:
        path.write_bytes(data)
    [problem] = typeset.check_pdf(path)
    assert problem.file == str(path) and message in problem.message
