/*
 * policy.h — transition policies: which (from -> to) stage changes are
 * allowed, as a 6x6 boolean matrix in the low 36 bits of a uint64
 * (bit (from-1)*6 + (to-1)).  Pure C core.
 */
#ifndef CVFW_CORE_POLICY_H
#define CVFW_CORE_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "stage.h"

typedef uint64_t cv_policy;

#define CV_POLICY_MASK	((((cv_policy) 1) << 36) - 1)
#define CV_POLICY_NONE	((cv_policy) 0)
#define CV_POLICY_OPEN	CV_POLICY_MASK

/* only the low 36 bits may be set */
static inline int
cv_policy_is_valid(uint64_t bits)
{
	return (bits & ~CV_POLICY_MASK) == 0;
}

static inline cv_policy
cv_policy_bit(cv_stage from, cv_stage to)
{
	return ((cv_policy) 1) << ((from - 1) * CV_STAGE_COUNT + (to - 1));
}

static inline int
cv_policy_allows(cv_policy p, cv_stage from, cv_stage to)
{
	return (p & cv_policy_bit(from, to)) != 0;
}

/*
 * May a customer at `from` be seen at `to` next?  Staying (from == to) is
 * no move and valid under every policy, as the flow aggregates read a
 * repeated stage as one visit; any other pair is the policy's.  Every
 * validation (functions, paths, both guard triggers) asks this, so they
 * cannot disagree; the matrix itself (cv_policy_allows) keeps whatever
 * diagonal the literal had, for set operations and display.
 */
static inline int
cv_policy_allows_move(cv_policy p, cv_stage from, cv_stage to)
{
	return from == to || cv_policy_allows(p, from, to);
}

/* the six bits of row `from`: bit (to-1) set when from -> to is allowed */
static inline unsigned
cv_policy_row(cv_policy p, cv_stage from)
{
	return (unsigned) ((p >> ((from - 1) * CV_STAGE_COUNT)) & 0x3F);
}

/*
 * Named policies.  wheel: stay, one step clockwise, or back to any earlier
 * stage; strict: stay or one step clockwise; adjacent: stay or one step
 * either way round; forward: stay, or on to any later stage (skips
 * allowed), engagement -> awareness starting a new round, never back;
 * open: everything; none: nothing.
 */
typedef struct cv_named_policy
{
	const char *name;
	cv_policy	policy;
} cv_named_policy;

/* NULL-terminated table of the named policies, in documentation order */
extern const cv_named_policy *cv_policy_names(void);

/* "wheel, strict, adjacent, forward, open, none": for error hints */
extern const char *cv_policy_name_list(void);

/* look up a name (case-insensitive, whitespace-trimmed); 1 when found */
extern int	cv_policy_lookup(const char *str, size_t len, cv_policy *out);

/* the name of a policy that equals a named one, else NULL */
extern const char *cv_policy_name_of(cv_policy p);

/*
 * Parse a policy literal: comma-separated items, each a policy name or an
 * edge "from>to" where either side is a stage name or '*' (every stage).
 * The result is the union of the items.  Whitespace around tokens is
 * ignored.  On error returns 0 and points *bad (length *bad_len) at the offending
 * item and *why at a sentence saying what is wrong with it.
 */
extern int	cv_policy_parse(const char *str, size_t len, cv_policy *out,
							const char **bad, size_t *bad_len, const char **why);

/*
 * Canonical text: the name when the policy equals a named one; else the
 * full rows as "from>*", the full columns as "*>to", then every remaining
 * edge "from>to", in wheel order, separated by ", ".  Reads back to the
 * same policy.  Writes at most buflen bytes including the NUL and returns
 * the length it needed (buffers of CV_POLICY_TEXT_MAX always suffice).
 */
#define CV_POLICY_TEXT_MAX 2048
extern size_t cv_policy_format(cv_policy p, char *buf, size_t buflen);

/*
 * Path check: stages[0..n), where CV_STAGE_INVALID (0) marks a missing
 * value that is skipped (each stage is compared with the last present one
 * before it, by cv_policy_allows_move: a repeated stage is valid).
 * Returns the index of the first stage that may not follow its
 * predecessor, or -1 when every step is allowed.
 */
extern long cv_path_first_invalid(const cv_stage *stages, size_t n, cv_policy p);

#endif							/* CVFW_CORE_POLICY_H */
