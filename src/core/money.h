/*
 * money.h — exact amounts for flow summaries (pure C core).
 *
 * An amount (a value or a cost) is held as a whole number of millionths
 * of the currency unit in a signed 128-bit integer, so sums are exact:
 * adding and removing customers in any order gives the same bits.
 *
 *   resolution  10^-6 of the currency unit (CV_MONEY_SCALE = 10^6)
 *   range       every amount and every sum a summary holds lies within
 *               ±10^31 currency units (CV_MONEY_MAX = 10^37 millionths);
 *               anything beyond is refused, never wrapped or saturated
 *
 * An input amount (a float8) is rounded once, on the way in, by
 * cv_money_from_double: to the nearest millionth of its exact binary
 * value, halves away from zero.  A sum is turned back into a float8 for
 * the reports by cv_money_to_double, correctly rounded.
 *
 * Why these numbers: 10^-6 is finer than every currency's minor unit, and
 * below 2^53 millionths (about 9 * 10^9 units) a float8 amount loses
 * nothing it had to the nearest millionth; 10^31 units leaves room for any
 * real economy many times over, while two amounts in range always add
 * without wrapping the 128 bits (10^37 < 2^126), so a sum can be checked
 * after it is formed.
 */
#ifndef CVFW_CORE_MONEY_H
#define CVFW_CORE_MONEY_H

#include <stdint.h>

#include "cv_assert.h"
#include "i128.h"

typedef cv_i128 cv_money;

#define CV_MONEY_SCALE			1000000
#define CV_MONEY_SCALE_DIGITS	6
/* the range in currency units is ±10^CV_MONEY_MAX_UNITS_EXP */
#define CV_MONEY_MAX_UNITS_EXP	31
#define CV_MONEY_MAX_UNITS		1e31
/* 10^37 millionths: hi and lo words */
#define CV_MONEY_MAX_HI			UINT64_C(0x0785ee10d5da46d9)
#define CV_MONEY_MAX_LO			UINT64_C(0x00f436a000000000)

#define CV_XSTR(x) #x
#define CV_STR(x) CV_XSTR(x)
/* for messages: "±10^31 currency units, in steps of 10^-6" */
#define CV_MONEY_RANGE_TEXT \
	"±10^" CV_STR(CV_MONEY_MAX_UNITS_EXP) " currency units, in steps of 10^-" CV_STR(CV_MONEY_SCALE_DIGITS)

static inline cv_money
cv_money_max(void)
{
	cv_money	m = {CV_MONEY_MAX_LO, CV_MONEY_MAX_HI};

	return m;
}

static inline int
cv_money_in_range(cv_money m)
{
	cv_money	max = cv_money_max();
	int64_t		hi = (int64_t) m.hi;

	/* almost every sum is far inside: its high word says so */
	if (hi > -(int64_t) CV_MONEY_MAX_HI && hi < (int64_t) CV_MONEY_MAX_HI)
		return 1;
	return cv_i128_cmp(m, max) <= 0 && cv_i128_cmp(m, cv_i128_neg(max)) >= 0;
}

/*
 * *sum += x, both in range; 0 (and *sum unchanged) when the result is
 * not: no wrap is possible, since |*sum + x| <= 2 * 10^37 < 2^127.
 */
static inline int
cv_money_add(cv_money *sum, cv_money x)
{
	cv_money	r;

	CV_ASSERT(cv_money_in_range(*sum) && cv_money_in_range(x));
	r = cv_i128_add(*sum, x);
	if (!cv_money_in_range(r))
		return 0;
	*sum = r;
	return 1;
}

/* *sum -= x, as cv_money_add */
static inline int
cv_money_sub(cv_money *sum, cv_money x)
{
	return cv_money_add(sum, cv_i128_neg(x));
}

/*
 * A float8 amount in millionths, rounded to the nearest (halves away from
 * zero) from its exact binary value; 0 when it is not finite or out of
 * range (|x| > 10^31).
 */
extern int	cv_money_from_double(double x, cv_money *out);

/* the nearest float8 to m / 10^6 (correctly rounded) */
extern double cv_money_to_double(cv_money m);

/*
 * m / 10^6 as decimal text: an optional '-', the whole units, and when m
 * has a fraction, '.' and its digits without trailing zeros ("-12.5").
 * out needs CV_MONEY_TEXT_SIZE bytes; returns the length.
 */
#define CV_MONEY_TEXT_SIZE 48
extern int	cv_money_to_text(cv_money m, char *out);

#endif							/* CVFW_CORE_MONEY_H */
