/*
 * pace.h — how the core's long loops answer a cancel request (pure C core,
 * internal).  A loop reports the work it has done with cv_pace(units); every
 * CV_PACE_UNITS units cv_yield() runs (the PostgreSQL layer points it at
 * CHECK_FOR_INTERRUPTS).  A unit is roughly one event or slot touched, a few
 * nanoseconds to a microsecond, so a yield comes every few milliseconds at
 * most — well inside the 100 ms a cancel request may wait — while costing one
 * decrement and branch per unit.
 */
#ifndef CVFW_CORE_PACE_H
#define CVFW_CORE_PACE_H

#include <stddef.h>

#include "mem.h"

#define CV_PACE_UNITS 16384

/* units left before the next yield (one counter per process) */
extern long cv_pace_left;

static inline void
cv_pace(size_t units)
{
	cv_pace_left -= (long) (units < CV_PACE_UNITS ? units : CV_PACE_UNITS);
	if (cv_pace_left <= 0)
	{
		cv_pace_left = CV_PACE_UNITS;
		cv_yield();
	}
}

#endif							/* CVFW_CORE_PACE_H */
