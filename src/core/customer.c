/*
 * customer.c — one customer's events -> visits -> the parts of a flow
 * summary, in one pass over the events in order.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "customer.h"
#include "mem.h"
#include "pace.h"

/* --- order ---------------------------------------------------------------------- */

int
cv_event_cmp(const cv_event *a, const cv_event *b)
{
	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	if (a->stage != b->stage)
		return a->stage < b->stage ? -1 : 1;
	if (a->value != b->value)
		return a->value < b->value ? -1 : 1;
	if (a->cost != b->cost)
		return a->cost < b->cost ? -1 : 1;
	return 0;
}

static inline void
swap_events(cv_event *a, cv_event *b)
{
	cv_event	t = *a;

	*a = *b;
	*b = t;
}

static void
insertion_sort(cv_event *ev, size_t n)
{
	size_t		i,
				j;

	for (i = 1; i < n; i++)
	{
		cv_event	e = ev[i];

		for (j = i; j > 0 && cv_event_cmp(&ev[j - 1], &e) > 0; j--)
			ev[j] = ev[j - 1];
		ev[j] = e;
	}
}

static void
sift_down(cv_event *ev, size_t root, size_t n)
{
	for (;;)
	{
		size_t		child = 2 * root + 1;

		if (child >= n)
			return;
		if (child + 1 < n && cv_event_cmp(&ev[child], &ev[child + 1]) < 0)
			child++;
		if (cv_event_cmp(&ev[root], &ev[child]) >= 0)
			return;
		swap_events(&ev[root], &ev[child]);
		root = child;
	}
}

/* the fallback that keeps introsort O(n log n) whatever the input */
static void
heap_sort(cv_event *ev, size_t n)
{
	size_t		i;

	for (i = n / 2; i-- > 0;)
	{
		sift_down(ev, i, n);
		cv_pace(16);
	}
	for (i = n; i-- > 1;)
	{
		swap_events(&ev[0], &ev[i]);
		sift_down(ev, 0, i);
		cv_pace(16);
	}
}

static void
intro_sort(cv_event *ev, size_t n, int depth)
{
	while (n > 16)
	{
		size_t		mid = n / 2,
					i,
					j;
		cv_event	pivot;

		if (depth-- == 0)
		{
			heap_sort(ev, n);
			return;
		}
		/* median of three, in place: ev[0] <= pivot <= ev[n - 1] bound both scans */
		if (cv_event_cmp(&ev[mid], &ev[0]) < 0)
			swap_events(&ev[mid], &ev[0]);
		if (cv_event_cmp(&ev[n - 1], &ev[mid]) < 0)
		{
			swap_events(&ev[n - 1], &ev[mid]);
			if (cv_event_cmp(&ev[mid], &ev[0]) < 0)
				swap_events(&ev[mid], &ev[0]);
		}
		pivot = ev[mid];
		/* Hoare's partition: equal keys split evenly, so many ties stay O(n log n) */
		i = 0;
		j = n - 1;
		for (;;)
		{
			size_t		i0 = i,
						j0 = j;

			while (cv_event_cmp(&ev[i], &pivot) < 0)
				i++;
			while (cv_event_cmp(&ev[j], &pivot) > 0)
				j--;
			cv_pace((i - i0) + (j0 - j) + 1);
			if (i >= j)
				break;
			swap_events(&ev[i], &ev[j]);
			i++;
			j--;
		}
		/* [0, j] <= pivot <= [j + 1, n); recurse into the smaller part */
		if (j + 1 < n - (j + 1))
		{
			intro_sort(ev, j + 1, depth);
			ev += j + 1;
			n -= j + 1;
		}
		else
		{
			intro_sort(ev + j + 1, n - (j + 1), depth);
			n = j + 1;
		}
	}
	insertion_sort(ev, n);
}

void
cv_sort_events(cv_event *ev, size_t n)
{
	size_t		i;
	int			depth = 0;

	/* events often come in time order already: one pass says so */
	for (i = 1; i < n && cv_event_cmp(&ev[i - 1], &ev[i]) <= 0; i++)
		if ((i & 4095) == 0)
			cv_pace(1024);
	if (i >= n)
		return;
	for (i = n; i > 1; i >>= 1)
		depth += 2;
	intro_sort(ev, n, depth);
}

/* dwell entries by (stage, key): two stable passes of a byte-wide counting sort */
static inline unsigned
dwell_key16(const cv_dwell *d)
{
	/* stages 1..6 in the top bits, keys -1..CV_SKETCH_KEY_MAX (< 8191) below */
	return (unsigned) d->stage << 13 | (unsigned) (d->key + 1);
}

static void
sort_dwell(cv_dwell *d, size_t n, const cv_allocator *mem)
{
	cv_dwell   *tmp;
	size_t		count[256],
				i;
	int			pass;

	if (n <= 32)
	{
		size_t		j;

		for (i = 1; i < n; i++)
		{
			cv_dwell	e = d[i];

			for (j = i; j > 0 && dwell_key16(&d[j - 1]) > dwell_key16(&e); j--)
				d[j] = d[j - 1];
			d[j] = e;
		}
		return;
	}
	tmp = cv_alloc(mem, n * sizeof(cv_dwell));
	for (pass = 0; pass < 2; pass++)
	{
		cv_dwell   *from = pass == 0 ? d : tmp,
				   *to = pass == 0 ? tmp : d;
		int			shift = 8 * pass;
		size_t		sum = 0;

		memset(count, 0, sizeof(count));
		for (i = 0; i < n; i++)
			count[(dwell_key16(&from[i]) >> shift) & 255]++;
		cv_pace(n / 4);
		for (i = 0; i < 256; i++)
		{
			size_t		c = count[i];

			count[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
		{
			to[count[(dwell_key16(&from[i]) >> shift) & 255]++] = from[i];
			if ((i & 1023) == 1023)
				cv_pace(1024);
		}
	}
	cv_free(mem, tmp);
}

/* --- the walk ------------------------------------------------------------------- */

/*
 * *sum += x * k exactly (k a count of visits, at most 2^32); 0, and *sum
 * unchanged, when the product or the sum is out of range.
 */
static int
add_times(cv_money *sum, cv_money x, uint64_t k)
{
	int			neg = cv_i128_is_neg(x);
	cv_i128		m = neg ? cv_i128_neg(x) : x;	/* |x| <= 10^37: no wrap */
	cv_i128		lo = cv_u64_mul(m.lo, k),
				hi = cv_u64_mul(m.hi, k),
				p;

	if (k == 1)
		return cv_money_add(sum, x);
	/* m * k = lo + hi * 2^64: refuse what needs more than 127 bits */
	p.lo = lo.lo;
	p.hi = lo.hi + hi.lo;
	if (hi.hi != 0 || p.hi < lo.hi || (p.hi >> 63) != 0)
		return 0;
	if (!cv_money_in_range(p))
		return 0;
	return cv_money_add(sum, neg ? cv_i128_neg(p) : p);
}

static int
event_is_valid(const cv_event *e)
{
	return cv_stage_is_valid(e->stage) && isfinite(e->value) && isfinite(e->cost) &&
		e->at >= CV_MIN_TIMESTAMP && e->at < CV_END_TIMESTAMP;
}

void
cv_walk_begin(cv_walk *w, cv_flow *into, const cv_allocator *mem)
{
	memset(w, 0, offsetof(cv_walk, local_dwell));
	w->into = into;
	w->mem = into != NULL ? &into->mem : mem;
	w->dwell = w->local_dwell;
	w->dwell_cap = CV_CUSTOMER_INLINE;
}

/* the visit in progress is over: its amounts are final */
static void
close_visit(cv_walk *w)
{
	cv_stage	s = w->stage;
	cv_money	v = w->visit_value,
				c = w->visit_cost;
	int			t;

	/* trans[][] and a customer's own summary count visits in 32 bits */
	if (++w->visits > CV_CUSTOMER_VISITS_MAX)
		w->status = CV_ERR_OVERFLOW;
	/* every earlier visit (none of them the last) has this value downstream */
	if (!cv_i128_is_zero(v))
		for (t = 1; t <= CV_STAGE_COUNT; t++)
			if (w->before[t] != 0 && !add_times(&w->downstream[t], v, w->before[t]))
				w->status = CV_ERR_OVERFLOW;
	if (!cv_money_add(&w->value[s], v) || !cv_money_add(&w->cost[s], c))
		w->status = CV_ERR_OVERFLOW;
	/* acquisition: what was spent on the customer before value was first realised */
	if (!w->acquired)
	{
		if (s == CV_VALUE_REALIZATION)
			w->acquired = 1;
		else if (!cv_money_add(&w->acquisition_cost, c))
			w->status = CV_ERR_OVERFLOW;
	}
	w->before[s]++;
	w->visited |= 1u << s;
}

static void
add_dwell(cv_walk *w, cv_stage s, uint64_t us)
{
	int32_t		key = us == 0 ? -1 : cv_sketch_key(us);

	if (w->into != NULL)
	{
		cv_sketch  *sk = &w->into->st[s].dwell;

		if (key < 0)
			cv_sketch_add(sk, w->mem, 0);
		else
		{
			cv_i128		sum = {us, 0};

			/* the key is worked out once: no second logarithm */
			cv_sketch_add_key(sk, w->mem, key, 1, sum);
		}
		return;
	}
	if (w->ndwell == w->dwell_cap)
	{
		size_t		cap = w->dwell_cap * 2;

		if (w->dwell == w->local_dwell)
		{
			w->dwell = cv_alloc(w->mem, cap * sizeof(cv_dwell));
			memcpy(w->dwell, w->local_dwell, sizeof(w->local_dwell));
		}
		else
			w->dwell = cv_realloc(w->mem, w->dwell, cap * sizeof(cv_dwell));
		w->dwell_cap = cap;
	}
	w->dwell[w->ndwell].stage = s;
	w->dwell[w->ndwell].key = key;
	w->dwell[w->ndwell].us = us;
	w->ndwell++;
}

cv_status
cv_walk_event(cv_walk *w, const cv_event *e)
{
	cv_money	value,
				cost;

	if (w->status != CV_OK)
		return w->status;
	if (!event_is_valid(e) || (w->events > 0 && cv_event_cmp(&w->prev, e) > 0))
		return w->status = CV_ERR_CORRUPT;
	if (w->events == 0)
	{
		w->first_at = e->at;
		w->stage = e->stage;
		w->entry = e->at;
	}
	else if (e->stage != w->stage)
	{
		close_visit(w);
		/* times lie in PostgreSQL's range, so the difference fits a uint64 */
		add_dwell(w, w->stage, (uint64_t) e->at - (uint64_t) w->entry);
		w->trans[w->stage][e->stage]++;
		w->stage = e->stage;
		w->entry = e->at;
		w->visit_value = cv_i128_from_i64(0);
		w->visit_cost = cv_i128_from_i64(0);
	}
	/* each amount rounded once, here */
	if (!cv_money_from_double(e->value, &value) || !cv_money_from_double(e->cost, &cost) ||
		!cv_money_add(&w->visit_value, value) || !cv_money_add(&w->visit_cost, cost))
		w->status = CV_ERR_OVERFLOW;
	w->prev = *e;
	w->events++;
	cv_pace(1);
	return w->status;
}

void
cv_walk_release(cv_walk *w)
{
	if (w->dwell != w->local_dwell)
		cv_free(w->mem, w->dwell);
	w->dwell = w->local_dwell;
	w->ndwell = 0;
}

cv_status
cv_walk_end(cv_walk *w)
{
	cv_flow    *f = w->into;
	cv_stage	s,
				t;

	if (w->status == CV_OK && w->events == 0)
		w->status = CV_ERR_CORRUPT;
	if (w->status == CV_OK)
		close_visit(w);			/* the last visit: it ended */
	if (f == NULL || w->status != CV_OK)
		return w->status;
	if (f->customers >= CV_COUNT_MAX)
		return w->status = CV_ERR_OVERFLOW;
	for (s = 1; s <= CV_STAGE_COUNT && w->status == CV_OK; s++)
	{
		cv_stage_flow *st = &f->st[s];

		if (!(w->visited & (1u << s)))
			continue;
		st->customers++;
		if (!cv_money_add(&st->value, w->value[s]) || !cv_money_add(&st->cost, w->cost[s]) ||
			!cv_money_add(&st->downstream, w->downstream[s]))
			w->status = CV_ERR_OVERFLOW;
		for (t = 1; t <= CV_STAGE_COUNT; t++)
			f->trans[s][t] += w->trans[s][t];
	}
	if (w->status == CV_OK)
	{
		cv_flow_add_bucket(f, cv_day_of(w->prev.at), w->stage, 1, cv_i128_from_i64(w->first_at),
						   cv_i128_from_i64(w->entry), cv_i128_from_i64(w->prev.at));
		f->customers++;
		if (!cv_money_add(&f->acquisition_cost, w->acquisition_cost))
			w->status = CV_ERR_OVERFLOW;
		/* a stage's visits past 2^53 are caught before writing (cv_flow_check_bounds) */
	}
	return w->status;
}

/* --- whole customers in memory ---------------------------------------------------- */

cv_status
cv_prepare_events(cv_event *ev, size_t n)
{
	size_t		i;

	if (n == 0)
		return CV_ERR_CORRUPT;
	/* checked before sorting: the order must be total */
	for (i = 0; i < n; i++)
	{
		if (!event_is_valid(&ev[i]))
			return CV_ERR_CORRUPT;
		if ((i & 4095) == 4095)
			cv_pace(1024);
	}
	cv_sort_events(ev, n);
	return CV_OK;
}

cv_status
cv_customer_build(cv_customer *c, const cv_allocator *mem, cv_event *ev, size_t n)
{
	cv_walk		w;
	cv_status	status = cv_prepare_events(ev, n);
	size_t		i;
	int			s,
				t;

	memset(c, 0, offsetof(cv_customer, local_dwell));
	c->dwell = c->local_dwell;
	c->heap = NULL;
	c->mem = mem;
	if (status != CV_OK)
		return status;
	cv_walk_begin(&w, NULL, mem);
	if (n - 1 > CV_CUSTOMER_INLINE && n - 1 <= CV_CUSTOMER_VISITS_MAX)
	{
		/* one dwell per visit but the last: no growing */
		w.dwell = cv_alloc(mem, (n - 1) * sizeof(cv_dwell));
		w.dwell_cap = n - 1;
	}
	for (i = 0; i < n && status == CV_OK; i++)
		status = cv_walk_event(&w, &ev[i]);
	if (status == CV_OK)
		status = cv_walk_end(&w);
	if (status != CV_OK)
	{
		cv_walk_release(&w);
		return status;
	}
	c->visited = w.visited;
	memcpy(c->value, w.value, sizeof(c->value));
	memcpy(c->cost, w.cost, sizeof(c->cost));
	memcpy(c->downstream, w.downstream, sizeof(c->downstream));
	for (s = 0; s <= CV_STAGE_COUNT; s++)
		for (t = 0; t <= CV_STAGE_COUNT; t++)
			c->trans[s][t] = (uint32_t) w.trans[s][t];
	c->acquisition_cost = w.acquisition_cost;
	c->last_stage = w.stage;
	c->first_at = w.first_at;
	c->last_entry = w.entry;
	c->last_at = w.prev.at;
	c->ndwell = w.ndwell;
	if (w.dwell == w.local_dwell)
		memcpy(c->local_dwell, w.local_dwell, w.ndwell * sizeof(cv_dwell));
	else
		c->dwell = c->heap = w.dwell;
	sort_dwell(c->dwell, c->ndwell, mem);
	return CV_OK;
}

void
cv_customer_release(cv_customer *c)
{
	if (c->heap != NULL)
		cv_free(c->mem, c->heap);
	c->heap = NULL;
}
