/*
 * conversion_codec.c — the binary form of a conversion summary (format
 * version 1).  Little-endian, LEB128 varints (u unsigned, z zigzag):
 *
 *   parameters:
 *     u8  version (1)
 *     u8  flags: 1 any (re-entry), 2 strict, 4 an as_of follows (others rejected)
 *     u8  cohort period: 0 none, 1 day, 2 week, 3 month
 *     u8  steps m (2..64), then m x u8 the path's stages
 *     u   window in microseconds
 *     z   as_of, when flagged
 *   u    number of cohorts, then per cohort (ascending):
 *        z  cohort delta (the first from 0)
 *        m x (u attempts, u customers, u in progress)
 *        for steps 2..m: the sketch of times from the start (sketch_codec.h)
 *        for steps 3..m: the sketch of times from the previous step
 *   u32  CRC-32C of everything before it, little-endian
 *
 * The aggregates' partial states start with the parameters alone (no
 * checksum: they never leave the query), followed by their events.
 */
#include <string.h>

#include "codec.h"
#include "conversion.h"
#include "crc32c.h"
#include "mem.h"
#include "sketch_codec.h"

/* --- parameters ----------------------------------------------------------------- */

static void
put_params(buf *b, const cv_conv_params *p)
{
	int			k;

	put_u8(b, CV_CONV_FORMAT_VERSION);
	put_u8(b, (uint8_t) ((p->any ? 1 : 0) | (p->strict ? 2 : 0) | (p->has_as_of ? 4 : 0)));
	put_u8(b, p->period);
	put_u8(b, p->steps);
	for (k = 0; k < p->steps; k++)
		put_u8(b, p->path[k]);
	put_u(b, (uint64_t) p->window);
	if (p->has_as_of)
		put_z(b, p->as_of);
}

static int
get_params(reader *r, cv_conv_params *p)
{
	uint8_t		flags;
	uint64_t	window;
	const char *why = NULL;
	int			k;

	memset(p, 0, sizeof(*p));
	if (get_u8(r) != CV_CONV_FORMAT_VERSION && r->why == NULL)
		return fail(r, "Unsupported format version.");
	flags = get_u8(r);
	if (flags & ~7)
		return fail(r, "Unknown flags are set.");
	p->any = (flags & 1) != 0;
	p->strict = (flags & 2) != 0;
	p->has_as_of = (flags & 4) != 0;
	p->period = get_u8(r);
	if (p->period > CV_PERIOD_MAX)
		return fail(r, "Unknown cohort period.");
	p->steps = get_u8(r);
	if (r->why == NULL && (p->steps < CV_CONV_MIN_STEPS || p->steps > CV_CONV_MAX_STEPS))
		return fail(r, "A path has 2 to 64 stages.");
	for (k = 0; k < p->steps && r->why == NULL; k++)
		p->path[k] = get_u8(r);
	if (r->why == NULL && !cv_conv_check_path(p->path, p->steps, &why))
		return fail(r, why);
	window = get_u(r);
	if (window > (uint64_t) INT64_MAX)
		return fail(r, "The window is out of range.");
	p->window = (int64_t) window;
	if (p->has_as_of)
	{
		p->as_of = get_z(r);
		if (r->why == NULL && (p->as_of < CV_MIN_TIMESTAMP || p->as_of >= CV_END_TIMESTAMP))
			return fail(r, "as_of is out of range.");
	}
	return r->why == NULL;
}

size_t
cv_conv_params_size(const cv_conv_params *p)
{
	buf			b = {NULL, 0, 0, NULL};
	size_t		n;

	put_params(&b, p);
	n = b.len;
	cv_mem.free(b.data);
	return n;
}

void
cv_conv_params_write(const cv_conv_params *p, uint8_t *out)
{
	buf			b = {NULL, 0, 0, NULL};

	put_params(&b, p);
	memcpy(out, b.data, b.len);
	cv_mem.free(b.data);
}

cv_status
cv_conv_params_read(cv_conv_params *p, const uint8_t *data, size_t len, size_t *used,
					const char **why)
{
	reader		r = {data, data + len, NULL};

	if (!get_params(&r, p))
	{
		*why = r.why;
		return CV_ERR_CORRUPT;
	}
	*used = (size_t) (r.p - data);
	return CV_OK;
}

/* --- the summary ------------------------------------------------------------------ */

uint8_t *
cv_conv_encode(const cv_conv *c, size_t reserve, size_t *len)
{
	buf			b = {NULL, 0, 0, NULL};
	int			m = c->p.steps,
				k;
	uint32_t	i;
	int32_t		prev = 0;
	uint32_t	crc;
	uint8_t		le[4];

	grow(&b, reserve + 64 + (size_t) c->n * (size_t) m * 16);
	b.len = reserve;
	put_params(&b, &c->p);
	put_u(&b, c->n);
	for (i = 0; i < c->n; i++)
	{
		const cv_conv_cohort *h = &c->cohorts[i];

		put_z(&b, (int64_t) h->cohort - prev);
		prev = h->cohort;
		for (k = 0; k < m; k++)
		{
			put_u(&b, h->attempts[k]);
			put_u(&b, h->customers[k]);
			put_u(&b, h->in_progress[k]);
		}
		for (k = 1; k < m; k++)
			cv_sketch_put(&b, &h->from_start[k]);
		for (k = 2; k < m; k++)
			cv_sketch_put(&b, &h->from_prev[k]);
	}
	crc = cv_crc32c(b.data + reserve, b.len - reserve);
	le[0] = (uint8_t) crc;
	le[1] = (uint8_t) (crc >> 8);
	le[2] = (uint8_t) (crc >> 16);
	le[3] = (uint8_t) (crc >> 24);
	put_bytes(&b, le, 4);
	*len = b.len - reserve;
	return b.data;
}

static uint64_t
get_count(reader *r)
{
	uint64_t	v = get_u(r);

	if (v > CV_COUNT_MAX)
		return (uint64_t) fail(r, "A count is out of range.");
	return v;
}

/* the counts of one cohort must be what attempts can produce */
static int
check_counts(reader *r, const cv_conv_params *p, const cv_conv_cohort *h)
{
	int			m = p->steps,
				k;

	if (h->attempts[0] == 0)
		return fail(r, "A cohort has no attempt.");
	for (k = 0; k < m; k++)
	{
		uint64_t	stopped = h->attempts[k] - (k + 1 < m ? h->attempts[k + 1] : 0);

		if (k > 0 && (h->attempts[k] > h->attempts[k - 1] || h->customers[k] > h->customers[k - 1]))
			return fail(r, "Counts grow along the path.");
		if (h->customers[k] > h->attempts[k] || (h->customers[k] == 0) != (h->attempts[k] == 0))
			return fail(r, "Customers and attempts do not match.");
		if (!p->any && h->customers[k] != h->attempts[k])
			return fail(r, "A first-touch summary has one attempt per customer.");
		if (h->in_progress[k] > stopped || (h->in_progress[k] > 0 && (!p->has_as_of || k + 1 == m)))
			return fail(r, "More attempts are in progress than can be.");
	}
	return 1;
}

static int
check_cohort_time(reader *r, const cv_conv_params *p, const cv_conv_cohort *h)
{
	int			k;
	int64_t		start,
				end;
	uint64_t	open = 0;

	if (p->period == CV_PERIOD_NONE)
		return h->cohort == 0 ? 1 : fail(r, "A summary without cohorts has one, numbered 0.");
	if (h->cohort < cv_period_index((cv_period) p->period, CV_MIN_TIMESTAMP) ||
		h->cohort > cv_period_index((cv_period) p->period, CV_END_TIMESTAMP - 1))
		return fail(r, "A cohort is out of range.");
	if (!p->has_as_of)
		return 1;
	start = cv_period_start((cv_period) p->period, h->cohort);
	end = cv_period_start((cv_period) p->period, h->cohort + 1);
	if (start > p->as_of)
		return fail(r, "A cohort starts after as_of.");
	for (k = 0; k < p->steps; k++)
		open += h->in_progress[k];
	/* an attempt in progress started less than a window before as_of */
	if (open > 0 && end <= p->as_of && (uint64_t) p->as_of - (uint64_t) (end - 1) >= (uint64_t) p->window)
		return fail(r, "Attempts are in progress whose window has run out.");
	return 1;
}

cv_status
cv_conv_decode(cv_conv *c, const uint8_t *data, size_t len, const char **why)
{
	reader		r = {data, data + len - (len >= 4 ? 4 : 0), NULL};
	cv_conv_params p;
	uint64_t	n,
				i;
	int64_t		cohort = 0;
	int			m,
				k;

	memset(c, 0, sizeof(*c));
	if (len < 4)
		fail(&r, "The data ends early.");
	else
	{
		const uint8_t *t = data + len - 4;
		uint32_t	stored = t[0] | (uint32_t) t[1] << 8 | (uint32_t) t[2] << 16 | (uint32_t) t[3] << 24;

		if (stored != cv_crc32c(data, len - 4))
			fail(&r, "The checksum does not match: the data is damaged.");
	}
	if (r.why == NULL && get_params(&r, &p))
	{
		cv_conv_init(c, &p);
		m = p.steps;
		n = get_u(&r);
		if (p.period == CV_PERIOD_NONE && n > 1)
			fail(&r, "A summary without cohorts has one.");
		/* each cohort takes at least 3 bytes a step */
		if (r.why == NULL && n > (uint64_t) (r.end - r.p) / (3 * (uint64_t) m))
			fail(&r, "The cohort count is out of range.");
		for (i = 0; i < n && r.why == NULL; i++)
		{
			int64_t		delta = get_z(&r);
			cv_conv_cohort *h;

			if (r.why != NULL)
				break;
			if ((i > 0 && delta <= 0) || delta > INT32_MAX || delta < INT32_MIN ||
				cohort + delta > INT32_MAX || cohort + delta < INT32_MIN)
			{
				fail(&r, "Cohorts are out of order or range.");
				break;
			}
			cohort += delta;
			/* cohorts come in order: each is added at the end */
			h = cv_conv_cohort_get(c, (int32_t) cohort);
			for (k = 0; k < m; k++)
			{
				h->attempts[k] = get_count(&r);
				h->customers[k] = get_count(&r);
				h->in_progress[k] = get_count(&r);
			}
			if (r.why != NULL || !check_counts(&r, &p, h) || !check_cohort_time(&r, &p, h))
				break;
			for (k = 1; k < m && r.why == NULL; k++)
			{
				uint64_t	total;

				if (cv_sketch_get(&r, &h->from_start[k], &total, (uint64_t) p.window, CV_COUNT_MAX) &&
					total != h->attempts[k])
					fail(&r, "A sketch of times does not hold the attempts that reached its step.");
			}
			for (k = 2; k < m && r.why == NULL; k++)
			{
				uint64_t	total;

				if (cv_sketch_get(&r, &h->from_prev[k], &total, (uint64_t) p.window, CV_COUNT_MAX) &&
					total != h->attempts[k])
					fail(&r, "A sketch of times does not hold the attempts that reached its step.");
			}
		}
	}
	if (r.why == NULL && r.p != r.end)
		fail(&r, "There are bytes after the end.");
	*why = r.why;
	return r.why == NULL ? CV_OK : CV_ERR_CORRUPT;
}
