/*
 * mem.h — how the core allocates.  The PostgreSQL layer points these at
 * palloc/repalloc/pfree (memory then lives in the caller's current context
 * and errors longjmp out); tests and fuzzers use malloc.  The hooks never
 * return NULL.
 */
#ifndef CVFW_CORE_MEM_H
#define CVFW_CORE_MEM_H

#include <stddef.h>

typedef struct cv_allocator
{
	void	   *(*alloc) (size_t size);
	void	   *(*realloc) (void *ptr, size_t size);
	void		(*free) (void *ptr);
} cv_allocator;

/* defaults to malloc/realloc/free (aborting when they fail) */
extern cv_allocator cv_mem;

/*
 * Called now and then by long computations (a model fit's search, a long
 * prediction) so the host can act on a cancel request: the PostgreSQL
 * layer points it at CHECK_FOR_INTERRUPTS, which may longjmp out (memory
 * then goes with the caller's context).  Defaults to doing nothing.
 */
extern void (*cv_yield) (void);

#endif							/* CVFW_CORE_MEM_H */
