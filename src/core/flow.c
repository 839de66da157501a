/*
 * flow.c — building, merging, subtracting and reading flow summaries.
 */
#include <stdlib.h>
#include <string.h>

#include "customer.h"
#include "flow.h"
#include "mem.h"
#include "siphash.h"

void
cv_flow_init(cv_flow *f, const cv_allocator *mem)
{
	memset(f, 0, sizeof(*f));
	f->mem = *mem;
}

void
cv_flow_free(cv_flow *f)
{
	cv_allocator mem = f->mem;
	int			s;

	for (s = 1; s <= CV_STAGE_COUNT; s++)
		cv_sketch_free(&f->st[s].dwell, &mem);
	if (f->buckets != NULL)
		cv_free(&mem, f->buckets);
	memset(f, 0, sizeof(*f));
	f->mem = mem;
}

/* --- day buckets: open addressing, linear probing; or a sorted array ----------- */

/* keyed: event times are the caller's, so a fixed hash could be flooded */
static uint32_t
bucket_hash(int32_t day, cv_stage stage)
{
	return (uint32_t) cv_siphash13_u64(cv_hash_key, (uint64_t) (uint32_t) day << 3 | stage);
}

static cv_day_bucket *
bucket_slot(cv_day_bucket *table, uint32_t cap, int32_t day, cv_stage stage)
{
	uint32_t	i = bucket_hash(day, stage) & (cap - 1);

	CV_ASSERT(cap > 0 && (cap & (cap - 1)) == 0);
	while (table[i].stage != 0 && (table[i].day != day || table[i].stage != stage))
		i = (i + 1) & (cap - 1);
	return &table[i];
}

/* a hash table of at least cap slots holding the current buckets */
static void
bucket_rehash(cv_flow *f, uint32_t new_cap)
{
	cv_day_bucket *table = cv_alloc(&f->mem, (size_t) new_cap * sizeof(cv_day_bucket));
	uint32_t	i,
				slots = cv_flow_bucket_slots(f);

	memset(table, 0, (size_t) new_cap * sizeof(cv_day_bucket));
	for (i = 0; i < slots; i++)
		if (f->buckets[i].stage != 0)
			*bucket_slot(table, new_cap, f->buckets[i].day, f->buckets[i].stage) = f->buckets[i];
	if (f->buckets != NULL)
		cv_free(&f->mem, f->buckets);
	f->buckets = table;
	f->bucket_cap = new_cap;
	f->sorted = 0;
}

void
cv_flow_add_bucket(cv_flow *f, int32_t day, cv_stage stage, uint64_t customers,
				   cv_i128 sum_first, cv_i128 sum_entry, cv_i128 sum_last)
{
	cv_day_bucket *b;

	CV_ASSERT(cv_stage_is_valid(stage) && customers > 0);
	/* keep the load under 3/4; a sorted array becomes a table */
	if (f->sorted)
	{
		uint32_t	cap = 8;

		while ((f->nbuckets + 1) * (uint64_t) 4 > (uint64_t) cap * 3)
			cap *= 2;
		bucket_rehash(f, cap);
	}
	else if ((f->nbuckets + 1) * (uint64_t) 4 > (uint64_t) f->bucket_cap * 3)
		bucket_rehash(f, f->bucket_cap == 0 ? 8 : f->bucket_cap * 2);
	b = bucket_slot(f->buckets, f->bucket_cap, day, stage);
	if (b->stage == 0)
	{
		b->day = day;
		b->stage = stage;
		f->nbuckets++;
	}
	b->customers += customers;
	b->sum_first = cv_i128_add(b->sum_first, sum_first);
	b->sum_entry = cv_i128_add(b->sum_entry, sum_entry);
	b->sum_last = cv_i128_add(b->sum_last, sum_last);
	f->st[stage].ended += customers;
}

static int
bucket_cmp(const void *pa, const void *pb)
{
	const cv_day_bucket *a = pa,
			   *b = pb;

	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	return (a->stage > b->stage) - (a->stage < b->stage);
}

void
cv_flow_sort_buckets(cv_flow *f)
{
	cv_day_bucket *sorted;
	uint32_t	i,
				n = 0;

	if (f->sorted)
		return;
	sorted = cv_alloc(&f->mem, ((size_t) f->nbuckets + 1) * sizeof(cv_day_bucket));
	for (i = 0; i < f->bucket_cap; i++)
		if (f->buckets[i].stage != 0)
			sorted[n++] = f->buckets[i];
	CV_ASSERT(n == f->nbuckets);
	qsort(sorted, n, sizeof(cv_day_bucket), bucket_cmp);
	if (f->buckets != NULL)
		cv_free(&f->mem, f->buckets);
	f->buckets = sorted;
	f->bucket_cap = n + 1;
	f->sorted = 1;
}

/* --- one customer ------------------------------------------------------------ */

/* sorted, then walked in order straight into the accumulator (customer.c) */
cv_status
cv_flow_add_customer(cv_flow *f, cv_event *ev, size_t n)
{
	cv_walk		w;
	cv_status	status = cv_prepare_events(ev, n);
	size_t		i;

	if (status != CV_OK)
		return status;
	cv_walk_begin(&w, f, NULL);
	for (i = 0; i < n && status == CV_OK; i++)
		status = cv_walk_event(&w, &ev[i]);
	if (status == CV_OK)
		status = cv_walk_end(&w);
	cv_walk_release(&w);
	return status;
}

/* --- bounds --------------------------------------------------------------------- */

#define WHY_CUSTOMERS	CV_WHY_CUSTOMERS
#define WHY_VISITS		CV_WHY_VISITS
#define WHY_MONEY		CV_WHY_MONEY

cv_status
cv_flow_check_bounds(const cv_flow *f, const char **why)
{
	int			s;

	if (f->customers > CV_COUNT_MAX)
		return (*why = WHY_CUSTOMERS, CV_ERR_OVERFLOW);
	if (!cv_money_in_range(f->acquisition_cost))
		return (*why = WHY_MONEY, CV_ERR_OVERFLOW);
	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		const cv_stage_flow *st = &f->st[s];

		if (cv_flow_visits(f, s) > CV_COUNT_MAX)
			return (*why = WHY_VISITS, CV_ERR_OVERFLOW);
		if (!cv_money_in_range(st->value) || !cv_money_in_range(st->cost) ||
			!cv_money_in_range(st->downstream))
			return (*why = WHY_MONEY, CV_ERR_OVERFLOW);
	}
	return CV_OK;
}

/* --- merging -------------------------------------------------------------------- */

cv_status
cv_flow_merge(cv_flow *into, const cv_flow *from, const char **why)
{
	int			s,
				t;
	uint32_t	i,
				slots = cv_flow_bucket_slots(from);
	cv_money	sums[CV_STAGE_COUNT + 1][3],
				acq = into->acquisition_cost;

	CV_ASSERT(cv_flow_check_bounds(into, why) == CV_OK && cv_flow_check_bounds(from, why) == CV_OK);
	/* every bound first, so into is left as it was on an error */
	if (into->customers + from->customers > CV_COUNT_MAX)
		return (*why = WHY_CUSTOMERS, CV_ERR_OVERFLOW);
	if (!cv_money_add(&acq, from->acquisition_cost))
		return (*why = WHY_MONEY, CV_ERR_OVERFLOW);
	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		const cv_stage_flow *a = &into->st[s],
				   *b = &from->st[s];

		/* both at most 2^53: no wrap */
		if (cv_flow_visits(into, s) + cv_flow_visits(from, s) > CV_COUNT_MAX)
			return (*why = WHY_VISITS, CV_ERR_OVERFLOW);
		sums[s][0] = a->value;
		sums[s][1] = a->cost;
		sums[s][2] = a->downstream;
		if (!cv_money_add(&sums[s][0], b->value) || !cv_money_add(&sums[s][1], b->cost) ||
			!cv_money_add(&sums[s][2], b->downstream))
			return (*why = WHY_MONEY, CV_ERR_OVERFLOW);
	}

	into->customers += from->customers;
	into->acquisition_cost = acq;
	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		cv_stage_flow *a = &into->st[s];
		const cv_stage_flow *b = &from->st[s];

		a->customers += b->customers;
		a->value = sums[s][0];
		a->cost = sums[s][1];
		a->downstream = sums[s][2];
		cv_sketch_merge(&a->dwell, &into->mem, &b->dwell);
		for (t = 1; t <= CV_STAGE_COUNT; t++)
			into->trans[s][t] += from->trans[s][t];
	}
	/* ended counts come with the buckets */
	for (i = 0; i < slots; i++)
		if (from->buckets[i].stage != 0)
			cv_flow_add_bucket(into, from->buckets[i].day, from->buckets[i].stage,
							   from->buckets[i].customers,
							   from->buckets[i].sum_first, from->buckets[i].sum_entry,
							   from->buckets[i].sum_last);
	return CV_OK;
}

/* --- subtracting ---------------------------------------------------------------- */

#define WHY_NOT_HELD(what) ("The part has more " what " than the total.")

/* the counts and buckets of part, checked against into before anything changes */
static const char *
not_contained(const cv_flow *into, const cv_flow *part)
{
	int			s,
				t;
	uint32_t	i = 0,
				j;

	if (part->customers > into->customers)
		return WHY_NOT_HELD("customers");
	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		if (part->st[s].customers > into->st[s].customers)
			return WHY_NOT_HELD("customers at a stage");
		for (t = 1; t <= CV_STAGE_COUNT; t++)
			if (part->trans[s][t] > into->trans[s][t])
				return WHY_NOT_HELD("transitions between two stages");
	}
	/* both sorted by (day, stage): walk them together */
	for (j = 0; j < part->nbuckets; j++)
	{
		const cv_day_bucket *p = &part->buckets[j];

		while (i < into->nbuckets && bucket_cmp(&into->buckets[i], p) < 0)
			i++;
		if (i == into->nbuckets || bucket_cmp(&into->buckets[i], p) != 0)
			return "A customer of the part ends on a day and at a stage where none of the total does.";
		if (into->buckets[i].customers < p->customers)
			return WHY_NOT_HELD("customers ending on a day at a stage");
		if (into->buckets[i].customers == p->customers &&
			(!cv_i128_eq(into->buckets[i].sum_first, p->sum_first) ||
			 !cv_i128_eq(into->buckets[i].sum_entry, p->sum_entry) ||
			 !cv_i128_eq(into->buckets[i].sum_last, p->sum_last)))
			return "The customers ending on a day at a stage have other event times in the part than in the total.";
	}
	return NULL;
}

cv_status
cv_flow_subtract(cv_flow *into, const cv_flow *part_in, const char **why)
{
	cv_flow		part = *part_in;	/* shallow: read only, but for its bucket order */
	cv_day_bucket *own = NULL;
	int			s,
				t;
	uint32_t	i,
				j,
				kept = 0;
	cv_status	st;

	/* both sorted, so buckets pair up in one walk */
	cv_flow_sort_buckets(into);
	if (!part.sorted)
	{
		own = cv_alloc(&into->mem, ((size_t) part_in->nbuckets + 1) * sizeof(cv_day_bucket));
		for (i = 0, j = 0; i < part_in->bucket_cap; i++)
			if (part_in->buckets[i].stage != 0)
				own[j++] = part_in->buckets[i];
		qsort(own, j, sizeof(cv_day_bucket), bucket_cmp);
		part.buckets = own;
		part.nbuckets = j;
		part.sorted = 1;
	}
	*why = not_contained(into, &part);
	if (*why != NULL)
	{
		st = CV_ERR_NOT_CONTAINED;
		goto done;
	}
	for (s = 1; s <= CV_STAGE_COUNT; s++)
		if (!cv_sketch_subtract(&into->st[s].dwell, &part.st[s].dwell))
		{
			*why = "A dwell time of the part is not among the total's.";
			st = CV_ERR_NOT_CONTAINED;
			goto done;
		}

	into->customers -= part.customers;
	/*
	 * An amount of what remains beyond its range: the remaining customers
	 * could not have been summarised, so the part was not in the total.
	 */
	if (!cv_money_sub(&into->acquisition_cost, part.acquisition_cost))
	{
		*why = "What remains would have an amount out of range: the part is not in the total.";
		st = CV_ERR_NOT_CONTAINED;
		goto done;
	}
	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		cv_stage_flow *a = &into->st[s];
		const cv_stage_flow *b = &part.st[s];

		a->customers -= b->customers;
		if (!cv_money_sub(&a->value, b->value) || !cv_money_sub(&a->cost, b->cost) ||
			!cv_money_sub(&a->downstream, b->downstream))
		{
			*why = "What remains would have an amount out of range: the part is not in the total.";
			st = CV_ERR_NOT_CONTAINED;
			goto done;
		}
		for (t = 1; t <= CV_STAGE_COUNT; t++)
			into->trans[s][t] -= part.trans[s][t];
	}
	/* the buckets, dropping those left with no customers (their sums checked to be 0) */
	for (i = 0, j = 0; i < into->nbuckets; i++)
	{
		cv_day_bucket b = into->buckets[i];

		if (j < part.nbuckets && bucket_cmp(&b, &part.buckets[j]) == 0)
		{
			const cv_day_bucket *p = &part.buckets[j++];

			b.customers -= p->customers;
			b.sum_first = cv_i128_sub(b.sum_first, p->sum_first);
			b.sum_entry = cv_i128_sub(b.sum_entry, p->sum_entry);
			b.sum_last = cv_i128_sub(b.sum_last, p->sum_last);
			into->st[b.stage].ended -= p->customers;
		}
		if (b.customers > 0)
			into->buckets[kept++] = b;
	}
	CV_ASSERT(j == part.nbuckets);
	into->nbuckets = kept;

	/* what remains must be a summary some customers could have produced */
	st = cv_flow_check(into, why);
	if (st != CV_OK)
		st = CV_ERR_NOT_CONTAINED;
done:
	if (own != NULL)
		cv_free(&into->mem, own);
	return st;
}

/* --- reading -------------------------------------------------------------------- */

uint64_t
cv_flow_visits(const cv_flow *f, cv_stage s)
{
	uint64_t	n = f->st[s].ended;
	int			t;

	for (t = 1; t <= CV_STAGE_COUNT; t++)
		n += f->trans[s][t];
	return n;
}

/* the leaked customers of every stage in one walk over the buckets */
static void
leaked_all(const cv_flow *f, int has_cutoff, int32_t cutoff_day, uint64_t leaked[CV_STAGE_COUNT + 1])
{
	uint32_t	i,
				slots = cv_flow_bucket_slots(f);
	int			s;

	for (s = 0; s <= CV_STAGE_COUNT; s++)
		leaked[s] = has_cutoff ? 0 : (s > 0 ? f->st[s].ended : 0);
	if (!has_cutoff)
		return;
	for (i = 0; i < slots; i++)
		if (f->buckets[i].day < cutoff_day)
			leaked[f->buckets[i].stage] += f->buckets[i].customers;	/* free slots: stage 0 */
}

uint64_t
cv_flow_leaked(const cv_flow *f, cv_stage s, int has_cutoff, int32_t cutoff_day)
{
	uint64_t	leaked[CV_STAGE_COUNT + 1];

	leaked_all(f, has_cutoff, cutoff_day, leaked);
	return leaked[s];
}

cv_i128
cv_flow_exposure(const cv_flow *f, int has_cutoff, int32_t cutoff_day, int64_t as_of)
{
	cv_i128		sum = {0, 0};
	uint32_t	i,
				slots = cv_flow_bucket_slots(f);

	for (i = 0; i < slots; i++)
	{
		const cv_day_bucket *b = &f->buckets[i];
		cv_i128		end = b->sum_last;

		if (b->stage == 0)
			continue;
		if (has_cutoff && b->day >= cutoff_day)
		{
			cv_i128		until_as_of = cv_i128_mul(as_of, b->customers);

			if (cv_i128_cmp(until_as_of, end) > 0)
				end = until_as_of;
		}
		sum = cv_i128_add(sum, cv_i128_sub(end, b->sum_first));
	}
	return sum;
}

void
cv_flow_leakage(const cv_flow *f, int has_cutoff, int32_t cutoff_day,
				cv_leakage_row rows[CV_STAGE_COUNT + 1])
{
	int			s,
				t;
	uint64_t	leaked[CV_STAGE_COUNT + 1];

	memset(rows, 0, sizeof(cv_leakage_row) * (CV_STAGE_COUNT + 1));
	leaked_all(f, has_cutoff, cutoff_day, leaked);
	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		cv_leakage_row *r = &rows[s];
		const cv_stage_flow *st = &f->st[s];
		cv_stage	next = cv_stage_next((cv_stage) s);

		for (t = 1; t <= CV_STAGE_COUNT; t++)
		{
			uint64_t	n = f->trans[s][t];

			if (t == next)
				r->advanced += n;
			else if (t < s)
				r->regressed += n;
			else
				r->skipped += n;
		}
		r->customers = st->customers;
		r->ended = st->ended;
		r->dwell_n = r->advanced + r->regressed + r->skipped;
		r->visits = r->dwell_n + r->ended;
		r->leaked = leaked[s];
		CV_ASSERT(r->leaked <= r->ended);
		r->active = r->ended - r->leaked;
		r->value = cv_money_to_double(st->value);
		r->cost = cv_money_to_double(st->cost);
		/* leaked x the mean downstream value of the visits that did not end */
		r->value_at_risk = r->dwell_n > 0
			? (double) r->leaked * (cv_money_to_double(st->downstream) / (double) r->dwell_n) : 0;
		if (r->dwell_n > 0)
		{
			r->dwell_avg = cv_i128_to_double(cv_sketch_sum(&st->dwell)) / (double) r->dwell_n;
			cv_sketch_quantile(&st->dwell, 0.5, &r->dwell_p50);
			cv_sketch_quantile(&st->dwell, 0.9, &r->dwell_p90);
		}
	}
}
