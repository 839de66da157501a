/*
 * sort.h — qsort's contract, in O(n log n) on any input and answering
 * cancel requests as it goes (pure C core).  An introsort (quicksort with
 * a median of three, heapsort past 2 log n levels, insertion sort for short
 * runs) that reports its work to cv_pace.  Elements of at most
 * CV_SORT_MAX_SIZE bytes.  Not stable.
 */
#ifndef CVFW_CORE_SORT_H
#define CVFW_CORE_SORT_H

#include <stddef.h>

#define CV_SORT_MAX_SIZE 64

extern void cv_sort(void *base, size_t n, size_t size, int (*cmp) (const void *, const void *));

#endif							/* CVFW_CORE_SORT_H */
