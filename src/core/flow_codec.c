/*
 * flow_codec.c — the binary form of a flow summary (format version 1).
 *
 * Little-endian, LEB128 varints (u = unsigned, z = zigzag signed), 128-bit
 * sums as varints of 128 bits:
 *
 *   u8   version (1)            u8   flags: 1 = an acquisition cost follows,
 *   u    customers                      2 = day buckets carry open times
 *                                       (other bits are rejected)
 *   u8   mask of stages that carry data (bit s-1 for stage s)
 *   f64  acquisition cost, when flagged (a zero one is left out)
 *   per stage in the mask, in wheel order:
 *     u    customers            u    zero-dwell count
 *     u8   which sums follow: 1 value, 2 cost, 4 downstream (zeros are left out)
 *     f64  value, f64 cost, f64 downstream (raw IEEE 754)
 *     u    number of dwell buckets, then per bucket (keys ascending):
 *          u key delta (the first from 0), u count (> 0), u128 sum of durations
 *   u    number of transitions, then per transition ((from,to) ascending):
 *        u8 (from-1)*6 + (to-1), u count (> 0)
 *   u    number of day buckets, then per bucket ((day, stage) ascending):
 *        z day delta (the first from 0), u8 stage, u customers (> 0),
 *        z128 sum of first event times, z128 sum of last event times,
 *        when flagged u128 sum of open times (last event - entry of the
 *        last visit; the flag is set when any is not zero, and a summary
 *        without it, such as one written by cvfw 0.1.0, has every last
 *        visit entered at its last event)
 *   u32  CRC-32C of everything before it, little-endian
 *
 * The checksum catches damage the structure cannot (a flipped bit in an
 * amount).  Decoding checks, besides every length and bound, that the summary is one
 * that customers could have produced: outcomes add up to visits, each
 * customer ends exactly once, sketch counts match the visits that did not
 * end, times lie in PostgreSQL's range and last times in their bucket's day.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "crc32c.h"
#include "customer.h"
#include "flow.h"
#include "mem.h"

/* --- writing ------------------------------------------------------------------- */

static int
bucket_cmp(const void *pa, const void *pb)
{
	const cv_day_bucket *a = pa,
			   *b = pb;

	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	return (a->stage > b->stage) - (a->stage < b->stage);
}

/*
 * The sections, shared by both encoders so they cannot drift apart: a
 * summary of one customer written from its events is byte for byte the
 * summary an accumulator holding just that customer writes.
 */
static void
put_header(buf *b, uint64_t customers, uint8_t mask, double acquisition_cost, int open)
{
	put_u8(b, CV_FLOW_FORMAT_VERSION);
	put_u8(b, (uint8_t) ((acquisition_cost != 0 ? 1 : 0) | (open ? 2 : 0)));
	put_u(b, customers);
	put_u8(b, mask);
	if (acquisition_cost != 0)
		put_f64(b, acquisition_cost);
}

static void
put_stage(buf *b, uint64_t customers, uint64_t zero, double value, double cost,
		  double downstream, uint64_t nkeys)
{
	uint8_t		sums = (uint8_t) ((value != 0 ? 1 : 0) | (cost != 0 ? 2 : 0) | (downstream != 0 ? 4 : 0));

	put_u(b, customers);
	put_u(b, zero);
	put_u8(b, sums);
	if (sums & 1)
		put_f64(b, value);
	if (sums & 2)
		put_f64(b, cost);
	if (sums & 4)
		put_f64(b, downstream);
	put_u(b, nkeys);
}

static void
put_key(buf *b, int32_t *prev_key, int32_t key, uint64_t count, cv_i128 sum)
{
	put_u(b, (uint64_t) (key - *prev_key));
	put_u(b, count);
	put_u128(b, sum);
	*prev_key = key;
}

static void
put_transitions(buf *b, const uint64_t trans[CV_STAGE_COUNT + 1][CV_STAGE_COUNT + 1])
{
	uint64_t	n = 0;
	int			s,
				t;

	for (s = 1; s <= CV_STAGE_COUNT; s++)
		for (t = 1; t <= CV_STAGE_COUNT; t++)
			n += trans[s][t] != 0;
	put_u(b, n);
	for (s = 1; s <= CV_STAGE_COUNT; s++)
		for (t = 1; t <= CV_STAGE_COUNT; t++)
			if (trans[s][t] != 0)
			{
				put_u8(b, (uint8_t) ((s - 1) * CV_STAGE_COUNT + (t - 1)));
				put_u(b, trans[s][t]);
			}
}

static void
put_bucket(buf *b, int32_t *prev_day, const cv_day_bucket *k, int open)
{
	put_z(b, (int64_t) k->day - *prev_day);
	put_u8(b, k->stage);
	put_u(b, k->customers);
	put_z128(b, k->sum_first);
	put_z128(b, k->sum_last);
	if (open)
		put_u128(b, cv_i128_sub(k->sum_last, k->sum_entry));
	*prev_day = k->day;
}

/* append the checksum of everything after the reserved front */
static uint8_t *
finish(buf *b, size_t reserve, size_t *len)
{
	uint32_t	crc = cv_crc32c(b->data + reserve, b->len - reserve);
	uint8_t		le[4] = {(uint8_t) crc, (uint8_t) (crc >> 8), (uint8_t) (crc >> 16), (uint8_t) (crc >> 24)};

	put_bytes(b, le, 4);
	*len = b->len - reserve;
	return b->data;
}

static void
start(buf *b, size_t reserve, size_t expect)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	grow(b, reserve + expect);
	b->len = reserve;
}

uint8_t *
cv_flow_encode(const cv_flow *f, size_t reserve, size_t *len)
{
	buf			b;
	uint8_t		mask = 0;
	int			s;
	cv_day_bucket *sorted;
	uint32_t	i,
				n;
	int32_t		prev_day = 0;
	int			open = 0;

	start(&b, reserve, 256 + (size_t) f->nbuckets * 24);
	for (s = 1; s <= CV_STAGE_COUNT; s++)
		if (f->st[s].customers != 0)
			mask |= (uint8_t) (1u << (s - 1));
	for (i = 0; i < f->bucket_cap; i++)
		if (f->buckets[i].stage != 0 && !cv_i128_eq(f->buckets[i].sum_entry, f->buckets[i].sum_last))
			open = 1;
	put_header(&b, f->customers, mask, f->acquisition_cost, open);
	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		const cv_stage_flow *st = &f->st[s];
		long		k;
		uint64_t	nkeys = 0;
		int32_t		prev_key = 0;

		if (!(mask & (1u << (s - 1))))
			continue;
		for (k = cv_sketch_next(&st->dwell, 0); k >= 0; k = cv_sketch_next(&st->dwell, k + 1))
			nkeys++;
		put_stage(&b, st->customers, st->dwell.zero, st->value, st->cost, st->downstream, nkeys);
		for (k = cv_sketch_next(&st->dwell, 0); k >= 0; k = cv_sketch_next(&st->dwell, k + 1))
			put_key(&b, &prev_key, st->dwell.base + (int32_t) k, st->dwell.counts[k], st->dwell.sums[k]);
	}
	put_transitions(&b, (const uint64_t (*)[CV_STAGE_COUNT + 1]) f->trans);

	sorted = cv_mem.alloc((f->nbuckets + 1) * sizeof(cv_day_bucket));
	for (i = 0, n = 0; i < f->bucket_cap; i++)
		if (f->buckets[i].stage != 0)
			sorted[n++] = f->buckets[i];
	qsort(sorted, n, sizeof(cv_day_bucket), bucket_cmp);
	put_u(&b, n);
	for (i = 0; i < n; i++)
		put_bucket(&b, &prev_day, &sorted[i], open);
	cv_mem.free(sorted);
	return finish(&b, reserve, len);
}

uint8_t *
cv_flow_encode_customer(cv_event *events, size_t n, size_t reserve, size_t *len, cv_status *status)
{
	cv_customer c;
	buf			b;
	uint8_t		mask = 0;
	int			s,
				t;
	size_t		i = 0;
	uint64_t	trans[CV_STAGE_COUNT + 1][CV_STAGE_COUNT + 1];
	cv_day_bucket last;
	int32_t		prev_day = 0;

	*status = cv_customer_build(&c, events, n);
	if (*status != CV_OK)
	{
		cv_customer_release(&c);
		return NULL;
	}
	start(&b, reserve, 64 + 24 * n);
	for (s = 1; s <= CV_STAGE_COUNT; s++)
		if (c.visited & (1u << s))
			mask |= (uint8_t) (1u << (s - 1));
	put_header(&b, 1, mask, c.acquisition_cost, c.last_entry != c.last_at);
	/* dwell entries come sorted by (stage, key): walk them alongside */
	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		uint64_t	zero = 0,
					nkeys = 0;
		size_t		j;
		int32_t		prev_key = 0;

		if (!(c.visited & (1u << s)))
			continue;
		for (j = i; j < c.ndwell && c.dwell[j].stage == s; j++)
		{
			if (c.dwell[j].key < 0)
				zero++;
			else if (j == i || c.dwell[j].key != c.dwell[j - 1].key)
				nkeys++;
		}
		put_stage(&b, 1, zero, c.value[s], c.cost[s], c.downstream[s], nkeys);
		while (i < j)
		{
			int32_t		key = c.dwell[i].key;
			uint64_t	count = 0;
			cv_i128		sum = {0, 0};

			for (; i < j && c.dwell[i].key == key; i++)
			{
				cv_i128		us = {c.dwell[i].us, 0};

				count++;
				sum = cv_i128_add(sum, us);
			}
			if (key >= 0)
				put_key(&b, &prev_key, key, count, sum);
		}
	}
	for (s = 0; s <= CV_STAGE_COUNT; s++)
		for (t = 0; t <= CV_STAGE_COUNT; t++)
			trans[s][t] = c.trans[s][t];
	put_transitions(&b, (const uint64_t (*)[CV_STAGE_COUNT + 1]) trans);
	put_u(&b, 1);
	last.day = cv_day_of(c.last_at);
	last.stage = c.last_stage;
	last.customers = 1;
	last.sum_first = cv_i128_from_i64(c.first_at);
	last.sum_entry = cv_i128_from_i64(c.last_entry);
	last.sum_last = cv_i128_from_i64(c.last_at);
	put_bucket(&b, &prev_day, &last, c.last_entry != c.last_at);
	cv_customer_release(&c);
	return finish(&b, reserve, len);
}

/* --- reading -------------------------------------------------------------------- */

static uint64_t
get_count(reader *r)
{
	uint64_t	v = get_u(r);

	if (v > CV_COUNT_MAX)
		return (uint64_t) fail(r, "A count is out of range.");
	return v;
}

static int
add_finite_sum(double *sum, double x)
{
	*sum += x;
	return isfinite(*sum);
}

/*
 * Counts add up twice while decoding: within the summary, where a total past
 * CV_COUNT_MAX means it is corrupt (and no total can wrap round to look
 * right), and into the accumulator, where it must not wrap either.
 */
static int
count_add(reader *r, uint64_t *total, uint64_t n)
{
	if (n > CV_COUNT_MAX - *total)
		return fail(r, "Counts add up beyond their range.");
	*total += n;
	return 1;
}

static int
fits(uint64_t into, uint64_t n)
{
	return n <= UINT64_MAX - into;
}

/* a sum that is flagged as present: the encoder leaves out zeros */
static double
get_nonzero_f64(reader *r)
{
	double		v = get_f64(r);

	if (r->why == NULL && v == 0)
		fail(r, "A sum flagged as present is zero.");
	return v;
}

cv_status
cv_flow_decode(cv_flow *into, const uint8_t *data, size_t len, const char **why)
{
	reader		r = {data, data + len - (len >= 4 ? 4 : 0), NULL};
	uint64_t	customers,
				sketch_total[CV_STAGE_COUNT + 1] = {0},
				out[CV_STAGE_COUNT + 1] = {0},
				ended[CV_STAGE_COUNT + 1] = {0},
				stage_customers[CV_STAGE_COUNT + 1] = {0},
				all_ended = 0,
				n,
				i;
	uint8_t		mask,
				flags;
	double		acquisition_cost = 0;
	int			s,
				prev_pair = -1;
	int64_t		day = 0;
	int			prev_stage = 0;
	int64_t		prev_day = INT64_MIN;
	int			any_open = 0;
	uint64_t	own_trans[CV_STAGE_COUNT + 1][CV_STAGE_COUNT + 1] = {{0}};

	if (len < 4)
		fail(&r, "The data ends early.");
	else
	{
		const uint8_t *t = data + len - 4;
		uint32_t	stored = t[0] | (uint32_t) t[1] << 8 | (uint32_t) t[2] << 16 | (uint32_t) t[3] << 24;

		if (stored != cv_crc32c(data, len - 4))
			fail(&r, "The checksum does not match: the data is damaged.");
	}
	if (get_u8(&r) != CV_FLOW_FORMAT_VERSION && r.why == NULL)
		fail(&r, "Unsupported format version.");
	flags = get_u8(&r);
	if (flags & ~3)
		fail(&r, "Unknown flags are set.");
	customers = get_count(&r);
	if (r.why == NULL && customers == 0)
		fail(&r, "A summary has at least one customer.");
	mask = get_u8(&r);
	if (mask & ~0x3F)
		fail(&r, "The stage mask has bits beyond the six stages.");
	if (flags & 1)
		acquisition_cost = get_nonzero_f64(&r);
	if (r.why == NULL && !add_finite_sum(&into->acquisition_cost, acquisition_cost))
		return (*why = "A sum of amounts overflows.", CV_ERR_OVERFLOW);
	for (s = 1; s <= CV_STAGE_COUNT && r.why == NULL; s++)
	{
		cv_stage_flow *st = &into->st[s];
		uint8_t		sums;
		uint64_t	nkeys,
					zero;
		int64_t		key = 0;

		if (!(mask & (1u << (s - 1))))
			continue;
		stage_customers[s] = get_count(&r);
		if (r.why == NULL && (stage_customers[s] == 0 || stage_customers[s] > customers))
			fail(&r, "A stage's customers are out of range.");
		zero = get_count(&r);
		sums = get_u8(&r);
		if (sums & ~0x07)
			fail(&r, "Unknown sums are flagged.");
		if (!fits(st->customers, stage_customers[s]))
			return (*why = "Counts overflow.", CV_ERR_OVERFLOW);
		st->customers += stage_customers[s];
		if (sums & 1)
			st->value += get_nonzero_f64(&r);
		if (sums & 2)
			st->cost += get_nonzero_f64(&r);
		if (sums & 4)
			st->downstream += get_nonzero_f64(&r);
		if (r.why == NULL && (!isfinite(st->value) || !isfinite(st->cost) || !isfinite(st->downstream)))
			return (*why = "A sum of amounts overflows.", CV_ERR_OVERFLOW);
		nkeys = get_u(&r);
		if (nkeys > CV_SKETCH_KEY_MAX + 1)
			fail(&r, "Too many dwell buckets.");
		if (r.why == NULL && zero > 0)
		{
			st->dwell.zero += zero;
			st->dwell.total += zero;
		}
		sketch_total[s] = zero;
		for (i = 0; i < nkeys && r.why == NULL; i++)
		{
			uint64_t	delta = get_u(&r);
			uint64_t	count = get_count(&r);
			cv_i128		sum = get_u128(&r);
			double		dsum = cv_i128_to_double(sum);

			if (r.why != NULL)
				break;
			if ((i > 0 && delta == 0) || delta > CV_SKETCH_KEY_MAX || key + (int64_t) delta > CV_SKETCH_KEY_MAX)
				fail(&r, "Dwell bucket keys are out of order or range.");
			else if (count == 0)
				fail(&r, "A dwell bucket is empty.");
			/*
			 * Bucket k holds whole microseconds in (g^(k-1), g^k]; allow a
			 * bucket either side for rounding in the key's logarithm.
			 */
			else if (cv_i128_is_neg(sum) || cv_i128_cmp(sum, cv_i128_mul((int64_t) count, 1)) < 0 ||
					 dsum < (double) count * cv_sketch_lower((int) (key + (int64_t) delta) - 1) * (1 - 1e-9) ||
					 dsum > (double) count * cv_sketch_upper((int) (key + (int64_t) delta) + 1) * (1 + 1e-9))
				fail(&r, "A dwell bucket's sum does not fit its bucket.");
			else
			{
				key += (int64_t) delta;
				if (!count_add(&r, &sketch_total[s], count))
					break;
				if (!fits(st->dwell.total, count))
					return (*why = "Counts overflow.", CV_ERR_OVERFLOW);
				cv_sketch_add_key(&st->dwell, (int) key, count, sum);
			}
		}
	}

	n = get_u(&r);
	if (n > CV_STAGE_COUNT * CV_STAGE_COUNT)
		fail(&r, "Too many transitions.");
	for (i = 0; i < n && r.why == NULL; i++)
	{
		int			pair = get_u8(&r);
		uint64_t	count = get_count(&r);
		int			from = pair / CV_STAGE_COUNT + 1,
					to = pair % CV_STAGE_COUNT + 1;

		if (r.why != NULL)
			break;
		if (pair <= prev_pair || pair >= CV_STAGE_COUNT * CV_STAGE_COUNT || from == to || count == 0)
			fail(&r, "Transitions are out of order, empty, or from a stage to itself.");
		else
		{
			if (!count_add(&r, &out[from], count))
				break;
			if (!fits(into->trans[from][to], count))
				return (*why = "Counts overflow.", CV_ERR_OVERFLOW);
			into->trans[from][to] += count;
			own_trans[from][to] = count;
			prev_pair = pair;
		}
	}

	n = get_u(&r);
	for (i = 0; i < n && r.why == NULL; i++)
	{
		int64_t		delta;
		cv_stage	stage;
		uint64_t	count;
		cv_i128		sum_first,
					sum_last,
					open = {0, 0},
					lo,
					hi;

		delta = get_z(&r);
		stage = get_u8(&r);
		count = get_count(&r);
		sum_first = get_z128(&r);
		sum_last = get_z128(&r);
		if (flags & 2)
			open = get_u128(&r);
		if (r.why != NULL)
			break;
		if (delta < -(int64_t) CV_MAX_DAY * 4 || delta > (int64_t) CV_MAX_DAY * 4)
		{
			fail(&r, "A day is out of range.");
			break;
		}
		day += delta;
		if (day < CV_MIN_DAY || day > CV_MAX_DAY)
			fail(&r, "A day is out of range.");
		else if (!cv_stage_is_valid(stage) || count == 0)
			fail(&r, "A day bucket has no stage or no customers.");
		else if (day < prev_day || (day == prev_day && stage <= prev_stage))
			fail(&r, "Day buckets are out of order.");
		else
		{
			/* last times lie within the day, first times from the start of time */
			int64_t		day_start = day * CV_USECS_PER_DAY;
			int64_t		day_end = day_start + CV_USECS_PER_DAY - 1;

			if (day_end >= CV_END_TIMESTAMP)
				day_end = CV_END_TIMESTAMP - 1;
			if (day_start < CV_MIN_TIMESTAMP)
				day_start = CV_MIN_TIMESTAMP;
			lo = cv_i128_mul(day_start, count);
			hi = cv_i128_mul(day_end, count);
			if (cv_i128_cmp(sum_last, lo) < 0 || cv_i128_cmp(sum_last, hi) > 0)
				fail(&r, "Last event times fall outside their day.");
			else if (cv_i128_cmp(sum_first, cv_i128_mul(CV_MIN_TIMESTAMP, count)) < 0 ||
					 cv_i128_cmp(sum_first, sum_last) > 0)
				fail(&r, "First event times are out of range.");
			/* a last visit is entered between the first and the last event */
			else if (cv_i128_is_neg(open) || cv_i128_cmp(open, cv_i128_sub(sum_last, sum_first)) > 0)
				fail(&r, "Open times are out of range.");
			else
			{
				any_open |= !cv_i128_is_zero(open);
				if (!count_add(&r, &ended[stage], count) || !count_add(&r, &all_ended, count))
					break;
				/* a bucket never holds more customers than its stage's ended */
				if (!fits(into->st[stage].ended, count))
					return (*why = "Counts overflow.", CV_ERR_OVERFLOW);
				cv_flow_add_bucket(into, (int32_t) day, stage, count, sum_first,
								   cv_i128_sub(sum_last, open), sum_last);
				prev_day = day;
				prev_stage = stage;
			}
		}
	}
	if (r.why == NULL && r.p != r.end)
		fail(&r, "There are bytes after the end.");
	/* the flag is set exactly when some open time is not zero: one encoding */
	if (r.why == NULL && (flags & 2) && !any_open)
		fail(&r, "Open times are flagged but all zero.");

	/*
	 * What the parts say must add up: each customer ends exactly once and
	 * starts exactly once, so the visits of a stage are its first visits plus
	 * the transitions into it.
	 */
	if (r.why == NULL && all_ended != customers)
		fail(&r, "Customers do not end exactly once each.");
	if (r.why == NULL)
	{
		uint64_t	starts = 0,
					visited = 0;
		int			t;

		for (t = 1; t <= CV_STAGE_COUNT; t++)
		{
			uint64_t	in = 0;

			for (s = 1; s <= CV_STAGE_COUNT; s++)
				in += own_trans[s][t];
			if (in > out[t] + ended[t])
				fail(&r, "More transitions lead into a stage than it has visits.");
			/* customers starting, or ending, at a stage are distinct ones */
			else if (out[t] + ended[t] - in > stage_customers[t] || ended[t] > stage_customers[t])
				fail(&r, "A stage has fewer customers than start or end there.");
			else
				starts += out[t] + ended[t] - in;
			visited += stage_customers[t];
		}
		if (r.why == NULL && (starts != customers || visited < customers))
			fail(&r, "Customers do not start exactly once each.");
	}
	for (s = 1; s <= CV_STAGE_COUNT && r.why == NULL; s++)
	{
		uint64_t	visits = out[s] + ended[s];

		if (sketch_total[s] != out[s])
			fail(&r, "Dwell counts do not match the transitions out of a stage.");
		else if ((visits == 0) != (stage_customers[s] == 0) || stage_customers[s] > visits)
			fail(&r, "A stage's customers do not match its visits.");
	}
	if (r.why != NULL)
	{
		*why = r.why;
		return CV_ERR_CORRUPT;
	}
	if (!fits(into->customers, customers))
		return (*why = "Counts overflow.", CV_ERR_OVERFLOW);
	into->customers += customers;
	return CV_OK;
}
