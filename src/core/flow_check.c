/*
 * flow_check.c — the plausibility checks of a flow summary, for the
 * decoder (flow_codec.c) and for summaries in memory (cv_flow_check).
 *
 * Bounds (CV_ERR_OVERFLOW: 22003, when writing and when reading):
 *   B1  1 <= customers <= 2^53, and every count the summary holds <= 2^53;
 *   B2  visits of each stage (transitions out + customers ending there)
 *       <= 2^53, and so every outcome, transition and dwell count;
 *   B3  every amount and sum within ±10^31 (money.h);
 *   B4  visits add up to at most customers * 2^32 (CV_CUSTOMER_VISITS_MAX):
 *       checked with the census, as C6.
 * Each item on its own (CV_ERR_CORRUPT):
 *   I1  a dwell bucket: key 0 .. CV_SKETCH_KEY_MAX, count >= 1, and a sum
 *       of whole microseconds that fits its bucket: count .. count * g^k,
 *       and at least count * g^(k-2) (a bucket either side allowed for the
 *       rounding of the key's logarithm);
 *   I2  a day bucket: a day of PostgreSQL's range, a stage 1..6, customers
 *       >= 1, last event times within the day (summed: customers * the
 *       day's first and last microsecond), first event times from the
 *       start of PostgreSQL's time up to the last event times;
 *   I3  a stage nobody visited holds nothing (no amounts, no dwell).
 * The census, what the items add up to (CV_ERR_CORRUPT):
 *   C1  a stage's customers <= the summary's customers;
 *   C2  each customer ends exactly once: customers ending at the stages
 *       add up to the customers;
 *   C3  each customer starts exactly once: visits - transitions in, the
 *       first visits, add up to the customers; at each stage at most its
 *       customers start, and at most its customers end;
 *   C4  the dwell counts of a stage equal its transitions out;
 *   C5  a stage has customers exactly when it has visits, and no more
 *       customers than visits; the stages' customers add up to at least
 *       the summary's;
 *   C6  (B4) visits add up to at most customers * 2^32;
 *   C7  the dwell times add up to at most the customers' times from first
 *       to last event (a customer's dwells span their visits' entries).
 * These are necessary, not sufficient: a summary that passes them may
 * still be one no set of customers produced (the amounts, for one, can
 * only be range-checked, since values and costs may be negative).
 */
#include <string.h>

#include "flow_check.h"

const char *
cv_check_dwell_bucket(int64_t key, uint64_t count, cv_i128 sum)
{
	double		dsum = cv_i128_to_double(sum);

	if (key < 0 || key > CV_SKETCH_KEY_MAX)
		return "Dwell bucket keys are out of order or range.";
	if (count == 0)
		return "A dwell bucket is empty.";
	/* bucket k holds whole microseconds in (g^(k-1), g^k] */
	if (cv_i128_is_neg(sum) || cv_i128_cmp(sum, cv_i128_mul((int64_t) count, 1)) < 0 ||
		dsum < (double) count * cv_sketch_lower((int) key - 1) * (1 - 1e-9) ||
		dsum > (double) count * cv_sketch_upper((int) key + 1) * (1 + 1e-9))
		return "A dwell bucket's sum does not fit its bucket.";
	return NULL;
}

const char *
cv_check_day_bucket(int64_t day, int stage, uint64_t count, cv_i128 sum_first, cv_i128 sum_last)
{
	int64_t		day_start,
				day_end;

	if (day < CV_MIN_DAY || day > CV_MAX_DAY)
		return "A day is out of range.";
	if (!cv_stage_is_valid(stage) || count == 0)
		return "A day bucket has no stage or no customers.";
	/* last times lie within the day, first times from the start of time */
	day_start = day * CV_USECS_PER_DAY;
	day_end = day_start + CV_USECS_PER_DAY - 1;
	if (day_end >= CV_END_TIMESTAMP)
		day_end = CV_END_TIMESTAMP - 1;
	if (day_start < CV_MIN_TIMESTAMP)
		day_start = CV_MIN_TIMESTAMP;
	if (cv_i128_cmp(sum_last, cv_i128_mul(day_start, count)) < 0 ||
		cv_i128_cmp(sum_last, cv_i128_mul(day_end, count)) > 0)
		return "Last event times fall outside their day.";
	if (cv_i128_cmp(sum_first, cv_i128_mul(CV_MIN_TIMESTAMP, count)) < 0 ||
		cv_i128_cmp(sum_first, sum_last) > 0)
		return "First event times are out of range.";
	return NULL;
}

#define WHY_CUSTOMERS	CV_WHY_CUSTOMERS
#define WHY_VISITS		CV_WHY_VISITS

cv_status
cv_census_check(const cv_census *c, const char **why)
{
	uint64_t	starts = 0,
				visited = 0,
				ended = 0;
	cv_i128		visits_all = {0, 0};
	int			s;

	CV_ASSERT(c->customers > 0);
	/* B1, B2 */
	if (c->customers > CV_COUNT_MAX)
		return (*why = WHY_CUSTOMERS, CV_ERR_OVERFLOW);
	for (s = 1; s <= CV_STAGE_COUNT; s++)
		if (c->out[s] > CV_COUNT_MAX || c->ended[s] > CV_COUNT_MAX - c->out[s])
			return (*why = WHY_VISITS, CV_ERR_OVERFLOW);
	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		uint64_t	visits = c->out[s] + c->ended[s];

		/* C1 */
		if (c->stage_customers[s] > c->customers)
			return (*why = "A stage's customers are out of range.", CV_ERR_CORRUPT);
		/* C3, per stage */
		if (c->in[s] > visits)
			return (*why = "More transitions lead into a stage than it has visits.", CV_ERR_CORRUPT);
		if (visits - c->in[s] > c->stage_customers[s] || c->ended[s] > c->stage_customers[s])
			return (*why = "A stage has fewer customers than start or end there.", CV_ERR_CORRUPT);
		starts += visits - c->in[s];
		visited += c->stage_customers[s];
		ended += c->ended[s];
		visits_all = cv_i128_add(visits_all, cv_i128_mul((int64_t) visits, 1));
		/* C4 */
		if (c->dwell[s] != c->out[s])
			return (*why = "Dwell counts do not match the transitions out of a stage.", CV_ERR_CORRUPT);
		/* C5 */
		if ((visits == 0) != (c->stage_customers[s] == 0) || c->stage_customers[s] > visits)
			return (*why = "A stage's customers do not match its visits.", CV_ERR_CORRUPT);
	}
	/* C2, C3, C5 */
	if (ended != c->customers)
		return (*why = "Customers do not end exactly once each.", CV_ERR_CORRUPT);
	if (starts != c->customers || visited < c->customers)
		return (*why = "Customers do not start exactly once each.", CV_ERR_CORRUPT);
	/* C6, a bound: c * 2^32 <= 2^85, no wrap */
	if (cv_i128_cmp(visits_all, cv_i128_mul((int64_t) c->customers, CV_CUSTOMER_VISITS_MAX)) > 0)
		return (*why = "The customers have more visits than customers can make (at most 2^"
				CV_STR(CV_CUSTOMER_VISITS_MAX_LOG2) " each).", CV_ERR_OVERFLOW);
	/* C7 */
	if (cv_i128_cmp(c->dwell_us, c->span_us) > 0)
		return (*why = "Dwell times add up to more than the customers' times from first to last event.",
				CV_ERR_CORRUPT);
	return CV_OK;
}

/* --- a summary in memory ------------------------------------------------------------ */

static int
stage_is_bare(const cv_stage_flow *st)
{
	return st->customers == 0 && st->dwell.total == 0 && cv_i128_is_zero(st->value) &&
		cv_i128_is_zero(st->cost) && cv_i128_is_zero(st->downstream);
}

cv_status
cv_flow_check(const cv_flow *f, const char **why)
{
	cv_census	c;
	uint32_t	i,
				slots = cv_flow_bucket_slots(f);
	int			s,
				t;
	cv_status	st = cv_flow_check_bounds(f, why);

	if (st != CV_OK)
		return st;
	if (f->customers == 0)
	{
		/* the empty summary: nothing at all */
		for (s = 1; s <= CV_STAGE_COUNT; s++)
			for (t = 1; t <= CV_STAGE_COUNT; t++)
				if (f->trans[s][t] != 0 || !stage_is_bare(&f->st[s]) || f->st[s].ended != 0)
					return (*why = "A summary of no customers holds visits or amounts.", CV_ERR_CORRUPT);
		if (f->nbuckets != 0 || !cv_i128_is_zero(f->acquisition_cost))
			return (*why = "A summary of no customers holds visits or amounts.", CV_ERR_CORRUPT);
		return CV_OK;
	}
	memset(&c, 0, sizeof(c));
	c.customers = f->customers;
	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		const cv_stage_flow *sf = &f->st[s];
		long		k;
		uint64_t	in_sketch = sf->dwell.zero;

		/* I3 (the encoder writes nothing of a stage without customers) */
		if (sf->customers == 0 && !stage_is_bare(sf))
			return (*why = "A stage nobody visited holds amounts or dwell times.", CV_ERR_CORRUPT);
		c.stage_customers[s] = sf->customers;
		for (t = 1; t <= CV_STAGE_COUNT; t++)
		{
			c.out[s] += f->trans[s][t];
			c.in[t] += f->trans[s][t];
		}
		if (f->trans[s][s] != 0)
			return (*why = "Transitions are out of order, empty, or from a stage to itself.", CV_ERR_CORRUPT);
		/* I1, over every slot: one left empty must be left without a sum */
		for (k = 0; sf->dwell.counts != NULL && (uint64_t) k < sf->dwell.cap; k++)
		{
			uint64_t	n = sf->dwell.counts[k];

			if (n == 0)
			{
				if (!cv_i128_is_zero(sf->dwell.sums[k]))
					return (*why = "A dwell bucket's sum does not fit its bucket.", CV_ERR_CORRUPT);
				continue;
			}
			*why = cv_check_dwell_bucket(sf->dwell.base + k, n, sf->dwell.sums[k]);
			if (*why != NULL)
				return CV_ERR_CORRUPT;
			in_sketch += n;
			c.dwell_us = cv_i128_add(c.dwell_us, sf->dwell.sums[k]);
		}
		CV_ASSERT(in_sketch == sf->dwell.total);
		c.dwell[s] = sf->dwell.total;
	}
	/* I2, summing ended and span as the census wants them */
	for (i = 0; i < slots; i++)
	{
		const cv_day_bucket *b = &f->buckets[i];

		if (b->stage == 0)
			continue;
		*why = cv_check_day_bucket(b->day, b->stage, b->customers, b->sum_first, b->sum_last);
		if (*why == NULL && (cv_i128_cmp(b->sum_entry, b->sum_first) < 0 ||
							 cv_i128_cmp(b->sum_entry, b->sum_last) > 0))
			*why = "Open times are out of range.";
		if (*why != NULL)
			return CV_ERR_CORRUPT;
		c.ended[b->stage] += b->customers;
		c.span_us = cv_i128_add(c.span_us, cv_i128_sub(b->sum_last, b->sum_first));
	}
	for (s = 1; s <= CV_STAGE_COUNT; s++)
		CV_ASSERT(c.ended[s] == f->st[s].ended);
	return cv_census_check(&c, why);
}
