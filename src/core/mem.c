/*
 * mem.c — the C library's allocator for the core, aborting on failure so
 * the core never has to handle NULL.
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

static void *
ctx_malloc(void *ctx, size_t size)
{
	(void) ctx;
	return checked_malloc(size);
}

static void *
ctx_realloc(void *ctx, void *ptr, size_t size)
{
	(void) ctx;
	return checked_realloc(ptr, size);
}

static void
ctx_free(void *ctx, void *ptr)
{
	(void) ctx;
	free(ptr);
}

const cv_allocator cv_malloc_allocator = {ctx_malloc, ctx_realloc, ctx_free, NULL};

cv_ambient_allocator cv_mem = {checked_malloc, checked_realloc, free};

static void
no_yield(void)
{
}

void		(*cv_yield) (void) = no_yield;
