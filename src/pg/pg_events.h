/*
 * pg_events.h — the state of the per-customer aggregates cvfw_flow(...)
 * and cvfw_trend(...): one customer's events, in one allocation (the
 * events follow the header).  Built by cvfw_flow_trans and read by each
 * aggregate's final function.
 */
#ifndef CVFW_EVENTS_PG_H
#define CVFW_EVENTS_PG_H

#include "postgres.h"

#include "flow.h"

typedef struct event_buffer
{
	uint32		n;
	uint32		cap;
	cv_event	ev[FLEXIBLE_ARRAY_MEMBER];
} event_buffer;

#endif							/* CVFW_EVENTS_PG_H */
