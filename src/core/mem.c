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

/* cv_mem as a cv_allocator, looked up at each call (the host may repoint it) */
static void *
ambient_alloc(void *ctx, size_t size)
{
	(void) ctx;
	return cv_mem.alloc(size);
}

static void *
ambient_realloc(void *ctx, void *ptr, size_t size)
{
	(void) ctx;
	return ptr == NULL ? cv_mem.alloc(size) : cv_mem.realloc(ptr, size);
}

static void
ambient_free(void *ctx, void *ptr)
{
	(void) ctx;
	cv_mem.free(ptr);
}

const cv_allocator cv_ambient = {ambient_alloc, ambient_realloc, ambient_free, NULL};

static void
no_yield(void)
{
}

void		(*cv_yield) (void) = no_yield;
