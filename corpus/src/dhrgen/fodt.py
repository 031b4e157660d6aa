"""Render a document model (see report.py) as a LibreOffice flat ODT (.fodt).

Features used so that the PDF looks like a real report: paragraph styles with
outline levels (PDF bookmarks), running header and footer with page-number and
page-count fields, footnotes (text:note), a landscape section for the action
plan, tables whose header row repeats over page breaks (table:table-header-rows),
contents lines with dot leaders, and en-GB hyphenation.
"""
import re
from xml.sax.saxutils import escape

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
      'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
      'xmlns:dc="http://purl.org/dc/elements/1.1/" '
      'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
      'xmlns:loext="urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"')

FONT = "Liberation Sans"


def _styles(font):
    para = 'fo:language="en" fo:country="GB" fo:hyphenate="true" fo:hyphenation-remain-char-count="3" fo:hyphenation-push-char-count="3" fo:hyphenation-ladder-count="no-limit"'
    return f'''
 <office:font-face-decls>
  <style:font-face style:name="{font}" svg:font-family="'{font}'" style:font-family-generic="swiss"/>
 </office:font-face-decls>
 <office:styles>
  <style:default-style style:family="paragraph">
   <style:paragraph-properties fo:hyphenation-ladder-count="no-limit" style:writing-mode="lr-tb"/>
   <style:text-properties style:font-name="{font}" fo:font-size="11pt" {para}/>
  </style:default-style>
  <style:style style:name="Standard" style:family="paragraph">
   <style:paragraph-properties fo:text-align="justify" fo:margin-top="0cm" fo:margin-bottom="0.22cm" fo:line-height="118%"/>
   <style:text-properties style:font-name="{font}" fo:font-size="11pt" {para}/>
  </style:style>
  <style:style style:name="Body" style:family="paragraph" style:parent-style-name="Standard"/>
  <style:style style:name="Cover_Title" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:text-align="center" fo:margin-top="0.4cm" fo:margin-bottom="0.4cm"/>
   <style:text-properties fo:font-size="20pt" fo:font-weight="bold" fo:hyphenate="false"/>
  </style:style>
  <style:style style:name="Cover_Sub" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:text-align="center" fo:margin-bottom="0.3cm"/>
   <style:text-properties fo:font-size="13pt" fo:hyphenate="false"/>
  </style:style>
  <style:style style:name="Heading_1" style:display-name="Heading 1" style:family="paragraph" style:parent-style-name="Standard" style:default-outline-level="1">
   <style:paragraph-properties fo:text-align="start" fo:margin-top="0.5cm" fo:margin-bottom="0.3cm" fo:keep-with-next="always"/>
   <style:text-properties fo:font-size="14pt" fo:font-weight="bold" fo:hyphenate="false"/>
  </style:style>
  <style:style style:name="Heading_2" style:display-name="Heading 2" style:family="paragraph" style:parent-style-name="Standard" style:default-outline-level="2">
   <style:paragraph-properties fo:text-align="start" fo:margin-top="0.35cm" fo:margin-bottom="0.2cm" fo:keep-with-next="always"/>
   <style:text-properties fo:font-size="12pt" fo:font-weight="bold" fo:hyphenate="false"/>
  </style:style>
  <style:style style:name="Heading_3" style:display-name="Heading 3" style:family="paragraph" style:parent-style-name="Standard" style:default-outline-level="3">
   <style:paragraph-properties fo:text-align="start" fo:margin-top="0.25cm" fo:margin-bottom="0.15cm" fo:keep-with-next="always"/>
   <style:text-properties fo:font-size="11pt" fo:font-weight="bold" fo:font-style="italic" fo:hyphenate="false"/>
  </style:style>
  <style:style style:name="Contents" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:text-align="start" fo:margin-bottom="0.1cm">
    <style:tab-stops><style:tab-stop style:position="16cm" style:type="right" style:leader-style="dotted" style:leader-text="."/></style:tab-stops>
   </style:paragraph-properties>
   <style:text-properties fo:hyphenate="false"/>
  </style:style>
  <style:style style:name="Contents_2" style:family="paragraph" style:parent-style-name="Contents">
   <style:paragraph-properties fo:margin-left="0.6cm"/>
  </style:style>
  <style:style style:name="Quote" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:margin-left="1.2cm" fo:margin-right="1.2cm"/>
   <style:text-properties fo:font-style="italic"/>
  </style:style>
  <style:style style:name="Numbered" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:margin-left="1.6cm" fo:text-indent="-1.6cm">
    <style:tab-stops><style:tab-stop style:position="0cm"/></style:tab-stops>
   </style:paragraph-properties>
  </style:style>
  <style:style style:name="Numbered_Wide" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:margin-left="2.0cm" fo:text-indent="-2.0cm">
    <style:tab-stops><style:tab-stop style:position="0cm"/></style:tab-stops>
   </style:paragraph-properties>
  </style:style>
  <style:style style:name="Item" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:margin-left="2.4cm" fo:text-indent="-0.6cm" fo:margin-bottom="0.12cm"/>
  </style:style>
  <style:style style:name="Bullet" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:margin-left="1.0cm" fo:text-indent="-0.5cm" fo:margin-bottom="0.15cm"/>
  </style:style>
  <style:style style:name="Label" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:keep-with-next="always" fo:margin-bottom="0.1cm"/>
   <style:text-properties fo:font-weight="bold"/>
  </style:style>
  <style:style style:name="Small" style:family="paragraph" style:parent-style-name="Standard">
   <style:text-properties fo:font-size="9pt"/>
  </style:style>
  <style:style style:name="Table_Contents" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:text-align="start" fo:margin-bottom="0.05cm" fo:line-height="105%"/>
   <style:text-properties fo:font-size="9pt"/>
  </style:style>
  <style:style style:name="Table_Heading" style:family="paragraph" style:parent-style-name="Table_Contents">
   <style:text-properties fo:font-weight="bold" fo:hyphenate="false"/>
  </style:style>
  <style:style style:name="Footnote" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:margin-bottom="0.05cm" fo:line-height="100%"/>
   <style:text-properties fo:font-size="8.5pt"/>
  </style:style>
  <style:style style:name="Header" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:text-align="start">
    <style:tab-stops><style:tab-stop style:position="8.5cm" style:type="center"/><style:tab-stop style:position="17cm" style:type="right"/></style:tab-stops>
   </style:paragraph-properties>
   <style:text-properties fo:font-size="8.5pt" fo:hyphenate="false"/>
  </style:style>
  <style:style style:name="Header_L" style:family="paragraph" style:parent-style-name="Header">
   <style:paragraph-properties>
    <style:tab-stops><style:tab-stop style:position="12.85cm" style:type="center"/><style:tab-stop style:position="25.7cm" style:type="right"/></style:tab-stops>
   </style:paragraph-properties>
  </style:style>
  <style:style style:name="Letterhead" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:text-align="end" fo:margin-bottom="0.05cm"/>
   <style:text-properties fo:font-size="10pt"/>
  </style:style>
  <style:style style:name="Bold" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
  <style:style style:name="Italic" style:family="text"><style:text-properties fo:font-style="italic"/></style:style>
  <text:notes-configuration text:note-class="footnote" style:num-format="1" text:start-value="0" text:footnotes-position="page" text:start-numbering-at="document"/>
 </office:styles>
 <office:automatic-styles>
  <style:style style:name="P_First" style:family="paragraph" style:parent-style-name="Cover_Title" style:master-page-name="First_Page"/>
  <style:style style:name="P_Land" style:family="paragraph" style:parent-style-name="Heading_1" style:master-page-name="Landscape"/>
  <style:style style:name="P_Port" style:family="paragraph" style:parent-style-name="Heading_1" style:master-page-name="Standard"/>
  <style:style style:name="P_PortBody" style:family="paragraph" style:parent-style-name="Standard" style:master-page-name="Standard"/>
  <style:style style:name="H1_Break" style:family="paragraph" style:parent-style-name="Heading_1">
   <style:paragraph-properties fo:break-before="page"/>
  </style:style>
  <style:style style:name="P_Break" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:break-before="page"/>
  </style:style>
  <style:style style:name="Tbl" style:family="table">
   <style:table-properties style:width="17cm" table:align="left" fo:margin-bottom="0.3cm"/>
  </style:style>
  <style:style style:name="TblL" style:family="table">
   <style:table-properties style:width="25.7cm" table:align="left" fo:margin-bottom="0.3cm"/>
  </style:style>
  <style:style style:name="TblCell" style:family="table-cell">
   <style:table-cell-properties fo:padding="0.08cm" fo:border="0.5pt solid #000000"/>
  </style:style>
  <style:style style:name="TblHead" style:family="table-cell">
   <style:table-cell-properties fo:padding="0.08cm" fo:border="0.5pt solid #000000" fo:background-color="#d9d9d9"/>
  </style:style>
  <style:style style:name="TblRow" style:family="table-row">
   <style:table-row-properties fo:keep-together="auto"/>
  </style:style>
  <style:page-layout style:name="pm1">
   <style:page-layout-properties fo:page-width="21.001cm" fo:page-height="29.7cm" style:print-orientation="portrait" fo:margin-top="1.2cm" fo:margin-bottom="1.2cm" fo:margin-left="2cm" fo:margin-right="2cm"/>
   <style:header-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-bottom="0.5cm"/></style:header-style>
   <style:footer-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-top="0.5cm"/></style:footer-style>
  </style:page-layout>
  <style:page-layout style:name="pm2">
   <style:page-layout-properties fo:page-width="29.7cm" fo:page-height="21.001cm" style:print-orientation="landscape" fo:margin-top="1.2cm" fo:margin-bottom="1.2cm" fo:margin-left="2cm" fo:margin-right="2cm"/>
   <style:header-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-bottom="0.4cm"/></style:header-style>
   <style:footer-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-top="0.4cm"/></style:footer-style>
  </style:page-layout>
  <style:page-layout style:name="pm3">
   <style:page-layout-properties fo:page-width="21.001cm" fo:page-height="29.7cm" style:print-orientation="portrait" fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="2cm" fo:margin-right="2cm"/>
  </style:page-layout>
 </office:automatic-styles>'''


def inline(text):
    """Inline markup: **bold**, //italic//, {{fn:footnote text}}."""
    out = []
    pos = 0
    pat = re.compile(r"\*\*(.+?)\*\*|//(.+?)//|\{\{fn:(.+?)\}\}")
    for m in pat.finditer(text):
        out.append(escape(text[pos:m.start()]))
        if m.group(1) is not None:
            out.append(f'<text:span text:style-name="Bold">{escape(m.group(1))}</text:span>')
        elif m.group(2) is not None:
            out.append(f'<text:span text:style-name="Italic">{escape(m.group(2))}</text:span>')
        else:
            inline.fn += 1
            n = inline.fn
            out.append(f'<text:note text:id="ftn{n}" text:note-class="footnote"><text:note-citation>{n}</text:note-citation>'
                       f'<text:note-body><text:p text:style-name="Footnote">{escape(m.group(3))}</text:p></text:note-body></text:note>')
        pos = m.end()
    out.append(escape(text[pos:]))
    return "".join(out).replace("\t", "<text:tab/>")


inline.fn = 0


def p(style, text):
    return f'<text:p text:style-name="{style}">{inline(text)}</text:p>'


def render(doc, toc_pages=None):
    """doc: dict with 'header', 'classification', 'blocks'. Returns fodt text."""
    inline.fn = 0
    hdr = escape(doc["header"])
    cls = escape(doc["classification"])
    masters = f'''
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="pm1">
   <style:header><text:p text:style-name="Header">{hdr}<text:tab/><text:tab/>{cls}</text:p></style:header>
   <style:footer><text:p text:style-name="Header"><text:tab/>Page <text:page-number text:select-page="current">1</text:page-number> of <text:page-count>1</text:page-count><text:tab/>{cls}</text:p></style:footer>
  </style:master-page>
  <style:master-page style:name="First_Page" style:page-layout-name="pm3" style:next-style-name="Standard"/>
  <style:master-page style:name="Landscape" style:page-layout-name="pm2">
   <style:header><text:p text:style-name="Header_L">{hdr}<text:tab/><text:tab/>{cls}</text:p></style:header>
   <style:footer><text:p text:style-name="Header_L"><text:tab/>Page <text:page-number text:select-page="current">1</text:page-number> of <text:page-count>1</text:page-count><text:tab/>{cls}</text:p></style:footer>
  </style:master-page>
 </office:master-styles>'''
    body = []
    landscape = False
    pending_break = False
    first = True
    for b in doc["blocks"]:
        kind = b["kind"]
        if kind == "cover":
            body.append(f'<text:p text:style-name="P_First"></text:p>')
            for _ in range(6):
                body.append('<text:p text:style-name="Cover_Sub"></text:p>')
            body.append(p("Cover_Title", b["title"]))
            for line in b["lines"]:
                body.append(p("Cover_Sub", line))
            first = False
            pending_break = True
        elif kind == "pagebreak":
            pending_break = True
        elif kind == "landscape":
            body.append(f'<text:h text:style-name="P_Land" text:outline-level="1">{inline(b["text"])}</text:h>')
            landscape = True
            pending_break = False
        elif kind == "portrait":
            body.append(f'<text:h text:style-name="P_Port" text:outline-level="1">{inline(b["text"])}</text:h>')
            landscape = False
            pending_break = False
        elif kind == "h":
            lvl = b["level"]
            style = f"Heading_{lvl}"
            if pending_break:
                style = "H1_Break" if lvl == 1 else style
                if lvl != 1:
                    body.append('<text:p text:style-name="P_Break"></text:p>')
                pending_break = False
            body.append(f'<text:h text:style-name="{style}" text:outline-level="{lvl}">{inline(b["text"])}</text:h>')
        elif kind == "toc":
            if pending_break:
                body.append('<text:p text:style-name="P_Break"></text:p>')
                pending_break = False
            body.append(f'<text:p text:style-name="Heading_1">Contents</text:p>')
            for i, (lvl, text) in enumerate(b["entries"]):
                num = "00" if not toc_pages else str(toc_pages[i])
                st = "Contents" if lvl == 1 else "Contents_2"
                body.append(f'<text:p text:style-name="{st}">{escape(text)}<text:tab/>{num}</text:p>')
        else:
            style_map = {"p": "Body", "quote": "Quote", "label": "Label", "small": "Small",
                         "letterhead": "Letterhead"}
            if pending_break:
                body.append('<text:p text:style-name="P_Break"></text:p>')
                pending_break = False
            if kind in style_map:
                body.append(p(style_map[kind], b["text"]))
            elif kind == "num":
                if len(b["label"]) > 9:
                    body.append(p("Body", f'**{b["label"]}** {b["text"]}'))
                else:
                    st = "Numbered_Wide" if len(b["label"]) > 5 else "Numbered"
                    body.append(p(st, f'**{b["label"]}**\t{b["text"]}' if b.get("bold_label", True) else f'{b["label"]}\t{b["text"]}'))
                for it in b.get("items", []):
                    body.append(p("Item", it))
            elif kind == "bullets":
                for it in b["items"]:
                    body.append(p("Bullet", "\u2022\t" + it if b.get("tab") else "\u2022 " + it))
            elif kind == "table":
                body.append(table(b, landscape))
            else:
                raise ValueError(kind)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document {NS} office:version="1.3" '
            f'office:mimetype="application/vnd.oasis.opendocument.text">\n'
            f' <office:meta><dc:title>{escape(doc["title"])}</dc:title><meta:initial-creator>{escape(doc.get("author", ""))}</meta:initial-creator></office:meta>'
            + _styles(FONT) + masters + '\n <office:body><office:text>\n' + "\n".join(body)
            + '\n </office:text></office:body>\n</office:document>\n')


def table(b, landscape):
    widths = b["widths"]
    total = 25.7 if landscape else 17.0
    s = sum(widths)
    name = b.get("name", "Table")
    out = [f'<table:table table:name="{name}" table:style-name="{"TblL" if landscape else "Tbl"}">']
    for i, w in enumerate(widths):
        out.append(f'<table:table-column table:style-name="{colname(widths, i, landscape)}"/>')
    rows_xml = []

    def row(cells, head=False):
        cs = []
        for c in cells:
            paras = c if isinstance(c, list) else [c]
            inner = "".join(p("Table_Heading" if head else "Table_Contents", x) for x in paras)
            cs.append(f'<table:table-cell table:style-name="{"TblHead" if head else "TblCell"}" office:value-type="string">{inner}</table:table-cell>')
        return '<table:table-row table:style-name="TblRow">' + "".join(cs) + '</table:table-row>'

    if b.get("header"):
        out.append('<table:table-header-rows>' + row(b["header"], True) + '</table:table-header-rows>')
    for r in b["rows"]:
        if isinstance(r, dict):  # group row spanning all columns
            out.append(f'<table:table-row><table:table-cell table:style-name="TblHead" table:number-columns-spanned="{len(widths)}" office:value-type="string">{p("Table_Heading", r["group"])}</table:table-cell>'
                       + "".join('<table:covered-table-cell/>' for _ in range(len(widths) - 1)) + '</table:table-row>')
        else:
            out.append(row(r))
    out.append('</table:table>')
    table.colstyles.add((tuple(widths), landscape))
    return "\n".join(out)


table.colstyles = set()


def colname(widths, i, land):
    return "Col_" + "_".join(str(w).replace(".", "p") for w in widths) + f"_{i}{'L' if land else 'P'}"


def column_styles():
    """Automatic column styles for every (widths, orientation) used."""
    out = []
    for widths, land in sorted(table.colstyles):
        total = 25.7 if land else 17.0
        s = sum(widths)
        for i, w in enumerate(widths):
            out.append(f'<style:style style:name="{colname(widths, i, land)}" style:family="table-column">'
                       f'<style:table-column-properties style:column-width="{total * w / s:.2f}cm"/></style:style>')
    return "\n".join(out)


def finish(text):
    """Insert the column styles collected while rendering."""
    t = text.replace(" </office:automatic-styles>", column_styles() + "\n </office:automatic-styles>", 1)
    table.colstyles = set()
    return t
