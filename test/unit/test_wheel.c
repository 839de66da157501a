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
	CHECK(strstr(svg, "<tspan font-weight=\"bold\">300</tspan> leaked (75.0%)") != NULL);	/* engagement */
	CHECK(strstr(svg, "value at risk <tspan font-weight=\"bold\">74,073</tspan>") != NULL);
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
	CHECK(strstr(svg, "(n/a)") != NULL);	/* leaked share of no visits */
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
	CHECK(strstr(svg, "18,446,744,073,709,551,615") != NULL);
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
	{"wheel: the same picture every time, in any LC_NUMERIC", deterministic_and_locale_free},
	{"wheel: numbers from a flow equal the leakage report", numbers_from_a_flow},
	{NULL, NULL}
};
