/*
 * retention_codec.c — the binary form of a retention summary (format
 * version 1).  Little-endian, LEB128 varints (u unsigned, z zigzag):
 *
 *   parameters:
 *     u8  version (1)
 *     u8  flags: 1 rolling offsets (others rejected)
 *     u8  period: 1 day, 2 week, 3 month
 *     u8  start stage, 0 for any
 *     u8  active stages, bit s - 1 for stage s (not 0, nothing above bit 5)
 *     z   as_of
 *   u    number of cells, then per cell ((cohort, offset) ascending):
 *        z  cohort minus the previous cell's (the first from 0)
 *        z  offset minus the previous cell's in the same cohort (-1 for the
 *           first of a cohort)
 *        u  active, u last complete, u last active (not all 0)
 *   u32  CRC-32C of everything before it, little-endian
 *
 * The aggregates' partial states start with the parameters alone.
 */
#include <string.h>

#include "codec.h"
#include "crc32c.h"
#include "mem.h"
#include "retention.h"

static void
put_params(buf *b, const cv_ret_params *p)
{
	put_u8(b, CV_RET_FORMAT_VERSION);
	put_u8(b, p->rolling ? 1 : 0);
	put_u8(b, p->period);
	put_u8(b, p->start);
	put_u8(b, p->active);
	put_z(b, p->as_of);
}

static int
get_params(reader *r, cv_ret_params *p)
{
	uint8_t		flags;

	memset(p, 0, sizeof(*p));
	if (get_u8(r) != CV_RET_FORMAT_VERSION && r->why == NULL)
		return fail(r, "Unsupported format version.");
	flags = get_u8(r);
	if (flags & ~1)
		return fail(r, "Unknown flags are set.");
	p->rolling = flags & 1;
	p->period = get_u8(r);
	if (r->why == NULL && (p->period == CV_PERIOD_NONE || p->period > CV_PERIOD_MAX))
		return fail(r, "Unknown period.");
	p->start = get_u8(r);
	if (r->why == NULL && p->start != 0 && !cv_stage_is_valid(p->start))
		return fail(r, "The start stage is out of range.");
	p->active = get_u8(r);
	if (r->why == NULL && (p->active == 0 || (p->active & ~CV_RET_ALL_STAGES)))
		return fail(r, "The active stages are out of range.");
	p->as_of = get_z(r);
	if (r->why == NULL && (p->as_of < CV_MIN_TIMESTAMP || p->as_of >= CV_END_TIMESTAMP))
		return fail(r, "as_of is out of range.");
	return r->why == NULL;
}

size_t
cv_ret_params_size(const cv_ret_params *p)
{
	buf			b = {NULL, 0, 0, NULL};
	size_t		n;

	put_params(&b, p);
	n = b.len;
	cv_mem.free(b.data);
	return n;
}

void
cv_ret_params_write(const cv_ret_params *p, uint8_t *out)
{
	buf			b = {NULL, 0, 0, NULL};

	put_params(&b, p);
	memcpy(out, b.data, b.len);
	cv_mem.free(b.data);
}

cv_status
cv_ret_params_read(cv_ret_params *p, const uint8_t *data, size_t len, size_t *used,
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

uint8_t *
cv_ret_encode(const cv_ret *r, size_t reserve, size_t *len)
{
	buf			b = {NULL, 0, 0, NULL};
	cv_ret_cell *cells = cv_ret_sorted_cells(r);
	uint32_t	i,
				crc;
	int32_t		cohort = 0,
				offset = -1;
	uint8_t		le[4];

	grow(&b, reserve + 32 + (size_t) r->n * 8);
	b.len = reserve;
	put_params(&b, &r->p);
	put_u(&b, r->n);
	for (i = 0; i < r->n; i++)
	{
		const cv_ret_cell *c = &cells[i];

		if (i == 0 || c->cohort != cohort)
			offset = -1;
		put_z(&b, (int64_t) c->cohort - cohort);
		put_z(&b, (int64_t) c->offset - offset);
		put_u(&b, c->active);
		put_u(&b, c->last_complete);
		put_u(&b, c->last_active);
		cohort = c->cohort;
		offset = c->offset;
	}
	cv_mem.free(cells);
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

/*
 * The cells of one cohort (sorted, offsets >= -1) must be what customers
 * starting in it can produce by as_of.
 */
static int
check_cohort(reader *r, const cv_ret_params *p, const cv_ret_cell *c, uint32_t n)
{
	cv_period	period = (cv_period) p->period;
	int64_t		len = cv_period_length(period);
	int64_t		start = cv_period_start(period, c[0].cohort);
	int64_t		end = cv_period_start(period, c[0].cohort + 1) - 1;
	int64_t		lc_min,
				lc_max,
				max_lc = -1;
	uint64_t	elig = 0,
				after = 0,
				total_elig = 0,
				total_after = 0;
	uint32_t	i;

	if (end > p->as_of)
		end = p->as_of;
	if (start < CV_MIN_TIMESTAMP)
		start = CV_MIN_TIMESTAMP;
	if (p->rolling)
	{
		/* starts lie in [start, end]: the later the start, the fewer offsets */
		lc_min = (int64_t) (((uint64_t) p->as_of - (uint64_t) end + 1) / (uint64_t) len) - 1;
		lc_max = (int64_t) (((uint64_t) p->as_of - (uint64_t) start + 1) / (uint64_t) len) - 1;
	}
	else
		lc_min = lc_max = (int64_t) cv_period_index(period, p->as_of + 1) - 1 - c[0].cohort;
	for (i = 0; i < n; i++)
	{
		total_elig += c[i].last_complete;
		total_after += c[i].last_active;
		if (c[i].last_complete > 0)
		{
			if (c[i].offset < lc_min || c[i].offset > lc_max)
				return fail(r, "Customers' last complete periods are out of reach.");
			max_lc = c[i].offset;
		}
	}
	if (total_elig == 0 || total_elig != total_after)
		return fail(r, "A cohort's customers do not add up.");
	if (c[n - 1].offset > max_lc)
		return fail(r, "A cell lies beyond every customer's last complete period.");
	/* from the far end: retained <= retained on or after <= customers */
	for (i = n; i-- > 0;)
	{
		elig += c[i].last_complete;
		after += c[i].last_active;
		if (c[i].offset < 0 ? c[i].active != 0 : (c[i].active > after || after > elig))
			return fail(r, "More customers are retained than can be.");
	}
	return 1;
}

cv_status
cv_ret_decode(cv_ret *ret, const uint8_t *data, size_t len, const char **why)
{
	reader		r = {data, data + len - (len >= 4 ? 4 : 0), NULL};
	cv_ret_params p;
	cv_ret_cell *cells = NULL;
	uint64_t	n = 0,
				i,
				customers = 0;
	int64_t		cohort = 0,
				offset = -1;

	memset(ret, 0, sizeof(*ret));
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
		int32_t		first_cohort = cv_period_index((cv_period) p.period, CV_MIN_TIMESTAMP),
					last_cohort = cv_period_index((cv_period) p.period, p.as_of);

		cv_ret_init(ret, &p);
		n = get_u(&r);
		/* a cell takes at least 5 bytes */
		if (r.why == NULL && n > (uint64_t) (r.end - r.p) / 5)
			fail(&r, "The cell count is out of range.");
		if (r.why == NULL)
			cells = cv_mem.alloc((n > 0 ? n : 1) * sizeof(cv_ret_cell));
		for (i = 0; i < n && r.why == NULL; i++)
		{
			int64_t		dc = get_z(&r),
						doff = get_z(&r);
			cv_ret_cell *c = &cells[i];

			c->active = get_count(&r);
			c->last_complete = get_count(&r);
			c->last_active = get_count(&r);
			if (r.why != NULL)
				break;
			if ((i > 0 && dc < 0) || dc > INT64_C(4294967296) || dc < -INT64_C(4294967296))
			{
				fail(&r, "Cohorts are out of order or range.");
				break;
			}
			if (i == 0 || dc > 0)
				offset = -1;
			cohort = (i == 0 ? 0 : cohort) + dc;
			if (cohort < first_cohort || cohort > last_cohort)
			{
				fail(&r, "A cohort is out of range.");
				break;
			}
			if ((i > 0 && dc == 0 && doff <= 0) || doff < 0 || doff > (int64_t) INT32_MAX)
			{
				fail(&r, "Cells are out of order.");
				break;
			}
			offset += doff;
			if (offset > (int64_t) INT32_MAX)
			{
				fail(&r, "An offset is out of range.");
				break;
			}
			if (c->active == 0 && c->last_complete == 0 && c->last_active == 0)
			{
				fail(&r, "A cell is empty.");
				break;
			}
			c->cohort = (int32_t) cohort;
			c->offset = (int32_t) offset;
			c->used = 1;
			if (c->last_complete > CV_COUNT_MAX - customers)
			{
				fail(&r, "Counts add up beyond their range.");
				break;
			}
			customers += c->last_complete;
		}
		if (r.why == NULL && r.p != r.end)
			fail(&r, "There are bytes after the end.");
		/* cohort by cohort */
		for (i = 0; i < n && r.why == NULL;)
		{
			uint64_t	j = i;

			while (j < n && cells[j].cohort == cells[i].cohort)
				j++;
			check_cohort(&r, &p, &cells[i], (uint32_t) (j - i));
			i = j;
		}
		for (i = 0; i < n && r.why == NULL; i++)
		{
			cv_ret_cell *c = cv_ret_cell_get(ret, cells[i].cohort, cells[i].offset);

			c->active = cells[i].active;
			c->last_complete = cells[i].last_complete;
			c->last_active = cells[i].last_active;
		}
		if (r.why == NULL)
			ret->customers = customers;
	}
	if (cells != NULL)
		cv_mem.free(cells);
	*why = r.why;
	return r.why == NULL ? CV_OK : CV_ERR_CORRUPT;
}
