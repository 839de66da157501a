/*
 * mem.c — the default allocator of the core: the C library's, aborting on
 * failure so the core never has to handle NULL.
 */
#include <stdio.h>
#include <stdlib.h>

#include "mem.h"

static void *
checked_malloc(size_t size)
{
	void	   *p = malloc(size > 0 ? size : 1);

	if (p == NULL)
	{
		fprintf(stderr, "cvfw: out of memory\n");
		abort();
	}
	return p;
}

static void *
checked_realloc(void *ptr, size_t size)
{
	void	   *p = realloc(ptr, size > 0 ? size : 1);

	if (p == NULL)
	{
		fprintf(stderr, "cvfw: out of memory\n");
		abort();
	}
	return p;
}

cv_allocator cv_mem = {checked_malloc, checked_realloc, free};

static void
no_yield(void)
{
}

void		(*cv_yield) (void) = no_yield;
