/*
 * money.c — amounts in and out of the exact fixed-point form; see money.h.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"

int
cv_money_from_double(double x, cv_money *out)
{
	uint64_t	bits,
				m;
	int			biased,
				e,
				neg;
	cv_money	p;

	/* also refuses NaN, which fails every comparison */
	if (!(x >= -CV_MONEY_MAX_UNITS && x <= CV_MONEY_MAX_UNITS))
		return 0;
	/* whole amounts (most are) need no rounding: 9e12 * 10^6 fits an int64 */
	if (x > -9e12 && x < 9e12 && x == (double) (int64_t) x)
	{
		*out = cv_i128_from_i64((int64_t) x * CV_MONEY_SCALE);
		return 1;
	}

	/*
	 * Most other amounts: |x| * 10^6 in float8 is within half an ulp of
	 * the exact product, at most 2^-13 below 2^40; unless its fraction is
	 * within 2^-10 of a half, the two round to the same whole number.
	 */
	{
		double		a = fabs(x),
					p = a * CV_MONEY_SCALE;

		if (p < 1099511627776.0)	/* 2^40 */
		{
			double		whole = floor(p),
						frac = p - whole;	/* exact */

			if (fabs(frac - 0.5) > 0.0009765625)	/* 2^-10 */
			{
				int64_t		q = (int64_t) whole + (frac > 0.5);

				*out = cv_i128_from_i64(x < 0 ? -q : q);
				return 1;
			}
		}
	}
	memcpy(&bits, &x, sizeof bits);
	neg = (int) (bits >> 63);
	biased = (int) ((bits >> 52) & 0x7FF);
	m = bits & ((UINT64_C(1) << 52) - 1);
	if (biased == 0)
	{
		if (m == 0)
		{
			out->lo = out->hi = 0;	/* +0 and -0 alike */
			return 1;
		}
		e = -1074;				/* subnormal */
	}
	else
	{
		m |= UINT64_C(1) << 52;
		e = biased - 1075;
	}
	/* x = m * 2^e exactly; x * 10^6 = m * 10^6 * 2^e, m * 10^6 < 2^73 */
	p = cv_i128_mul((int64_t) m, CV_MONEY_SCALE);
	if (e >= 0)
	{
		/* |x| <= 10^31 < 2^104 keeps e <= 51: the product stays below 2^124 */
		CV_ASSERT(e <= 51);
		p = cv_i128_shl(p, e);
	}
	else if (-e > 74)
		p.lo = p.hi = 0;		/* below 2^73 / 2^75: less than half a millionth */
	else
	{
		int			s = -e;
		cv_money	q = cv_i128_shr_u(p, s);
		/* the bits shifted out, against one half (2^(s-1)) */
		cv_money	back = cv_i128_shl(q, s);
		cv_money	rest = cv_i128_sub(p, back);
		cv_money	half = cv_i128_shl(cv_i128_from_i64(1), s - 1);

		if (cv_i128_cmp(rest, half) >= 0)
			q = cv_i128_add(q, cv_i128_from_i64(1));
		p = q;
	}
	*out = neg ? cv_i128_neg(p) : p;
	CV_ASSERT(cv_money_in_range(*out));
	return 1;
}

/* |m| as decimal digits (no sign), into out; returns the length */
static int
magnitude_digits(cv_money m, char *out)
{
	char		rev[40];
	int			n = 0,
				i;

	if (cv_i128_is_neg(m))
		m = cv_i128_neg(m);
	do
		rev[n++] = (char) ('0' + cv_u128_divmod32(&m, 10));
	while (m.lo | m.hi);
	for (i = 0; i < n; i++)
		out[i] = rev[n - 1 - i];
	out[n] = '\0';
	return n;
}

int
cv_money_to_text(cv_money m, char *out)
{
	char		digits[41];
	int			n = magnitude_digits(m, digits),
				len = 0,
				whole,
				frac_end;

	if (cv_i128_is_neg(m))
		out[len++] = '-';
	/* left-pad to at least scale + 1 digits: "0.000005" */
	if (n <= CV_MONEY_SCALE_DIGITS)
	{
		int			pad = CV_MONEY_SCALE_DIGITS + 1 - n;

		memmove(digits + pad, digits, (size_t) n + 1);
		memset(digits, '0', (size_t) pad);
		n += pad;
	}
	whole = n - CV_MONEY_SCALE_DIGITS;
	memcpy(out + len, digits, (size_t) whole);
	len += whole;
	frac_end = n;
	while (frac_end > whole && digits[frac_end - 1] == '0')
		frac_end--;
	if (frac_end > whole)
	{
		out[len++] = '.';
		memcpy(out + len, digits + whole, (size_t) (frac_end - whole));
		len += frac_end - whole;
	}
	out[len] = '\0';
	return len;
}

double
cv_money_to_double(cv_money m)
{
	char		text[CV_MONEY_TEXT_SIZE];

	/* below 2^53 both operands are exact: one correctly rounded division */
	if ((m.hi == 0 && m.lo < (UINT64_C(1) << 53)) ||
		(m.hi == UINT64_MAX && m.lo > (uint64_t) 0 - (UINT64_C(1) << 53)))
		return (double) (int64_t) m.lo / (double) CV_MONEY_SCALE;
	/* beyond, the decimal text through strtod (correctly rounded; the C locale's '.') */
	cv_money_to_text(m, text);
	return strtod(text, NULL);
}
