/*
 * mem.h — how the core allocates: through an allocator that travels with
 * the state it belongs to (a cv_flow, a cv_sketch's owner, an encoder's
 * buffer), never into whatever happens to be current.  The PostgreSQL
 * layer binds one to a memory context (palloc/repalloc/pfree in that
 * context; errors longjmp out); tests and fuzzers use cv_malloc_allocator
 * or one of their own.  The hooks never return NULL, and free is never
 * given NULL (pfree rejects it).
 */
#ifndef CVFW_CORE_MEM_H
#define CVFW_CORE_MEM_H

#include <stddef.h>

#include "cv_assert.h"

typedef struct cv_allocator
{
	void	   *(*alloc) (void *ctx, size_t size);
	void	   *(*realloc) (void *ctx, void *ptr, size_t size);	/* ptr may be NULL */
	void		(*free) (void *ctx, void *ptr);	/* ptr is never NULL */
	void	   *ctx;			/* the host's: a MemoryContext, say */
} cv_allocator;

static inline void *
cv_alloc(const cv_allocator *a, size_t size)
{
	void	   *p = a->alloc(a->ctx, size);

	CV_ASSERT(p != NULL);
	return p;
}

static inline void *
cv_realloc(const cv_allocator *a, void *ptr, size_t size)
{
	void	   *p = a->realloc(a->ctx, ptr, size);

	CV_ASSERT(p != NULL);
	return p;
}

static inline void
cv_free(const cv_allocator *a, void *ptr)
{
	CV_ASSERT(ptr != NULL);
	a->free(a->ctx, ptr);
}

/* the C library's malloc/realloc/free, aborting when they fail */
extern const cv_allocator cv_malloc_allocator;

/*
 * The ambient allocator of the modules not yet given one of their own
 * (bycustomer, points, rfm, bgnbd, optim, svgbuf): the PostgreSQL layer
 * points it at the current memory context.  New code takes a cv_allocator.
 */
typedef struct cv_ambient_allocator
{
	void	   *(*alloc) (size_t size);
	void	   *(*realloc) (void *ptr, size_t size);
	void		(*free) (void *ptr);
} cv_ambient_allocator;

/* defaults to malloc/realloc/free (aborting when they fail) */
extern cv_ambient_allocator cv_mem;

/* the ambient allocator as a cv_allocator, for those modules' calls into new code */
extern const cv_allocator cv_ambient;

/*
 * Called now and then by long computations (a model fit's search, a long
 * prediction) so the host can act on a cancel request: the PostgreSQL
 * layer points it at CHECK_FOR_INTERRUPTS, which may longjmp out (memory
 * then goes with the caller's context).  Defaults to doing nothing.
 */
extern void (*cv_yield) (void);

#endif							/* CVFW_CORE_MEM_H */
