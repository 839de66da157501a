/*
 * sort.c — a cancellable introsort (see sort.h).
 */
#include <string.h>

#include "pace.h"
#include "sort.h"

typedef struct sorter
{
	size_t		size;
	int			(*cmp) (const void *, const void *);
} sorter;

#define AT(base, i) ((char *) (base) + (i) * so->size)

static inline void
swap(const sorter *so, void *a, void *b)
{
	unsigned char t[CV_SORT_MAX_SIZE];

	memcpy(t, a, so->size);
	memcpy(a, b, so->size);
	memcpy(b, t, so->size);
}

static void
insertion(const sorter *so, void *base, size_t n)
{
	size_t		i,
				j;

	for (i = 1; i < n; i++)
		for (j = i; j > 0 && so->cmp(AT(base, j - 1), AT(base, j)) > 0; j--)
			swap(so, AT(base, j - 1), AT(base, j));
}

static void
sift(const sorter *so, void *base, size_t root, size_t n)
{
	for (;;)
	{
		size_t		child = 2 * root + 1;

		if (child >= n)
			return;
		if (child + 1 < n && so->cmp(AT(base, child), AT(base, child + 1)) < 0)
			child++;
		if (so->cmp(AT(base, root), AT(base, child)) >= 0)
			return;
		swap(so, AT(base, root), AT(base, child));
		root = child;
	}
}

static void
heap(const sorter *so, void *base, size_t n)
{
	size_t		i;

	for (i = n / 2; i-- > 0;)
	{
		sift(so, base, i, n);
		cv_pace(16);
	}
	for (i = n; i-- > 1;)
	{
		swap(so, AT(base, 0), AT(base, i));
		sift(so, base, 0, i);
		cv_pace(16);
	}
}

static void
intro(const sorter *so, void *base, size_t n, int depth)
{
	unsigned char pivot[CV_SORT_MAX_SIZE];

	while (n > 16)
	{
		size_t		mid = n / 2,
					i = 0,
					j = n - 1;

		if (depth-- == 0)
		{
			heap(so, base, n);
			return;
		}
		/* median of three, in place: the ends bound both scans */
		if (so->cmp(AT(base, mid), AT(base, 0)) < 0)
			swap(so, AT(base, mid), AT(base, 0));
		if (so->cmp(AT(base, n - 1), AT(base, mid)) < 0)
		{
			swap(so, AT(base, n - 1), AT(base, mid));
			if (so->cmp(AT(base, mid), AT(base, 0)) < 0)
				swap(so, AT(base, mid), AT(base, 0));
		}
		memcpy(pivot, AT(base, mid), so->size);
		for (;;)
		{
			size_t		i0 = i,
						j0 = j;

			while (so->cmp(AT(base, i), pivot) < 0)
				i++;
			while (so->cmp(AT(base, j), pivot) > 0)
				j--;
			cv_pace((i - i0) + (j0 - j) + 1);
			if (i >= j)
				break;
			swap(so, AT(base, i), AT(base, j));
			i++;
			j--;
		}
		if (j + 1 < n - (j + 1))
		{
			intro(so, base, j + 1, depth);
			base = AT(base, j + 1);
			n -= j + 1;
		}
		else
		{
			intro(so, AT(base, j + 1), n - (j + 1), depth);
			n = j + 1;
		}
	}
	insertion(so, base, n);
}

void
cv_sort(void *base, size_t n, size_t size, int (*cmp) (const void *, const void *))
{
	sorter		so = {size, cmp};
	int			depth = 0;
	size_t		m;

	for (m = n; m > 1; m >>= 1)
		depth += 2;
	intro(&so, base, n, depth);
}
