/*
 * test_money.c — exact amounts: the one rounding rule for input, against
 * an independent decimal computation; the range, at and beyond its ends;
 * back to float8 and to text.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "money.h"
#include "unit.h"

static cv_money
I(int64_t v)
{
	return cv_i128_from_i64(v);
}

static int64_t
from(double x)
{
	cv_money	m = {12345, 678};	/* overwritten on success */

	if (!cv_money_from_double(x, &m))
		return INT64_MIN;
	/* all the values below fit an int64 */
	return (int64_t) m.lo;
}

/*
 * The reference: the double's exact decimal expansion (glibc prints every
 * digit), rounded at the sixth decimal by hand, halves away from zero.
 * Only for |x| < 9e12, so the answer fits an int64.
 */
static int64_t
reference(double x)
{
	static char text[1300];
	char	   *dot;
	int64_t		whole = 0,
				frac = 0;
	int			i,
				up = 0,
				neg = x < 0;

	snprintf(text, sizeof(text), "%.1100f", fabs(x));
	dot = strchr(text, '.');
	for (i = 0; text + i < dot; i++)
		whole = whole * 10 + (text[i] - '0');
	for (i = 1; i <= 6; i++)
		frac = frac * 10 + (dot[i] - '0');
	/* the seventh digit and what follows decide: >= 5 rounds up (half away) */
	up = dot[7] >= '5';
	whole = whole * 1000000 + frac + up;
	return neg ? -whole : whole;
}

static void
rounding_by_hand(void)
{
	CHECK_INT(from(0), 0);
	CHECK_INT(from(-0.0), 0);
	CHECK_INT(from(1), 1000000);
	CHECK_INT(from(-7), -7000000);
	CHECK_INT(from(0.1), 100000);
	CHECK_INT(from(19.99), 19990000);
	CHECK_INT(from(-19.99), -19990000);
	CHECK_INT(from(1.0 / 3), 333333);
	CHECK_INT(from(2.0 / 3), 666667);
	CHECK_INT(from(-2.0 / 3), -666667);
	/* exact halves (1/128 = 0.0078125) go away from zero */
	CHECK_INT(from(0.0078125), 7813);
	CHECK_INT(from(-0.0078125), -7813);
	CHECK_INT(from(3.0 / 128), 23438);
	/*
	 * 0.0000005 written in decimal is a half, but its float8 is just below
	 * it (4.99999999999999977e-7): rounded from the binary value, it is 0
	 */
	CHECK_INT(from(0.0000005), 0);
	CHECK_INT(from(0.0000015), 2);	/* the float8 is 1.50000000000000004e-6 */
	CHECK_INT(from(1e-7), 0);
	CHECK_INT(from(DBL_MIN), 0);
	CHECK_INT(from(4.9406564584124654e-324), 0);	/* the smallest subnormal */
	CHECK_INT(from(-4.9406564584124654e-324), 0);
	/* past the whole-number fast path (9e21 millionths: more than an int64) */
	{
		cv_money	m;

		CHECK(cv_money_from_double(9007199254740992.0, &m));
		CHECK(cv_i128_eq(m, cv_i128_mul(INT64_C(9007199254740992), 1000000)));
		CHECK(cv_money_from_double(12345678901.25, &m));
		CHECK(cv_i128_eq(m, I(INT64_C(12345678901250000))));
	}
}

static void
rounding_against_decimal(void)
{
	int			i;

	for (i = 0; i < 60000; i++)
	{
		uint64_t	r = unit_rng();
		double		x;

		switch (i % 5)
		{
			case 0:				/* cents */
				x = (double) (int64_t) (r % 2000000001 - 1000000000) / 100;
				break;
			case 1:				/* any bits, magnitudes 1e-9 .. 1e12 */
				x = ((double) (r >> 11) / 9007199254740992.0) * pow(10, (double) (r % 22) - 9);
				break;
			case 2:				/* exact ties: whole + odd/128 */
				x = (double) (int64_t) (r % 100000000) + (double) (2 * (r % 64) + 1) / 128;
				break;
			case 3:				/* thirds and sevenths */
				x = (double) (int64_t) (r % 20000001 - 10000000) / (r % 2 ? 3 : 7);
				break;
			default:			/* random bit patterns of small exponent */
				{
					uint64_t	bits = (r & UINT64_C(0x800FFFFFFFFFFFFF)) | ((uint64_t) (990 + r % 70) << 52);

					memcpy(&x, &bits, sizeof x);
				}
				break;
		}
		if (fabs(x) >= 9e12)
			continue;
		if (from(x) != reference(x))
		{
			CHECK_INT(from(x), reference(x));
			fprintf(stderr, "  for x = %.17g\n", x);
			break;
		}
	}
}

static void
range_at_and_beyond(void)
{
	cv_money	m,
				max = cv_money_max(),
				one = I(1);

	/* 10^31 units: the float8 1e31 is just below 10^31, the next one above */
	CHECK(cv_money_from_double(1e31, &m));
	CHECK(cv_money_in_range(m));
	CHECK(cv_money_from_double(-1e31, &m));
	CHECK(!cv_money_from_double(nextafter(1e31, INFINITY), &m));
	CHECK(!cv_money_from_double(-nextafter(1e31, INFINITY), &m));
	CHECK(!cv_money_from_double(1e300, &m));
	CHECK(!cv_money_from_double(INFINITY, &m));
	CHECK(!cv_money_from_double(-INFINITY, &m));
	CHECK(!cv_money_from_double(NAN, &m));
	/* the bound itself, 10^37 millionths, is in range; one more is not */
	CHECK(cv_money_in_range(max));
	CHECK(!cv_money_in_range(cv_i128_add(max, one)));
	CHECK(cv_money_in_range(cv_i128_neg(max)));
	CHECK(!cv_money_in_range(cv_i128_sub(cv_i128_neg(max), one)));
	/* sums: up to the bound, never past it, the sum left as it was */
	m = cv_i128_sub(max, one);
	CHECK(cv_money_add(&m, one));
	CHECK(cv_i128_eq(m, max));
	CHECK(!cv_money_add(&m, one));
	CHECK(cv_i128_eq(m, max));
	m = cv_i128_neg(max);
	CHECK(!cv_money_sub(&m, one));
	CHECK(cv_money_add(&m, max));
	CHECK(cv_i128_is_zero(m));
}

static void
back_to_float8_and_text(void)
{
	char		text[CV_MONEY_TEXT_SIZE];
	int			i;
	cv_money	max = cv_money_max();

	CHECK(cv_money_to_double(I(300000)) == 0.3);	/* 0.1 + 0.2, exactly */
	CHECK(cv_money_to_double(I(-19990000)) == -19.99);
	CHECK(cv_money_to_double(max) == 1e31);
	CHECK(cv_money_to_double(cv_i128_neg(max)) == -1e31);
	/* beyond 2^53 millionths, still the nearest float8 (through the decimal text) */
	CHECK(cv_money_to_double(cv_i128_mul(INT64_C(123456789012345678), 1000)) == 123456789012345.678);
	CHECK_INT(cv_money_to_text(I(0), text), 1);
	CHECK_STR(text, "0");
	cv_money_to_text(I(5), text);
	CHECK_STR(text, "0.000005");
	cv_money_to_text(I(-12500000), text);
	CHECK_STR(text, "-12.5");
	cv_money_to_text(I(-999999), text);
	CHECK_STR(text, "-0.999999");
	cv_money_to_text(max, text);
	CHECK_STR(text, "10000000000000000000000000000000");
	cv_money_to_text(cv_i128_sub(cv_i128_neg(max), I(0)), text);
	CHECK_STR(text, "-10000000000000000000000000000000");
	/* a float8 with at most 6 decimals comes back as itself */
	for (i = 0; i < 100000; i++)
	{
		int64_t		k = (int64_t) (unit_rng() % UINT64_C(8000000000000000)) - INT64_C(4000000000000000);
		double		x = (double) k / 1e6;
		cv_money	m;

		CHECK(cv_money_from_double(x, &m));
		if (!cv_i128_eq(m, I(k)) || cv_money_to_double(m) != x)
		{
			CHECK_INT(k, (int64_t) m.lo);
			break;
		}
	}
}

const unit_test money_tests[] = {
	{"money: rounding by hand (halves away from zero, from the binary value)", rounding_by_hand},
	{"money: rounding agrees with the exact decimal expansion", rounding_against_decimal},
	{"money: the range, accepted at its ends and refused beyond", range_at_and_beyond},
	{"money: back to float8 (correctly rounded) and to text", back_to_float8_and_text},
	{NULL, NULL}
};
