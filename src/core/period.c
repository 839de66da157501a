/*
 * period.c — UTC days, ISO weeks and calendar months (Howard Hinnant's
 * civil-from-days algorithms, exact for every day PostgreSQL can hold).
 */
#include "flow.h"
#include "period.h"

/* days since 2000-01-01 = days since 1970-01-01 - this */
#define DAYS_1970_TO_2000 10957

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t		q = a / b;

	return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* (year, month 1..12) of a day counted from 2000-01-01 */
static void
civil_from_days(int64_t day, int64_t *year, int *month)
{
	int64_t		z = day + DAYS_1970_TO_2000 + 719468;
	int64_t		era = floor_div(z, 146097);
	int64_t		doe = z - era * 146097;
	int64_t		yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t		doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t		mp = (5 * doy + 2) / 153;
	int			m = (int) (mp < 10 ? mp + 3 : mp - 9);

	*year = yoe + era * 400 + (m <= 2);
	*month = m;
}

/* the day (from 2000-01-01) of the first of a month */
static int64_t
days_from_civil(int64_t y, int m)
{
	int64_t		era,
				yoe,
				doy,
				doe;

	y -= m <= 2;
	era = floor_div(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468 - DAYS_1970_TO_2000;
}

int32_t
cv_period_index(cv_period p, int64_t at)
{
	int64_t		day = floor_div(at, CV_USECS_PER_DAY);
	int64_t		year;
	int			month;

	switch (p)
	{
		case CV_PERIOD_DAY:
			return (int32_t) day;
		case CV_PERIOD_WEEK:
			/* 2000-01-03, day 2, was a Monday */
			return (int32_t) floor_div(day - 2, 7);
		case CV_PERIOD_MONTH:
			civil_from_days(day, &year, &month);
			return (int32_t) ((year - 2000) * 12 + (month - 1));
		default:
			return 0;
	}
}

static int64_t
day_start(int64_t day)
{
	if (day > INT64_MAX / CV_USECS_PER_DAY)
		return INT64_MAX;
	if (day < INT64_MIN / CV_USECS_PER_DAY)
		return INT64_MIN;
	return day * CV_USECS_PER_DAY;
}

int64_t
cv_period_start(cv_period p, int32_t index)
{
	switch (p)
	{
		case CV_PERIOD_DAY:
			return day_start(index);
		case CV_PERIOD_WEEK:
			return day_start((int64_t) index * 7 + 2);
		case CV_PERIOD_MONTH:
			return day_start(days_from_civil(2000 + floor_div(index, 12),
											 (int) (index - floor_div(index, 12) * 12) + 1));
		default:
			return INT64_MIN;
	}
}

int64_t
cv_period_length(cv_period p)
{
	switch (p)
	{
		case CV_PERIOD_DAY:
			return CV_USECS_PER_DAY;
		case CV_PERIOD_WEEK:
			return 7 * CV_USECS_PER_DAY;
		case CV_PERIOD_MONTH:
			return 30 * CV_USECS_PER_DAY;
		default:
			return 0;
	}
}

const char *
cv_period_name(cv_period p)
{
	static const char *const names[] = {NULL, "day", "week", "month"};

	return (unsigned) p <= CV_PERIOD_MAX ? names[p] : NULL;
}
