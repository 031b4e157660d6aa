/*
 * output/chart.c: the inline SVG charts of the HTML report, drawn in C so the
 * report needs no chart library: horizontal bars stacked by case type (counts)
 * and paired bars (share of each case type's recommendations), plus the
 * colour scale of the heat map. Colours are Okabe-Ito (bars) and viridis
 * (heat map), both readable with the common colour-vision deficiencies.
 */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Layout of every bar chart, in SVG user units (the SVG scales to its box). */
#define CHART_W 960.0
#define LABEL_X 8.0
#define BAR_X 318.0
#define BAR_W 520.0
#define LINE_H 16.0
#define ROW_PAD 10.0
#define BAR_H 16.0
#define LABEL_CHARS 42

static const char *const split_class[DHR_SPLIT_N] = {"s-hom", "s-sui", "s-unk"};

/* Tick step: 1, 2 or 5 times a power of ten, giving at most about 6 ticks. */
static double nice_step(double max)
{
	if (max <= 5)
		return 1;
	double raw = max / 5, p = pow(10, floor(log10(raw)));
	double m = raw / p;
	return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/*
 * Split a label into at most two lines of about LABEL_CHARS characters, at
 * spaces; a longer label ends in an ellipsis (the full text is in the row's
 * <title>). Returns the number of lines; line i is label[start[i], end[i]).
 */
static int wrap_label(const char *s, size_t max_chars, size_t start[2], size_t end[2], int *cut)
{
	size_t n = strlen(s), adv, chars = 0, last_space = 0, i;
	*cut = 0;
	start[0] = 0;
	for (i = 0; i < n && chars < max_chars; i += adv, chars++) {
		dhr_utf8_decode(s + i, n - i, &adv);
		if (s[i] == ' ')
			last_space = i;
	}
	if (i >= n) {
		end[0] = n;
		return 1;
	}
	end[0] = last_space ? last_space : i;
	start[1] = end[0] + (last_space ? 1 : 0);
	chars = 0;
	for (i = start[1]; i < n && chars < max_chars - 1; i += adv, chars++)
		dhr_utf8_decode(s + i, n - i, &adv);
	end[1] = i;
	*cut = i < n;
	return 2;
}

static int row_lines(const dhr_chart_row *r)
{
	size_t st[2], en[2];
	int cut;
	size_t max = LABEL_CHARS - (r->style == DHR_ROW_MEMBER ? 2 : 0);
	return wrap_label(r->label, max, st, en, &cut);
}

static void svg_label(dhr_obuf *b, const dhr_chart_row *r, double x, double y)
{
	size_t st[2], en[2];
	int cut;
	size_t max = LABEL_CHARS - (r->style == DHR_ROW_MEMBER ? 2 : 0);
	int lines = wrap_label(r->label, max, st, en, &cut);
	const char *cls = r->style == DHR_ROW_GROUP   ? "lbl grp"
	                  : r->style == DHR_ROW_MUTED ? "lbl muted"
	                                              : "lbl";
	dhr_obuf_printf(b, "<text class=\"%s\" x=\"%.0f\" y=\"%.1f\">", cls, x, y);
	for (int i = 0; i < lines; i++) {
		dhr_obuf_printf(b, "<tspan x=\"%.0f\" dy=\"%s\">", x, i ? "1.2em" : "0");
		dhr_obuf_html_n(b, r->label + st[i], en[i] - st[i]);
		if (i == 1 && cut)
			dhr_obuf_puts(b, "\xe2\x80\xa6");
		dhr_obuf_puts(b, "</tspan>");
	}
	dhr_obuf_puts(b, "</text>");
}

static void svg_open(dhr_obuf *b, const dhr_chart *c, double height)
{
	dhr_obuf_printf(b,
	                "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" "
	                "role=\"img\" aria-labelledby=\"%s-t %s-d\">",
	                CHART_W, height, c->id, c->id);
	dhr_obuf_printf(b, "<title id=\"%s-t\">", c->id);
	dhr_obuf_html(b, c->title);
	dhr_obuf_printf(b, "</title><desc id=\"%s-d\">", c->id);
	dhr_obuf_html(b, c->desc);
	dhr_obuf_puts(b, "</desc>");
}

static void svg_axis(dhr_obuf *b, double top, double bottom, double max, int percent)
{
	double step = nice_step(max);
	dhr_obuf_puts(b, "<g class=\"axis\" aria-hidden=\"true\">");
	for (double v = 0; v <= max + 1e-9; v += step) {
		double x = BAR_X + BAR_W * v / max;
		dhr_obuf_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>", x, x, top,
		                bottom);
		dhr_obuf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%g%s</text>", x,
		                bottom + 14, v, percent ? "%" : "");
	}
	dhr_obuf_puts(b, "</g>");
}

static void svg_legend(dhr_obuf *b, const dhr_chart *c, double y)
{
	double x = BAR_X;
	dhr_obuf_puts(b, "<g class=\"legend\" aria-hidden=\"true\">");
	for (int s = 0; s < DHR_SPLIT_N; s++) {
		if (s == DHR_SPLIT_UNKNOWN && !c->show_unknown)
			continue;
		dhr_obuf_printf(
		    b, "<rect class=\"%s\" x=\"%.0f\" y=\"%.0f\" width=\"14\" height=\"14\" rx=\"2\"/>",
		    split_class[s], x, y);
		dhr_obuf_printf(b, "<text x=\"%.0f\" y=\"%.0f\">", x + 20, y + 12);
		dhr_obuf_html(b, c->split_names[s]);
		dhr_obuf_puts(b, "</text>");
		x += 40 + 7.2 * (double)dhr_utf8_width(c->split_names[s]);
	}
	dhr_obuf_puts(b, "</g>");
}

static void row_open(dhr_obuf *b, const dhr_chart_row *r, const char *tip)
{
	dhr_obuf_puts(b, "<g class=\"row");
	if (r->filter_attr)
		dhr_obuf_puts(b, " link");
	dhr_obuf_puts(b, "\"");
	if (r->filter_attr) {
		dhr_obuf_printf(b, " %s=\"", r->filter_attr);
		dhr_obuf_html(b, r->filter_value);
		dhr_obuf_puts(b, "\"");
	}
	dhr_obuf_puts(b, "><title>");
	dhr_obuf_html(b, tip);
	dhr_obuf_puts(b, "</title>");
}

/* Row heights of a chart, and the zebra bands behind them (drawn first, so
 * that grid lines and brackets stay visible). */
static double row_height(const dhr_chart_row *r, double min_h)
{
	double h = LINE_H * row_lines(r) + ROW_PAD;
	return h > min_h ? h : min_h;
}

static void svg_bands(dhr_obuf *b, const dhr_chart *c, double top, double min_h)
{
	double y = top;
	dhr_obuf_puts(b, "<g aria-hidden=\"true\">");
	for (size_t i = 0; i < c->n_rows; i++) {
		double h = row_height(&c->rows[i], min_h);
		if (i % 2 == 0)
			dhr_obuf_printf(
			    b, "<rect class=\"band\" x=\"0\" y=\"%.1f\" width=\"%.0f\" height=\"%.1f\"/>", y,
			    CHART_W, h);
		y += h;
	}
	dhr_obuf_puts(b, "</g>");
}

/* A bracket along the labels of each group's themes. */
static void svg_brackets(dhr_obuf *b, const dhr_chart *c, double top, double min_h)
{
	double y = top;
	for (size_t i = 0; i < c->n_rows; i++) {
		double h = row_height(&c->rows[i], min_h);
		if (c->rows[i].style == DHR_ROW_GROUP) {
			double y2 = y + h;
			for (size_t k = i + 1; k < c->n_rows && c->rows[k].style == DHR_ROW_MEMBER; k++)
				y2 += row_height(&c->rows[k], min_h);
			if (y2 > y + h)
				dhr_obuf_printf(
				    b,
				    "<path class=\"bracket\" d=\"M%.1f %.1fV%.1fh7\" aria-hidden=\"true\"/>",
				    LABEL_X + 5, y + h - 3, y2 - 6);
		}
		y += h;
	}
}

void dhr_svg_stacked_bars(dhr_obuf *b, const dhr_chart *c)
{
	double max = 0, legend_h = 30, axis_h = 22;
	double height = legend_h + axis_h + 8;
	for (size_t i = 0; i < c->n_rows; i++) {
		if ((double)c->rows[i].total > max)
			max = (double)c->rows[i].total;
		height += row_height(&c->rows[i], 0);
	}
	double step = nice_step(max);
	max = max > 0 ? ceil(max / step) * step : 1;
	svg_open(b, c, height);
	svg_legend(b, c, 4);
	double top = legend_h, y = top;
	double bottom = height - axis_h;
	svg_bands(b, c, top, 0);
	svg_axis(b, top, bottom, max, 0);
	svg_brackets(b, c, top, 0);

	dhr_obuf tip = {0};
	for (size_t i = 0; i < c->n_rows; i++) {
		const dhr_chart_row *r = &c->rows[i];
		double h = row_height(r, 0);
		double bar_y = y + (h - BAR_H) / 2;
		dhr_obuf_reset(&tip);
		dhr_obuf_printf(&tip, "%s: %zu recommendation%s (%.1f%% of %zu)", r->label, r->total,
		                r->total == 1 ? "" : "s", dhr_pct(r->total, c->denom), c->denom);
		for (int s = 0; s < DHR_SPLIT_N; s++)
			if (s != DHR_SPLIT_UNKNOWN || c->show_unknown)
				dhr_obuf_printf(&tip, "; %s %zu", c->split_names[s], r->split[s]);
		row_open(b, r, tip.data ? tip.data : "");
		/* an invisible hit area, so the whole row is clickable */
		dhr_obuf_printf(b, "<rect class=\"hit\" x=\"0\" y=\"%.1f\" width=\"%.0f\" height=\"%.1f\"/>",
		                y, CHART_W, h);
		double lx = LABEL_X + (r->style == DHR_ROW_MEMBER ? 18 : 0);
		svg_label(b, r, lx, y + (h - LINE_H * row_lines(r)) / 2 + 12);
		if (r->style == DHR_ROW_GROUP) {
			/* the group total: an outlined bar, so it is not read as one more theme */
			double w = BAR_W * (double)r->total / max;
			dhr_obuf_printf(
			    b,
			    "<rect class=\"grpbar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
			    BAR_X, bar_y, w, BAR_H);
		} else {
			double x = BAR_X;
			for (int s = 0; s < DHR_SPLIT_N; s++) {
				if (!r->split[s])
					continue;
				double w = BAR_W * (double)r->split[s] / max;
				dhr_obuf_printf(b,
				                "<rect class=\"%s%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
				                "height=\"%.1f\"/>",
				                split_class[s], r->style == DHR_ROW_MUTED ? " muted" : "", x,
				                bar_y, w, BAR_H);
				/* the count inside the segment when it fits */
				if (w >= 22)
					dhr_obuf_printf(b,
					                "<text class=\"in %s\" x=\"%.1f\" y=\"%.1f\" "
					                "text-anchor=\"middle\">%zu</text>",
					                split_class[s], x + w / 2, bar_y + 12.5, r->split[s]);
				x += w;
			}
		}
		dhr_obuf_printf(b, "<text class=\"val\" x=\"%.1f\" y=\"%.1f\">%zu \xc2\xb7 %.1f%%</text>",
		                BAR_X + BAR_W * (double)r->total / max + 6, bar_y + 12.5, r->total,
		                dhr_pct(r->total, c->denom));
		dhr_obuf_puts(b, "</g>");
		y += h;
	}
	if (tip.failed)
		b->failed = 1;
	dhr_obuf_release(&tip);
	if (c->n_rows == 0)
		dhr_obuf_printf(b,
		                "<text class=\"lbl muted\" x=\"%.0f\" y=\"%.0f\">No recommendations</text>",
		                BAR_X, top + 20);
	dhr_obuf_puts(b, "</svg>");
}

void dhr_svg_compare_bars(dhr_obuf *b, const dhr_chart *c, const size_t denom_split[DHR_SPLIT_N])
{
	/* homicide and suicide only: the point of this chart is that comparison */
	const int splits[2] = {DHR_SPLIT_HOMICIDE, DHR_SPLIT_SUICIDE};
	double max = 0, legend_h = 30, axis_h = 22, pair_h = 2 * 11 + 2;
	double height = legend_h + axis_h + 8;
	for (size_t i = 0; i < c->n_rows; i++) {
		for (int k = 0; k < 2; k++) {
			double p = dhr_pct(c->rows[i].split[splits[k]], denom_split[splits[k]]);
			if (p > max)
				max = p;
		}
		height += row_height(&c->rows[i], pair_h + ROW_PAD);
	}
	double step = nice_step(max);
	max = max > 0 ? ceil(max / step) * step : 10;
	if (max > 100)
		max = 100;
	dhr_chart legend = *c;
	legend.show_unknown = 0;
	svg_open(b, c, height);
	svg_legend(b, &legend, 4);
	double top = legend_h, y = top, bottom = height - axis_h;
	svg_bands(b, c, top, pair_h + ROW_PAD);
	svg_axis(b, top, bottom, max, 1);
	svg_brackets(b, c, top, pair_h + ROW_PAD);
	dhr_obuf tip = {0};
	for (size_t i = 0; i < c->n_rows; i++) {
		const dhr_chart_row *r = &c->rows[i];
		double h = row_height(r, pair_h + ROW_PAD);
		dhr_obuf_reset(&tip);
		dhr_obuf_printf(&tip, "%s: ", r->label);
		for (int k = 0; k < 2; k++)
			dhr_obuf_printf(&tip, "%s%.1f%% of %s recommendations (%zu of %zu)", k ? "; " : "",
			                dhr_pct(r->split[splits[k]], denom_split[splits[k]]),
			                c->split_names[splits[k]], r->split[splits[k]],
			                denom_split[splits[k]]);
		row_open(b, r, tip.data ? tip.data : "");
		dhr_obuf_printf(b, "<rect class=\"hit\" x=\"0\" y=\"%.1f\" width=\"%.0f\" height=\"%.1f\"/>",
		                y, CHART_W, h);
		svg_label(b, r, LABEL_X + (r->style == DHR_ROW_MEMBER ? 18 : 0),
		          y + (h - LINE_H * row_lines(r)) / 2 + 12);
		double by = y + (h - pair_h) / 2;
		for (int k = 0; k < 2; k++) {
			int s = splits[k];
			double p = dhr_pct(r->split[s], denom_split[s]);
			double w = BAR_W * p / max;
			dhr_obuf_printf(
			    b, "<rect class=\"%s%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"11\"/>",
			    split_class[s], r->style == DHR_ROW_GROUP ? " hollow" : "", BAR_X, by, w);
			dhr_obuf_printf(b, "<text class=\"val sm\" x=\"%.1f\" y=\"%.1f\">%.0f%%</text>",
			                BAR_X + w + 5, by + 9.5, p);
			by += 13;
		}
		dhr_obuf_puts(b, "</g>");
		y += h;
	}
	if (tip.failed)
		b->failed = 1;
	dhr_obuf_release(&tip);
	dhr_obuf_puts(b, "</svg>");
}

void dhr_heat_colour(double t, char out[8], int *dark)
{
	/* viridis, reversed so that more is darker; sampled at nine stops */
	static const unsigned char stops[9][3] = {
	    {253, 231, 37}, {160, 218, 57}, {74, 193, 109}, {31, 161, 135}, {39, 127, 142},
	    {54, 92, 141},  {70, 50, 126},  {72, 20, 103},  {68, 1, 84},
	};
	if (t < 0)
		t = 0;
	if (t > 1)
		t = 1;
	double pos = t * 8;
	int i = (int)pos;
	if (i > 7)
		i = 7;
	double f = pos - i;
	double rgb[3];
	for (int k = 0; k < 3; k++)
		rgb[k] = stops[i][k] + (stops[i + 1][k] - stops[i][k]) * f;
	snprintf(out, 8, "#%02x%02x%02x", (unsigned)lround(rgb[0]), (unsigned)lround(rgb[1]),
	         (unsigned)lround(rgb[2]));
	/* relative luminance, to pick black or white text */
	double lum = 0;
	static const double wgt[3] = {0.2126, 0.7152, 0.0722};
	for (int k = 0; k < 3; k++) {
		double c = rgb[k] / 255;
		c = c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
		lum += wgt[k] * c;
	}
	*dark = lum < 0.2;
}
