/*
 * retention.c — customers' activity by cohort and period offset.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "customer.h"
#include "mem.h"
#include "pace.h"
#include "retention.h"

/* --- parameters ------------------------------------------------------------------ */

static int
word_is(const char *w, size_t n, const char *name)
{
	size_t		i;

	if (strlen(name) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (tolower((unsigned char) w[i]) != name[i])
			return 0;
	return 1;
}

int
cv_ret_parse_period(const char *s, size_t len, cv_ret_params *p, const char **why)
{
	size_t		i = 0;
	int			seen_kind = 0;

	p->period = CV_PERIOD_NONE;
	p->rolling = 0;
	while (i < len)
	{
		size_t		start,
					n;
		const char *w;

		while (i < len && (s[i] == ',' || isspace((unsigned char) s[i])))
			i++;
		if (i == len)
			break;
		start = i;
		while (i < len && s[i] != ',' && !isspace((unsigned char) s[i]))
			i++;
		w = s + start;
		n = i - start;
		if (word_is(w, n, "rolling") || word_is(w, n, "calendar"))
		{
			if (seen_kind++ || p->period != CV_PERIOD_NONE)
				return (*why = "Write rolling or calendar once, before the period.", 0);
			p->rolling = word_is(w, n, "rolling");
		}
		else if (word_is(w, n, "day") || word_is(w, n, "week") || word_is(w, n, "month"))
		{
			if (p->period != CV_PERIOD_NONE)
				return (*why = "Choose one period: day, week or month.", 0);
			p->period = word_is(w, n, "day") ? CV_PERIOD_DAY :
				word_is(w, n, "week") ? CV_PERIOD_WEEK : CV_PERIOD_MONTH;
		}
		else
			return (*why = "A retention period is day, week or month, optionally after rolling or calendar.", 0);
	}
	if (p->period == CV_PERIOD_NONE)
		return (*why = "A retention period is day, week or month, optionally after rolling or calendar.", 0);
	return 1;
}

int
cv_ret_params_equal(const cv_ret_params *a, const cv_ret_params *b)
{
	return a->start == b->start && a->active == b->active && a->period == b->period &&
		a->rolling == b->rolling && a->as_of == b->as_of;
}

/* --- cells -------------------------------------------------------------------------- */

void
cv_ret_init(cv_ret *r, const cv_ret_params *p)
{
	memset(r, 0, sizeof(*r));
	r->p = *p;
}

void
cv_ret_free(cv_ret *r)
{
	if (r->cells != NULL)
		cv_mem.free(r->cells);
	r->cells = NULL;
	r->n = r->cap = 0;
}

static uint32_t
cell_hash(int32_t cohort, int32_t offset)
{
	uint64_t	h = ((uint64_t) (uint32_t) cohort << 32 | (uint32_t) offset) * UINT64_C(0x9E3779B97F4A7C15);

	return (uint32_t) (h >> 32);
}

static cv_ret_cell *
cell_slot(cv_ret_cell *cells, uint32_t cap, int32_t cohort, int32_t offset)
{
	uint32_t	i = cell_hash(cohort, offset) & (cap - 1);

	while (cells[i].used && (cells[i].cohort != cohort || cells[i].offset != offset))
		i = (i + 1) & (cap - 1);
	return &cells[i];
}

cv_ret_cell *
cv_ret_cell_get(cv_ret *r, int32_t cohort, int32_t offset)
{
	cv_ret_cell *c;

	/* keep the table at most half full */
	if ((uint64_t) (r->n + 1) * 2 > r->cap)
	{
		uint32_t	cap = r->cap ? r->cap * 2 : 64,
					i;
		cv_ret_cell *cells = cv_mem.alloc((size_t) cap * sizeof(cv_ret_cell));

		memset(cells, 0, (size_t) cap * sizeof(cv_ret_cell));
		for (i = 0; i < r->cap; i++)
			if (r->cells[i].used)
				*cell_slot(cells, cap, r->cells[i].cohort, r->cells[i].offset) = r->cells[i];
		if (r->cells != NULL)
			cv_mem.free(r->cells);
		r->cells = cells;
		r->cap = cap;
	}
	c = cell_slot(r->cells, r->cap, cohort, offset);
	if (!c->used)
	{
		c->used = 1;
		c->cohort = cohort;
		c->offset = offset;
		r->n++;
	}
	return c;
}

/* --- one customer ---------------------------------------------------------------- */

/*
 * Whole periods of len from `from` to `to` (to >= from), in unsigned
 * arithmetic: PostgreSQL's whole range of times is wider than an int64.
 */
static int32_t
whole_periods(int64_t from, int64_t to, int64_t len)
{
	return (int32_t) (((uint64_t) to - (uint64_t) from) / (uint64_t) len);
}

void
cv_ret_walk_begin(cv_ret_walk *w, cv_ret *into)
{
	memset(w, 0, sizeof(*w));
	w->into = into;
	w->last = -1;
}

/* an activity at offset off (offsets arrive in order: each counted once) */
static void
active_at(cv_ret_walk *w, int32_t off)
{
	if (off == w->last)
		return;
	if (off <= w->lc)
		cv_ret_cell_get(w->into, w->cohort, off)->active++;
	w->last = off;
}

/* the customer's start: their cohort and last complete offset */
static void
start_at(cv_ret_walk *w, int64_t at)
{
	const cv_ret_params *p = &w->into->p;
	cv_period	period = (cv_period) p->period;

	if (w->into->customers >= CV_COUNT_MAX)
	{
		w->status = CV_ERR_OVERFLOW;
		return;
	}
	w->started = 1;
	w->start = at;
	w->cohort = cv_period_index(period, at);
	/* the last offset wholly at or before as_of */
	if (p->rolling)
		w->lc = (int32_t) (((uint64_t) p->as_of - (uint64_t) at + 1) / (uint64_t) cv_period_length(period)) - 1;
	else
		w->lc = cv_period_index(period, p->as_of + 1) - 1 - w->cohort;
}

cv_status
cv_ret_walk_event(cv_ret_walk *w, const cv_event *e)
{
	const cv_ret_params *p = &w->into->p;
	int			active;

	if (w->status != CV_OK)
		return w->status;
	if (!cv_stage_is_valid(e->stage) || e->at < CV_MIN_TIMESTAMP || e->at >= CV_END_TIMESTAMP ||
		(w->events > 0 && (e->at < w->last_at || (e->at == w->last_at && e->stage < w->last_stage))))
		return w->status = CV_ERR_CORRUPT;
	if (w->events > 0 && e->at != w->last_at)
		w->active_now = 0;
	w->events++;
	w->last_at = e->at;
	w->last_stage = e->stage;
	cv_pace(1);
	/* events after as_of are not known yet (they come last) */
	if (e->at > p->as_of)
		return CV_OK;
	active = (p->active & (1u << (e->stage - 1))) != 0;
	if (!w->started)
	{
		if (p->start == 0 || e->stage == p->start)
		{
			start_at(w, e->at);
			/* an activity at the start's time, before it or at it: offset 0 */
			if (w->status == CV_OK && (active || w->active_now))
				active_at(w, 0);
		}
		else if (active)
			w->active_now = 1;
		return w->status;
	}
	if (active)
		active_at(w, p->rolling ? whole_periods(w->start, e->at, cv_period_length((cv_period) p->period))
				  : cv_period_index((cv_period) p->period, e->at) - w->cohort);
	return CV_OK;
}

cv_status
cv_ret_walk_end(cv_ret_walk *w)
{
	cv_ret	   *r = w->into;

	if (w->status != CV_OK || !w->started)
		return w->status;		/* never started: in no cohort */
	cv_ret_cell_get(r, w->cohort, w->lc)->last_complete++;
	cv_ret_cell_get(r, w->cohort, w->last < w->lc ? w->last : w->lc)->last_active++;
	r->customers++;
	return CV_OK;
}

static cv_status
walker_begin(void *self)
{
	cv_ret_walk *w = self;

	cv_ret_walk_begin(w, w->into);
	return CV_OK;
}

static cv_status
walker_event(void *self, const cv_event *e)
{
	return cv_ret_walk_event((cv_ret_walk *) self, e);
}

static cv_status
walker_end(void *self)
{
	return cv_ret_walk_end((cv_ret_walk *) self);
}

const cv_walker cv_ret_walker = {walker_begin, walker_event, walker_end};

cv_status
cv_ret_add_customer(cv_ret *r, cv_event *ev, size_t n)
{
	cv_ret_walk w;
	size_t		i;
	cv_status	st;

	if (n == 0)
		return CV_OK;
	/* checked before sorting (the order must be total), then walk order */
	st = cv_prepare_events(ev, n);
	if (st != CV_OK)
		return st;
	cv_ret_walk_begin(&w, r);
	for (i = 0; i < n && w.status == CV_OK; i++)
		(void) cv_ret_walk_event(&w, &ev[i]);
	return cv_ret_walk_end(&w);
}

cv_status
cv_ret_merge(cv_ret *into, const cv_ret *from)
{
	uint32_t	i;

	if (!cv_ret_params_equal(&into->p, &from->p))
		return CV_ERR_CORRUPT;
	if (from->customers > CV_COUNT_MAX - into->customers)
		return CV_ERR_OVERFLOW;
	for (i = 0; i < from->cap; i++)
	{
		const cv_ret_cell *b = &from->cells[i];
		cv_ret_cell *a;

		if (!b->used)
			continue;
		a = cv_ret_cell_get(into, b->cohort, b->offset);
		a->active += b->active;
		a->last_complete += b->last_complete;
		a->last_active += b->last_active;
	}
	into->customers += from->customers;
	return CV_OK;
}

/* --- reading ------------------------------------------------------------------------ */

static int
cell_cmp(const void *pa, const void *pb)
{
	const cv_ret_cell *a = pa,
			   *b = pb;

	if (a->cohort != b->cohort)
		return a->cohort < b->cohort ? -1 : 1;
	return (a->offset > b->offset) - (a->offset < b->offset);
}

cv_ret_cell *
cv_ret_sorted_cells(const cv_ret *r)
{
	cv_ret_cell *out = cv_mem.alloc((r->n > 0 ? r->n : 1) * sizeof(cv_ret_cell));
	uint32_t	i,
				k = 0;

	for (i = 0; i < r->cap; i++)
		if (r->cells[i].used)
			out[k++] = r->cells[i];
	qsort(out, k, sizeof(cv_ret_cell), cell_cmp);
	return out;
}

cv_ret_row *
cv_ret_rows(const cv_ret *r, size_t *nrows)
{
	cv_ret_cell *cells = cv_ret_sorted_cells(r);
	size_t		rows = 0,
				cap = 16;
	cv_ret_row *out = cv_mem.alloc(cap * sizeof(cv_ret_row));
	uint32_t	i = 0;

	while (i < r->n)
	{
		uint32_t	first = i,
					j;
		int32_t		cohort = cells[i].cohort,
					max_lc = -1;
		uint64_t	total = 0,
					elig = 0,
					after = 0;
		int64_t		o;

		for (; i < r->n && cells[i].cohort == cohort; i++)
		{
			total += cells[i].last_complete;
			if (cells[i].last_complete > 0)
				max_lc = cells[i].offset;
		}
		/* from the last complete offset down: suffix sums */
		j = i;
		for (o = max_lc; o >= 0; o--)
		{
			uint64_t	active = 0;

			while (j > first && cells[j - 1].offset > o)
				j--;
			if (j > first && cells[j - 1].offset == o)
			{
				elig += cells[j - 1].last_complete;
				after += cells[j - 1].last_active;
				active = cells[j - 1].active;
			}
			if (rows == cap)
			{
				cap *= 2;
				out = cv_mem.realloc(out, cap * sizeof(cv_ret_row));
			}
			out[rows].cohort = cohort;
			out[rows].offset = o;
			out[rows].cohort_customers = total;
			out[rows].customers = elig;
			out[rows].retained = active;
			out[rows].retained_after = after;
			rows++;
			if ((o & 0xFFFF) == 0)
				cv_yield();
		}
		/* the cohort's rows were made last offset first: put them in order */
		{
			size_t		a = rows - (size_t) (max_lc + 1),
						b = rows - 1;

			while (max_lc >= 0 && a < b)
			{
				cv_ret_row t = out[a];

				out[a++] = out[b];
				out[b--] = t;
			}
		}
	}
	cv_mem.free(cells);
	*nrows = rows;
	return out;
}

int
cv_ret_rate(const cv_ret *r, int64_t offset, int on_or_after, double *out)
{
	cv_ret_row *rows;
	size_t		n,
				i;
	uint64_t	num = 0,
				den = 0;

	if (offset < 0)
		return 0;
	rows = cv_ret_rows(r, &n);
	for (i = 0; i < n; i++)
		if (rows[i].offset == offset)
		{
			num += on_or_after ? rows[i].retained_after : rows[i].retained;
			den += rows[i].customers;
		}
	cv_mem.free(rows);
	if (den == 0)
		return 0;
	*out = (double) num / (double) den;
	return 1;
}
