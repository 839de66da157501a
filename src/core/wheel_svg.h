/*
 * wheel_svg.h — the wheel as a picture: a standalone SVG of the six stages
 * on a circle, the flow between them and the leakage at each (pure C core).
 *
 * The renderer takes plain numbers, so it can be unit-tested without a
 * flow summary; cv_wheel_from_flow fills them from a summary through the
 * leakage report (cv_flow_leakage), so the picture and cvfw_leakage can
 * never disagree.  Output is deterministic and locale-independent: numbers
 * are formatted by hand (svgbuf.h), and the document is plain ASCII (other
 * characters as XML character references), valid in any server encoding.
 */
#ifndef CVFW_CORE_WHEEL_SVG_H
#define CVFW_CORE_WHEEL_SVG_H

#include <stddef.h>
#include <stdint.h>

#include "flow.h"
#include "markov.h"
#include "stage.h"

typedef struct cv_wheel_stage
{
	uint64_t	customers;		/* distinct customers who visited */
	uint64_t	visits;
	uint64_t	leaked;			/* ended visits whose customer has left */
	uint64_t	active;			/* ended visits whose customer is still active */
	double		value;			/* realised at the stage */
	double		value_at_risk;	/* as in cvfw_leakage */
} cv_wheel_stage;

typedef struct cv_wheel
{
	uint64_t	customers;
	cv_wheel_stage st[CV_STAGE_COUNT + 1];	/* 1..6 */
	uint64_t	trans[CV_STAGE_COUNT + 1][CV_STAGE_COUNT + 1];	/* from, to */
	const char *subtitle;		/* a line under the title, or NULL; escaped */
	/* the fix-first list (cvfw_fix_first), when drawn: rank 1..6, 0 for none */
	int			fix_rank[CV_STAGE_COUNT + 1];
	double		fix_gain[CV_STAGE_COUNT + 1];	/* a new customer's CLV per point */
} cv_wheel;

/* the numbers of a flow summary, leakage as cv_flow_leakage decides it */
extern void cv_wheel_from_flow(const cv_flow *f, int has_cutoff, int32_t cutoff_day,
							   cv_wheel *w);

/*
 * Add the fix-first list to the picture: each stage that leaks and whose
 * gain is known gets its rank and what a point less leakage there adds to
 * a new customer's CLV, under its leak label; the legend says what they are.
 */
extern void cv_wheel_fix_first(cv_wheel *w, const cv_fix fix[CV_S]);

/*
 * The SVG document, NUL-terminated, in a buffer from cv_mem; *len is its
 * length without the NUL.
 */
extern char *cv_wheel_svg(const cv_wheel *w, size_t *len);

#endif							/* CVFW_CORE_WHEEL_SVG_H */
