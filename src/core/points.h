/*
 * points.h — a bag of weighted points: the distinct (x, y, z) triples of a
 * model fit's inputs with how often each occurs (pure C core).
 *
 * The BG/NBD and Gamma-Gamma likelihoods depend on the data only through
 * these distinct summaries, so a fit's aggregate state is this bag: it is
 * mergeable (add one bag to another), small when customers share
 * summaries (frequency and recency come in whole days or weeks), and
 * sorted before fitting so that a result does not depend on row order or on
 * how the rows were split between workers.
 */
#ifndef CVFW_CORE_POINTS_H
#define CVFW_CORE_POINTS_H

#include <stddef.h>
#include <stdint.h>

typedef struct cv_point
{
	double		v[3];
	uint64_t	n;				/* how many customers have this summary */
} cv_point;

typedef struct cv_points
{
	cv_point   *p;				/* open-addressed table (n == 0: empty slot), or sorted */
	size_t		cap;			/* slots, a power of two (or 0) */
	size_t		len;			/* distinct points */
	uint64_t	total;			/* sum of n */
	int			sorted;			/* p[0..len) sorted, no longer a hash table */
} cv_points;

/* at most this many distinct points (32 bytes each: 1 GB of table) */
#define CV_POINTS_MAX ((size_t) 1 << 25)

extern void cv_points_init(cv_points *b);
extern void cv_points_free(cv_points *b);

/* add n customers at (a, b, c); 0 on success, -1 when the bag is full */
extern int	cv_points_add(cv_points *bag, double a, double b, double c, uint64_t n);

/* add every point of src to dst (src unchanged); -1 when dst is full */
extern int	cv_points_merge(cv_points *dst, const cv_points *src);

/*
 * Sort the points (by x, then y, then z) into p[0..len): the bag is no
 * longer a hash table and takes no more points.
 */
extern void cv_points_sort(cv_points *b);

/*
 * serialised size and form: u8 version (CV_STATE_FORMAT_VERSION), three zero
 * bytes, u64 len, then len x (3 f64, u64), little-endian
 */
extern size_t cv_points_size(const cv_points *b);
extern void cv_points_write(cv_points *b, unsigned char *out);	/* sorts b */
/* 0, or -1 if the bytes are not a valid bag (wrong size, version, NaN, n = 0, duplicates) */
extern int	cv_points_read(const unsigned char *in, size_t size, cv_points *into);

/*
 * A penalised fit's state: f64 penalizer (finite, >= 0), then the bag as
 * above.  cv_fitstate_read: 0, or -1 as cv_points_read or for a bad
 * penalizer.
 */
extern size_t cv_fitstate_size(const cv_points *b);
extern void cv_fitstate_write(cv_points *b, double penalizer, unsigned char *out);	/* sorts b */
extern int	cv_fitstate_read(const unsigned char *in, size_t size, double *penalizer,
							 cv_points *into);

#endif							/* CVFW_CORE_POINTS_H */
