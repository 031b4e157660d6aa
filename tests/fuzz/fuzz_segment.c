/*
 * tests/fuzz/fuzz_segment.c: libFuzzer harness for the segmentation stage.
 * The input is split into lines ('\n'). A line may open with up to two
 * control bytes (0x01..0x1f, not '\t'), each carrying the value byte - 1:
 * the first sets flags (bit 0 bold, 1
 * paragraph start, 2 table row, 3 footnote, 4 new page), the second the font
 * size (bits 0-2), running header/footer (bit 3) and an outline entry for
 * the line (bit 4). Table rows are split into cells at '\t'. The document goes through dhr_segment();
 * any result is fine, a crash, leak, hang or sanitizer report is a finding.
 * Seeds: tests/fuzz/seeds/segment/ (text lines as they come out of real
 * reports, with control bytes).
 *
 *   make -f tests/fuzz/fuzz.mk build/fuzz/fuzz_segment FUZZERS=segment
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dhr/doc.h"
#include "dhr/segment.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const double sizes[] = {11, 11, 10, 9, 8.5, 12, 14, 16};

/* Split a line's text into table cells at tabs, at x positions 56, 156, 256... */
static int add_cells(dhr_line *l, const char *text, unsigned ctl)
{
	size_t n = 1;
	for (const char *p = text; *p; p++)
		n += *p == '\t';
	if (n < 2)
		return 0;
	l->cells = calloc(n, sizeof *l->cells);
	if (!l->cells)
		return -1;
	const char *s = text;
	for (size_t i = 0; i < n; i++) {
		const char *e = strchr(s, '\t');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		char *t = malloc(len + 1);
		if (!t)
			return -1;
		memcpy(t, s, len);
		t[len] = '\0';
		l->cells[i].text = t;
		/* some tables have cells that run over the next column */
		l->cells[i].x = 56.0 + 100.0 * (double)i + (double)(ctl & 3) * 7.0;
		l->cells[i].width = (double)len * ((ctl & 0x08) ? 6.0 : 4.5);
		l->n_cells = i + 1;
		s = e ? e + 1 : s + len;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dhr_doc *doc = dhr_doc_new("fuzz.pdf");
	dhr_recs *recs = NULL;
	dhr_error err;
	char *buf = malloc(size + 1);
	if (!doc || !buf)
		goto cleanup;
	memcpy(buf, data, size);
	buf[size] = '\0';
	doc->body_font_size = (size & 1) ? 11 : 0; /* 0: the segmenter finds it */
	memcpy(doc->sha256, "fuzz", 5);

	dhr_page *page = dhr_doc_add_page(doc, 595, 842);
	double y = 60;
	char *line = buf;
	while (page && line && line <= buf + size) {
		char *next = memchr(line, '\n', (size_t)(buf + size - line));
		if (next)
			*next++ = '\0';
		unsigned ctl = 0, ctl2 = 0;
		if ((unsigned char)line[0] < 0x20 && line[0] != '\t' && line[0] != '\0') {
			ctl = (unsigned char)line[0] - 1u;
			line++;
			if ((unsigned char)line[0] < 0x20 && line[0] != '\t' && line[0] != '\0') {
				ctl2 = (unsigned char)line[0] - 1u;
				line++;
			}
		}
		if ((ctl & 0x10) || y > 780) {
			page = dhr_doc_add_page(doc, 595, 842);
			y = 60;
			if (!page)
				break;
		}
		if (ctl2 & 0x10)
			dhr_doc_add_outline(doc, line, (int)(ctl2 & 1), (int)doc->n_pages);
		unsigned flags = 0;
		if (ctl & 0x01)
			flags |= DHR_LINE_BOLD;
		if (ctl & 0x02)
			flags |= DHR_LINE_PARA_START;
		if (ctl & 0x04)
			flags |= DHR_LINE_TABLE;
		if (ctl & 0x08)
			flags |= DHR_LINE_FOOTNOTE;
		if (ctl2 & 0x08)
			flags |= (ctl2 & 1) ? DHR_LINE_FOOTER : DHR_LINE_HEADER;
		double fs = sizes[ctl2 & 7];
		double x = 56.0 + (double)(size % 3) * 18.0;
		double w = (double)strlen(line) * fs * 0.5;
		dhr_line *l = dhr_doc_add_line(page, line, x, y, w, fs * 1.3, fs, flags);
		if (!l)
			break;
		if ((flags & DHR_LINE_TABLE) && add_cells(l, line, ctl) < 0)
			break;
		y += fs * ((ctl & 0x02) ? 2.0 : 1.35);
		line = next;
	}
	if (dhr_segment(&recs, doc, &err) == 0 && recs) {
		/* every result must be well-formed */
		for (size_t i = 0; i < recs->n; i++) {
			const dhr_rec *r = &recs->items[i];
			if (!r->id || !r->text || !r->section || (r->n_pages > 0 && !r->pages))
				abort();
			for (size_t p = 1; p < r->n_pages; p++)
				if (r->pages[p] <= r->pages[p - 1])
					abort();
		}
	}
cleanup:
	dhr_recs_free(recs);
	dhr_doc_free(doc);
	free(buf);
	return 0;
}
