/*
 * output/report.c: the HTML report of a scan, one self-contained file an
 * analyst can open offline or send by e-mail: headline figures, the themes
 * and agency charts (inline SVG from output/chart.c), the agency x theme heat
 * map, the sortable table of documents, and every recommendation with the
 * spans the rules matched highlighted and named (file:line), filterable by
 * theme, agency, document and words.
 *
 * Safety: every string from the scan goes through dhr_obuf_html() (text and
 * attributes alike); the page embeds no data in its script, and its
 * Content-Security-Policy allows only that one script, by hash, and no
 * network requests at all.
 */
#include "dhr/output.h"
#include "internal.h"

#include <cJSON.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>

/* ---- the static parts of the page ---- */

/* clang-format off */
static const char *const report_css[] = {
	":root{--hom:#0072B2;--sui:#E69F00;--unk:#8c8c8c;--ink:#1b1f24;--muted:#5b6472;--line:#d9dee5;"
	"--paper:#fff;--bg:#f4f6f9;--accent:#1f3a5f}\n",
	"*{box-sizing:border-box}\n",
	"html{-webkit-text-size-adjust:100%}\n",
	"body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,\"Segoe UI\","
	"Roboto,\"Helvetica Neue\",Arial,\"Liberation Sans\",\"DejaVu Sans\",sans-serif}\n",
	"[hidden]{display:none!important}\n",
	"a{color:#0b5cad}\n",
	"a:focus-visible,button:focus-visible,select:focus-visible,input:focus-visible,summary:focus-visible"
	"{outline:3px solid #cc79a7;outline-offset:2px}\n",
	"code{font:13px/1.4 ui-monospace,\"DejaVu Sans Mono\",\"Liberation Mono\",monospace}\n",
	".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}\n",
	"header.top{background:var(--accent);color:#fff;padding:28px 0 22px}\n",
	"header.top .in,main,footer .in,nav.toc .in{max-width:1180px;margin:0 auto;padding:0 24px}\n",
	"header.top .kicker{text-transform:uppercase;letter-spacing:.08em;font-size:12px;opacity:.8;margin:0}\n",
	"header.top h1{margin:4px 0 6px;font-size:28px;line-height:1.2;font-weight:700}\n",
	"header.top p.lede{margin:0;font-size:17px;opacity:.95}\n",
	"nav.toc{background:#fff;border-bottom:1px solid var(--line);position:sticky;top:0;z-index:5}\n",
	"nav.toc ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:2px 18px}\n",
	"nav.toc a{display:inline-block;padding:9px 0;text-decoration:none;color:var(--ink);font-weight:600;"
	"font-size:14px}\n",
	"nav.toc a:hover{color:#0b5cad}\n",
	"section.panel{background:var(--paper);border:1px solid var(--line);border-radius:10px;"
	"margin:22px 0;padding:20px 24px 24px}\n",
	"section.panel>h2{margin:0 0 4px;font-size:21px}\n",
	"p.note{color:var(--muted);margin:0 0 14px;max-width:80ch}\n",
	".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin:14px 0 18px}\n",
	".card{border:1px solid var(--line);border-radius:8px;padding:12px 14px;border-top:4px solid var(--accent)}\n",
	".card.hom{border-top-color:var(--hom)}.card.sui{border-top-color:var(--sui)}"
	".card.bad{border-top-color:#d55e00}.card.unk{border-top-color:var(--unk)}\n",
	".card .k{font-size:13px;color:var(--muted);font-weight:600}\n",
	".card .v{font-size:30px;font-weight:700;line-height:1.15;font-variant-numeric:tabular-nums}\n",
	".card .s{font-size:13px;color:var(--muted)}\n",
	"dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0;font-size:14px}\n",
	"dl.meta dt{font-weight:600;color:var(--muted)}dl.meta dd{margin:0;overflow-wrap:anywhere}\n",
	"h3{font-size:16px;margin:20px 0 8px}\n",
	"figure{margin:10px 0 6px}\n",
	"figcaption{font-size:13px;color:var(--muted);margin-top:4px}\n",
	"svg.chart{width:100%;height:auto;display:block;font-family:inherit}\n",
	"svg.chart text{font-size:13px;fill:var(--ink)}\n",
	"svg.chart .lbl.grp{font-weight:700}svg.chart .muted{fill:var(--muted)}\n",
	"svg.chart .band{fill:#f5f7fa}\n",
	"svg.chart .s-hom{fill:var(--hom)}svg.chart .s-sui{fill:var(--sui)}svg.chart .s-unk{fill:var(--unk)}\n",
	"svg.chart rect.muted{opacity:.55}\n",
	"svg.chart .hollow{fill-opacity:.35;stroke-width:1.2}svg.chart rect.s-hom.hollow{stroke:var(--hom)}"
	"svg.chart rect.s-sui.hollow{stroke:var(--sui)}\n",
	"svg.chart text.in{font-size:11px;font-weight:700;pointer-events:none}"
	"svg.chart text.in.s-hom{fill:#fff}svg.chart text.in.s-sui{fill:#1b1f24}svg.chart text.in.s-unk{fill:#fff}\n",
	"svg.chart .grpbar{fill:#e9edf3;stroke:var(--ink);stroke-width:1.5}\n",
	"svg.chart .val{font-variant-numeric:tabular-nums;fill:#333}svg.chart .val.sm{font-size:11px}\n",
	"svg.chart .axis line{stroke:var(--line)}svg.chart .axis text{font-size:11px;fill:var(--muted)}\n",
	"svg.chart .bracket{fill:none;stroke:#9aa3af;stroke-width:1.5}\n",
	"svg.chart .hit{fill:transparent}svg.chart .row.link{cursor:pointer}"
	"svg.chart .row.link:hover .hit{fill:rgba(11,92,173,.08)}\n",
	"svg.chart .row.link:hover .lbl{text-decoration:underline}\n",
	"details.data{margin-top:10px}details.data>summary{cursor:pointer;color:#0b5cad;font-weight:600;"
	"font-size:14px}\n",
	".scroll{overflow-x:auto}\n",
	"table.t{border-collapse:collapse;width:100%;font-size:14px;margin-top:8px}\n",
	"table.t th,table.t td{padding:6px 8px;border-bottom:1px solid var(--line);text-align:left;"
	"vertical-align:top}\n",
	"table.t thead th{background:#f0f3f7;font-size:13px;white-space:nowrap}\n",
	"table.t td.n,table.t th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n",
	"table.t tbody tr:nth-child(even){background:#fafbfc}\n",
	"table.t .sub{display:block;color:var(--muted);font-size:12px;overflow-wrap:anywhere}\n",
	"table.docs{table-layout:fixed;min-width:760px}table.docs td .tag{font-size:12px;margin:1px 2px 1px 0}"
	"table.docs td{overflow-wrap:anywhere}table.docs td:nth-child(2) .tag{white-space:normal}\n",
	".cap{font-size:13px;color:var(--muted);margin:4px 0 0}\n",
	".tag.fx{background:#eef3e6;border-color:#c9d9b0}.tag.fx i{font-style:normal;color:var(--muted)}\n",
	"th button.sort{all:unset;cursor:pointer;font-weight:700}th button.sort::after{content:\" \\2195\";"
	"color:#9aa3af}\n",
	"th[aria-sort=ascending] button.sort::after{content:\" \\25B2\";color:var(--ink)}"
	"th[aria-sort=descending] button.sort::after{content:\" \\25BC\";color:var(--ink)}\n",
	"th button.sort:focus-visible{outline:3px solid #cc79a7}\n",
	"table.heat{border-collapse:separate;border-spacing:2px;font-size:13px}\n",
	"table.heat th{font-weight:600;text-align:left;padding:2px 6px}\n",
	"table.heat thead th.rot{vertical-align:bottom;height:200px;padding:0 0 4px;width:38px}\n",
	"table.heat thead th.rot span{writing-mode:vertical-rl;transform:rotate(180deg);display:inline-block;"
	"max-height:196px;font-size:12px;line-height:1.15;text-align:left}\n",
	"table.heat thead th.grp{text-align:center;font-size:11.5px;line-height:1.25;font-weight:600;"
	"border-bottom:2px solid var(--ink);padding:0 2px 3px;color:var(--muted);vertical-align:bottom}\n",
	"table.heat td{width:38px;height:30px;text-align:center;font-variant-numeric:tabular-nums;border-radius:3px}\n",
	"table.heat td a{color:inherit;text-decoration:none;display:block;line-height:30px}\n",
	"table.heat td a:hover{text-decoration:underline}\n",
	"table.heat td.z{color:#c3c8d0;background:#f7f8fa}table.heat td.tot{font-weight:700;background:#eef1f5}\n",
	"table.heat tbody th{white-space:nowrap;max-width:300px;overflow:hidden;text-overflow:ellipsis}\n",
	".scale{display:flex;align-items:center;gap:8px;font-size:12px;color:var(--muted);margin-top:8px}\n",
	".scale i{display:inline-block;width:26px;height:12px;border-radius:2px}\n",
	".tag{display:inline-block;border-radius:10px;padding:0 9px;font-size:12.5px;line-height:20px;"
	"background:#eef1f6;border:1px solid #d3dae4;margin:2px 4px 2px 0;white-space:nowrap}\n",
	".tag.ag{background:#e3f0fa;border-color:#b3d4ec}\n",
	".tag.ct-hom{background:var(--hom);border-color:var(--hom);color:#fff}"
	".tag.ct-sui{background:var(--sui);border-color:var(--sui);color:#1b1f24}"
	".tag.ct-unk{background:#e3e5e8}\n",
	".tag.err{background:#fde8dc;border-color:#f2b38f}\n",
	".tag.ocr{background:#f3ecfb;border-color:#cdb8ea}\n",
	".tag b{font-variant-numeric:tabular-nums}\n",
	"form.filters{position:sticky;top:40px;z-index:4;background:#fff;border:1px solid var(--line);"
	"border-radius:8px;padding:10px 12px;display:flex;flex-wrap:wrap;gap:10px 14px;align-items:end;"
	"box-shadow:0 2px 6px rgba(0,0,0,.06)}\n",
	"form.filters label{display:flex;flex-direction:column;font-size:12px;font-weight:600;color:var(--muted);"
	"gap:2px}\n",
	"form.filters select,form.filters input{font:inherit;font-size:14px;padding:5px 8px;border:1px solid #b8c0cc;"
	"border-radius:6px;background:#fff;color:var(--ink);max-width:250px}\n",
	"form.filters input{width:200px}\n",
	"form.filters button{font:inherit;font-size:14px;padding:5px 14px;border-radius:6px;border:1px solid "
	"var(--accent);background:var(--accent);color:#fff;cursor:pointer}\n",
	"p.count{font-weight:600;margin:12px 0 6px}\n",
	"ol.recs{list-style:none;margin:0;padding:0}\n",
	/* content-visibility: the browser lays out only the recommendations on screen, which
	 * keeps a report of thousands of them quick to open */
	"li.rec{border:1px solid var(--line);border-left:5px solid var(--unk);border-radius:8px;padding:10px 14px;"
	"margin:10px 0;background:#fff;content-visibility:auto;contain-intrinsic-size:auto 170px}\n",
	"li.rec.hom{border-left-color:var(--hom)}li.rec.sui{border-left-color:var(--sui)}\n",
	".rh{display:flex;flex-wrap:wrap;gap:4px 10px;align-items:baseline;font-size:13px;color:var(--muted)}\n",
	".rh .num{font-weight:700;color:var(--ink);font-size:14px}\n",
	".rh a.doc{font-weight:600}\n",
	".rt{margin:6px 0 4px;font-size:15.5px;line-height:1.6;max-width:92ch;white-space:pre-line}\n",
	"mark.ev{background:#fdedc4;color:inherit;border-bottom:2px solid var(--sui);padding:0 1px;border-radius:2px}\n",
	"mark.ev.fa{background:#dcecf8;border-bottom:2px dotted var(--hom)}\n",
	"mark.ev.ft.fa{background:linear-gradient(#fdedc4,#dcecf8)}\n",
	"sup.er{font-size:10.5px;line-height:0;margin-left:1px}sup.er a{text-decoration:none;color:#7a4b00}\n",
	"ol.ev{list-style:decimal inside;margin:4px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:2px 18px;"
	"font-size:12.5px;color:var(--muted)}\n",
	"ol.ev li{white-space:nowrap;display:list-item}ol.ev li::marker{font-weight:700;color:#7a4b00}"
	"ol.ev li.fa::marker{color:var(--hom)}\n",
	"ol.ev li:target{background:#fff6d9}\n",
	".tags{margin-top:4px}\n",
	"footer{color:var(--muted);font-size:13px;padding:8px 0 40px}\n",
	"@media (max-width:700px){header.top h1{font-size:22px}section.panel{padding:14px}}\n",
	"@media print{body{background:#fff;font-size:11pt}nav.toc,form.filters,.noprint{display:none!important}"
	"header.top{background:#fff;color:#000;padding:0 0 8px;border-bottom:2px solid #000}"
	"section.panel{border:0;padding:0;margin:16px 0;break-inside:auto}"
	"section.panel>h2,section.panel>h3,section.panel>h2+p.note,h3+p.note{break-after:avoid}figure,li.rec,table.heat{break-inside:avoid}"
	"li.rec{border:1px solid #999;border-left-width:5px;content-visibility:visible}a{color:inherit;text-decoration:none}"
	"details.data{display:none}.scroll{overflow:visible}table.t{font-size:9pt}"
	"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n",
	NULL};

/*
 * The report's only script: filters, sorting and click-to-filter. It reads
 * everything from the DOM (data-* attributes), so no scan data ever sits
 * inside <script>. On success it sets data-dhr-ready="1" on <html>; on a
 * failure data-dhr-error (the browser test checks both).
 */
static const char *const report_js[] = {
	"(function(){'use strict';\n",
	"var root=document.documentElement;\n",
	"function $(id){return document.getElementById(id);}\n",
	"function each(list,f){Array.prototype.forEach.call(list,f);}\n",
	"function init(){\n",
	" var recs=Array.prototype.slice.call(document.querySelectorAll('li.rec'));\n",
	" var form=$('filters'),fT=$('f-theme'),fA=$('f-agency'),fD=$('f-doc'),fQ=$('f-text'),count=$('f-count');\n",
	" var texts=null;\n",
	" function apply(){\n",
	"  var t=fT.value,a=fA.value,d=fD.value,q=fQ.value.trim().toLowerCase(),shown=0;\n",
	"  if(q&&!texts)texts=recs.map(function(r){return r.querySelector('.rt').textContent.toLowerCase();});\n",
	"  for(var i=0;i<recs.length;i++){\n",
	"   var r=recs[i],ok=true,th=r.getAttribute('data-themes');\n",
	"   if(t)ok=t==='-'?th==='':(' '+th+' ').indexOf(' '+t+' ')>=0;\n",
	"   if(ok&&a)ok=r.getAttribute('data-agency')===a;\n",
	"   if(ok&&d)ok=r.getAttribute('data-doc')===d;\n",
	"   if(ok&&q)ok=texts[i].indexOf(q)>=0;\n",
	"   r.hidden=!ok;if(ok)shown++;\n",
	"  }\n",
	"  count.textContent=shown===recs.length?'Showing all '+recs.length+' recommendations.'"
	":'Showing '+shown+' of '+recs.length+' recommendations.';\n",
	"  root.setAttribute('data-shown',String(shown));\n",
	" }\n",
	" function setSel(sel,v){sel.value=v||'';if(sel.value!==(v||''))sel.value='';}\n",
	/* the filters live in the address (#recs?theme=training&agency=police&doc=3&q=marac),
	 * so a filtered view can be bookmarked or shared */
	" function fromHash(){\n",
	"  var m=/^#recs\\?(.*)$/.exec(location.hash);if(!m)return false;\n",
	"  var p=new URLSearchParams(m[1]);\n",
	"  setSel(fT,p.get('theme'));setSel(fA,p.get('agency'));setSel(fD,p.get('doc'));fQ.value=p.get('q')||'';\n",
	"  return true;\n",
	" }\n",
	" function toHash(){\n",
	"  var p=new URLSearchParams();\n",
	"  if(fT.value)p.set('theme',fT.value);if(fA.value)p.set('agency',fA.value);\n",
	"  if(fD.value)p.set('doc',fD.value);if(fQ.value.trim())p.set('q',fQ.value.trim());\n",
	"  var h=String(p);try{history.replaceState(null,'',h?'#recs?'+h:'#recs');}catch(e){}\n",
	" }\n",
	" function changed(){apply();toHash();}\n",
	" [fT,fA,fD].forEach(function(el){el.addEventListener('change',changed);});\n",
	" var timer=0;fQ.addEventListener('input',function(){clearTimeout(timer);timer=setTimeout(changed,150);});\n",
	" form.addEventListener('submit',function(e){e.preventDefault();changed();});\n",
	" form.addEventListener('reset',function(){setTimeout(changed,0);});\n",
	" window.addEventListener('hashchange',function(){if(fromHash())apply();});\n",
	" document.addEventListener('click',function(e){\n",
	"  var el=e.target.closest&&e.target.closest('[data-filter-theme],[data-filter-agency],[data-filter-doc]');\n",
	"  if(!el)return;e.preventDefault();\n",
	"  setSel(fT,el.getAttribute('data-filter-theme'));setSel(fA,el.getAttribute('data-filter-agency'));\n",
	"  setSel(fD,el.getAttribute('data-filter-doc'));fQ.value='';changed();\n",
	"  $('recs').scrollIntoView();count.focus({preventScroll:true});\n",
	" });\n",
	" each(document.querySelectorAll('table.sortable'),function(table){\n",
	"  var ths=table.tHead.rows[0].cells,body=table.tBodies[0];\n",
	"  each(ths,function(th,col){\n",
	"   var b=th.querySelector('button.sort');if(!b)return;\n",
	"   b.addEventListener('click',function(){\n",
	"    var dir=th.getAttribute('aria-sort')==='ascending'?'descending':'ascending',num=th.classList.contains('n');\n",
	"    each(ths,function(h){h.removeAttribute('aria-sort');});th.setAttribute('aria-sort',dir);\n",
	"    var rows=Array.prototype.slice.call(body.rows);\n",
	"    function key(r){var c=r.cells[col];return c.hasAttribute('data-sort')?c.getAttribute('data-sort'):c.textContent;}\n",
	"    rows.sort(function(x,y){var p=key(x),q=key(y),c=num?(parseFloat(p)-parseFloat(q)):"
	"p.localeCompare(q,undefined,{numeric:true,sensitivity:'base'});return dir==='ascending'?c:-c;});\n",
	"    rows.forEach(function(r){body.appendChild(r);});\n",
	"   });\n",
	"  });\n",
	" });\n",
	" fromHash();apply();\n",
	"}\n",
	"try{init();root.setAttribute('data-dhr-ready','1');"
	"root.setAttribute('data-dhr-init-ms',String(Math.round(performance.now())));}\n",
	"catch(e){root.setAttribute('data-dhr-error',String(e&&e.message||e));throw e;}\n",
	"window.addEventListener('load',function(){void document.body.offsetHeight;"
	"root.setAttribute('data-dhr-load-ms',String(Math.round(performance.now())));});\n",
	"})();\n",
	NULL};

/* clang-format on */

/* The CSP source of report_js: 'sha256-<base64 of its digest>'. */
static char *script_hash(void)
{
	guint8 digest[32];
	gsize n = sizeof digest;
	GChecksum *ck = g_checksum_new(G_CHECKSUM_SHA256);
	for (size_t i = 0; report_js[i]; i++)
		g_checksum_update(ck, (const guchar *)report_js[i], (gssize)strlen(report_js[i]));
	g_checksum_get_digest(ck, digest, &n);
	g_checksum_free(ck);
	gchar *b64 = g_base64_encode(digest, n);
	char *copy = b64 ? strdup(b64) : NULL;
	g_free(b64);
	return copy;
}

/* ---- helpers ---- */

static const char *const split_css[DHR_SPLIT_N] = {"hom", "sui", "unk"};

static const char *section_name(const char *s)
{
	if (!s)
		return NULL;
	if (strcmp(s, "recommendations") == 0)
		return "Recommendations chapter";
	if (strcmp(s, "executive_summary") == 0)
		return "Executive summary";
	if (strcmp(s, "single_agency") == 0)
		return "Single-agency recommendations";
	if (strcmp(s, "action_plan") == 0)
		return "Action plan";
	return s;
}

static const char *case_name(const dhr_agg *agg, const dhr_agg_doc *d)
{
	return d->case_type >= 0 ? agg->case_types.labels[d->case_type].name : "Unknown";
}

static void attr(dhr_obuf *b, const char *name, const char *value)
{
	dhr_obuf_printf(b, " %s=\"", name);
	dhr_obuf_html(b, value);
	dhr_obuf_putc(b, '"');
}

static void plural(dhr_obuf *b, size_t n, const char *one, const char *many)
{
	dhr_obuf_printf(b, "%zu %s", n, n == 1 ? one : many);
}

/* ---- sections ---- */

static void put_head(dhr_obuf *b, const dhr_agg *agg, const char *hash)
{
	dhr_obuf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
	dhr_obuf_printf(b,
	                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	                "style-src 'unsafe-inline'; script-src 'sha256-%s'; img-src data:; base-uri 'none'; "
	                "form-action 'none'\">\n",
	                hash);
	dhr_obuf_puts(b, "<meta name=\"generator\" content=\"dhr");
	if (agg->version) {
		dhr_obuf_putc(b, ' ');
		dhr_obuf_html(b, agg->version);
	}
	dhr_obuf_puts(b, "\">\n<meta name=\"color-scheme\" content=\"light\">\n<title>");
	dhr_obuf_printf(b, "DHR recommendation themes: %zu recommendations in %zu reviews", agg->n_recs,
	                agg->n_docs - agg->n_failed);
	dhr_obuf_puts(b, "</title>\n<style>\n");
	for (size_t i = 0; report_css[i]; i++)
		dhr_obuf_puts(b, report_css[i]);
	dhr_obuf_puts(b, "</style>\n</head>\n<body>\n");
}

/* Recommendation facets beyond the theme- and agency-like ones: each gets a figure of its own. */
static int is_other_facet(const dhr_agg *agg, size_t f)
{
	return !agg->fdefs[f].document && (int)f != agg->theme_f && (int)f != agg->agency_f;
}

static size_t count_other_facets(const dhr_agg *agg)
{
	size_t n = 0;
	for (size_t f = 0; f < agg->n_fdefs; f++)
		n += is_other_facet(agg, f);
	return n;
}

static size_t count_multi_facets(const dhr_agg *agg)
{
	size_t n = 0;
	for (size_t f = 0; f < agg->n_fdefs; f++)
		n += !agg->fdefs[f].document && agg->fdefs[f].multi;
	return n;
}

static size_t count_rec_facets(const dhr_agg *agg)
{
	size_t n = 0;
	for (size_t f = 0; f < agg->n_fdefs; f++)
		n += !agg->fdefs[f].document;
	return n;
}

/* " (facet ho_theme)" after a heading when the facet in that role is not named as usual. */
static void role_suffix(dhr_obuf *b, const dhr_agg *agg, int f, const char *usual)
{
	if (f < 0 || strcmp(agg->fdefs[f].name, usual) == 0)
		return;
	dhr_obuf_puts(b, " <small>(facet <code>");
	dhr_obuf_html(b, agg->fdefs[f].name);
	dhr_obuf_puts(b, "</code>)</small>");
}

static void put_masthead(dhr_obuf *b, const dhr_agg *agg)
{
	size_t read = agg->n_docs - agg->n_failed;
	dhr_obuf_puts(b, "<header class=\"top\"><div class=\"in\">"
	                 "<p class=\"kicker\">Domestic Homicide Reviews &middot; dhr report</p>"
	                 "<h1>Themes of recommendations</h1><p class=\"lede\">Across the ");
	plural(b, read, "review read", "reviews read");
	dhr_obuf_puts(b, ", there ");
	dhr_obuf_puts(b, agg->n_recs == 1 ? "is " : "are ");
	plural(b, agg->n_recs, "recommendation", "recommendations");
	dhr_obuf_puts(b, ".");
	if (agg->n_failed) {
		dhr_obuf_puts(b, " ");
		plural(b, agg->n_failed, "document", "documents");
		dhr_obuf_puts(b, " could not be read.");
	}
	dhr_obuf_puts(
	    b, "</p></div></header>\n"
	       "<nav class=\"toc\" aria-label=\"Contents\"><div class=\"in\"><ul>"
	       "<li><a href=\"#figures\">Headline figures</a></li><li><a href=\"#themes\">Themes</a></li>"
	       "<li><a href=\"#agencies\">Agencies</a></li><li><a href=\"#heatmap\">Agencies &times; "
	       "themes</a></li>");
	if (count_other_facets(agg))
		dhr_obuf_puts(b, "<li><a href=\"#facets\">Other facets</a></li>");
	if (count_rec_facets(agg))
		dhr_obuf_puts(b, "<li><a href=\"#tags\">Report tags</a></li>");
	if (count_multi_facets(agg) >= 2)
		dhr_obuf_puts(b, "<li><a href=\"#crosswalk\">Crosswalk</a></li>");
	for (size_t i = 0; i < agg->n_docs; i++)
		if (agg->docs[i].ok && dhr_json_obj(agg->docs[i].json, "profile")) {
			dhr_obuf_puts(b, "<li><a href=\"#profiles\">Case profiles</a></li>");
			break;
		}
	dhr_obuf_puts(b, "<li><a href=\"#documents\">Documents</a></li><li><a href=\"#recs\">Recommendations</a></li>"
	                 "</ul></div></nav>\n<main>\n");
}

static void card(dhr_obuf *b, const char *cls, const char *key, size_t value, const char *sub)
{
	dhr_obuf_printf(b,
	                "<div class=\"card %s\"><div class=\"k\">%s</div><div class=\"v\">%zu</div>"
	                "<div class=\"s\">%s</div></div>",
	                cls, key, value, sub);
}

static void put_figures(dhr_obuf *b, const dhr_agg *agg)
{
	char sub[160];
	size_t read = agg->n_docs - agg->n_failed;
	dhr_obuf_puts(b, "<section class=\"panel\" id=\"figures\" aria-labelledby=\"h-figures\">"
	                 "<h2 id=\"h-figures\">Headline figures</h2><div class=\"cards\">");
	snprintf(sub, sizeof sub, "%zu read &middot; %zu failed", read, agg->n_failed);
	card(b, "", "Documents", agg->n_docs, sub);
	snprintf(sub, sizeof sub, "%.1f per document read", read ? (double)agg->n_recs / (double)read : 0.0);
	card(b, "", "Recommendations", agg->n_recs, sub);
	snprintf(sub, sizeof sub, "reviews, %zu of them homicide-suicide &middot; %zu recommendations",
	         dhr_agg_case_docs(agg, "homicide_suicide"), agg->recs_split[DHR_SPLIT_HOMICIDE]);
	card(b, "hom", "Homicides", agg->docs_split[DHR_SPLIT_HOMICIDE], sub);
	snprintf(sub, sizeof sub, "reviews &middot; %zu recommendations", agg->recs_split[DHR_SPLIT_SUICIDE]);
	card(b, "sui", "Suicides", agg->docs_split[DHR_SPLIT_SUICIDE], sub);
	if (agg->docs_split[DHR_SPLIT_UNKNOWN]) {
		snprintf(sub, sizeof sub, "reviews &middot; %zu recommendations",
		         agg->recs_split[DHR_SPLIT_UNKNOWN]);
		card(b, "unk", "Case type unknown", agg->docs_split[DHR_SPLIT_UNKNOWN], sub);
	}
	snprintf(sub, sizeof sub, "%.1f%% of recommendations", dhr_pct(agg->no_theme, agg->n_recs));
	card(b, "unk", "Without a theme", agg->no_theme, sub);
	dhr_obuf_puts(b, "</div><dl class=\"meta\"><dt>Rules</dt><dd><code>");
	dhr_obuf_html(b, agg->rules_source ? agg->rules_source : "(not recorded)");
	dhr_obuf_puts(b, "</code>");
	if (agg->rules_sha256) {
		dhr_obuf_puts(b, " &middot; SHA-256 <code>");
		dhr_obuf_html(b, agg->rules_sha256);
		dhr_obuf_puts(b, "</code>");
	}
	dhr_obuf_puts(b, "</dd><dt>Scan made</dt><dd>");
	dhr_obuf_html(b, agg->generated ? agg->generated : "(not recorded)");
	if (agg->version) {
		dhr_obuf_puts(b, " by dhr ");
		dhr_obuf_html(b, agg->version);
	}
	dhr_obuf_puts(b, "</dd><dt>Case types</dt><dd>Homicide-suicides are counted with homicides in every "
	                 "homicide / suicide split, as in the intimate partner homicide typology.</dd></dl>");
	if (agg->n_failed) {
		dhr_obuf_printf(
		    b,
		    "<h3 id=\"failed\">Failed documents (%zu)</h3><p class=\"note\">These files were "
		    "found but not read; nothing from them is counted.</p><div class=\"scroll\">"
		    "<table class=\"t\"><thead><tr><th scope=\"col\">Document</th>"
		    "<th scope=\"col\">Reason</th><th scope=\"col\">Message</th></tr></thead><tbody>",
		    agg->n_failed);
		for (size_t i = 0; i < agg->n_docs; i++) {
			const dhr_agg_doc *d = &agg->docs[i];
			if (d->ok)
				continue;
			dhr_obuf_puts(b, "<tr class=\"failed-doc\"><td><code>");
			dhr_obuf_html(b, d->path);
			dhr_obuf_puts(b, "</code></td><td><span class=\"tag err\">");
			dhr_obuf_html(b, d->error_code ? d->error_code : "error");
			dhr_obuf_puts(b, "</span></td><td>");
			dhr_obuf_html(b, d->error_message ? d->error_message : "");
			dhr_obuf_puts(b, "</td></tr>");
		}
		dhr_obuf_puts(b, "</tbody></table></div>");
	}
	dhr_obuf_puts(b, "</section>\n");
}

/* The rows of the themes figures, in display order, plus "(no theme)". */
static size_t theme_chart_rows(const dhr_agg *agg, dhr_chart_row *out, const dhr_agg_row *rows, size_t n_rows)
{
	size_t n = 0;
	for (size_t i = 0; i < n_rows; i++) {
		dhr_chart_row *r = &out[n++];
		memset(r, 0, sizeof *r);
		if (rows[i].is_group) {
			const dhr_agg_group *g = &agg->groups[rows[i].index];
			r->label = g->name;
			r->style = DHR_ROW_GROUP;
			r->total = g->count;
			memcpy(r->split, g->split, sizeof r->split);
		} else {
			const dhr_agg_label *t = &agg->themes.labels[rows[i].index];
			r->label = t->name;
			r->style = t->group >= 0 ? DHR_ROW_MEMBER : DHR_ROW_PLAIN;
			r->total = t->count;
			memcpy(r->split, t->split, sizeof r->split);
			r->filter_attr = "data-filter-theme";
			r->filter_value = t->id;
		}
	}
	dhr_chart_row *r = &out[n++];
	memset(r, 0, sizeof *r);
	r->label = "(no theme)";
	r->style = DHR_ROW_MUTED;
	r->total = agg->no_theme;
	memcpy(r->split, agg->no_theme_split, sizeof r->split);
	r->filter_attr = "data-filter-theme";
	r->filter_value = "-";
	return n;
}

/* The text alternative of a chart: every row with its count and share. */
static char *chart_desc(const char *intro, const dhr_chart_row *rows, size_t n, size_t denom)
{
	dhr_obuf d = {0};
	char *out = NULL;
	dhr_obuf_puts(&d, intro);
	for (size_t i = 0; i < n; i++)
		dhr_obuf_printf(&d, "%s%s%s: %zu (%.1f%%)", i ? "; " : " ",
		                rows[i].style == DHR_ROW_GROUP ? "group " : "", rows[i].label, rows[i].total,
		                dhr_pct(rows[i].total, denom));
	dhr_obuf_puts(&d, ".");
	if (dhr_obuf_finish(&d, &out, NULL, NULL) < 0)
		return NULL;
	return out;
}

static void put_split_th(dhr_obuf *b, const dhr_agg *agg, int unknown)
{
	dhr_obuf_printf(
	    b,
	    "<th scope=\"col\" class=\"n\">Homicide</th><th scope=\"col\" class=\"n\">%% of %zu</th>"
	    "<th scope=\"col\" class=\"n\">Suicide</th><th scope=\"col\" class=\"n\">%% of %zu</th>",
	    agg->recs_split[DHR_SPLIT_HOMICIDE], agg->recs_split[DHR_SPLIT_SUICIDE]);
	if (unknown)
		dhr_obuf_printf(
		    b,
		    "<th scope=\"col\" class=\"n\">Unknown</th><th scope=\"col\" class=\"n\">%% of %zu</th>",
		    agg->recs_split[DHR_SPLIT_UNKNOWN]);
}

static void put_split_td(dhr_obuf *b, const dhr_agg *agg, const size_t split[DHR_SPLIT_N], int unknown)
{
	for (int s = 0; s < DHR_SPLIT_N; s++)
		if (s != DHR_SPLIT_UNKNOWN || unknown)
			dhr_obuf_printf(b, "<td class=\"n\">%zu</td><td class=\"n\">%.1f%%</td>", split[s],
			                dhr_pct(split[s], agg->recs_split[s]));
}

static void put_chart_table(dhr_obuf *b, const dhr_agg *agg, const dhr_chart_row *rows, size_t n,
                            const char *first_col, const char *summary, int unknown)
{
	dhr_obuf_printf(
	    b,
	    "<details class=\"data\"><summary>%s</summary><div class=\"scroll\"><table class=\"t\">"
	    "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\" class=\"n\">Recommendations</th>"
	    "<th scope=\"col\" class=\"n\">Share of %zu</th>",
	    summary, first_col, agg->n_recs);
	put_split_th(b, agg, unknown);
	dhr_obuf_puts(b, "</tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		const dhr_chart_row *r = &rows[i];
		dhr_obuf_puts(b, "<tr><th scope=\"row\">");
		if (r->style == DHR_ROW_MEMBER)
			dhr_obuf_puts(b, "&nbsp;&nbsp;&nbsp;");
		if (r->style == DHR_ROW_GROUP)
			dhr_obuf_puts(b, "<strong>Group: ");
		if (r->filter_attr) {
			dhr_obuf_puts(b, "<a href=\"#recs\"");
			attr(b, r->filter_attr, r->filter_value);
			dhr_obuf_puts(b, ">");
		}
		dhr_obuf_html(b, r->label);
		if (r->filter_attr)
			dhr_obuf_puts(b, "</a>");
		if (r->style == DHR_ROW_GROUP)
			dhr_obuf_puts(b, "</strong>");
		dhr_obuf_printf(b, "</th><td class=\"n\">%zu</td><td class=\"n\">%.1f%%</td>", r->total,
		                dhr_pct(r->total, agg->n_recs));
		put_split_td(b, agg, r->split, unknown);
		dhr_obuf_puts(b, "</tr>");
	}
	dhr_obuf_puts(b, "</tbody></table></div></details>");
}

static int put_themes(dhr_obuf *b, const dhr_agg *agg, const dhr_chart_row *rows, size_t n)
{
	int unknown = agg->recs_split[DHR_SPLIT_UNKNOWN] > 0;
	char *desc1 =
	    chart_desc("Horizontal bar chart of recommendations per theme, each bar split by case type.",
	               rows, n, agg->n_recs);
	char *desc2 = NULL;
	{
		dhr_obuf d = {0};
		dhr_obuf_puts(&d, "Paired bar chart: for each theme, the share of homicide and of suicide "
		                  "recommendations that have it.");
		for (size_t i = 0; i < n; i++)
			dhr_obuf_printf(
			    &d, "%s%s: homicide %.1f%%, suicide %.1f%%", i ? "; " : " ", rows[i].label,
			    dhr_pct(rows[i].split[DHR_SPLIT_HOMICIDE], agg->recs_split[DHR_SPLIT_HOMICIDE]),
			    dhr_pct(rows[i].split[DHR_SPLIT_SUICIDE], agg->recs_split[DHR_SPLIT_SUICIDE]));
		dhr_obuf_puts(&d, ".");
		dhr_obuf_finish(&d, &desc2, NULL, NULL);
	}
	if (!desc1 || !desc2) {
		free(desc1);
		free(desc2);
		return DHR_ENOMEM;
	}
	dhr_chart c = {
	    .id = "chart-themes",
	    .title = "Recommendations per theme, split homicide / suicide",
	    .desc = desc1,
	    .split_names = {"Homicide (incl. homicide-suicide)", "Suicide", "Unknown case type"},
	    .denom = agg->n_recs,
	    .show_unknown = unknown,
	    .rows = rows,
	    .n_rows = n,
	};
	dhr_obuf_puts(
	    b, "<section class=\"panel\" id=\"themes\" aria-labelledby=\"h-themes\">"
	       "<h2 id=\"h-themes\">Themes of recommendations");
	role_suffix(b, agg, agg->theme_f, "theme");
	dhr_obuf_puts(b, "</h2><p class=\"note\">How many recommendations "
	       "ask for each theme, and their share of all ");
	dhr_obuf_printf(b, "%zu", agg->n_recs);
	dhr_obuf_puts(
	    b, " recommendations. A recommendation counts once for every theme it has, so the shares add "
	       "up to more than 100%. The outlined bar is a group of themes: recommendations with at least "
	       "one of them. Click a bar to list its recommendations.</p>");
	dhr_obuf_puts(b, "<figure id=\"fig-themes\">");
	dhr_svg_stacked_bars(b, &c);
	dhr_obuf_puts(b,
	              "<figcaption>Figure 1. Recommendations per theme, split by the case type of the review "
	              "(homicide-suicides with homicides).</figcaption></figure>");
	c.id = "chart-compare";
	c.title = "Share of homicide and of suicide recommendations with each theme";
	c.desc = desc2;
	dhr_obuf_puts(
	    b, "<h3>Homicides and suicides compared</h3><p class=\"note\">The same themes as a share of "
	       "each case type&rsquo;s own recommendations, so that the fewer suicide reviews can be "
	       "compared with the homicides.</p><figure id=\"fig-compare\">");
	dhr_svg_compare_bars(b, &c, agg->recs_split);
	dhr_obuf_printf(b,
	                "<figcaption>Figure 2. Share of the %zu homicide and the %zu suicide recommendations "
	                "with each theme.</figcaption></figure>",
	                agg->recs_split[DHR_SPLIT_HOMICIDE], agg->recs_split[DHR_SPLIT_SUICIDE]);
	put_chart_table(b, agg, rows, n, "Theme", "Figures 1 and 2 as a table", unknown);
	dhr_obuf_puts(b, "</section>\n");
	free(desc1);
	free(desc2);
	return 0;
}

static int put_agencies(dhr_obuf *b, const dhr_agg *agg, const size_t *order)
{
	int unknown = agg->recs_split[DHR_SPLIT_UNKNOWN] > 0;
	dhr_chart_row *rows = calloc(agg->agencies.n + 1, sizeof *rows);
	if (!rows)
		return DHR_ENOMEM;
	size_t n = 0;
	for (size_t i = 0; i < agg->agencies.n; i++) {
		const dhr_agg_label *a = &agg->agencies.labels[order[i]];
		if (!a->count)
			continue;
		dhr_chart_row *r = &rows[n++];
		r->label = a->name;
		r->style = order[i] == agg->unknown_agency ? DHR_ROW_MUTED : DHR_ROW_PLAIN;
		r->total = a->count;
		memcpy(r->split, a->split, sizeof r->split);
		r->filter_attr = "data-filter-agency";
		r->filter_value = a->id;
	}
	char *desc = chart_desc(
	    "Horizontal bar chart of recommendations per lead agency, each bar split by case type.", rows, n,
	    agg->n_recs);
	if (!desc) {
		free(rows);
		return DHR_ENOMEM;
	}
	dhr_chart c = {
	    .id = "chart-agencies",
	    .title = "Recommendations per lead agency, split homicide / suicide",
	    .desc = desc,
	    .split_names = {"Homicide (incl. homicide-suicide)", "Suicide", "Unknown case type"},
	    .denom = agg->n_recs,
	    .show_unknown = unknown,
	    .rows = rows,
	    .n_rows = n,
	};
	dhr_obuf_puts(
	    b, "<section class=\"panel\" id=\"agencies\" aria-labelledby=\"h-agencies\">"
	       "<h2 id=\"h-agencies\">Lead agencies");
	role_suffix(b, agg, agg->agency_f, "agency");
	dhr_obuf_puts(b, "</h2><p class=\"note\">The agency each recommendation is "
	       "addressed to: the lead agency of an action plan, else the agency it names. One per "
	       "recommendation; &ldquo;Not stated&rdquo; when the review does not say.</p>"
	       "<figure id=\"fig-agencies\">");
	dhr_svg_stacked_bars(b, &c);
	dhr_obuf_puts(b, "<figcaption>Figure 3. Recommendations per lead agency.</figcaption></figure>");
	put_chart_table(b, agg, rows, n, "Lead agency", "Figure 3 as a table", unknown);
	dhr_obuf_puts(b, "</section>\n");
	free(desc);
	free(rows);
	return 0;
}

static void put_heatmap(dhr_obuf *b, const dhr_agg *agg, const size_t *order, const dhr_agg_row *rows,
                        size_t n_rows)
{
	size_t nt = agg->themes.n, max = 0;
	for (size_t i = 0; i < agg->agencies.n * nt; i++)
		if (agg->matrix[i] > max)
			max = agg->matrix[i];
	dhr_obuf_puts(
	    b, "<section class=\"panel\" id=\"heatmap\" aria-labelledby=\"h-heatmap\">"
	       "<h2 id=\"h-heatmap\">Lead agencies &times; themes</h2><p class=\"note\">Recommendations "
	       "addressed to each agency (rows) with each theme (columns); the darker the cell, the more. "
	       "Click a number to list those recommendations.</p><div class=\"scroll\">"
	       "<table class=\"heat\" id=\"heat\"><caption class=\"sr\">Recommendations by lead agency and "
	       "theme</caption><thead>");
	/* a first header row naming the groups over their columns */
	dhr_obuf_puts(b, "<tr><td></td>");
	for (size_t i = 0; i < n_rows; i++) {
		if (rows[i].is_group) {
			const dhr_agg_group *g = &agg->groups[rows[i].index];
			dhr_obuf_printf(b, "<th scope=\"colgroup\" class=\"grp\" colspan=\"%zu\"",
			                g->n_themes);
			attr(b, "title", g->name);
			dhr_obuf_puts(b, ">");
			dhr_obuf_html(b, g->name);
			dhr_obuf_puts(b, "</th>");
		} else if (agg->themes.labels[rows[i].index].group < 0) {
			dhr_obuf_puts(b, "<td></td>");
		}
	}
	dhr_obuf_puts(b, "<td></td></tr><tr><th scope=\"col\">Lead agency</th>");
	for (size_t i = 0; i < n_rows; i++) {
		if (rows[i].is_group)
			continue;
		const dhr_agg_label *t = &agg->themes.labels[rows[i].index];
		dhr_obuf_puts(b, "<th scope=\"col\" class=\"rot\"");
		attr(b, "title", t->name);
		dhr_obuf_puts(b, "><span>");
		dhr_obuf_html(b, t->name);
		dhr_obuf_puts(b, "</span></th>");
	}
	dhr_obuf_puts(
	    b, "<th scope=\"col\" class=\"rot\"><span>All recommendations</span></th></tr></thead><tbody>");
	for (size_t k = 0; k < agg->agencies.n; k++) {
		size_t a = order[k];
		const dhr_agg_label *ag = &agg->agencies.labels[a];
		if (!ag->count)
			continue;
		dhr_obuf_puts(b, "<tr><th scope=\"row\"");
		attr(b, "title", ag->name);
		dhr_obuf_puts(b, ">");
		dhr_obuf_html(b, ag->name);
		dhr_obuf_puts(b, "</th>");
		for (size_t i = 0; i < n_rows; i++) {
			if (rows[i].is_group)
				continue;
			size_t t = rows[i].index, v = agg->matrix[a * nt + t];
			if (!v) {
				dhr_obuf_puts(b, "<td class=\"z\">0</td>");
				continue;
			}
			char colour[8];
			int dark;
			dhr_heat_colour(max ? (double)v / (double)max : 0, colour, &dark);
			dhr_obuf_printf(b, "<td style=\"background:%s;color:%s\"><a href=\"#recs\"", colour,
			                dark ? "#fff" : "#111");
			attr(b, "data-filter-theme", agg->themes.labels[t].id);
			attr(b, "data-filter-agency", ag->id);
			dhr_obuf_puts(b, " title=\"");
			dhr_obuf_html(b, ag->name);
			dhr_obuf_puts(b, " &times; ");
			dhr_obuf_html(b, agg->themes.labels[t].name);
			dhr_obuf_printf(b, ": %zu\">%zu</a></td>", v, v);
		}
		dhr_obuf_printf(b, "<td class=\"tot\">%zu</td></tr>", ag->count);
	}
	dhr_obuf_puts(b, "</tbody></table></div><div class=\"scale\" aria-hidden=\"true\">fewer");
	for (int i = 0; i <= 6; i++) {
		char colour[8];
		int dark;
		dhr_heat_colour(i / 6.0, colour, &dark);
		dhr_obuf_printf(b, "<i style=\"background:%s\"></i>", colour);
	}
	dhr_obuf_printf(
	    b,
	    "more (up to %zu)</div><p class=\"cap\">Figure 4. A recommendation with several themes "
	    "counts in each of their columns; the last column counts it once.</p></section>\n",
	    max);
}

static int put_documents(dhr_obuf *b, const dhr_agg *agg)
{
	size_t nt = agg->themes.n;
	size_t *counts = calloc(nt ? nt : 1, sizeof *counts), *idx = calloc(nt ? nt : 1, sizeof *idx);
	if (!counts || !idx) {
		free(counts);
		free(idx);
		return DHR_ENOMEM;
	}
	dhr_obuf_puts(
	    b, "<section class=\"panel\" id=\"documents\" aria-labelledby=\"h-documents\">"
	       "<h2 id=\"h-documents\">Documents</h2><p class=\"note\">Every document scanned. Sort by a "
	       "column with its button; the number of recommendations lists them.</p><div class=\"scroll\">"
	       "<table class=\"t sortable docs\" id=\"doc-table\"><colgroup><col style=\"width:25%\">"
	       "<col style=\"width:13%\"><col style=\"width:7%\"><col style=\"width:15%\"><col></colgroup>"
	       "<thead><tr>"
	       "<th scope=\"col\"><button type=\"button\" class=\"sort\">Document</button></th>"
	       "<th scope=\"col\"><button type=\"button\" class=\"sort\">Case type</button></th>"
	       "<th scope=\"col\" class=\"n\"><button type=\"button\" class=\"sort\">Pages</button></th>"
	       "<th scope=\"col\" class=\"n\"><button type=\"button\" "
	       "class=\"sort\">Recommendations</button></th>"
	       "<th scope=\"col\">Themes (recommendations)</th>");
	int tag_col = count_other_facets(agg) > 0;
	if (tag_col)
		dhr_obuf_puts(b, "<th scope=\"col\">Report tags (other facets)</th>");
	dhr_obuf_puts(b, "</tr></thead><tbody>");
	size_t warned = 0;
	for (size_t i = 0; i < agg->n_docs; i++) {
		const dhr_agg_doc *d = &agg->docs[i];
		warned += d->n_warnings > 0;
		dhr_obuf_printf(b, "<tr id=\"d%zu\" class=\"doc-row\"><td", i);
		attr(b, "data-sort", dhr_agg_doc_name(d));
		dhr_obuf_puts(b, ">");
		dhr_obuf_html(b, dhr_agg_doc_name(d));
		dhr_obuf_puts(b, "<span class=\"sub\">");
		dhr_obuf_html(b, d->path);
		/* the same bytes found under other names */
		for (const cJSON *p = dhr_json_items(d->json, "paths"); p; p = p->next) {
			if (!cJSON_IsString(p) || strcmp(p->valuestring, d->path) == 0)
				continue;
			dhr_obuf_puts(b, "<br>also ");
			dhr_obuf_html(b, p->valuestring);
		}
		if (d->n_ocr_pages)
			dhr_obuf_printf(b, "<br><span class=\"tag ocr\" title=\"lowest page confidence %.0f of 100\">"
			                   "%zu page%s read by OCR</span>",
			                d->ocr_min_confidence, d->n_ocr_pages, d->n_ocr_pages == 1 ? "" : "s");
		dhr_obuf_puts(b, "</span></td>");
		if (!d->ok) {
			dhr_obuf_puts(b, "<td data-sort=\"~\"><span class=\"tag err\">failed: ");
			dhr_obuf_html(b, d->error_code ? d->error_code : "error");
			dhr_obuf_puts(b, "</span></td><td class=\"n\" data-sort=\"-1\">&ndash;</td>"
			                 "<td class=\"n\" data-sort=\"-1\">&ndash;</td><td>");
			dhr_obuf_html(b, d->error_message);
			dhr_obuf_puts(b, tag_col ? "</td><td></td></tr>" : "</td></tr>");
			continue;
		}
		dhr_obuf_printf(b, "<td><span class=\"tag ct-%s\">", split_css[d->split]);
		dhr_obuf_html(b, case_name(agg, d));
		dhr_obuf_puts(b, "</span></td>");
		if (d->pages >= 0)
			dhr_obuf_printf(b, "<td class=\"n\" data-sort=\"%ld\">%ld</td>", d->pages, d->pages);
		else
			dhr_obuf_puts(b, "<td class=\"n\" data-sort=\"-1\">?</td>");
		dhr_obuf_printf(b, "<td class=\"n\" data-sort=\"%zu\">", d->n_recs);
		if (d->n_recs)
			dhr_obuf_printf(b, "<a href=\"#recs\" data-filter-doc=\"%zu\">%zu</a>", i, d->n_recs);
		else
			dhr_obuf_puts(b, "0");
		dhr_obuf_puts(b, "</td><td>");
		memset(counts, 0, nt * sizeof *counts);
		for (size_t r = d->rec0; r < d->rec0 + d->n_recs; r++)
			for (size_t k = 0; k < agg->recs[r].n_themes; k++)
				counts[agg->theme_refs[agg->recs[r].theme0 + k]]++;
		size_t m = 0;
		for (size_t t = 0; t < nt; t++)
			if (counts[t]) {
				/* insertion by count, descending */
				size_t j = m++;
				while (j > 0 && counts[idx[j - 1]] < counts[t]) {
					idx[j] = idx[j - 1];
					j--;
				}
				idx[j] = t;
			}
		for (size_t k = 0; k < m; k++) {
			dhr_obuf_puts(b, "<span class=\"tag\">");
			dhr_obuf_html(b, agg->themes.labels[idx[k]].name);
			dhr_obuf_printf(b, " <b>%zu</b></span>", counts[idx[k]]);
		}
		dhr_obuf_puts(b, "</td>");
		if (tag_col) {
			dhr_obuf_puts(b, "<td>");
			for (size_t f = 0; f < agg->n_fdefs; f++) {
				const dhr_agg_fdef *x = &agg->fdefs[f];
				if (!is_other_facet(agg, f))
					continue;
				for (size_t l = 0; l < x->set.n; l++) {
					if ((x->default_id && strcmp(x->set.labels[l].id, x->default_id) == 0) ||
					    !dhr_agg_doc_tagged(agg, i, f, (int)l))
						continue;
					dhr_obuf_puts(b, "<span class=\"tag fx\"");
					attr(b, "data-facet", x->name);
					dhr_obuf_puts(b, "><i>");
					dhr_obuf_html(b, x->name);
					dhr_obuf_puts(b, ":</i> ");
					dhr_obuf_html(b, x->set.labels[l].name);
					dhr_obuf_puts(b, "</span>");
				}
			}
			dhr_obuf_puts(b, "</td>");
		}
		dhr_obuf_puts(b, "</tr>");
	}
	dhr_obuf_puts(b, "</tbody></table></div>");
	if (warned) {
		dhr_obuf_printf(
		    b, "<details class=\"data\"><summary>Extraction warnings in %zu documents</summary><ul>",
		    warned);
		for (size_t i = 0; i < agg->n_docs; i++) {
			const cJSON *w;
			if (!agg->docs[i].n_warnings)
				continue;
			for (w = dhr_json_items(agg->docs[i].json, "warnings"); w; w = w->next) {
				if (!cJSON_IsString(w))
					continue;
				dhr_obuf_puts(b, "<li><code>");
				dhr_obuf_html(b, agg->docs[i].path);
				dhr_obuf_puts(b, "</code>: ");
				dhr_obuf_html(b, w->valuestring);
				dhr_obuf_puts(b, "</li>");
			}
		}
		dhr_obuf_puts(b, "</ul></details>");
	}
	dhr_obuf_puts(b, "</section>\n");
	free(counts);
	free(idx);
	return 0;
}

/* ---- one recommendation, with its evidence ---- */

typedef struct ev {
	size_t start, end; /* byte offsets, valid when located */
	int located;
	int agency;       /* facet agency (else theme) */
	const char *name; /* the label's display name */
	const char *rule; /* file:line */
	const char *match;
	int num; /* 1-based number in the legend */
} ev;

/* The display name of label `id` of `facet` (the theme-like facet when the
 * evidence names none); *is_agency is set for a single facet (drawn in the
 * agency colour), else the label is drawn as a theme. */
static const char *label_name(const dhr_agg *agg, const char *facet, const char *id, int *is_agency)
{
	int fi = agg->theme_f;
	for (size_t f = 0; facet && f < agg->n_fdefs; f++)
		if (strcmp(agg->fdefs[f].name, facet) == 0)
			fi = (int)f;
	*is_agency = fi >= 0 && !agg->fdefs[fi].multi;
	if (fi >= 0 && id)
		for (size_t i = 0; i < agg->fdefs[fi].set.n; i++)
			if (strcmp(agg->fdefs[fi].set.labels[i].id, id) == 0)
				return agg->fdefs[fi].set.labels[i].name;
	return id ? id : "?";
}

/* Move an offset back onto the first byte of a UTF-8 character. */
static size_t char_start(const char *s, size_t off)
{
	while (off > 0 && ((unsigned char)s[off] & 0xc0) == 0x80)
		off--;
	return off;
}

static int collect_evidence(const dhr_agg *agg, const dhr_agg_rec *rec, ev **out, size_t *n_out)
{
	const cJSON *list = dhr_json_arr(rec->json, "evidence"), *e;
	size_t n = (size_t)cJSON_GetArraySize(list), len = strlen(rec->text), k = 0;
	*out = NULL;
	*n_out = 0;
	if (!n)
		return 0;
	ev *v = calloc(n, sizeof *v);
	if (!v)
		return DHR_ENOMEM;
	for (e = list ? list->child : NULL; e; e = e->next) {
		if (!cJSON_IsObject(e))
			continue;
		ev *x = &v[k++];
		x->name = label_name(agg, dhr_json_str(e, "facet"), dhr_json_str(e, "label"), &x->agency);
		x->rule = dhr_json_str(e, "rule");
		x->match = dhr_json_str(e, "match");
		double s = dhr_json_num(e, "start", -1), t = dhr_json_num(e, "end", -1);
		if (s >= 0 && t > s && t <= (double)len) {
			x->start = char_start(rec->text, (size_t)s);
			x->end = (size_t)t < len ? char_start(rec->text, (size_t)t) : len;
			if (x->end < (size_t)t) {
				/* t fell inside a character: take the whole character */
				size_t adv;
				dhr_utf8_decode(rec->text + x->end, len - x->end, &adv);
				x->end += adv;
			}
			x->located = x->end > x->start;
		}
	}
	/* legend order: located spans by position, then the rest as given (stable insertion sort) */
	for (size_t i = 1; i < k; i++) {
		ev t = v[i];
		size_t j = i;
		while (j > 0) {
			const ev *p = &v[j - 1];
			int before = t.located && (!p->located || t.start < p->start ||
			                           (t.start == p->start && t.end > p->end));
			if (!before)
				break;
			v[j] = v[j - 1];
			j--;
		}
		v[j] = t;
	}
	for (size_t i = 0; i < k; i++)
		v[i].num = (int)i + 1;
	*out = v;
	*n_out = k;
	return 0;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

static int put_rec_text(dhr_obuf *b, const dhr_agg_rec *rec, size_t ri, const ev *v, size_t n)
{
	size_t len = strlen(rec->text);
	size_t *cuts = malloc((2 * n + 2) * sizeof *cuts);
	if (!cuts)
		return DHR_ENOMEM;
	size_t nc = 0;
	cuts[nc++] = 0;
	cuts[nc++] = len;
	for (size_t i = 0; i < n; i++)
		if (v[i].located) {
			cuts[nc++] = v[i].start;
			cuts[nc++] = v[i].end;
		}
	qsort(cuts, nc, sizeof *cuts, cmp_size);
	dhr_obuf_puts(b, "<p class=\"rt\">");
	for (size_t c = 0; c + 1 < nc; c++) {
		size_t a = cuts[c], z = cuts[c + 1];
		if (a == z)
			continue;
		int active = 0, theme = 0, agency = 0;
		for (size_t i = 0; i < n; i++)
			if (v[i].located && v[i].start <= a && v[i].end >= z) {
				active++;
				theme |= !v[i].agency;
				agency |= v[i].agency;
			}
		if (active) {
			dhr_obuf_printf(b, "<mark class=\"ev%s%s\" title=\"", theme ? " ft" : "",
			                agency ? " fa" : "");
			int first = 1;
			for (size_t i = 0; i < n; i++)
				if (v[i].located && v[i].start <= a && v[i].end >= z) {
					dhr_obuf_printf(b, "%s[%d] ", first ? "" : "; ", v[i].num);
					dhr_obuf_html(b, v[i].name);
					dhr_obuf_puts(b, " &larr; ");
					dhr_obuf_html(b, v[i].rule ? v[i].rule : "?");
					first = 0;
				}
			dhr_obuf_puts(b, "\">");
		}
		dhr_obuf_html_n(b, rec->text + a, z - a);
		if (active)
			dhr_obuf_puts(b, "</mark>");
		/* the visible references of the spans that end here */
		int refs = 0;
		for (size_t i = 0; i < n; i++)
			if (v[i].located && v[i].end == z) {
				dhr_obuf_puts(b, refs ? "," : "<sup class=\"er\">");
				dhr_obuf_printf(b, "<a href=\"#r%zue%d\">%d</a>", ri, v[i].num, v[i].num);
				refs++;
			}
		if (refs)
			dhr_obuf_puts(b, "</sup>");
	}
	dhr_obuf_puts(b, "</p>");
	free(cuts);
	return 0;
}

static int put_rec(dhr_obuf *b, const dhr_agg *agg, size_t ri)
{
	const dhr_agg_rec *rec = &agg->recs[ri];
	const dhr_agg_doc *d = &agg->docs[rec->doc];
	const dhr_agg_label *ag = &agg->agencies.labels[rec->agency];
	ev *v = NULL;
	size_t n = 0;
	int error;
	if ((error = collect_evidence(agg, rec, &v, &n)) < 0)
		return error;
	dhr_obuf_printf(b, "<li class=\"rec %s\" id=\"r%zu\" data-themes=\"", split_css[d->split], ri);
	for (size_t k = 0; k < rec->n_themes; k++) {
		if (k)
			dhr_obuf_putc(b, ' ');
		dhr_obuf_html(b, agg->themes.labels[agg->theme_refs[rec->theme0 + k]].id);
	}
	dhr_obuf_puts(b, "\"");
	attr(b, "data-agency", ag->id);
	dhr_obuf_printf(b, " data-doc=\"%zu\"><div class=\"rh\">", rec->doc);
	if (rec->number) {
		dhr_obuf_puts(b, "<span class=\"num\">");
		dhr_obuf_html(b, rec->number);
		dhr_obuf_puts(b, "</span>");
	}
	dhr_obuf_printf(b, "<a class=\"doc\" href=\"#d%zu\">", rec->doc);
	dhr_obuf_html(b, dhr_agg_doc_name(d));
	dhr_obuf_puts(b, "</a>");
	/* the details in one span: a report of thousands of recommendations stays light */
	dhr_obuf_puts(b, "<span>");
	const char *sep = "";
	const cJSON *pages = dhr_json_arr(rec->json, "pages"), *p;
	int np = cJSON_GetArraySize(pages);
	if (np > 0) {
		dhr_obuf_puts(b, np > 1 ? "pages " : "page ");
		int first = 1;
		for (p = pages ? pages->child : NULL; p; p = p->next) {
			if (!cJSON_IsNumber(p))
				continue;
			dhr_obuf_printf(b, "%s%.0f", first ? "" : ", ", p->valuedouble);
			first = 0;
		}
		sep = " &middot; ";
	}
	if (rec->section) {
		dhr_obuf_puts(b, sep);
		dhr_obuf_html(b, section_name(rec->section));
		sep = " &middot; ";
	}
	if (rec->scope) {
		dhr_obuf_puts(b, sep);
		dhr_obuf_puts(b, "scope: ");
		dhr_obuf_html(b, rec->scope);
		sep = " &middot; ";
	}
	if (rec->id) {
		dhr_obuf_puts(b, sep);
		dhr_obuf_puts(b, "id ");
		dhr_obuf_html(b, rec->id);
		sep = " &middot; ";
	}
	if (rec->ocr) {
		dhr_obuf_puts(b, sep);
		dhr_obuf_puts(b, "<span class=\"tag ocr\" title=\"read by OCR from a scanned page: check the wording "
		                 "against the PDF\">OCR</span>");
	}
	dhr_obuf_puts(b, "</span>");
	dhr_obuf_puts(b, "</div>");
	if ((error = put_rec_text(b, rec, ri, v, n)) < 0)
		goto cleanup;
	dhr_obuf_printf(b, "<div class=\"tags\"><span class=\"tag ct-%s\">", split_css[d->split]);
	dhr_obuf_html(b, case_name(agg, d));
	dhr_obuf_puts(b, "</span><span class=\"tag ag\">");
	dhr_obuf_html(b, ag->name);
	if (rec->agency_text) {
		dhr_obuf_puts(b, " &middot; &ldquo;");
		dhr_obuf_html(b, rec->agency_text);
		dhr_obuf_puts(b, "&rdquo;");
	}
	dhr_obuf_puts(b, "</span>");
	for (size_t k = 0; k < rec->n_themes; k++) {
		dhr_obuf_puts(b, "<span class=\"tag th\">");
		dhr_obuf_html(b, agg->themes.labels[agg->theme_refs[rec->theme0 + k]].name);
		dhr_obuf_puts(b, "</span>");
	}
	if (!rec->n_themes)
		dhr_obuf_puts(b, "<span class=\"tag\">no theme</span>");
	for (size_t f = 0; f < agg->n_fdefs; f++) {
		if (!is_other_facet(agg, f))
			continue;
		size_t nl;
		const int *ls = dhr_agg_rec_labels(agg, ri, f, &nl);
		for (size_t k = 0; k < nl; k++) {
			dhr_obuf_puts(b, "<span class=\"tag fx\"");
			attr(b, "data-facet", agg->fdefs[f].name);
			dhr_obuf_puts(b, "><i>");
			dhr_obuf_html(b, agg->fdefs[f].name);
			dhr_obuf_puts(b, ":</i> ");
			dhr_obuf_html(b, agg->fdefs[f].set.labels[ls[k]].name);
			dhr_obuf_puts(b, "</span>");
		}
	}
	dhr_obuf_puts(b, "</div>");
	if (n) {
		dhr_obuf_puts(b, "<ol class=\"ev\" aria-label=\"Rules that matched\">");
		for (size_t i = 0; i < n; i++) {
			/* numbered by the list itself (1, 2, ...), matching the superscripts */
			dhr_obuf_printf(b, "<li id=\"r%zue%d\"%s>", ri, v[i].num,
			                v[i].agency ? " class=\"fa\"" : "");
			dhr_obuf_html(b, v[i].name);
			dhr_obuf_puts(b, " &larr; <code>");
			dhr_obuf_html(b, v[i].rule ? v[i].rule : "?");
			dhr_obuf_puts(b, "</code>");
			if (!v[i].located) {
				dhr_obuf_puts(b, " matched &ldquo;");
				dhr_obuf_html(b, v[i].match ? v[i].match : "");
				dhr_obuf_puts(b, "&rdquo; (not located in the text)");
			}
			dhr_obuf_puts(b, "</li>");
		}
		dhr_obuf_puts(b, "</ol>");
	}
	dhr_obuf_puts(b, "</li>\n");
cleanup:
	free(v);
	return error;
}

static int put_recs(dhr_obuf *b, const dhr_agg *agg, const size_t *order, const dhr_agg_row *rows,
                    size_t n_rows)
{
	int error;
	dhr_obuf_puts(
	    b,
	    "<section class=\"panel\" id=\"recs\" aria-labelledby=\"h-recs\">"
	    "<h2 id=\"h-recs\">Recommendations</h2><p class=\"note\">Every recommendation found, with its "
	    "themes and lead agency. Highlighted words are what a rule matched: hover for the rule, or "
	    "follow the small number to the list of rules (<code>file:line</code>) under the text, so that "
	    "every count can be checked back to its sentences. Yellow: a theme; blue: the agency.</p>"
	    "<noscript><p class=\"note\">The filters need JavaScript; all recommendations are listed "
	    "below.</p></noscript>"
	    "<form class=\"filters\" id=\"filters\" role=\"search\" aria-label=\"Filter recommendations\">"
	    "<label for=\"f-theme\">Theme<select id=\"f-theme\"><option value=\"\">All themes</option>");
	int in_group = 0;
	for (size_t i = 0; i < n_rows; i++) {
		if (rows[i].is_group) {
			if (in_group)
				dhr_obuf_puts(b, "</optgroup>");
			dhr_obuf_puts(b, "<optgroup");
			attr(b, "label", agg->groups[rows[i].index].name);
			dhr_obuf_puts(b, ">");
			in_group = 1;
			continue;
		}
		const dhr_agg_label *t = &agg->themes.labels[rows[i].index];
		if (in_group && t->group < 0) {
			dhr_obuf_puts(b, "</optgroup>");
			in_group = 0;
		}
		dhr_obuf_puts(b, "<option");
		attr(b, "value", t->id);
		dhr_obuf_puts(b, ">");
		dhr_obuf_html(b, t->name);
		dhr_obuf_printf(b, " (%zu)</option>", t->count);
	}
	if (in_group)
		dhr_obuf_puts(b, "</optgroup>");
	dhr_obuf_printf(
	    b,
	    "<option value=\"-\">(no theme) (%zu)</option></select></label>"
	    "<label for=\"f-agency\">Lead agency<select id=\"f-agency\"><option value=\"\">All agencies"
	    "</option>",
	    agg->no_theme);
	for (size_t k = 0; k < agg->agencies.n; k++) {
		const dhr_agg_label *a = &agg->agencies.labels[order[k]];
		if (!a->count)
			continue;
		dhr_obuf_puts(b, "<option");
		attr(b, "value", a->id);
		dhr_obuf_puts(b, ">");
		dhr_obuf_html(b, a->name);
		dhr_obuf_printf(b, " (%zu)</option>", a->count);
	}
	dhr_obuf_puts(b,
	              "</select></label><label for=\"f-doc\">Document<select id=\"f-doc\"><option value=\"\">"
	              "All documents</option>");
	for (size_t i = 0; i < agg->n_docs; i++) {
		const dhr_agg_doc *d = &agg->docs[i];
		if (!d->n_recs)
			continue;
		dhr_obuf_printf(b, "<option value=\"%zu\">", i);
		dhr_obuf_html(b, dhr_agg_doc_name(d));
		dhr_obuf_printf(b, " (%zu)</option>", d->n_recs);
	}
	dhr_obuf_puts(b, "</select></label><label for=\"f-text\">Words<input type=\"search\" id=\"f-text\" "
	                 "placeholder=\"e.g. MARAC\" autocomplete=\"off\"></label>"
	                 "<button type=\"reset\" id=\"f-reset\">Show all</button></form>");
	dhr_obuf_printf(
	    b,
	    "<p class=\"count\" id=\"f-count\" role=\"status\" aria-live=\"polite\" tabindex=\"-1\">"
	    "%zu recommendations.</p><ol class=\"recs\" id=\"rec-list\">\n",
	    agg->n_recs);
	for (size_t i = 0; i < agg->n_recs; i++)
		if ((error = put_rec(b, agg, i)) < 0)
			return error;
	dhr_obuf_puts(b, "</ol></section>\n");
	return 0;
}

/* ---- facets beyond theme and agency, report tags, crosswalks ---- */

/* Each further recommendation facet: a bar chart of its labels and the table. */
static int put_facets(dhr_obuf *b, const dhr_agg *agg)
{
	int unknown = agg->recs_split[DHR_SPLIT_UNKNOWN] > 0, fig = 0;
	if (!count_other_facets(agg))
		return 0;
	dhr_obuf_puts(b, "<section class=\"panel\" id=\"facets\" aria-labelledby=\"h-facets\">"
	                 "<h2 id=\"h-facets\">Other facets</h2><p class=\"note\">Every further facet of the "
	                 "rules, counted over the same recommendations and split the same way.</p>");
	for (size_t f = 0; f < agg->n_fdefs; f++) {
		if (!is_other_facet(agg, f))
			continue;
		const dhr_agg_fdef *x = &agg->fdefs[f];
		size_t *order = calloc(x->set.n + 1, sizeof *order);
		dhr_chart_row *rows = calloc(x->set.n + 2, sizeof *rows);
		if (!order || !rows) {
			free(order);
			free(rows);
			return DHR_ENOMEM;
		}
		dhr_agg_fdef_order(agg, f, order);
		size_t n = 0;
		for (size_t i = 0; i < x->set.n; i++) {
			const dhr_agg_label *l = &x->set.labels[order[i]];
			if (!l->count)
				continue;
			dhr_chart_row *r = &rows[n++];
			r->label = l->name;
			r->style = x->default_id && strcmp(l->id, x->default_id) == 0 ? DHR_ROW_MUTED : DHR_ROW_PLAIN;
			r->total = l->count;
			memcpy(r->split, l->split, sizeof r->split);
		}
		if (x->multi && x->none) {
			dhr_chart_row *r = &rows[n++];
			r->label = "(none)";
			r->style = DHR_ROW_MUTED;
			r->total = x->none;
			memcpy(r->split, x->none_split, sizeof r->split);
		}
		char intro[200], id[48], title[200], summary[64];
		snprintf(intro, sizeof intro, "Horizontal bar chart of recommendations per label of facet %s, "
		                              "each bar split by case type.", x->name);
		char *desc = chart_desc(intro, rows, n, agg->n_recs);
		if (!desc) {
			free(order);
			free(rows);
			return DHR_ENOMEM;
		}
		snprintf(id, sizeof id, "chart-facet-%zu", f);
		snprintf(title, sizeof title, "Recommendations per label of facet %s, split homicide / suicide",
		         x->name);
		dhr_chart c = {
		    .id = id,
		    .title = title,
		    .desc = desc,
		    .split_names = {"Homicide (incl. homicide-suicide)", "Suicide", "Unknown case type"},
		    .denom = agg->n_recs,
		    .show_unknown = unknown,
		    .rows = rows,
		    .n_rows = n,
		};
		dhr_obuf_printf(b, "<h3 class=\"facet\" id=\"facet-%zu\">Facet <code>", f);
		dhr_obuf_html(b, x->name);
		dhr_obuf_printf(b, "</code> (%s)</h3><figure>", x->multi ? "every label that fits" : "one label");
		dhr_svg_stacked_bars(b, &c);
		dhr_obuf_printf(b, "<figcaption>Figure %d. Recommendations per label of facet <code>", 5 + fig++);
		dhr_obuf_html(b, x->name);
		dhr_obuf_puts(b, "</code>.</figcaption></figure>");
		snprintf(summary, sizeof summary, "Figure %d as a table", 4 + fig);
		put_chart_table(b, agg, rows, n, "Label", summary, unknown);
		free(desc);
		free(order);
		free(rows);
	}
	dhr_obuf_puts(b, "</section>\n");
	return 0;
}

/* The Home Office DHR Library's way of tagging: a report carries a label
 * when any of its recommendations does. One table per recommendation facet. */
static int put_tags(dhr_obuf *b, const dhr_agg *agg)
{
	size_t read = agg->n_docs - agg->n_failed;
	if (!count_rec_facets(agg))
		return 0;
	dhr_obuf_printf(b, "<section class=\"panel\" id=\"tags\" aria-labelledby=\"h-tags\">"
	                   "<h2 id=\"h-tags\">Report tags</h2><p class=\"note\">A report carries a label when "
	                   "any of its recommendations has it, the way the Home Office DHR Library tags "
	                   "reviews: how many of the %zu reports read carry each label.</p>",
	                read);
	for (size_t f = 0; f < agg->n_fdefs; f++) {
		const dhr_agg_fdef *x = &agg->fdefs[f];
		if (x->document)
			continue;
		size_t *order = calloc(x->set.n + 1, sizeof *order);
		if (!order)
			return DHR_ENOMEM;
		dhr_agg_fdef_order(agg, f, order);
		dhr_obuf_puts(b, "<details class=\"data\" open><summary>Facet <code>");
		dhr_obuf_html(b, x->name);
		dhr_obuf_printf(b, "</code></summary><div class=\"scroll\"><table class=\"t tags-table\"");
		attr(b, "data-facet", x->name);
		dhr_obuf_printf(b, "><thead><tr><th scope=\"col\">Label</th><th scope=\"col\" class=\"n\">Reports"
		                   "</th><th scope=\"col\" class=\"n\">Share of %zu</th><th scope=\"col\" "
		                   "class=\"n\">Recommendations</th></tr></thead><tbody>",
		                read);
		for (size_t i = 0; i < x->set.n; i++) {
			const dhr_agg_label *l = &x->set.labels[order[i]];
			if (x->default_id && strcmp(l->id, x->default_id) == 0)
				continue;
			dhr_obuf_puts(b, "<tr><th scope=\"row\"");
			attr(b, "data-label", l->id);
			dhr_obuf_puts(b, ">");
			dhr_obuf_html(b, l->name);
			dhr_obuf_printf(b, "</th><td class=\"n\">%zu</td><td class=\"n\">%.1f%%</td>"
			                   "<td class=\"n\">%zu</td></tr>",
			                l->docs, dhr_pct(l->docs, read), l->count);
		}
		dhr_obuf_puts(b, "</tbody></table></div></details>");
		free(order);
	}
	dhr_obuf_puts(b, "</section>\n");
	return 0;
}

/* Where two vocabularies agree: for every pair of multi recommendation
 * facets (in rules order), how many recommendations have each label of the
 * first (rows) together with each label of the second (columns). */
static int put_crosswalk(dhr_obuf *b, const dhr_agg *agg)
{
	if (count_multi_facets(agg) < 2)
		return 0;
	dhr_obuf_puts(b, "<section class=\"panel\" id=\"crosswalk\" aria-labelledby=\"h-crosswalk\">"
	                 "<h2 id=\"h-crosswalk\">Crosswalk between vocabularies</h2><p class=\"note\">"
	                 "Recommendations that have a label of one facet (rows) and a label of another "
	                 "(columns). Where two vocabularies name the same thing, a row's count sits in one "
	                 "column; where they cut the work differently, it spreads. The last column counts "
	                 "the row's recommendations once. The documented crosswalk of our themes to the Home "
	                 "Office's is in rules/CODEBOOK.md.</p>");
	for (size_t fa = 0; fa < agg->n_fdefs; fa++) {
		const dhr_agg_fdef *A = &agg->fdefs[fa];
		if (A->document || !A->multi)
			continue;
		for (size_t fb = fa + 1; fb < agg->n_fdefs; fb++) {
			const dhr_agg_fdef *B = &agg->fdefs[fb];
			if (B->document || !B->multi)
				continue;
			size_t na = A->set.n, nb = B->set.n, max = 0;
			size_t *m = calloc(na * nb + 1, sizeof *m), *oa = calloc(na + 1, sizeof *oa),
			       *ob = calloc(nb + 1, sizeof *ob);
			if (!m || !oa || !ob) {
				free(m);
				free(oa);
				free(ob);
				return DHR_ENOMEM;
			}
			for (size_t r = 0; r < agg->n_recs; r++) {
				size_t n1, n2;
				const int *l1 = dhr_agg_rec_labels(agg, r, fa, &n1), *l2 = dhr_agg_rec_labels(agg, r, fb, &n2);
				for (size_t i = 0; i < n1; i++)
					for (size_t j = 0; j < n2; j++)
						if (++m[(size_t)l1[i] * nb + (size_t)l2[j]] > max)
							max = m[(size_t)l1[i] * nb + (size_t)l2[j]];
			}
			for (size_t i = 0; i < na; i++)
				oa[i] = i;
			for (size_t j = 0; j < nb; j++)
				ob[j] = j;
			dhr_obuf_puts(b, "<h3>");
			dhr_obuf_html(b, A->name);
			dhr_obuf_puts(b, " &times; ");
			dhr_obuf_html(b, B->name);
			dhr_obuf_puts(b, "</h3><div class=\"scroll\"><table class=\"heat crosswalk\"");
			attr(b, "data-rows", A->name);
			attr(b, "data-cols", B->name);
			dhr_obuf_puts(b, "><caption class=\"sr\">Recommendations by ");
			dhr_obuf_html(b, A->name);
			dhr_obuf_puts(b, " and ");
			dhr_obuf_html(b, B->name);
			dhr_obuf_puts(b, "</caption><thead><tr><th scope=\"col\">");
			dhr_obuf_html(b, A->name);
			dhr_obuf_puts(b, "</th>");
			for (size_t j = 0; j < nb; j++) {
				dhr_obuf_puts(b, "<th scope=\"col\" class=\"rot\"");
				attr(b, "data-label", B->set.labels[ob[j]].id);
				attr(b, "title", B->set.labels[ob[j]].name);
				dhr_obuf_puts(b, "><span>");
				dhr_obuf_html(b, B->set.labels[ob[j]].name);
				dhr_obuf_puts(b, "</span></th>");
			}
			dhr_obuf_puts(b, "<th scope=\"col\" class=\"rot\"><span>All recommendations</span></th>"
			                 "</tr></thead><tbody>");
			for (size_t i = 0; i < na; i++) {
				const dhr_agg_label *la = &A->set.labels[oa[i]];
				if (!la->count)
					continue;
				dhr_obuf_puts(b, "<tr><th scope=\"row\"");
				attr(b, "data-label", la->id);
				attr(b, "title", la->name);
				dhr_obuf_puts(b, ">");
				dhr_obuf_html(b, la->name);
				dhr_obuf_puts(b, "</th>");
				for (size_t j = 0; j < nb; j++) {
					size_t v = m[oa[i] * nb + ob[j]];
					if (!v) {
						dhr_obuf_puts(b, "<td class=\"z\">0</td>");
						continue;
					}
					char colour[8];
					int dark;
					dhr_heat_colour(max ? (double)v / (double)max : 0, colour, &dark);
					dhr_obuf_printf(b, "<td style=\"background:%s;color:%s\"", colour,
					                dark ? "#fff" : "#111");
					dhr_obuf_puts(b, " title=\"");
					dhr_obuf_html(b, la->name);
					dhr_obuf_puts(b, " &times; ");
					dhr_obuf_html(b, B->set.labels[ob[j]].name);
					dhr_obuf_printf(b, ": %zu\">%zu</td>", v, v);
				}
				dhr_obuf_printf(b, "<td class=\"tot\">%zu</td></tr>", la->count);
			}
			dhr_obuf_puts(b, "</tbody></table></div>");
			free(m);
			free(oa);
			free(ob);
		}
	}
	dhr_obuf_puts(b, "</section>\n");
	return 0;
}

static void put_footer(dhr_obuf *b, const dhr_agg *agg)
{
	dhr_obuf_puts(b, "</main>\n<footer><div class=\"in\"><p>Made by <strong>dhr</strong>");
	if (agg->version) {
		dhr_obuf_putc(b, ' ');
		dhr_obuf_html(b, agg->version);
	}
	dhr_obuf_puts(b, " from a scan of ");
	dhr_obuf_html(b, agg->generated ? agg->generated : "an unknown date");
	dhr_obuf_puts(
	    b,
	    ". Counts are made by rules, not by people: check a surprising one by following its "
	    "highlights to the rule (<code>dhr explain &quot;text&quot;</code> shows the same), and improve "
	    "the rules with <code>dhr eval</code>. This file is self-contained: it makes no network "
	    "requests and can be shared as it is.</p></div></footer>\n");
}

int dhr_output_report(char **out, size_t *len, const cJSON *scan, dhr_error *err)
{
	dhr_agg *agg = NULL;
	dhr_obuf b = {0};
	dhr_agg_row *rows = NULL;
	dhr_chart_row *chart_rows = NULL;
	size_t *order = NULL;
	char *hash = NULL;
	int error;
	*out = NULL;
	*len = 0;
	if ((error = dhr_agg_new(&agg, scan, err)) < 0)
		goto cleanup;
	rows = calloc(agg->n_groups + agg->themes.n + 1, sizeof *rows);
	chart_rows = calloc(agg->n_groups + agg->themes.n + 1, sizeof *chart_rows);
	order = calloc(agg->agencies.n + 1, sizeof *order);
	hash = script_hash();
	if (!rows || !chart_rows || !order || !hash) {
		error = dhr_error_set(err, DHR_ENOMEM, "out of memory");
		goto cleanup;
	}
	size_t n_rows = dhr_agg_theme_rows(agg, rows);
	size_t n_chart = theme_chart_rows(agg, chart_rows, rows, n_rows);
	dhr_agg_agency_order(agg, order);

	put_head(&b, agg, hash);
	put_masthead(&b, agg);
	put_figures(&b, agg);
	if ((error = put_themes(&b, agg, chart_rows, n_chart)) < 0 ||
	    (error = put_agencies(&b, agg, order)) < 0)
		goto nomem;
	put_heatmap(&b, agg, order, rows, n_rows);
	if ((error = put_facets(&b, agg)) < 0 || (error = put_tags(&b, agg)) < 0 ||
	    (error = put_crosswalk(&b, agg)) < 0 || (error = dhr_prof_report(&b, agg)) < 0)
		goto nomem;
	if ((error = put_documents(&b, agg)) < 0 || (error = put_recs(&b, agg, order, rows, n_rows)) < 0)
		goto nomem;
	put_footer(&b, agg);
	dhr_obuf_puts(&b, "<script>");
	for (size_t i = 0; report_js[i]; i++)
		dhr_obuf_puts(&b, report_js[i]);
	dhr_obuf_puts(&b, "</script>\n</body>\n</html>\n");
	error = dhr_obuf_finish(&b, out, len, err);
	goto cleanup;
nomem:
	error = dhr_error_set(err, DHR_ENOMEM, "out of memory");
cleanup:
	dhr_obuf_release(&b);
	free(hash);
	free(rows);
	free(chart_rows);
	free(order);
	dhr_agg_free(agg);
	return error;
}
