/*
 * stage.h — the six stages of the Customer Value Flow Wheel (pure C core).
 *
 * A stage is its wheel position, 1..6, stored in one byte.  0 is never a
 * valid stage; parsing returns it to signal "not a stage name".  Nothing in
 * the core depends on PostgreSQL, so it can be unit-tested and fuzzed alone.
 */
#ifndef CVFW_CORE_STAGE_H
#define CVFW_CORE_STAGE_H

#include <stddef.h>
#include <stdint.h>

typedef uint8_t cv_stage;

#define CV_STAGE_INVALID	0
#define CV_AWARENESS		1
#define CV_EXPLORATION		2
#define CV_EXPERIENCE		3
#define CV_VALUE_REALIZATION 4
#define CV_ADVOCACY			5
#define CV_ENGAGEMENT		6
#define CV_STAGE_COUNT		6

/* true for 1..6 */
static inline int
cv_stage_is_valid(int pos)
{
	return pos >= 1 && pos <= CV_STAGE_COUNT;
}

/* canonical lowercase name, or NULL for an invalid stage */
extern const char *cv_stage_name(cv_stage s);

/* one-line goal of the stage (from the domain model), or NULL */
extern const char *cv_stage_goal(cv_stage s);

/* "awareness, exploration, ..., engagement": for error hints */
extern const char *cv_stage_name_list(void);

/*
 * Parse len bytes: case-insensitive, surrounding ASCII whitespace ignored,
 * a space or hyphen accepted wherever the canonical name has '_'.
 * Returns CV_STAGE_INVALID when the text is not a stage name.
 */
extern cv_stage cv_stage_parse(const char *str, size_t len);

/* rotate any number of steps around the wheel (negative = anticlockwise) */
extern cv_stage cv_stage_rotate(cv_stage s, int64_t steps);

/* clockwise distance from -> to, 0..5 */
extern int	cv_stage_steps(cv_stage from, cv_stage to);

static inline cv_stage
cv_stage_next(cv_stage s)
{
	return cv_stage_rotate(s, 1);
}

static inline cv_stage
cv_stage_prev(cv_stage s)
{
	return cv_stage_rotate(s, -1);
}

#endif							/* CVFW_CORE_STAGE_H */
