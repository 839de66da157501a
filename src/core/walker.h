/*
 * walker.h — a summary fed one customer at a time, their events streamed
 * in walk order (pure C core).
 *
 * Every summary built from a customer's events (flow, conversion,
 * retention) reads them in one order, cv_event_cmp's: time, then wheel
 * position, then value, then cost.  A walker takes a customer as begin,
 * then each event in that order, then end; it keeps a customer's state in
 * constant memory however many events there are, so the events can come
 * from memory (sorted customer by customer, cv_bc_walk) or from a sort
 * that spilled to disk (the PostgreSQL layer's pg_bycustomer.c), and both
 * give the same bytes.  The first status other than CV_OK stops the caller;
 * the walker's accumulator must then be thrown away.
 */
#ifndef CVFW_CORE_WALKER_H
#define CVFW_CORE_WALKER_H

#include "flow.h"

typedef struct cv_walker
{
	cv_status	(*begin) (void *self);
	cv_status	(*event) (void *self, const cv_event *e);
	cv_status	(*end) (void *self);
} cv_walker;

#endif							/* CVFW_CORE_WALKER_H */
