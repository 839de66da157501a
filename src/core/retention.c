/*
 * retention.c — customers' activity by cohort and period offset.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
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

static void
sort_offsets(int32_t *o, size_t n)
{
	size_t		i,
				j;

	if (n > 16)
	{
		/* a heap sort: O(n log n), no recursion, no allocation */
		size_t		start = n / 2,
					end = n;

		while (end > 1)
		{
			size_t		root;
			int32_t		tmp;

			if (start > 0)
				start--;
			else
			{
				end--;
				tmp = o[end];
				o[end] = o[0];
				o[0] = tmp;
			}
			root = start;
			while (2 * root + 1 < end)
			{
				size_t		child = 2 * root + 1;

				if (child + 1 < end && o[child] < o[child + 1])
					child++;
				if (o[root] >= o[child])
					break;
				tmp = o[root];
				o[root] = o[child];
				o[child] = tmp;
				root = child;
			}
		}
		return;
	}
	for (i = 1; i < n; i++)
	{
		int32_t		e = o[i];

		for (j = i; j > 0 && o[j - 1] > e; j--)
			o[j] = o[j - 1];
		o[j] = e;
	}
}

/*
 * Whole periods of len from `from` to `to` (to >= from), in unsigned
 * arithmetic: PostgreSQL's whole range of times is wider than an int64.
 */
static int32_t
whole_periods(int64_t from, int64_t to, int64_t len)
{
	return (int32_t) (((uint64_t) to - (uint64_t) from) / (uint64_t) len);
}

cv_status
cv_ret_add_customer(cv_ret *r, const cv_event *ev, size_t n)
{
	const cv_ret_params *p = &r->p;
	cv_period	period = (cv_period) p->period;
	int64_t		len = cv_period_length(period);
	int64_t		start = INT64_MAX;
	int32_t		cohort,
				lc,
				last = -1;
	int32_t		local[64];
	int32_t    *off = local;
	size_t		i,
				no = 0;

	for (i = 0; i < n; i++)
		if (ev[i].at <= p->as_of && (p->start == 0 || ev[i].stage == p->start) && ev[i].at < start)
			start = ev[i].at;
	if (start == INT64_MAX)
		return CV_OK;			/* never started */
	if (r->customers >= CV_COUNT_MAX)
		return CV_ERR_OVERFLOW;
	cohort = cv_period_index(period, start);
	/* the last offset wholly at or before as_of */
	if (p->rolling)
		lc = (int32_t) (((uint64_t) p->as_of - (uint64_t) start + 1) / (uint64_t) len) - 1;
	else
		lc = cv_period_index(period, p->as_of + 1) - 1 - cohort;

	if (n > 64)
		off = cv_mem.alloc(n * sizeof(int32_t));
	for (i = 0; i < n; i++)
		if (ev[i].at >= start && ev[i].at <= p->as_of && (p->active & (1u << (ev[i].stage - 1))))
			off[no++] = p->rolling ? whole_periods(start, ev[i].at, len)
				: cv_period_index(period, ev[i].at) - cohort;
	sort_offsets(off, no);
	for (i = 0; i < no; i++)
	{
		if (i > 0 && off[i] == off[i - 1])
			continue;
		if (off[i] <= lc)
			cv_ret_cell_get(r, cohort, off[i])->active++;
		last = off[i];
		if ((i & 0xFFFFF) == 0xFFFFF)
			cv_yield();
	}
	if (off != local)
		cv_mem.free(off);
	cv_ret_cell_get(r, cohort, lc)->last_complete++;
	cv_ret_cell_get(r, cohort, last < lc ? last : lc)->last_active++;
	r->customers++;
	return CV_OK;
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
