/*
 * points.c — the bag of weighted points behind the model fits.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "mem.h"
#include "sort.h"
#include "points.h"

#define POINT_BYTES 32

void
cv_points_init(cv_points *b)
{
	memset(b, 0, sizeof(*b));
}

void
cv_points_free(cv_points *b)
{
	if (b->p != NULL)
		cv_mem.free(b->p);
	cv_points_init(b);
}

static uint64_t
bits(double d)
{
	uint64_t	u;

	if (d == 0)
		d = 0;					/* -0 and 0 are one point */
	memcpy(&u, &d, sizeof(u));
	return u;
}

static size_t
slot_of(const cv_points *b, const double v[3])
{
	uint64_t	h = bits(v[0]) * UINT64_C(0x9E3779B97F4A7C15);

	h = (h ^ (h >> 29) ^ bits(v[1])) * UINT64_C(0xBF58476D1CE4E5B9);
	h = (h ^ (h >> 31) ^ bits(v[2])) * UINT64_C(0x94D049BB133111EB);
	h ^= h >> 32;
	return (size_t) h & (b->cap - 1);
}

static int
same(const double a[3], const double b[3])
{
	return bits(a[0]) == bits(b[0]) && bits(a[1]) == bits(b[1]) && bits(a[2]) == bits(b[2]);
}

/* place a point known not to be in the table */
static void
place(cv_points *b, const cv_point *pt)
{
	size_t		i = slot_of(b, pt->v);

	while (b->p[i].n != 0)
		i = (i + 1) & (b->cap - 1);
	b->p[i] = *pt;
}

static int
grow(cv_points *b)
{
	cv_point   *old = b->p;
	size_t		oldcap = b->cap,
				i;

	if (b->cap >= 2 * CV_POINTS_MAX)
		return -1;
	b->cap = b->cap == 0 ? 64 : 2 * b->cap;
	b->p = cv_mem.alloc(b->cap * sizeof(cv_point));
	memset(b->p, 0, b->cap * sizeof(cv_point));
	for (i = 0; i < oldcap; i++)
		if (old[i].n != 0)
			place(b, &old[i]);
	if (old != NULL)
		cv_mem.free(old);
	return 0;
}

/* a sorted bag (read, or about to be fitted) becomes a hash table again */
static void
unsort(cv_points *b)
{
	cv_point   *old = b->p;
	size_t		len = b->len,
				i;

	b->sorted = 0;
	if (len == 0)
	{
		cv_points_free(b);
		return;
	}
	for (b->cap = 64; b->cap < 2 * len; b->cap *= 2)
		;
	b->p = cv_mem.alloc(b->cap * sizeof(cv_point));
	memset(b->p, 0, b->cap * sizeof(cv_point));
	for (i = 0; i < len; i++)
		place(b, &old[i]);
	cv_mem.free(old);
}

int
cv_points_add(cv_points *b, double x, double y, double z, uint64_t n)
{
	cv_point	pt;
	size_t		i;

	if (n == 0)
		return 0;
	if (b->sorted)
		unsort(b);
	pt.v[0] = x == 0 ? 0 : x;
	pt.v[1] = y == 0 ? 0 : y;
	pt.v[2] = z == 0 ? 0 : z;
	pt.n = n;
	/* keep the table at most half full */
	if (2 * (b->len + 1) > b->cap && (b->len >= CV_POINTS_MAX || grow(b) != 0))
		return -1;
	for (i = slot_of(b, pt.v); b->p[i].n != 0; i = (i + 1) & (b->cap - 1))
		if (same(b->p[i].v, pt.v))
		{
			b->p[i].n += n;
			b->total += n;
			return 0;
		}
	b->p[i] = pt;
	b->len++;
	b->total += n;
	return 0;
}

int
cv_points_merge(cv_points *dst, const cv_points *src)
{
	size_t		i,
				slots = src->sorted ? src->len : src->cap;

	for (i = 0; i < slots; i++)
		if (src->p[i].n != 0 && cv_points_add(dst, src->p[i].v[0], src->p[i].v[1], src->p[i].v[2], src->p[i].n) != 0)
			return -1;
	return 0;
}

static int
cmp_point(const void *pa, const void *pb)
{
	const cv_point *a = pa,
			   *b = pb;
	int			k;

	for (k = 0; k < 3; k++)
		if (a->v[k] != b->v[k])
			return a->v[k] < b->v[k] ? -1 : 1;
	return 0;
}

void
cv_points_sort(cv_points *b)
{
	size_t		i,
				j = 0;

	if (b->sorted)
		return;
	for (i = 0; i < b->cap; i++)
		if (b->p[i].n != 0)
			b->p[j++] = b->p[i];
	if (j > 1)
		cv_sort(b->p, j, sizeof(cv_point), cmp_point);
	b->sorted = 1;
}

size_t
cv_points_size(const cv_points *b)
{
	return 12 + b->len * POINT_BYTES;
}

void
cv_points_write(cv_points *b, unsigned char *out)
{
	size_t		i;
	int			k;

	cv_points_sort(b);
	out[0] = CV_STATE_FORMAT_VERSION;
	out[1] = out[2] = out[3] = 0;
	cv_put_le64(out + 4, (uint64_t) b->len);
	out += 12;
	for (i = 0; i < b->len; i++, out += POINT_BYTES)
	{
		for (k = 0; k < 3; k++)
			cv_put_le64(out + 8 * k, bits(b->p[i].v[k]));
		cv_put_le64(out + 24, b->p[i].n);
	}
}

int
cv_points_read(const unsigned char *in, size_t size, cv_points *into)
{
	uint64_t	len;
	size_t		i;
	int			k;
	const cv_point *prev = NULL;

	cv_points_init(into);
	if (size < 12 || in[0] != CV_STATE_FORMAT_VERSION || in[1] != 0 || in[2] != 0 || in[3] != 0)
		return -1;
	len = cv_get_le64(in + 4);
	if (len > CV_POINTS_MAX || size != 12 + len * POINT_BYTES)
		return -1;
	into->p = cv_mem.alloc((len > 0 ? len : 1) * sizeof(cv_point));
	into->cap = into->len = (size_t) len;
	into->sorted = 1;
	in += 12;
	for (i = 0; i < len; i++, in += POINT_BYTES)
	{
		cv_point   *pt = &into->p[i];

		for (k = 0; k < 3; k++)
		{
			uint64_t	u = cv_get_le64(in + 8 * k);

			memcpy(&pt->v[k], &u, sizeof(double));
			/* the writer never writes -0 (it is 0) nor a NaN or infinity */
			if (!isfinite(pt->v[k]) || u == UINT64_C(1) << 63)
				goto bad;
		}
		pt->n = cv_get_le64(in + 24);
		/* written sorted and distinct: anything else was not written by us */
		if (pt->n == 0 || pt->n > UINT64_MAX - into->total ||
			(prev != NULL && cmp_point(prev, pt) >= 0))
			goto bad;
		into->total += pt->n;
		prev = pt;
	}
	return 0;
bad:
	cv_points_free(into);
	return -1;
}

size_t
cv_fitstate_size(const cv_points *b)
{
	return 8 + cv_points_size(b);
}

void
cv_fitstate_write(cv_points *b, double penalizer, unsigned char *out)
{
	cv_put_le64(out, bits(penalizer));
	cv_points_write(b, out + 8);
}

int
cv_fitstate_read(const unsigned char *in, size_t size, double *penalizer, cv_points *into)
{
	uint64_t	u;

	cv_points_init(into);
	if (size < 8)
		return -1;
	u = cv_get_le64(in);
	memcpy(penalizer, &u, sizeof(double));
	/* the writer writes what the aggregate accepted: finite, >= 0, never -0 */
	if (!isfinite(*penalizer) || *penalizer < 0 || u == UINT64_C(1) << 63)
		return -1;
	return cv_points_read(in + 8, size - 8, into);
}
