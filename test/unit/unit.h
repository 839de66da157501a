/*
 * unit.h — a tiny test framework for the pure C core.
 *
 * A test is a function; a failed CHECK marks it failed and carries on, so
 * one run reports every broken expectation.  Output is TAP.
 */
#ifndef CVFW_UNIT_H
#define CVFW_UNIT_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mem.h"

extern int	unit_current_failed;

#define CHECK(cond) \
	do { \
		if (!(cond)) { \
			unit_current_failed = 1; \
			fprintf(stderr, "  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
		} \
	} while (0)

#define CHECK_INT(got, want) \
	do { \
		long long g_ = (long long) (got), w_ = (long long) (want); \
		if (g_ != w_) { \
			unit_current_failed = 1; \
			fprintf(stderr, "  %s:%d: %s = %lld, want %lld\n", __FILE__, __LINE__, #got, g_, w_); \
		} \
	} while (0)

#define CHECK_STR(got, want) \
	do { \
		const char *g_ = (got), *w_ = (want); \
		if (g_ == NULL || w_ == NULL ? g_ != w_ : strcmp(g_, w_) != 0) { \
			unit_current_failed = 1; \
			fprintf(stderr, "  %s:%d: %s = \"%s\", want \"%s\"\n", __FILE__, __LINE__, \
					#got, g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
		} \
	} while (0)

#define CHECK_DBL(got, want, tol) \
	do { \
		double g_ = (got), w_ = (want); \
		if (!(g_ == w_ || (g_ - w_ <= (tol) && w_ - g_ <= (tol)))) { \
			unit_current_failed = 1; \
			fprintf(stderr, "  %s:%d: %s = %.17g, want %.17g\n", __FILE__, __LINE__, #got, g_, w_); \
		} \
	} while (0)

/* xorshift64: repeatable pseudo-random numbers for property tests */
extern uint64_t unit_rng_state;

static inline uint64_t
unit_rng(void)
{
	unit_rng_state ^= unit_rng_state << 13;
	unit_rng_state ^= unit_rng_state >> 7;
	unit_rng_state ^= unit_rng_state << 17;
	return unit_rng_state;
}

/*
 * The tests' allocator: malloc underneath, counting what is live so a test
 * that leaks fails, and rejecting free(NULL) as PostgreSQL's pfree does.
 */
extern const cv_allocator unit_mem;
extern long unit_mem_live;

typedef struct unit_test
{
	const char *name;
	void		(*fn) (void);
} unit_test;

/* each test_*.c exports a NULL-terminated table */
extern const unit_test stage_tests[];
extern const unit_test policy_tests[];
extern const unit_test flow_tests[];
extern const unit_test clv_tests[];
extern const unit_test state_codec_tests[];
extern const unit_test wheel_tests[];
extern const unit_test btyd_tests[];
extern const unit_test stage_map_tests[];
extern const unit_test scale_tests[];
extern const unit_test conversion_tests[];
extern const unit_test retention_tests[];
extern const unit_test money_tests[];
extern const unit_test flow_exact_tests[];
extern const unit_test value_tests[];
extern const unit_test trend_tests[];

#endif							/* CVFW_UNIT_H */
