/*
 * bycustomer.h — the events of many customers, kept by customer until they
 * are summarised (pure C core).  Behind cvfw_flow_by_customer(customer,
 * stage, at, ...): one aggregate over a whole event table, without a
 * PostgreSQL hash aggregate of one state per customer.
 *
 * Events go to an arena in arrival order; an open-addressing table maps a
 * customer id to the chain of their events (a linked list through the
 * arena) and its length.  Summarising walks the table, gathers each
 * customer's events and adds the customer to a flow accumulator.  About 48
 * bytes per event all told.
 */
#ifndef CVFW_CORE_BYCUSTOMER_H
#define CVFW_CORE_BYCUSTOMER_H

#include "flow.h"

typedef struct cv_bc_event
{
	int64_t		at;
	double		value;
	double		cost;
	uint32_t	next;			/* arena index of the customer's previous event, or CV_BC_END */
	cv_stage	stage;
} cv_bc_event;

#define CV_BC_END UINT32_MAX

typedef struct cv_bc_slot
{
	int64_t		customer;
	uint32_t	head;			/* arena index of the customer's last event added */
	uint32_t	count;			/* 0: a free slot */
} cv_bc_slot;

typedef struct cv_bycustomer
{
	cv_bc_event *ev;
	uint32_t	n;
	uint32_t	cap;
	cv_bc_slot *slots;
	uint32_t	slot_cap;		/* 0 or a power of two */
	uint32_t	customers;
} cv_bycustomer;

extern void cv_bc_init(cv_bycustomer *b);
extern void cv_bc_free(cv_bycustomer *b);

/* add an event (stage 1..6, finite amounts, time in range: checked by the
 * caller); CV_ERR_CORRUPT when the state is full (2^31 events or 2^30
 * customers) */
extern cv_status cv_bc_add(cv_bycustomer *b, int64_t customer, const cv_event *e);

/* add all of from's events */
extern cv_status cv_bc_merge(cv_bycustomer *into, const cv_bycustomer *from);

/* add every customer to a flow accumulator */
extern cv_status cv_bc_summarize(const cv_bycustomer *b, cv_flow *into);

/*
 * Hand every event to fn, customer by customer (each customer's events
 * together): id is the customer's id (key is NULL, keylen 0: the form of
 * byte-string ids to come).
 */
typedef void (*cv_bc_visitor) (void *arg, int64_t id, const uint8_t *key, size_t keylen,
							   const cv_event *e);
extern void cv_bc_foreach(const cv_bycustomer *b, cv_bc_visitor fn, void *arg);

/*
 * The serial form, for the states of parallel workers (never stored):
 *   u8 version (1), u customers, then per customer: z id, u events, then
 *   per event: u8 stage | 8 if a value follows | 16 if a cost follows,
 *   z time minus the customer's previous event's (the first: minus 0),
 *   [f64 value], [f64 cost].
 * Decoding checks every length and bound and adds to *into.
 */
extern uint8_t *cv_bc_encode(const cv_bycustomer *b, size_t reserve, size_t *len);
extern cv_status cv_bc_decode(cv_bycustomer *into, const uint8_t *data, size_t len,
							  const char **why);

#endif							/* CVFW_CORE_BYCUSTOMER_H */
