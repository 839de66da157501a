/*
 * svgbuf.h — writing the text of an SVG picture (pure C core): a growing
 * buffer, XML escaping, and number formatting done by hand rather than by
 * the C library, whose printf follows LC_NUMERIC: a picture must not change
 * with the server's locale.
 */
#ifndef CVFW_CORE_SVGBUF_H
#define CVFW_CORE_SVGBUF_H

#include <stddef.h>
#include <stdint.h>

/* NUL-terminated text in memory from cv_mem; start from {NULL, 0, 0} */
typedef struct cv_svgbuf
{
	char	   *data;
	size_t		len;
	size_t		cap;
} cv_svgbuf;

extern void cv_svg_put(cv_svgbuf *b, const char *s);

/*
 * printf for SVG, without the C library's number formatting:
 *   %s text as is          %x text XML-escaped     %d int
 *   %f coordinate (double, to a tenth)             %n count (uint64, grouped)
 *   %a amount (double)     %u and %A: count and amount without separators
 *   %%                     (for data- attributes, read by programs)
 *   %N and %M: count and amount in the compact form, for labels that must
 *   fit a place in the picture whatever the magnitude
 */
extern void cv_svg_putf(cv_svgbuf *b, const char *fmt,...);

/*
 * The formats, for labels; out must hold CV_FMT_MAX bytes.  Counts get
 * thousands separators ("1,234,567"); amounts are rounded to whole units
 * below 10^15 ("-12,346") and written as "1.23e18" above, "n/a" when not
 * finite; shares are percentages with one decimal ("33.3%"; "n/a" for
 * anything of nothing).  The compact form (cv_fmt_compact) is the grouped
 * one below 10,000, then one decimal and a suffix, k (10^3), M (10^6), B
 * (10^9), T (10^12): "12.3k", "1.5M", "308.6B"; "1.23e18" from 10^15 on;
 * at most 8 characters.
 */
#define CV_FMT_MAX 48
extern void cv_fmt_count(char *out, uint64_t n);
extern void cv_fmt_amount(char *out, double v);
extern void cv_fmt_compact(char *out, double v);
extern void cv_fmt_share(char *out, uint64_t part, uint64_t whole);

#endif							/* CVFW_CORE_SVGBUF_H */
