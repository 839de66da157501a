/*
 * test_wheel.c — the wheel picture: number formatting, well-formed XML,
 * escaping, the empty and the huge wheel, determinism, and the numbers
 * taken from a flow summary.
 */
#include <locale.h>
#include <math.h>
#include <stdlib.h>

#include "unit.h"
#include "mem.h"
#include "svgbuf.h"
#include "wheel_svg.h"

/*
 * A well-formedness check for the XML subset the renderer writes: nested
 * elements with quoted attributes, text, entity and character references;
 * returns NULL or what is wrong.
 */
static const char *
xml_check(const char *s)
{
	const char *stack[64];
	size_t		lens[64];
	int			depth = 0,
				roots = 0;

	while (*s)
	{
		if (*s == '<')
		{
			const char *name;
			size_t		n = 0;
			int			closing = s[1] == '/';

			s += closing ? 2 : 1;
			name = s;
			while (*s && *s != ' ' && *s != '>' && *s != '/' && *s != '\n')
			{
				if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '-'))
					return "bad character in an element name";
				s++;
				n++;
			}
			if (n == 0)
				return "empty element name";
			if (closing)
			{
				if (depth == 0 || lens[depth - 1] != n || strncmp(stack[depth - 1], name, n) != 0)
					return "closing tag does not match";
				depth--;
				if (*s++ != '>')
					return "junk in a closing tag";
				continue;
			}
			/* attributes: name="value" */
			for (;;)
			{
				while (*s == ' ' || *s == '\n')
					s++;
				if (*s == '>' || (*s == '/' && s[1] == '>'))
					break;
				while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '-')
					s++;
				if (*s++ != '=' || *s++ != '"')
					return "attribute without a quoted value";
				while (*s && *s != '"')
				{
					if (*s == '<')
						return "< in an attribute";
					if (*s == '&' && s[1] != '#' && strncmp(s, "&amp;", 5) && strncmp(s, "&lt;", 4) &&
						strncmp(s, "&gt;", 4) && strncmp(s, "&quot;", 6))
						return "bare & in an attribute";
					s++;
				}
				if (*s++ != '"')
					return "unterminated attribute";
			}
			if (*s == '/')
			{
				s += 2;
				if (depth == 0)
					roots++;
				continue;
			}
			s++;
			if (depth == 64)
				return "too deep";
			if (depth == 0)
				roots++;
			stack[depth] = name;
			lens[depth] = n;
			depth++;
		}
		else
		{
			if (depth == 0 && *s != '\n')
				return "text outside the root element";
			if (*s == '&' && s[1] != '#' && strncmp(s, "&amp;", 5) && strncmp(s, "&lt;", 4) &&
				strncmp(s, "&gt;", 4) && strncmp(s, "&quot;", 6))
				return "bare & in text";
			if (*s == '>')
				return "bare > in text";
			if ((unsigned char) *s < 0x20 && *s != '\n' && *s != '\t')
				return "control character";
			if ((unsigned char) *s >= 0x80)
				return "not ASCII";
			s++;
		}
	}
	if (depth != 0)
		return "unclosed element";
	if (roots != 1)
		return "not exactly one root element";
	return NULL;
}

static void
sample_wheel(cv_wheel *w)
{
	int			s;

	memset(w, 0, sizeof(*w));
	w->customers = 1000;
	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		w->st[s].customers = 900 - 100 * (uint64_t) s;
		w->st[s].visits = 1000 - 100 * (uint64_t) s;
		w->st[s].leaked = 50 * (uint64_t) s;
		w->st[s].active = (uint64_t) s % 2;
		w->st[s].value = 1000.25 * s;
		w->st[s].value_at_risk = 12345.5 * s;
	}
	w->trans[1][2] = 600;
	w->trans[2][1] = 80;
	w->trans[1][3] = 120;
	w->trans[6][1] = 30;
	w->trans[4][2] = 7;
	w->subtitle = "as of today";
}

static void
formatting(void)
{
	char		out[CV_FMT_MAX];

	cv_fmt_count(out, 0);
	CHECK_STR(out, "0");
	cv_fmt_count(out, 999);
	CHECK_STR(out, "999");
	cv_fmt_count(out, 1234567);
	CHECK_STR(out, "1,234,567");
	cv_fmt_count(out, UINT64_MAX);
	CHECK_STR(out, "18,446,744,073,709,551,615");
	cv_fmt_amount(out, 0);
	CHECK_STR(out, "0");
	cv_fmt_amount(out, -0.4);
	CHECK_STR(out, "0");
	cv_fmt_amount(out, -12345.6);
	CHECK_STR(out, "-12,346");
	cv_fmt_amount(out, 999999999999999.0);
	CHECK_STR(out, "999,999,999,999,999");
	cv_fmt_amount(out, 1e15);
	CHECK_STR(out, "1.00e15");
	cv_fmt_amount(out, 1.2345e18);
	CHECK_STR(out, "1.23e18");
	cv_fmt_amount(out, 9.9999e20);
	CHECK_STR(out, "1.00e21");
	cv_fmt_amount(out, -1.7976931348623157e308);
	CHECK_STR(out, "-1.80e308");
	cv_fmt_amount(out, NAN);
	CHECK_STR(out, "n/a");
	cv_fmt_amount(out, -INFINITY);
	CHECK_STR(out, "n/a");
	cv_fmt_share(out, 1, 3);
	CHECK_STR(out, "33.3%");
	cv_fmt_share(out, 2, 3);
	CHECK_STR(out, "66.7%");
	cv_fmt_share(out, 0, 5);
	CHECK_STR(out, "0.0%");
	cv_fmt_share(out, 0, 0);
	CHECK_STR(out, "n/a");
	cv_fmt_share(out, UINT64_MAX, UINT64_MAX);
	CHECK_STR(out, "100.0%");
	/* the compact form: grouped below 10,000, then one decimal and a suffix */
	{
		static const struct
		{
			double		v;
			const char *want;
		}			cases[] = {
			{0, "0"}, {9999.4, "9,999"}, {9999.5, "10.0k"}, {12345, "12.3k"}, {-12345, "-12.3k"},
			{999949, "999.9k"}, {999950, "1.0M"}, {1523456, "1.5M"}, {308641750000.0, "308.6B"},
			{999.94e12, "999.9T"}, {999.96e12, "1.00e15"}, {1e300, "1.00e300"}, {-1e300, "-1.00e300"},
			{NAN, "n/a"}, {INFINITY, "n/a"}, {18446744073709551615.0, "1.84e19"}
		};
		size_t		i;

		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		{
			cv_fmt_compact(out, cases[i].v);
			CHECK_STR(out, cases[i].want);
			CHECK(strlen(out) <= 9);
		}
	}
	/* more than the whole: only made-up input, but no overflow */
	cv_fmt_share(out, UINT64_MAX, 1);
	CHECK_STR(out, "100000000000000.0%");
}

static void
well_formed_with_numbers(void)
{
	cv_wheel	w;
	size_t		len;
	char	   *svg;

	sample_wheel(&w);
	svg = cv_wheel_svg(&w, &len);
	CHECK_INT(len, strlen(svg));
	CHECK_STR(xml_check(svg), NULL);
	CHECK(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0);
	CHECK(strcmp(svg + len - 7, "</svg>\n") == 0);
	/* the numbers, as labels and as data */
	CHECK(strstr(svg, "data-stage=\"awareness\" data-position=\"1\" data-customers=\"800\" "
				 "data-visits=\"900\" data-leaked=\"50\" data-active=\"1\"") != NULL);
	CHECK(strstr(svg, "<tspan font-weight=\"bold\">300</tspan> leaked</tspan>") != NULL);	/* engagement */
	CHECK(strstr(svg, ">75.0% of visits</tspan>") != NULL);
	CHECK(strstr(svg, "value at risk <tspan font-weight=\"bold\">74.1k</tspan>") != NULL);
	/* value created, in the stage's circle, and in all in the headline */
	CHECK(strstr(svg, "<tspan class=\"value\" x=\"630\" dy=\"15\" font-size=\"12\" font-weight=\"bold\" "
				 "fill=\"#a6e3a1\">value 1,000</tspan>") != NULL);	/* awareness: 1000.25 */
	CHECK(strstr(svg, "value created <tspan font-weight=\"bold\" fill=\"#2e7d32\">21.0k</tspan>") != NULL);
	CHECK(strstr(svg, "1,050</tspan> leaked (105.0% of customers)") != NULL);
	CHECK(strstr(svg, "data-from=\"awareness\" data-to=\"exploration\" data-transitions=\"600\"") != NULL);
	CHECK(strstr(svg, "<tspan font-weight=\"bold\">600</tspan> (66.7%)") != NULL);
	CHECK(strstr(svg, "class=\"flow regressed\" data-from=\"exploration\" data-to=\"awareness\"") != NULL);
	CHECK(strstr(svg, "class=\"flow skipped\" data-from=\"awareness\" data-to=\"experience\"") != NULL);
	CHECK(strstr(svg, "class=\"flow advanced\" data-from=\"engagement\" data-to=\"awareness\"") != NULL);
	CHECK(strstr(svg, "class=\"flow regressed\" data-from=\"value_realization\" data-to=\"exploration\"") != NULL);
	/* a pair that did not occur is not drawn */
	CHECK(strstr(svg, "data-from=\"advocacy\" data-to=\"experience\"") == NULL);
	CHECK(strstr(svg, "as of today") != NULL);
	CHECK(strstr(svg, "nan") == NULL && strstr(svg, "inf") == NULL);
	cv_mem.free(svg);
}

static void
escaping(void)
{
	cv_wheel	w;
	size_t		len;
	char	   *svg;

	/* the checker itself catches what it should */
	CHECK(xml_check("<a><b></a></b>") != NULL);
	CHECK(xml_check("<a t=\"1\">Q&A</a>") != NULL);
	CHECK(xml_check("<a t=\"<\"/>") != NULL);
	CHECK(xml_check("<a/><b/>") != NULL);
	CHECK(xml_check("<a t=\"&amp;\">&#183;&lt;</a>") == NULL);

	sample_wheel(&w);
	w.subtitle = "<b>Q&A</b> \"it's\"\x01";
	svg = cv_wheel_svg(&w, &len);
	CHECK_STR(xml_check(svg), NULL);
	CHECK(strstr(svg, "&lt;b&gt;Q&amp;A&lt;/b&gt; &quot;it&#39;s&quot;?") != NULL);
	cv_mem.free(svg);
}

static void
empty_wheel(void)
{
	cv_wheel	w;
	size_t		len;
	char	   *svg;

	memset(&w, 0, sizeof(w));
	svg = cv_wheel_svg(&w, &len);
	CHECK_STR(xml_check(svg), NULL);
	CHECK(strstr(svg, "no customers in this flow") != NULL);
	CHECK(strstr(svg, "class=\"flow") == NULL);
	CHECK(strstr(svg, "data-visits=\"0\"") != NULL);
	CHECK(strstr(svg, ">n/a of visits<") != NULL);	/* leaked share of no visits */
	CHECK(strstr(svg, "nan") == NULL && strstr(svg, "inf") == NULL);
	cv_mem.free(svg);

	/* customers, but nothing moved or leaked: no scale, no division by zero */
	w.customers = 3;
	w.st[2].customers = 3;
	w.st[2].visits = 3;
	w.st[2].active = 3;
	svg = cv_wheel_svg(&w, &len);
	CHECK_STR(xml_check(svg), NULL);
	CHECK(strstr(svg, "no customers") == NULL);
	CHECK(strstr(svg, "<path") == NULL || strstr(svg, "class=\"flow") == NULL);
	CHECK(strstr(svg, "nan") == NULL && strstr(svg, "inf") == NULL);
	cv_mem.free(svg);
}

static void
huge_numbers(void)
{
	cv_wheel	w;
	size_t		len;
	char	   *svg;
	int			s,
				t;

	memset(&w, 0, sizeof(w));
	w.customers = UINT64_MAX;
	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		w.st[s].customers = UINT64_MAX;
		w.st[s].visits = UINT64_MAX;
		w.st[s].leaked = s == 1 ? UINT64_MAX : 1;
		w.st[s].value = s == 2 ? -1.7976931348623157e308 : 1e300;
		w.st[s].value_at_risk = s == 3 ? INFINITY : (s == 4 ? NAN : 1e300);
		for (t = 1; t <= CV_STAGE_COUNT; t++)
			w.trans[s][t] = t == s ? 0 : UINT64_MAX / (uint64_t) (s + t);
	}
	svg = cv_wheel_svg(&w, &len);
	CHECK_STR(xml_check(svg), NULL);
	CHECK(strstr(svg, "18,446,744,073,709,551,615") != NULL);	/* exact, in the hover text */
	CHECK(strstr(svg, ">1.84e19 visits<") != NULL);	/* compact, in the circle */
	CHECK(strstr(svg, "1.00e300") != NULL);
	CHECK(strstr(svg, "data-value=\"-1.80e308\"") != NULL);
	CHECK(strstr(svg, "nan") == NULL && strstr(svg, "inf") == NULL);
	/* 30 flows, all drawn */
	{
		int			n = 0;
		const char *p = svg;

		while ((p = strstr(p, "<g class=\"flow ")) != NULL)
		{
			n++;
			p++;
		}
		CHECK_INT(n, 30);
	}
	cv_mem.free(svg);
}

/*
 * Every text of the picture inside the canvas, and a stage's lines inside its
 * circle, whatever the numbers.  Widths are measured with the advance widths
 * of Helvetica Bold (Adobe's metrics, in thousandths of an em; Arial and
 * Liberation Sans, which browsers substitute for it, have the same) plus 10
 * percent, for every weight: the picture asks for Helvetica, Arial, then any
 * sans-serif.  Heights: ascenders 0.75 em above the baseline, descenders
 * 0.22 em below.
 */
static const short glyph_width[95] = {
	278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
	556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
	975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
	667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
	333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
	611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584
};

#define CANVAS_W 1260.0
#define CANVAS_H 1210.0

static double
attr(const char *tag, const char *end, const char *name, double dflt)
{
	char		key[32];
	const char *p;

	snprintf(key, sizeof(key), " %s=\"", name);
	p = strstr(tag, key);
	return p != NULL && p < end ? strtod(p + strlen(key), NULL) : dflt;
}

typedef struct text_line
{
	double		x,
				y,
				width,
				size;			/* the largest font size on the line */
	char		anchor;			/* 's'tart, 'm'iddle, 'e'nd */
} text_line;

/* the lines of the <text> element at t (up to its </text>), at most max */
static int
text_lines(const char *t, text_line *lines, int max)
{
	const char *end = strstr(t, "</text>"),
			   *tag_end = strchr(t, '>');
	const char *anchor = strstr(t, "text-anchor=\"");
	double		size[16];
	int			depth = 0,
				n = 0;
	text_line	cur;

	cur.x = attr(t, tag_end, "x", 0);
	cur.y = attr(t, tag_end, "y", 0);
	cur.width = 0;
	cur.size = 0;
	cur.anchor = anchor != NULL && anchor < tag_end ? anchor[13] : 's';
	size[0] = attr(t, tag_end, "font-size", 16);
	for (t = tag_end + 1; t < end;)
	{
		if (strncmp(t, "<tspan", 6) == 0)
		{
			const char *e = strchr(t, '>');

			if (strstr(t, " x=\"") != NULL && strstr(t, " x=\"") < e)
			{
				if (cur.width > 0 && n < max)
					lines[n++] = cur;
				cur.x = attr(t, e, "x", 0);
				cur.width = 0;
				cur.size = 0;
			}
			cur.y += attr(t, e, "dy", 0);
			size[depth + 1] = attr(t, e, "font-size", size[depth]);
			depth++;
			t = e + 1;
		}
		else if (strncmp(t, "</tspan>", 8) == 0)
		{
			depth--;
			t += 8;
		}
		else
		{
			int			c = (unsigned char) *t;

			if (c == '&')
			{
				/* the references the renderer writes: one glyph each */
				c = strncmp(t, "&#183;", 6) == 0 ? '.' : (strncmp(t, "&#39;", 5) == 0 ? '\'' : '&');
				t = strchr(t, ';') + 1;
			}
			else
				t++;
			cur.width += 1.1 * (c >= 32 && c < 127 ? glyph_width[c - 32] : 1000) * size[depth] / 1000.0;
			cur.size = fmax(cur.size, size[depth]);
		}
	}
	if (cur.width > 0 && n < max)
		lines[n++] = cur;
	return n;
}

static void
line_box(const text_line *l, double *x0, double *x1, double *y0, double *y1)
{
	*x0 = l->anchor == 'm' ? l->x - l->width / 2 : (l->anchor == 'e' ? l->x - l->width : l->x);
	*x1 = *x0 + l->width;
	*y0 = l->y - 0.75 * l->size;
	*y1 = l->y + 0.22 * l->size;
}

/* how many text lines lie outside the canvas, or outside their stage's circle (said when verbose) */
static int
texts_outside(const char *svg, int verbose)
{
	const char *t;
	int			bad = 0;

	for (t = strstr(svg, "<text"); t != NULL; t = strstr(t + 1, "<text"))
	{
		text_line	lines[8];
		int			n = text_lines(t, lines, 8),
					i;
		/* the circle of the stage this text belongs to, if any */
		const char *g = NULL,
				   *p;

		for (p = svg; (p = strstr(p, "<g class=\"stage\"")) != NULL && p < t; p++)
			g = p;
		if (g != NULL && strstr(g, "</g>") < t)
			g = NULL;
		for (i = 0; i < n; i++)
		{
			double		x0,
						x1,
						y0,
						y1;

			line_box(&lines[i], &x0, &x1, &y0, &y1);
			if (x0 < 0 || x1 > CANVAS_W || y0 < 0 || y1 > CANVAS_H)
			{
				if (verbose)
					fprintf(stderr, "  text line outside the canvas: x %.0f..%.0f, y %.0f..%.0f: %.60s\n",
						x0, x1, y0, y1, t);
				bad++;
			}
			if (g != NULL)
			{
				const char *c = strstr(g, "<circle");
				double		cx = attr(c, strchr(c, '>'), "cx", 0),
							cy = attr(c, strchr(c, '>'), "cy", 0),
							r = attr(c, strchr(c, '>'), "r", 0) - 1.5;
				double		dx = fmax(fabs(x0 - cx), fabs(x1 - cx)),
							dy = fmax(fabs(y0 - cy), fabs(y1 - cy));

				if (dx * dx + dy * dy > r * r)
				{
					if (verbose)
						fprintf(stderr, "  text line outside its stage's circle: x %.0f..%.0f, y %.0f..%.0f "
							"(circle at %.0f, %.0f, r %.0f)\n", x0, x1, y0, y1, cx, cy, r);
					bad++;
				}
			}
		}
	}
	return bad;
}

static void
texts_inside(void)
{
	cv_wheel	w;
	size_t		len;
	char	   *svg;
	int			s,
				t;

	/* the checker sees a line that runs out */
	CHECK(texts_outside("<svg><text x=\"1200\" y=\"50\" font-size=\"15\">value at risk 308,641,750,000</text></svg>", 0) == 1);
	CHECK(texts_outside("<svg><text x=\"1000\" y=\"50\" font-size=\"15\">value at risk 308.6B</text></svg>", 0) == 0);
	CHECK(texts_outside("<svg><g class=\"stage\"><circle cx=\"100\" cy=\"100\" r=\"64\"/><text x=\"100\" y=\"100\" "
						"text-anchor=\"middle\" font-size=\"15\">value_realization</text></g></svg>", 0) == 1);

	/* the sample, and 1.5M customers with values of 1e12 */
	sample_wheel(&w);
	svg = cv_wheel_svg(&w, &len);
	CHECK_INT(texts_outside(svg, 1), 0);
	cv_mem.free(svg);
	memset(&w, 0, sizeof(w));
	w.customers = 1523456;
	w.subtitle = "As of 2026-11-28 (UTC): customers last seen before 2026-10-29 have leaked; the others are still active";
	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		w.st[s].customers = 1523456 - 111111 * (uint64_t) s;
		w.st[s].visits = 1987654 - 123457 * (uint64_t) s;
		w.st[s].leaked = 234567 * (uint64_t) s;
		w.st[s].active = 98765 * (uint64_t) s;
		w.st[s].value = 1.23456789e12 * s;
		w.st[s].value_at_risk = 308641750000.0 * s;
		for (t = 1; t <= CV_STAGE_COUNT; t++)
			w.trans[s][t] = t == s ? 0 : 1234567 / (uint64_t) (s + t);
	}
	svg = cv_wheel_svg(&w, &len);
	CHECK_INT(texts_outside(svg, 1), 0);
	cv_mem.free(svg);
	/* with the fix-first ranks: one more line under each leak label, one in the legend */
	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		w.fix_rank[s] = CV_STAGE_COUNT + 1 - s;
		w.fix_gain[s] = s % 2 ? -1.23456789e12 * s : 4.955;
	}
	svg = cv_wheel_svg(&w, &len);
	CHECK_INT(texts_outside(svg, 1), 0);
	CHECK(strstr(svg, "<tspan font-weight=\"bold\">fix #1</tspan>: +4.96/pt") != NULL ||
		  strstr(svg, "<tspan font-weight=\"bold\">fix #1</tspan>: +4.95/pt") != NULL);
	CHECK(strstr(svg, "<tspan font-weight=\"bold\">fix #6</tspan>: -1.2T/pt") != NULL);
	CHECK(strstr(svg, "Fix #1, #2, ...") != NULL);
	cv_mem.free(svg);
	memset(w.fix_rank, 0, sizeof(w.fix_rank));
	/* and every count at the largest a summary holds (2^53), negative values */
	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		w.st[s].customers = w.st[s].visits = w.st[s].leaked = w.st[s].active = UINT64_C(1) << 53;
		w.st[s].value = s % 2 ? -9.99e299 : 1e300;
		w.st[s].value_at_risk = -9.99e299;
		for (t = 1; t <= CV_STAGE_COUNT; t++)
			w.trans[s][t] = t == s ? 0 : UINT64_C(1) << 53;
	}
	w.customers = 1;
	svg = cv_wheel_svg(&w, &len);
	CHECK_INT(texts_outside(svg, 1), 0);
	cv_mem.free(svg);
}

static void
deterministic_and_locale_free(void)
{
	static const char *const locales[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8"};
	cv_wheel	w;
	size_t		len1,
				len2;
	char	   *a,
			   *b;
	size_t		i;

	sample_wheel(&w);
	a = cv_wheel_svg(&w, &len1);
	b = cv_wheel_svg(&w, &len2);
	CHECK(len1 == len2 && memcmp(a, b, len1) == 0);
	cv_mem.free(b);
	/* a decimal comma, where the machine has such a locale */
	for (i = 0; i < sizeof(locales) / sizeof(locales[0]); i++)
		if (setlocale(LC_NUMERIC, locales[i]) != NULL)
		{
			b = cv_wheel_svg(&w, &len2);
			CHECK(len1 == len2 && memcmp(a, b, len1) == 0);
			cv_mem.free(b);
			break;
		}
	setlocale(LC_NUMERIC, "C");
	cv_mem.free(a);
}

static void
numbers_from_a_flow(void)
{
	cv_flow		f;
	cv_wheel	w;
	cv_leakage_row rows[CV_STAGE_COUNT + 1];
	cv_event	c1[] = {{0, 0, 5, CV_AWARENESS}, {CV_USECS_PER_DAY, 0, 0, CV_EXPLORATION},
	{3 * CV_USECS_PER_DAY, 100, 0, CV_VALUE_REALIZATION}};
	cv_event	c2[] = {{0, 0, 5, CV_AWARENESS}};
	int			s,
				t;

	cv_flow_init(&f, &unit_mem);
	CHECK_INT(cv_flow_add_customer(&f, c1, 3), CV_OK);
	CHECK_INT(cv_flow_add_customer(&f, c2, 1), CV_OK);
	cv_wheel_from_flow(&f, 1, 2, &w);
	cv_flow_leakage(&f, 1, 2, rows);
	CHECK_INT(w.customers, 2);
	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		CHECK_INT(w.st[s].visits, rows[s].visits);
		CHECK_INT(w.st[s].leaked, rows[s].leaked);
		CHECK_INT(w.st[s].active, rows[s].active);
		CHECK_DBL(w.st[s].value_at_risk, rows[s].value_at_risk, 0);
		for (t = 1; t <= CV_STAGE_COUNT; t++)
			CHECK_INT(w.trans[s][t], f.trans[s][t]);
	}
	/* customer 2 leaked at awareness (day 0 < 2); customer 1 is active (day 3) */
	CHECK_INT(w.st[CV_AWARENESS].leaked, 1);
	CHECK_INT(w.st[CV_VALUE_REALIZATION].active, 1);
	/* one awareness visit went on and produced 100 downstream: 1 x 100 at risk */
	CHECK_DBL(w.st[CV_AWARENESS].value_at_risk, 100, 0);
	CHECK(w.subtitle == NULL);
	cv_flow_free(&f);
}

const unit_test wheel_tests[] = {
	{"wheel: counts, amounts and shares formatted by hand", formatting},
	{"wheel: well-formed SVG carrying the numbers", well_formed_with_numbers},
	{"wheel: the subtitle is escaped", escaping},
	{"wheel: no customers, and nothing moving, draw without dividing by zero", empty_wheel},
	{"wheel: huge counts and amounts, NaN and infinity", huge_numbers},
	{"wheel: every text inside the canvas, and a stage's inside its circle, at any magnitude", texts_inside},
	{"wheel: the same picture every time, in any LC_NUMERIC", deterministic_and_locale_free},
	{"wheel: numbers from a flow equal the leakage report", numbers_from_a_flow},
	{NULL, NULL}
};
