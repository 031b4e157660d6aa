/*
 * tests/fuzz/fuzz_pdf.c: libFuzzer harness for the PDF stage: arbitrary
 * bytes through extraction (Poppler) and segmentation. Any result is fine;
 * a crash, leak, hang or sanitizer report is a finding.
 */
#include <stddef.h>
#include <stdint.h>

#include "dhr/extract.h"
#include "dhr/segment.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dhr_doc *doc = NULL;
	dhr_recs *recs = NULL;
	dhr_error err;
	if (dhr_extract_buffer(&doc, "fuzz.pdf", data, size, NULL, &err) == 0)
		dhr_segment(&recs, doc, &err);
	dhr_recs_free(recs);
	dhr_doc_free(doc);
	return 0;
}
