/*
 * trend.c — building, merging, subtracting and reading trends (trend.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "trend.h"

void
cv_trend_init(cv_trend *t, const cv_allocator *mem)
{
	memset(t, 0, sizeof(*t));
	t->mem = *mem;
}

void
cv_trend_free(cv_trend *t)
{
	cv_allocator mem = t->mem;

	if (t->cells != NULL)
		cv_free(&mem, t->cells);
	if (t->ends != NULL)
		cv_free(&mem, t->ends);
	memset(t, 0, sizeof(*t));
	t->mem = mem;
}

/* --- keys ---------------------------------------------------------------------- */

static int
cell_cmp(const cv_trend_cell *a, const cv_trend_cell *b)
{
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	return (a->stage > b->stage) - (a->stage < b->stage);
}

static int
cell_qsort_cmp(const void *a, const void *b)
{
	return cell_cmp(a, b);
}

static int
end_cmp(const cv_trend_end *a, const cv_trend_end *b)
{
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	if (a->stage != b->stage)
		return a->stage < b->stage ? -1 : 1;
	return (a->last_day > b->last_day) - (a->last_day < b->last_day);
}

static int
end_qsort_cmp(const void *a, const void *b)
{
	return end_cmp(a, b);
}

/* --- appending and compacting ------------------------------------------------------ */

static void
reserve_cells(cv_trend *t, size_t more)
{
	size_t		cap = t->cells_cap ? t->cells_cap : 16;

	if (t->ncells + more <= t->cells_cap)
		return;
	while (cap < t->ncells + more)
		cap *= 2;
	t->cells = cv_realloc(&t->mem, t->cells, cap * sizeof(cv_trend_cell));
	t->cells_cap = cap;
}

static void
reserve_ends(cv_trend *t, size_t more)
{
	size_t		cap = t->ends_cap ? t->ends_cap : 16;

	if (t->nends + more <= t->ends_cap)
		return;
	while (cap < t->nends + more)
		cap *= 2;
	t->ends = cv_realloc(&t->mem, t->ends, cap * sizeof(cv_trend_end));
	t->ends_cap = cap;
}

/* combine b into a (same key); the bounds of the whole trend keep counts below 2^53 */
static void
cell_add(cv_trend_cell *a, const cv_trend_cell *b, int *overflow)
{
	a->advanced += b->advanced;
	a->regressed += b->regressed;
	a->skipped += b->skipped;
	a->ended += b->ended;
	if (!cv_money_add(&a->value, b->value))
		*overflow = 1;
}

/*
 * Sort the appended tail, then merge it with the sorted head into a new
 * array, combining equal keys: O(n + k log k) for k appended entries.
 */
static int
compact_cells(cv_trend *t)
{
	size_t		head = t->cells_sorted,
				tail = t->ncells - head,
				i = 0,
				j = head,
				n = 0;
	cv_trend_cell *out;
	int			overflow = 0;

	if (tail == 0)
		return 1;
	qsort(t->cells + head, tail, sizeof(cv_trend_cell), cell_qsort_cmp);
	out = cv_alloc(&t->mem, (t->ncells > 0 ? t->ncells : 1) * sizeof(cv_trend_cell));
	while (i < head || j < t->ncells)
	{
		const cv_trend_cell *next;

		if (j >= t->ncells || (i < head && cell_cmp(&t->cells[i], &t->cells[j]) <= 0))
			next = &t->cells[i++];
		else
			next = &t->cells[j++];
		if (n > 0 && cell_cmp(&out[n - 1], next) == 0)
			cell_add(&out[n - 1], next, &overflow);
		else
			out[n++] = *next;
	}
	cv_free(&t->mem, t->cells);
	t->cells = out;
	/* the new array is as long as every entry was: keep its room */
	t->cells_cap = head + tail > 0 ? head + tail : 1;
	t->ncells = t->cells_sorted = n;
	return !overflow;
}

static void
compact_ends(cv_trend *t)
{
	size_t		head = t->ends_sorted,
				tail = t->nends - head,
				i = 0,
				j = head,
				n = 0;
	cv_trend_end *out;

	if (tail == 0)
		return;
	qsort(t->ends + head, tail, sizeof(cv_trend_end), end_qsort_cmp);
	out = cv_alloc(&t->mem, (t->nends > 0 ? t->nends : 1) * sizeof(cv_trend_end));
	while (i < head || j < t->nends)
	{
		const cv_trend_end *next;

		if (j >= t->nends || (i < head && end_cmp(&t->ends[i], &t->ends[j]) <= 0))
			next = &t->ends[i++];
		else
			next = &t->ends[j++];
		if (n > 0 && end_cmp(&out[n - 1], next) == 0)
			out[n - 1].customers += next->customers;
		else
			out[n++] = *next;
	}
	cv_free(&t->mem, t->ends);
	t->ends = out;
	t->ends_cap = head + tail > 0 ? head + tail : 1;
	t->nends = t->ends_sorted = n;
}

static int	trend_compact(cv_trend *t);

void
cv_trend_compact(cv_trend *t)
{
	(void) trend_compact(t);
}

/* 0 when a combined value left ±10^31 (the trend must be thrown away) */
static int
trend_compact(cv_trend *t)
{
	int			ok = compact_cells(t);

	compact_ends(t);
	return ok;
}

/* compact when the unsorted tail has grown past the sorted head */
static int
maybe_compact(cv_trend *t)
{
	if (t->ncells - t->cells_sorted > t->cells_sorted + 1024 ||
		t->nends - t->ends_sorted > t->ends_sorted + 1024)
		return trend_compact(t);
	return 1;
}

/* --- one customer ------------------------------------------------------------------ */

static int
event_cmp(const cv_event *a, const cv_event *b)
{
	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	return (a->stage > b->stage) - (a->stage < b->stage);
}

static int
event_qsort_cmp(const void *a, const void *b)
{
	return event_cmp(a, b);
}

/* by time, then wheel position: all a visit depends on */
static void
sort_events(cv_event *ev, size_t n)
{
	size_t		i,
				j;

	if (n > 16)
	{
		qsort(ev, n, sizeof(cv_event), event_qsort_cmp);
		return;
	}
	for (i = 1; i < n; i++)
	{
		cv_event	e = ev[i];

		for (j = i; j > 0 && event_cmp(&ev[j - 1], &e) > 0; j--)
			ev[j] = ev[j - 1];
		ev[j] = e;
	}
}

#define WHY_CUSTOMERS	"A trend holds at most 2^" CV_STR(CV_COUNT_MAX_LOG2) " customers."
#define WHY_VISITS		"A trend holds at most 2^" CV_STR(CV_COUNT_MAX_LOG2) " visits."
#define WHY_MONEY		"Every value and sum lies within " CV_MONEY_RANGE_TEXT "."

cv_status
cv_trend_add_customer(cv_trend *t, cv_event *ev, size_t n)
{
	size_t		i,
				first,
				nv = 0;
	cv_trend_cell *c;
	cv_trend_end *e;
	cv_money	value = {0, 0};

	if (n == 0)
		return CV_ERR_CORRUPT;
	for (i = 0; i < n; i++)
		if (!cv_stage_is_valid(ev[i].stage) || !isfinite(ev[i].value) ||
			ev[i].at < CV_MIN_TIMESTAMP || ev[i].at >= CV_END_TIMESTAMP)
			return CV_ERR_CORRUPT;
	if (t->customers >= CV_COUNT_MAX)
		return CV_ERR_OVERFLOW;
	sort_events(ev, n);
	/* one cell per visit at most, appended; then the one end */
	reserve_cells(t, n);
	reserve_ends(t, 1);
	first = t->ncells;
	for (i = 0; i < n; i++)
	{
		cv_money	v;

		if (!cv_money_from_double(ev[i].value, &v))
			goto overflow;
		if (i > 0 && ev[i].stage == ev[i - 1].stage)
		{
			if (!cv_money_add(&value, v))
				goto overflow;
			continue;
		}
		/* a new visit: the previous one's outcome is known */
		if (i > 0)
		{
			cv_stage	s = ev[i - 1].stage,
						next = ev[i].stage;

			c = &t->cells[t->ncells - 1];
			c->value = value;
			if (next == cv_stage_next(s))
				c->advanced = 1;
			else if (next < s)
				c->regressed = 1;
			else
				c->skipped = 1;
		}
		c = &t->cells[t->ncells++];
		memset(c, 0, sizeof(*c));
		c->day = cv_day_of(ev[i].at);
		c->stage = ev[i].stage;
		value = v;
		nv++;
	}
	c = &t->cells[t->ncells - 1];
	c->value = value;
	c->ended = 1;
	if ((uint64_t) nv > CV_CUSTOMER_VISITS_MAX)
		goto overflow;
	e = &t->ends[t->nends++];
	e->day = c->day;
	e->stage = c->stage;
	e->last_day = cv_day_of(ev[n - 1].at);
	e->customers = 1;
	t->customers++;
	t->visits += nv;
	if (!maybe_compact(t))
		return CV_ERR_OVERFLOW;
	return CV_OK;

overflow:
	t->ncells = first;
	return CV_ERR_OVERFLOW;
}

/* --- merging -------------------------------------------------------------------- */

cv_status
cv_trend_merge(cv_trend *into, const cv_trend *from, const char **why)
{
	if (into->customers + from->customers > CV_COUNT_MAX)
		return (*why = WHY_CUSTOMERS, CV_ERR_OVERFLOW);
	if (into->visits + from->visits > CV_COUNT_MAX)
		return (*why = WHY_VISITS, CV_ERR_OVERFLOW);
	reserve_cells(into, from->ncells);
	reserve_ends(into, from->nends);
	if (from->ncells > 0)
		memcpy(into->cells + into->ncells, from->cells, from->ncells * sizeof(cv_trend_cell));
	if (from->nends > 0)
		memcpy(into->ends + into->nends, from->ends, from->nends * sizeof(cv_trend_end));
	/* an empty trend takes over the other's order */
	if (into->ncells == 0)
		into->cells_sorted = from->cells_sorted;
	if (into->nends == 0)
		into->ends_sorted = from->ends_sorted;
	into->ncells += from->ncells;
	into->nends += from->nends;
	into->customers += from->customers;
	into->visits += from->visits;
	if (!maybe_compact(into))
		return (*why = WHY_MONEY, CV_ERR_OVERFLOW);
	return CV_OK;
}

/* --- checking ------------------------------------------------------------------- */

cv_status
cv_trend_check(cv_trend *t, const char **why)
{
	size_t		i,
				j = 0;
	uint64_t	visits = 0,
				ended_all = 0;

	if (!trend_compact(t))
		return (*why = WHY_MONEY, CV_ERR_OVERFLOW);
	if (t->customers > CV_COUNT_MAX)
		return (*why = WHY_CUSTOMERS, CV_ERR_OVERFLOW);
	for (i = 0; i < t->ncells; i++)
	{
		const cv_trend_cell *c = &t->cells[i];
		uint64_t	ended = 0;

		if (c->day < CV_MIN_DAY || c->day > CV_MAX_DAY || !cv_stage_is_valid(c->stage))
			return (*why = "A day or a stage is out of range.", CV_ERR_CORRUPT);
		if (c->advanced > CV_COUNT_MAX || c->regressed > CV_COUNT_MAX || c->skipped > CV_COUNT_MAX ||
			c->ended > CV_COUNT_MAX)
			return (*why = WHY_VISITS, CV_ERR_OVERFLOW);
		visits += cv_trend_cell_visits(c);
		if (visits > CV_COUNT_MAX)
			return (*why = WHY_VISITS, CV_ERR_OVERFLOW);
		if (cv_trend_cell_visits(c) == 0)
			return (*why = "A day and stage has no visits.", CV_ERR_CORRUPT);
		if (!cv_money_in_range(c->value))
			return (*why = WHY_MONEY, CV_ERR_OVERFLOW);
		/* the cell's ends follow in the same order */
		for (; j < t->nends && t->ends[j].day == c->day && t->ends[j].stage == c->stage; j++)
		{
			const cv_trend_end *e = &t->ends[j];

			if (e->customers == 0 || e->customers > CV_COUNT_MAX)
				return (*why = "An ended visit's count is out of range.", CV_ERR_CORRUPT);
			if (e->last_day < e->day || e->last_day > CV_MAX_DAY)
				return (*why = "A customer's last event is before the entry of their last visit.",
						CV_ERR_CORRUPT);
			ended += e->customers;
			if (ended > CV_COUNT_MAX)
				return (*why = WHY_VISITS, CV_ERR_OVERFLOW);
		}
		if (ended != c->ended)
			return (*why = "A day and stage's ended visits are not the sum of their last days.",
					CV_ERR_CORRUPT);
		ended_all += ended;
	}
	if (j != t->nends)
		return (*why = "An ended visit has no day and stage.", CV_ERR_CORRUPT);
	if (visits != t->visits)
		return (*why = "The visits are not the sum of the cells' visits.", CV_ERR_CORRUPT);
	if (ended_all != t->customers)
		return (*why = "The customers are not the number of ended visits.", CV_ERR_CORRUPT);
	return CV_OK;
}

/* --- subtracting ---------------------------------------------------------------- */

#define WHY_NOT_HELD(what) ("The part has more " what " than the total.")

cv_status
cv_trend_subtract(cv_trend *into, cv_trend *part, const char **why)
{
	size_t		i,
				j,
				kept;

	if (!trend_compact(into) || !trend_compact(part))
		return (*why = WHY_MONEY, CV_ERR_OVERFLOW);
	if (part->customers > into->customers)
		return (*why = WHY_NOT_HELD("customers"), CV_ERR_NOT_CONTAINED);
	if (part->visits > into->visits)
		return (*why = WHY_NOT_HELD("visits"), CV_ERR_NOT_CONTAINED);
	/* cells: both sorted, walk them together */
	for (i = 0, j = 0, kept = 0; i < into->ncells; i++)
	{
		cv_trend_cell c = into->cells[i];

		if (j < part->ncells && cell_cmp(&c, &part->cells[j]) > 0)
			return (*why = "A visit of the part is on a day and at a stage where the total has none.",
					CV_ERR_NOT_CONTAINED);
		if (j < part->ncells && cell_cmp(&c, &part->cells[j]) == 0)
		{
			const cv_trend_cell *p = &part->cells[j++];

			if (p->advanced > c.advanced || p->regressed > c.regressed ||
				p->skipped > c.skipped || p->ended > c.ended)
				return (*why = WHY_NOT_HELD("visits on a day at a stage"), CV_ERR_NOT_CONTAINED);
			c.advanced -= p->advanced;
			c.regressed -= p->regressed;
			c.skipped -= p->skipped;
			c.ended -= p->ended;
			if (!cv_money_sub(&c.value, p->value))
				return (*why = "What remains would have a value out of range: the part is not in the total.",
						CV_ERR_NOT_CONTAINED);
			if (cv_trend_cell_visits(&c) == 0)
			{
				if (!cv_i128_is_zero(c.value))
					return (*why = "The visits on a day at a stage have another value in the part than in the total.",
							CV_ERR_NOT_CONTAINED);
				continue;
			}
		}
		into->cells[kept++] = c;
	}
	if (j < part->ncells)
		return (*why = "A visit of the part is on a day and at a stage where the total has none.",
				CV_ERR_NOT_CONTAINED);
	into->ncells = into->cells_sorted = kept;
	/* ends likewise */
	for (i = 0, j = 0, kept = 0; i < into->nends; i++)
	{
		cv_trend_end e = into->ends[i];

		if (j < part->nends && end_cmp(&e, &part->ends[j]) > 0)
			return (*why = "A customer of the part ends where none of the total does.", CV_ERR_NOT_CONTAINED);
		if (j < part->nends && end_cmp(&e, &part->ends[j]) == 0)
		{
			const cv_trend_end *p = &part->ends[j++];

			if (p->customers > e.customers)
				return (*why = WHY_NOT_HELD("customers ending on a day at a stage"), CV_ERR_NOT_CONTAINED);
			e.customers -= p->customers;
			if (e.customers == 0)
				continue;
		}
		into->ends[kept++] = e;
	}
	if (j < part->nends)
		return (*why = "A customer of the part ends where none of the total does.", CV_ERR_NOT_CONTAINED);
	into->nends = into->ends_sorted = kept;
	into->customers -= part->customers;
	into->visits -= part->visits;
	if (cv_trend_check(into, why) != CV_OK)
		return CV_ERR_NOT_CONTAINED;
	return CV_OK;
}

/* --- periods -------------------------------------------------------------------- */

/* days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm) */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t		era,
				yoe,
				doy,
				doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t		era,
				doe,
				yoe,
				doy,
				mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int) (doy - (153 * mp + 2) / 5 + 1);
	*m = (int) (mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* 2000-01-01 is day 10957 since 1970-01-01 */
#define DAYS_1970_TO_2000 10957

int32_t
cv_trend_period_start(cv_trend_period p, int32_t day)
{
	int64_t		start = day;

	if (p == CV_TREND_WEEK)
	{
		/* 2000-01-01 was a Saturday: 5 days after a Monday */
		int64_t		since_monday = ((int64_t) day + 5) % 7;

		if (since_monday < 0)
			since_monday += 7;
		start = (int64_t) day - since_monday;
	}
	else if (p == CV_TREND_MONTH)
	{
		int64_t		y;
		int			m,
					d;

		civil_from_days((int64_t) day + DAYS_1970_TO_2000, &y, &m, &d);
		start = days_from_civil(y, m, 1) - DAYS_1970_TO_2000;
	}
	return start < CV_MIN_DAY ? CV_MIN_DAY : (int32_t) start;
}

/* --- the report --------------------------------------------------------------------- */

cv_status
cv_trend_report(cv_trend *t, cv_trend_period p, int has_cutoff, int32_t cutoff_day,
				cv_trend_row **rows_out, size_t *nrows, const char **why)
{
	cv_trend_row acc[CV_STAGE_COUNT + 1];
	cv_trend_row *rows;
	size_t		i,
				j = 0,
				n = 0;
	int32_t		period = 0;
	int			s,
				open = 0;

	*rows_out = NULL;
	*nrows = 0;
	if (!trend_compact(t))
		return (*why = WHY_MONEY, CV_ERR_OVERFLOW);
	rows = cv_alloc(&t->mem, (t->ncells > 0 ? t->ncells : 1) * sizeof(cv_trend_row));
	memset(acc, 0, sizeof(acc));
	for (i = 0; i <= t->ncells; i++)
	{
		const cv_trend_cell *c = i < t->ncells ? &t->cells[i] : NULL;
		int32_t		start = c != NULL ? cv_trend_period_start(p, c->day) : 0;
		cv_trend_row *r;

		/* a new period (or the end): write out the one before, in wheel order */
		if (open && (c == NULL || start != period))
		{
			for (s = 1; s <= CV_STAGE_COUNT; s++)
				if (acc[s].visits > 0)
					rows[n++] = acc[s];
			memset(acc, 0, sizeof(acc));
			open = 0;
		}
		if (c == NULL)
			break;
		period = start;
		open = 1;
		r = &acc[c->stage];
		r->start = start;
		r->stage = c->stage;
		r->visits += cv_trend_cell_visits(c);
		r->advanced += c->advanced;
		r->regressed += c->regressed;
		r->skipped += c->skipped;
		r->ended += c->ended;
		if (!cv_money_add(&r->value, c->value))
		{
			cv_free(&t->mem, rows);
			return (*why = "A period's value is out of range: " WHY_MONEY, CV_ERR_OVERFLOW);
		}
		/* the cell's ends, which follow in the same order */
		while (j < t->nends && (t->ends[j].day < c->day ||
								(t->ends[j].day == c->day && t->ends[j].stage < c->stage)))
			j++;
		for (; j < t->nends && t->ends[j].day == c->day && t->ends[j].stage == c->stage; j++)
			if (!has_cutoff || t->ends[j].last_day < cutoff_day)
				r->leaked += t->ends[j].customers;
	}
	CV_ASSERT(n <= t->ncells);
	*rows_out = rows;
	*nrows = n;
	return CV_OK;
}
