/*
 * trend_codec.c — the binary form of a trend (format version 1, described
 * in trend.h).  The decoder reads nothing it has not checked, accepts only
 * the canonical form (keys strictly ascending, minimal varints, no empty
 * entry), so what it accepts re-encodes to the same bytes, and checks
 * every bound and invariant (cv_trend_check) before merging.
 */
#include <string.h>

#include "codec.h"
#include "crc32c.h"
#include "trend.h"

/* --- writing ------------------------------------------------------------------- */

uint8_t *
cv_trend_encode(cv_trend *t, const cv_allocator *out, size_t reserve, size_t *len)
{
	buf			w = {NULL, 0, 0, out};
	size_t		i,
				j = 0;
	int32_t		prev_day = 0;
	uint32_t	crc;

	cv_trend_compact(t);
	grow(&w, reserve + 16 + t->ncells * 8 + t->nends * 3);
	w.len = reserve;
	put_u8(&w, CV_TREND_FORMAT_VERSION);
	put_u(&w, t->customers);
	put_u(&w, t->ncells);
	for (i = 0; i < t->ncells; i++)
	{
		const cv_trend_cell *c = &t->cells[i];
		size_t		k;
		int32_t		prev_last;

		/* days lie in PostgreSQL's range: the difference fits an int64 */
		put_z(&w, (int64_t) c->day - prev_day);
		prev_day = c->day;
		put_u8(&w, c->stage);
		put_u(&w, c->advanced);
		put_u(&w, c->regressed);
		put_u(&w, c->skipped);
		put_z128(&w, c->value);
		for (k = j; k < t->nends && t->ends[k].day == c->day && t->ends[k].stage == c->stage; k++)
			;
		put_u(&w, k - j);
		prev_last = c->day;
		for (; j < k; j++)
		{
			put_u(&w, (uint64_t) ((int64_t) t->ends[j].last_day - prev_last));
			put_u(&w, t->ends[j].customers);
			prev_last = t->ends[j].last_day;
		}
	}
	CV_ASSERT(j == t->nends);
	crc = cv_crc32c(w.data + reserve, w.len - reserve);
	put_u8(&w, (uint8_t) crc);
	put_u8(&w, (uint8_t) (crc >> 8));
	put_u8(&w, (uint8_t) (crc >> 16));
	put_u8(&w, (uint8_t) (crc >> 24));
	*len = w.len - reserve;
	return w.data;
}

uint8_t *
cv_trend_encode_customer(const cv_allocator *out, cv_event *events, size_t n, size_t reserve,
						 size_t *len, cv_status *status)
{
	cv_trend	t;
	uint8_t    *data = NULL;

	cv_trend_init(&t, out);
	*status = cv_trend_add_customer(&t, events, n);
	if (*status == CV_OK)
		data = cv_trend_encode(&t, out, reserve, len);
	cv_trend_free(&t);
	return data;
}

/* --- reading ------------------------------------------------------------------- */

static cv_status
decode_body(cv_trend *t, reader *r)
{
	uint64_t	customers,
				ncells,
				i;
	int64_t		day = 0;

	if (get_u8(r) != CV_TREND_FORMAT_VERSION && r->why == NULL)
		fail(r, "Unsupported format version.");
	customers = get_u(r);
	ncells = get_u(r);
	if (r->why != NULL)
		return CV_ERR_CORRUPT;
	if (customers == 0 || customers > CV_COUNT_MAX)
		return (fail(r, "The number of customers is out of range."), CV_ERR_CORRUPT);
	/* every cell takes at least 7 bytes: no huge allocation for a short input */
	if (ncells == 0 || ncells > (uint64_t) (r->end - r->p) / 7)
		return (fail(r, "The number of cells is out of range."), CV_ERR_CORRUPT);
	t->cells = cv_alloc(&t->mem, (size_t) ncells * sizeof(cv_trend_cell));
	t->cells_cap = (size_t) ncells;
	t->customers = customers;
	for (i = 0; i < ncells && r->why == NULL; i++)
	{
		cv_trend_cell *c = &t->cells[i];
		uint64_t	nends,
					k;
		int64_t		last;

		memset(c, 0, sizeof(*c));
		day += get_z(r);
		c->stage = get_u8(r);
		c->advanced = get_u(r);
		c->regressed = get_u(r);
		c->skipped = get_u(r);
		c->value = get_z128(r);
		nends = get_u(r);
		if (r->why != NULL)
			break;
		if (day < CV_MIN_DAY || day > CV_MAX_DAY || !cv_stage_is_valid(c->stage))
			return (fail(r, "A day or a stage is out of range."), CV_ERR_CORRUPT);
		c->day = (int32_t) day;
		if (i > 0 && (t->cells[i - 1].day > c->day ||
					  (t->cells[i - 1].day == c->day && t->cells[i - 1].stage >= c->stage)))
			return (fail(r, "The days and stages are not in ascending order."), CV_ERR_CORRUPT);
		if (c->advanced > CV_COUNT_MAX || c->regressed > CV_COUNT_MAX || c->skipped > CV_COUNT_MAX)
			return (fail(r, "A count is out of range."), CV_ERR_CORRUPT);
		if (nends > (uint64_t) (r->end - r->p) / 2)
			return (fail(r, "The number of ended visits is out of range."), CV_ERR_CORRUPT);
		if (t->nends + nends > t->ends_cap)
		{
			size_t		cap = t->ends_cap ? t->ends_cap : 16;

			while (cap < t->nends + nends)
				cap *= 2;
			t->ends = cv_realloc(&t->mem, t->ends, cap * sizeof(cv_trend_end));
			t->ends_cap = cap;
		}
		last = c->day;
		for (k = 0; k < nends && r->why == NULL; k++)
		{
			cv_trend_end *e = &t->ends[t->nends];
			uint64_t	delta = get_u(r);

			e->customers = get_u(r);
			if (r->why != NULL)
				break;
			if ((k > 0 && delta == 0) || delta > (uint64_t) (CV_MAX_DAY - last))
				return (fail(r, "The last days of a cell are not in ascending order or out of range."),
						CV_ERR_CORRUPT);
			last += (int64_t) delta;
			if (e->customers == 0 || e->customers > CV_COUNT_MAX)
				return (fail(r, "An ended visit's count is out of range."), CV_ERR_CORRUPT);
			if (c->ended + e->customers > CV_COUNT_MAX)
				return (fail(r, "A count is out of range."), CV_ERR_CORRUPT);
			e->day = c->day;
			e->stage = c->stage;
			e->last_day = (int32_t) last;
			c->ended += e->customers;
			t->nends++;
		}
		/* each count below 2^53: the sum cannot wrap */
		t->visits += cv_trend_cell_visits(c);
		if (t->visits > CV_COUNT_MAX)
			return (fail(r, "A trend holds at most 2^53 visits."), CV_ERR_CORRUPT);
		t->ncells++;
	}
	if (r->why != NULL)
		return CV_ERR_CORRUPT;
	t->cells_sorted = t->ncells;
	t->ends_sorted = t->nends;
	return CV_OK;
}

cv_status
cv_trend_decode(cv_trend *into, const uint8_t *data, size_t len, const char **why)
{
	reader		r;
	cv_trend	t;
	cv_status	st;
	uint32_t	crc;

	*why = NULL;
	if (len < 5)
		return (*why = "The data ends early.", CV_ERR_CORRUPT);
	crc = (uint32_t) data[len - 4] | (uint32_t) data[len - 3] << 8 |
		(uint32_t) data[len - 2] << 16 | (uint32_t) data[len - 1] << 24;
	if (cv_crc32c(data, len - 4) != crc)
		return (*why = "The checksum does not match: the trend is damaged.", CV_ERR_CORRUPT);
	r.p = data;
	r.end = data + len - 4;
	r.why = NULL;
	cv_trend_init(&t, &into->mem);
	st = decode_body(&t, &r);
	if (st == CV_OK && r.p != r.end)
		st = (fail(&r, "There are bytes after the end."), CV_ERR_CORRUPT);
	if (st != CV_OK)
	{
		*why = r.why;
		cv_trend_free(&t);
		return st;
	}
	st = cv_trend_check(&t, why);
	if (st == CV_OK)
	{
		if (into->customers == 0 && into->ncells == 0 && into->nends == 0)
		{
			/* the common case: take it over as it is */
			cv_allocator mem = into->mem;

			cv_trend_free(into);
			*into = t;
			into->mem = mem;
			return CV_OK;
		}
		st = cv_trend_merge(into, &t, why);
	}
	cv_trend_free(&t);
	return st;
}
