#!/usr/bin/env python3
"""tests/badinput/make-bad-inputs.py OUTDIR [GOOD.pdf]

Writes the bad-input suite: the hostile, broken and odd PDFs that `dhr`
must survive, each with the outcome documented in tests/badinput/EXPECTED
(file name, then the expected status or error code). PDFs are written
byte by byte here (no PDF library), so every defect is exactly the one
named. GOOD.pdf (optional) is a valid report used for the truncated and
encrypted variants; without it a small generated one is used.
"""
import os
import subprocess
import sys
import zlib


def pdf(objects, trailer_extra=b"", broken_xref=False, header=b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"):
    """Assemble a PDF from object bodies (1-based numbering), with a correct xref unless told."""
    out = bytearray(header)
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        if broken_xref:
            off = (off * 7 + 13) % max(1, xref)  # every offset points at the wrong place
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer_extra, xref)
    return bytes(out)


def text_stream(lines, size=11):
    """A content stream drawing lines of text top-down in Helvetica; a line
    starting with '#' is a heading, drawn in Helvetica-Bold at 14 pt after a gap."""
    ops = [b"BT 16 TL 56 790 Td"]
    for line in lines:
        heading = line.startswith(b"#")
        if heading:
            line = line[1:]
            ops.append(b"T* /F2 14 Tf")
        else:
            ops.append(b"/F1 %d Tf" % size)
        esc = line.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        ops.append(b"(" + esc + b") Tj T*")
    ops.append(b"ET")
    data = b"\n".join(ops)
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
BOLD = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"


def simple_doc(pages_lines):
    """Catalog, a flat page tree, one page per entry of pages_lines, one font."""
    n = len(pages_lines)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", None, FONT, BOLD]
    kids = []
    for i, lines in enumerate(pages_lines):
        page_no = 5 + 2 * i
        kids.append(b"%d 0 R" % page_no)
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>" % (page_no + 1))
        objs.append(text_stream(lines))
    objs[1] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % n
    return pdf(objs)


INTRO_LINES = [
    b"#1. Introduction",
    b"This review examines the contact agencies had with the victim before her death.",
    b"The Panel considered training, policy, risk assessment and information sharing.",
]
REPORT_LINES = [
    b"#10. Recommendations",
    b"Recommendation 1: The Constabulary should deliver training on the DASH risk assessment",
    b"to all response officers and audit its use.",
    b"Recommendation 2: The Partnership should publish guidance on information sharing",
    b"between the GP and the domestic abuse service.",
    b"#11. Glossary",
]


def nested_tree(depth):
    """A page tree `depth` levels deep with one page at the bottom."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(depth):
        me = 2 + level
        parent = b" /Parent %d 0 R" % (me - 1) if level else b""
        objs.append(b"<< /Type /Pages /Kids [%d 0 R] /Count 1%s >>" % (me + 1, parent))
    page = 2 + depth
    objs.append(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> >> /Contents %d 0 R >>" % (page - 1, page + 1, page + 3, page + 2))
    objs.append(FONT)
    objs.append(text_stream(REPORT_LINES))
    objs.append(BOLD)
    return pdf(objs)


def image_only(n_pages):
    """Pages that carry only a grey image: a scanned report."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", None]
    w = h = 64
    raw = zlib.compress(bytes((x * y) % 256 for y in range(h) for x in range(w)))
    objs.append(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n" % (w, h, len(raw)) + raw + b"\nendstream")
    kids = []
    draw = b"q 500 0 0 700 47 71 cm /Im1 Do Q"
    for i in range(n_pages):
        page_no = 4 + 2 * i
        kids.append(b"%d 0 R" % page_no)
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 3 0 R >> >> /Contents %d 0 R >>" % (page_no + 1))
        objs.append(b"<< /Length %d >>\nstream\n" % len(draw) + draw + b"\nendstream")
    objs[1] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % n_pages
    return pdf(objs)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    good_path = sys.argv[2] if len(sys.argv) > 2 else None
    good = open(good_path, "rb").read() if good_path else simple_doc([INTRO_LINES, REPORT_LINES])
    files = {}

    def put(name, data, expect):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        files[name] = expect

    put("zero-byte.pdf", b"", "not_pdf")
    for pct in (5, 50, 90):
        put("truncated-%02d.pdf" % pct, good[: len(good) * pct // 100], "corrupt" if pct < 90 else "ok|corrupt")
    put("wrong-magic.pdf", b"%PDX-1.7" + good[8:], "not_pdf")
    put("webpage.pdf", b"<!DOCTYPE html>\n<html><head><title>DHR</title></head><body><h1>Not a PDF</h1></body></html>\n", "not_pdf")
    put("broken-xref.pdf", pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>", FONT,
                                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R /F2 6 0 R >> >> /Contents 5 0 R >>",
                                text_stream(REPORT_LINES), BOLD], broken_xref=True), "ok")
    put("image-only.pdf", image_only(3), "no_text")
    put("one-2mb-line.pdf", simple_doc([[b"Recommendation " * (2 * 1024 * 1024 // 15)]]), "ok")
    put("thousand-pages.pdf", simple_doc([[b"Page body text for page %d of the long report." % i, b"The chronology continues with contact %d." % (i * 7)] for i in range(999)] + [REPORT_LINES]), "ok")
    put("nested-page-tree.pdf", nested_tree(2000), "ok|corrupt")
    put("name with spaces and n\u00f6n-\u00e4scii \u2013 r\u00e9sum\u00e9.pdf", simple_doc([INTRO_LINES, REPORT_LINES]), "ok")
    put("hostile-text.pdf", simple_doc([[
        b"#10. Recommendations",
        b"Recommendation 1: <script>alert(1)</script> The Constabulary should train staff.",
        b"Recommendation 2: =cmd|' /C calc'!A0 The Partnership should review its policy.",
        b"Recommendation 3: \"><img src=x onerror=alert(1)> The GP should share information \x01\x02\x07\x1b[31m.",
        b"#11. Glossary"]]), "ok")
    if subprocess.call(["qpdf", "--version"], stdout=subprocess.DEVNULL) == 0:
        src = os.path.join(out, ".good.pdf")
        with open(src, "wb") as f:
            f.write(good)
        subprocess.check_call(["qpdf", "--encrypt", "", "owner-secret", "256", "--extract=n", "--", src, os.path.join(out, "owner-only.pdf")])
        files["owner-only.pdf"] = "ok"
        subprocess.check_call(["qpdf", "--encrypt", "user-secret", "owner-secret", "256", "--", src, os.path.join(out, "user-password.pdf")])
        files["user-password.pdf"] = "encrypted"
        os.unlink(src)
    with open(os.path.join(out, "EXPECTED"), "w") as f:
        for name in sorted(files):
            f.write("%s\t%s\n" % (name, files[name]))


if __name__ == "__main__":
    main()
