/*
 * flow_codec.c — the binary form of a flow summary (format version 2; 1 is
 * still read).
 *
 * Little-endian, LEB128 varints (u = unsigned, z = zigzag signed), 128-bit
 * sums as varints of 128 bits:
 *
 *   u8   version (2)            u8   flags: 1 = an acquisition cost follows,
 *   u    customers                      2 = day buckets carry open times
 *                                       (other bits are rejected; version 1
 *                                       knows only 1)
 *   u8   mask of stages that carry data (bit s-1 for stage s)
 *   M    acquisition cost, when flagged (a zero one is left out)
 *   per stage in the mask, in wheel order:
 *     u    customers            u    zero-dwell count
 *     u8   which sums follow: 1 value, 2 cost, 4 downstream (zeros are left out)
 *     M    value, M cost, M downstream
 *     u    number of dwell buckets, then per bucket (keys ascending):
 *          u key delta (the first from 0), u count (> 0), u128 sum of durations
 *   u    number of transitions, then per transition ((from,to) ascending):
 *        u8 (from-1)*6 + (to-1), u count (> 0)
 *   u    number of day buckets, then per bucket ((day, stage) ascending):
 *        z day delta (the first from 0), u8 stage, u customers (> 0),
 *        T    the customers' event times,
 *        when flagged u128 sum of open times (last event - entry of the
 *        last visit; the flag is set when any is not zero, and a summary
 *        without it, such as one written by cvfw 0.1.0, has every last
 *        visit entered at its last event)
 *   u32  CRC-32C of everything before it, little-endian
 *
 * M, an amount: version 2, z128 millionths of the currency unit (money.h);
 * version 1 (cvfw 0.1.0), the float8's IEEE bits as 8 little-endian
 * bytes, read as money by the rounding every input amount gets.
 *
 * T, a day bucket's event times, in microseconds: version 2, u128 the sum
 * of the last event times past the day's start (sum_last - customers *
 * the day's first microsecond), then u128 the sum of the customers' spans
 * (sum_last - sum_first): both small and never negative; version 1, z128
 * sum_first then z128 sum_last.
 *
 * The checksum catches damage the structure cannot (a flipped bit in an
 * amount).  Decoding checks every length, the bounds, and that the summary
 * is one customers could have produced (flow_check.c lists it all).
 * Reading is split by section: header, stages, transitions, day buckets,
 * then the census of what they add up to.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "crc32c.h"
#include "customer.h"
#include "flow.h"
#include "flow_check.h"
#include "mem.h"

/* --- writing ------------------------------------------------------------------- */

static void
put_money(buf *b, cv_money m)
{
	put_z128(b, m);
}

/*
 * The sections, shared by both encoders so they cannot drift apart: a
 * summary of one customer written from its events is byte for byte the
 * summary an accumulator holding just that customer writes.
 */
static void
put_header(buf *b, uint64_t customers, uint8_t mask, cv_money acquisition_cost, int open)
{
	int			has_acq = !cv_i128_is_zero(acquisition_cost);

	put_u8(b, CV_FLOW_FORMAT_VERSION);
	put_u8(b, (uint8_t) ((has_acq ? 1 : 0) | (open ? 2 : 0)));
	put_u(b, customers);
	put_u8(b, mask);
	if (has_acq)
		put_money(b, acquisition_cost);
}

static void
put_stage(buf *b, uint64_t customers, uint64_t zero, cv_money value, cv_money cost,
		  cv_money downstream, uint64_t nkeys)
{
	uint8_t		sums = (uint8_t) ((!cv_i128_is_zero(value) ? 1 : 0) | (!cv_i128_is_zero(cost) ? 2 : 0) |
								  (!cv_i128_is_zero(downstream) ? 4 : 0));

	put_u(b, customers);
	put_u(b, zero);
	put_u8(b, sums);
	if (sums & 1)
		put_money(b, value);
	if (sums & 2)
		put_money(b, cost);
	if (sums & 4)
		put_money(b, downstream);
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
	put_u128(b, cv_i128_sub(k->sum_last, cv_i128_mul(cv_day_start(k->day), k->customers)));
	put_u128(b, cv_i128_sub(k->sum_last, k->sum_first));
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
start(buf *b, const cv_allocator *mem, size_t reserve, size_t expect)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->mem = mem;
	grow(b, reserve + expect);
	b->len = reserve;
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

uint8_t *
cv_flow_encode(const cv_flow *f, const cv_allocator *out, size_t reserve, size_t *len)
{
	buf			b;
	uint8_t		mask = 0;
	int			s;
	const cv_day_bucket *sorted;
	cv_day_bucket *own = NULL;
	uint32_t	i,
				n;
	int32_t		prev_day = 0;
	int			open = 0;

	CV_ASSERT(f->customers > 0);
	start(&b, out, reserve, 256 + (size_t) f->nbuckets * 24);
	for (s = 1; s <= CV_STAGE_COUNT; s++)
		if (f->st[s].customers != 0)
			mask |= (uint8_t) (1u << (s - 1));
	for (i = 0; i < cv_flow_bucket_slots(f) && !open; i++)
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

	if (f->sorted)
	{
		sorted = f->buckets;
		n = f->nbuckets;
	}
	else
	{
		own = cv_alloc(out, ((size_t) f->nbuckets + 1) * sizeof(cv_day_bucket));
		for (i = 0, n = 0; i < f->bucket_cap; i++)
			if (f->buckets[i].stage != 0)
				own[n++] = f->buckets[i];
		qsort(own, n, sizeof(cv_day_bucket), bucket_cmp);
		sorted = own;
	}
	CV_ASSERT(n == f->nbuckets);
	put_u(&b, n);
	for (i = 0; i < n; i++)
		put_bucket(&b, &prev_day, &sorted[i], open);
	if (own != NULL)
		cv_free(out, own);
	return finish(&b, reserve, len);
}

uint8_t *
cv_flow_encode_customer(const cv_allocator *out, cv_event *events, size_t n, size_t reserve,
						size_t *len, cv_status *status)
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

	*status = cv_customer_build(&c, out, events, n);
	if (*status != CV_OK)
	{
		cv_customer_release(&c);
		return NULL;
	}
	start(&b, out, reserve, 64 + 24 * n);
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

/*
 * The decoder's state: the reader, the summary's format version, where
 * it merges into, and the census of the summary itself (what its items
 * add up to, checked at the end).  An amount or count that leaves its
 * bounds in the accumulator is CV_ERR_OVERFLOW; everything else wrong
 * with the bytes is CV_ERR_CORRUPT.
 */
typedef struct decoder
{
	reader		r;
	int			version;
	uint8_t		flags;
	uint8_t		mask;
	int			any_open;		/* an open time not zero was read */
	cv_status	status;			/* CV_ERR_CORRUPT while r.why is set, unless overflow() said */
	cv_flow    *into;
	cv_census	c;
} decoder;

static int
overflow(decoder *d, const char *why)
{
	if (d->r.why == NULL)
		d->status = CV_ERR_OVERFLOW;
	return fail(&d->r, why);
}

/* a count of the summary: at most 2^53 (a bound: CV_ERR_OVERFLOW) */
static uint64_t
get_count(decoder *d)
{
	uint64_t	v = get_u(&d->r);

	if (d->r.why == NULL && v > CV_COUNT_MAX)
		return (uint64_t) overflow(d, "A count is beyond 2^" CV_STR(CV_COUNT_MAX_LOG2) ".");
	return v;
}

/*
 * Counts add up twice while decoding: within the summary (the census),
 * where a total past CV_COUNT_MAX means it is out of range (and no total
 * can wrap round to look right), and into the accumulator, whose bounds
 * are checked at the end.
 */
static int
count_add(decoder *d, uint64_t *total, uint64_t n)
{
	if (n > CV_COUNT_MAX - *total)
		return overflow(d, "Counts add up beyond 2^" CV_STR(CV_COUNT_MAX_LOG2) ".");
	*total += n;
	return 1;
}

/* an amount flagged as present (the encoder leaves zeros out), as money */
static cv_money
get_money(decoder *d)
{
	cv_money	m = {0, 0};

	if (d->version == 1)
	{
		double		v = get_f64(&d->r);

		if (d->r.why == NULL && v == 0)
			fail(&d->r, "A sum flagged as present is zero.");
		if (d->r.why == NULL && !cv_money_from_double(v, &m))
			overflow(d, "A version-1 sum is beyond " CV_MONEY_RANGE_TEXT ".");
		return m;
	}
	m = get_z128(&d->r);
	if (d->r.why == NULL && cv_i128_is_zero(m))
		fail(&d->r, "A sum flagged as present is zero.");
	if (d->r.why == NULL && !cv_money_in_range(m))
		overflow(d, "An amount is beyond " CV_MONEY_RANGE_TEXT ".");
	return m;
}

/* add a summary's amount to the accumulator's */
static void
add_money(decoder *d, cv_money *sum, cv_money x)
{
	if (d->r.why == NULL && !cv_money_add(sum, x))
		overflow(d, CV_WHY_MONEY);
}

static void
decode_header(decoder *d)
{
	uint8_t		flags;
	cv_money	acquisition_cost = {0, 0};

	d->version = get_u8(&d->r);
	if (d->r.why == NULL && d->version != 1 && d->version != CV_FLOW_FORMAT_VERSION)
		fail(&d->r, "Unsupported format version.");
	flags = get_u8(&d->r);
	/* open times (2) came with version 2: a 0.1.0 summary has none */
	if (flags & ~(d->version == 1 ? 1 : 3))
		fail(&d->r, "Unknown flags are set.");
	d->flags = flags;
	d->c.customers = get_count(d);
	if (d->r.why == NULL && d->c.customers == 0)
		fail(&d->r, "A summary has at least one customer.");
	d->mask = get_u8(&d->r);
	if (d->mask & ~0x3F)
		fail(&d->r, "The stage mask has bits beyond the six stages.");
	if (flags & 1)
		acquisition_cost = get_money(d);
	add_money(d, &d->into->acquisition_cost, acquisition_cost);
}

/* a stage's dwell buckets, nkeys of them, into the accumulator's sketch */
static void
decode_dwell(decoder *d, int s, uint64_t nkeys)
{
	cv_sketch  *sk = &d->into->st[s].dwell;
	int64_t		key = 0;
	uint64_t	i;

	for (i = 0; i < nkeys && d->r.why == NULL; i++)
	{
		uint64_t	delta = get_u(&d->r);
		uint64_t	count = get_count(d);
		cv_i128		sum = get_u128(&d->r);
		const char *why;

		if (d->r.why != NULL)
			break;
		if ((i > 0 && delta == 0) || delta > CV_SKETCH_KEY_MAX)
		{
			fail(&d->r, "Dwell bucket keys are out of order or range.");
			break;
		}
		key += (int64_t) delta;
		why = cv_check_dwell_bucket(key, count, sum);
		if (why != NULL)
			fail(&d->r, why);
		else if (count_add(d, &d->c.dwell[s], count))
		{
			d->c.dwell_us = cv_i128_add(d->c.dwell_us, sum);
			cv_sketch_add_key(sk, &d->into->mem, (int) key, count, sum);
		}
	}
}

static void
decode_stage(decoder *d, int s)
{
	cv_stage_flow *st = &d->into->st[s];
	uint8_t		sums;
	uint64_t	nkeys,
				zero;

	d->c.stage_customers[s] = get_count(d);
	if (d->r.why == NULL && d->c.stage_customers[s] == 0)
		fail(&d->r, "A stage's customers are out of range.");
	zero = get_count(d);
	sums = get_u8(&d->r);
	if (sums & ~0x07)
		fail(&d->r, "Unknown sums are flagged.");
	if (d->r.why != NULL)
		return;
	st->customers += d->c.stage_customers[s];
	if (sums & 1)
		add_money(d, &st->value, get_money(d));
	if (sums & 2)
		add_money(d, &st->cost, get_money(d));
	if (sums & 4)
		add_money(d, &st->downstream, get_money(d));
	nkeys = get_u(&d->r);
	/* each bucket takes at least 3 bytes */
	if (nkeys > CV_SKETCH_KEY_MAX + 1 || nkeys > (uint64_t) (d->r.end - d->r.p) / 3)
		fail(&d->r, "Too many dwell buckets.");
	if (d->r.why != NULL)
		return;
	d->c.dwell[s] = zero;
	st->dwell.zero += zero;
	st->dwell.total += zero;
	decode_dwell(d, s, nkeys);
}

static void
decode_transitions(decoder *d)
{
	uint64_t	n = get_u(&d->r),
				i;
	int			prev_pair = -1;

	if (n > CV_STAGE_COUNT * CV_STAGE_COUNT)
		fail(&d->r, "Too many transitions.");
	for (i = 0; i < n && d->r.why == NULL; i++)
	{
		int			pair = get_u8(&d->r);
		uint64_t	count = get_count(d);
		int			from = pair / CV_STAGE_COUNT + 1,
					to = pair % CV_STAGE_COUNT + 1;

		if (d->r.why != NULL)
			break;
		if (pair <= prev_pair || pair >= CV_STAGE_COUNT * CV_STAGE_COUNT || from == to || count == 0)
			fail(&d->r, "Transitions are out of order, empty, or from a stage to itself.");
		else if (count_add(d, &d->c.out[from], count) && count_add(d, &d->c.in[to], count))
		{
			d->into->trans[from][to] += count;
			prev_pair = pair;
		}
	}
}

/*
 * The day buckets.  Into an empty accumulator they go as they come, a
 * sorted array (they are checked to ascend), sized to the count, which is
 * first checked against the bytes left: memory stays in proportion to the
 * summary's size.  Otherwise they are added to its table.
 */
static void
decode_day_buckets(decoder *d)
{
	cv_flow    *into = d->into;
	uint64_t	n = get_u(&d->r),
				i;
	int64_t		day = 0,
				prev_day = INT64_MIN;
	int			prev_stage = 0,
				append;

	/* each bucket takes at least 5 bytes */
	if (n > (uint64_t) (d->r.end - d->r.p) / 5 || n > UINT32_MAX / 2)
		fail(&d->r, "More day buckets than the data holds.");
	if (d->r.why != NULL)
		return;
	append = into->nbuckets == 0;
	if (append && n > 0)
	{
		if (into->buckets != NULL)
			cv_free(&into->mem, into->buckets);
		into->buckets = cv_alloc(&into->mem, (size_t) n * sizeof(cv_day_bucket));
		into->bucket_cap = (uint32_t) n;
		into->sorted = 1;
	}
	for (i = 0; i < n && d->r.why == NULL; i++)
	{
		int64_t		delta = get_z(&d->r);
		cv_stage	stage = get_u8(&d->r);
		uint64_t	count = get_count(d);
		cv_i128		sum_first,
					sum_last,
					open = {0, 0};
		const char *why;

		if (d->version == 1)
		{
			sum_first = get_z128(&d->r);
			sum_last = get_z128(&d->r);
		}
		else
		{
			/* offsets past the day's start, and spans: see T above */
			cv_i128		past_start = get_u128(&d->r),
						spans = get_u128(&d->r);

			sum_last = sum_first = past_start;
			if (d->r.why == NULL && (cv_i128_is_neg(past_start) || cv_i128_is_neg(spans)))
				fail(&d->r, "Event times are out of range.");
			else if (d->r.why == NULL && delta >= -(int64_t) CV_MAX_DAY * 4 && delta <= (int64_t) CV_MAX_DAY * 4 &&
					 day + delta >= CV_MIN_DAY && day + delta <= CV_MAX_DAY)
			{
				/* both below 2^127, the day's start times at most 2^53 customers: no wrap */
				sum_last = cv_i128_add(past_start, cv_i128_mul(cv_day_start((int32_t) (day + delta)), count));
				sum_first = cv_i128_sub(sum_last, spans);
			}
			if (d->flags & 2)
				open = get_u128(&d->r);
		}
		if (d->r.why != NULL)
			break;
		if (delta < -(int64_t) CV_MAX_DAY * 4 || delta > (int64_t) CV_MAX_DAY * 4)
		{
			fail(&d->r, "A day is out of range.");
			break;
		}
		day += delta;
		why = cv_check_day_bucket(day, stage, count, sum_first, sum_last);
		if (why != NULL)
			fail(&d->r, why);
		/* a last visit is entered between the first and the last event */
		else if (cv_i128_is_neg(open) || cv_i128_cmp(open, cv_i128_sub(sum_last, sum_first)) > 0)
			fail(&d->r, "Open times are out of range.");
		else if (day < prev_day || (day == prev_day && stage <= prev_stage))
			fail(&d->r, "Day buckets are out of order.");
		else if (count_add(d, &d->c.ended[stage], count))
		{
			d->c.span_us = cv_i128_add(d->c.span_us, cv_i128_sub(sum_last, sum_first));
			d->any_open |= !cv_i128_is_zero(open);
			if (append)
			{
				cv_day_bucket *b = &into->buckets[into->nbuckets++];

				b->day = (int32_t) day;
				b->stage = stage;
				b->customers = count;
				b->sum_first = sum_first;
				b->sum_entry = cv_i128_sub(sum_last, open);
				b->sum_last = sum_last;
				into->st[stage].ended += count;
			}
			else
				cv_flow_add_bucket(into, (int32_t) day, stage, count, sum_first,
								   cv_i128_sub(sum_last, open), sum_last);
			prev_day = day;
			prev_stage = stage;
		}
	}
}

cv_status
cv_flow_decode(cv_flow *into, const uint8_t *data, size_t len, const char **why)
{
	decoder		d;
	int			s;

	memset(&d, 0, sizeof(d));
	d.r.p = data;
	d.r.end = data + len - (len >= 4 ? 4 : 0);
	d.status = CV_ERR_CORRUPT;
	d.into = into;
	if (len < 4)
		fail(&d.r, "The data ends early.");
	else
	{
		const uint8_t *t = data + len - 4;
		uint32_t	stored = t[0] | (uint32_t) t[1] << 8 | (uint32_t) t[2] << 16 | (uint32_t) t[3] << 24;

		if (stored != cv_crc32c(data, len - 4))
			fail(&d.r, "The checksum does not match: the data is damaged.");
	}
	decode_header(&d);
	for (s = 1; s <= CV_STAGE_COUNT && d.r.why == NULL; s++)
		if (d.mask & (1u << (s - 1)))
			decode_stage(&d, s);
	decode_transitions(&d);
	decode_day_buckets(&d);
	if (d.r.why == NULL && d.r.p != d.r.end)
		fail(&d.r, "There are bytes after the end.");
	/* the flag is set exactly when some open time is not zero: one encoding */
	if (d.r.why == NULL && (d.flags & 2) && !d.any_open)
		fail(&d.r, "Open times are flagged but all zero.");
	if (d.r.why == NULL)
	{
		cv_status	st = cv_census_check(&d.c, why);

		if (st != CV_OK)
			return st;
	}
	if (d.r.why != NULL)
	{
		*why = d.r.why;
		return d.status;
	}
	into->customers += d.c.customers;
	/* what the accumulator now holds must be writable again */
	return cv_flow_check_bounds(into, why);
}
