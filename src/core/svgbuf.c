/*
 * svgbuf.c — writing the text of an SVG picture (see svgbuf.h).
 */
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "mem.h"
#include "svgbuf.h"

static void
put_n(cv_svgbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap)
	{
		size_t		cap = b->cap ? b->cap : 16384;

		while (b->len + n + 1 > cap)
			cap *= 2;
		b->data = cv_mem.realloc(b->data, cap);
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
cv_svg_put(cv_svgbuf *b, const char *s)
{
	put_n(b, s, strlen(s));
}

/* text as XML character data or attribute value; non-ASCII bytes pass as is */
static void
put_escaped(cv_svgbuf *b, const char *s)
{
	for (; *s; s++)
	{
		switch (*s)
		{
			case '&':
				cv_svg_put(b, "&amp;");
				break;
			case '<':
				cv_svg_put(b, "&lt;");
				break;
			case '>':
				cv_svg_put(b, "&gt;");
				break;
			case '"':
				cv_svg_put(b, "&quot;");
				break;
			case '\'':
				cv_svg_put(b, "&#39;");
				break;
			default:
				/* control characters other than tab and newline are not XML */
				if ((unsigned char) *s < 0x20 && *s != '\t' && *s != '\n')
					cv_svg_put(b, "?");
				else
					put_n(b, s, 1);
		}
	}
}

/* digits of n, most significant first, with a comma every three if grouped */
static void
fmt_u64(char *out, uint64_t n, int grouped)
{
	char		rev[32];
	int			k = 0,
				i = 0;

	do
	{
		if (grouped && k > 0 && k % 3 == 0)
			rev[i++] = ',';
		rev[i++] = (char) ('0' + n % 10);
		n /= 10;
		k++;
	} while (n > 0);
	while (i > 0)
		*out++ = rev[--i];
	*out = '\0';
}

void
cv_fmt_count(char *out, uint64_t n)
{
	fmt_u64(out, n, 1);
}

/* a >= 1 in three significant digits and a power of ten: "1.23e18" */
static void
fmt_scientific(char *out, double a)
{
	int			e = (int) floor(log10(a));
	long long	m = llround(a / pow(10, e - 2));

	if (m >= 1000)
	{
		m = llround(a / pow(10, e - 1));
		e++;
	}
	out[0] = (char) ('0' + m / 100);
	out[1] = '.';
	out[2] = (char) ('0' + m / 10 % 10);
	out[3] = (char) ('0' + m % 10);
	out[4] = 'e';
	fmt_u64(out + 5, (uint64_t) e, 0);
}

static void
fmt_amount(char *out, double v, int grouped)
{
	double		a = fabs(v);

	if (!isfinite(v))
	{
		strcpy(out, "n/a");
		return;
	}
	if (v < 0 && a >= 0.5)
		*out++ = '-';
	if (a < 1e15)
		fmt_u64(out, (uint64_t) llround(a), grouped);
	else
		fmt_scientific(out, a);
}

void
cv_fmt_compact(char *out, double v)
{
	static const char suffix[] = "kMBT";
	double		a = fabs(v),
				unit = 1e3;
	int			i;

	if (!isfinite(v) || a < 9999.5)
	{
		fmt_amount(out, v, 1);
		return;
	}
	if (v < 0)
		*out++ = '-';
	for (i = 0; i < 4 && a < 999.95e12; i++, unit *= 1e3)
	{
		/* tenths of the unit; 999.96k rounds to 1000.0k: the next unit then */
		long long	t = llround(a / unit * 10);

		if (t < 10000)
		{
			size_t		n;

			fmt_u64(out, (uint64_t) (t / 10), 0);
			n = strlen(out);
			out[n] = '.';
			out[n + 1] = (char) ('0' + t % 10);
			out[n + 2] = suffix[i];
			out[n + 3] = '\0';
			return;
		}
	}
	fmt_scientific(out, a);
}

void
cv_fmt_amount(char *out, double v)
{
	fmt_amount(out, v, 1);
}

void
cv_fmt_share(char *out, uint64_t part, uint64_t whole)
{
	uint64_t	tenths;
	double		r;
	size_t		n;

	if (whole == 0)
	{
		strcpy(out, "n/a");
		return;
	}
	r = 1000.0 * ((double) part / (double) whole);
	/* part > whole only in made-up input; keep llround in range */
	tenths = (uint64_t) llround(r < 1e15 ? r : 1e15);
	fmt_u64(out, tenths / 10, 0);
	n = strlen(out);
	out[n] = '.';
	out[n + 1] = (char) ('0' + tenths % 10);
	out[n + 2] = '%';
	out[n + 3] = '\0';
}

/* a coordinate or length, to a tenth ("12.3", "-4", "0") */
static void
fmt_coord(char *out, double v)
{
	long long	t;

	if (!isfinite(v))
		v = 0;
	if (v > 1e9)
		v = 1e9;
	if (v < -1e9)
		v = -1e9;
	t = llround(v * 10);
	if (t < 0)
	{
		*out++ = '-';
		t = -t;
	}
	fmt_u64(out, (uint64_t) (t / 10), 0);
	if (t % 10 != 0)
	{
		size_t		n = strlen(out);

		out[n] = '.';
		out[n + 1] = (char) ('0' + t % 10);
		out[n + 2] = '\0';
	}
}

/* the conversions are listed in svgbuf.h */
void
cv_svg_putf(cv_svgbuf *b, const char *fmt,...)
{
	va_list		ap;
	char		num[CV_FMT_MAX];
	const char *p;

	va_start(ap, fmt);
	for (p = fmt; *p; p++)
	{
		const char *q = strchr(p, '%');

		if (q == NULL)
		{
			cv_svg_put(b, p);
			break;
		}
		put_n(b, p, (size_t) (q - p));
		p = q + 1;
		switch (*p)
		{
			case 's':
				cv_svg_put(b, va_arg(ap, const char *));
				break;
			case 'x':
				put_escaped(b, va_arg(ap, const char *));
				break;
			case 'd':
				{
					int			v = va_arg(ap, int);

					if (v < 0)
						cv_svg_put(b, "-");
					fmt_u64(num, v < 0 ? (uint64_t) (-(long long) v) : (uint64_t) v, 0);
					cv_svg_put(b, num);
					break;
				}
			case 'f':
				fmt_coord(num, va_arg(ap, double));
				cv_svg_put(b, num);
				break;
			case 'n':
				cv_fmt_count(num, va_arg(ap, uint64_t));
				cv_svg_put(b, num);
				break;
			case 'a':
				cv_fmt_amount(num, va_arg(ap, double));
				cv_svg_put(b, num);
				break;
			case 'u':
				fmt_u64(num, va_arg(ap, uint64_t), 0);
				cv_svg_put(b, num);
				break;
			case 'A':
				fmt_amount(num, va_arg(ap, double), 0);
				cv_svg_put(b, num);
				break;
			case 'N':
				cv_fmt_compact(num, (double) va_arg(ap, uint64_t));
				cv_svg_put(b, num);
				break;
			case 'M':
				cv_fmt_compact(num, va_arg(ap, double));
				cv_svg_put(b, num);
				break;
			default:
				cv_svg_put(b, "%");
				if (*p == '\0')
					p--;
				break;
		}
	}
	va_end(ap);
}
