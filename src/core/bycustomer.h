/*
 * bycustomer.h — the events of many customers, kept by customer until they
 * are summarised (pure C core).  Behind cvfw_flow_by_customer(customer,
 * stage, at, ...): one aggregate over a whole event table, without a
 * PostgreSQL hash aggregate of one state per customer.
 *
 * Events go to an arena in arrival order; an open-addressing table maps a
 * customer to the chain of their events (a linked list through the arena)
 * and its length.  Customers are 64-bit integers or byte strings (text,
 * uuid), hashed with SipHash-1-3 under a key the caller draws at random
 * for each state, so chosen ids cannot make the table slow.  Summarising
 * walks the table, gathers each customer's events, sorts and walks them
 * into a flow accumulator.  32 bytes per event, 16 per customer slot (kept
 * at most half full), plus 12 and the bytes of each byte-string id; the caller can
 * cap the total (limit) and asks cv_bc_has_room before each event, moving
 * the events elsewhere (a sort that spills to disk) when there is none.
 * Every loop over events or slots answers cancel requests (cv_pace).
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

/* 16 bytes: the table is the one random access per event, so small pays */
typedef struct cv_bc_slot
{
	uint64_t	key;			/* the id, or the offset of a byte-string id in keys */
	uint32_t	head;			/* arena index of the customer's last event added */
	uint32_t	count;			/* 0: a free slot */
} cv_bc_slot;

typedef struct cv_bycustomer
{
	uint64_t	seed[2];		/* the hash key */
	int			byte_keys;		/* ids are byte strings, not integers */
	size_t		limit;			/* bytes cv_bc_has_room allows; 0: no limit */
	cv_bc_event *ev;
	uint32_t	n;
	uint32_t	cap;
	cv_bc_slot *slots;
	uint32_t	slot_cap;		/* 0 or a power of two */
	uint32_t	customers;
	uint8_t    *keys;			/* byte-string ids: u64 hash, u32 length, the bytes */
	size_t		keys_len;
	size_t		keys_cap;
	uint64_t	probes;			/* slots looked at beyond the first, for tests */
} cv_bycustomer;

/* an empty store; seed: the 128-bit hash key (draw it at random) */
extern void cv_bc_init(cv_bycustomer *b, const uint64_t seed[2], int byte_keys);
extern void cv_bc_free(cv_bycustomer *b);

/* the bytes the store holds */
extern size_t cv_bc_bytes(const cv_bycustomer *b);

/*
 * Whether one more event (of a new customer whose id is keylen bytes, for
 * byte-string ids) fits in b->limit bytes, counting the growth it may
 * need, and within the hard limits of a store (2^31 events, 2^30
 * customers, 4 GB of ids).
 */
extern int	cv_bc_has_room(const cv_bycustomer *b, size_t keylen);

/*
 * Add an event (stage 1..6, finite amounts, time in range: checked by the
 * caller) of an integer id, or of a byte-string id; CV_ERR_CORRUPT when the
 * state is full (2^31 events, 2^30 customers or 2^32 bytes of ids) or the
 * id is of the wrong kind.
 */
extern cv_status cv_bc_add(cv_bycustomer *b, int64_t customer, const cv_event *e);
extern cv_status cv_bc_add_key(cv_bycustomer *b, const uint8_t *key, size_t keylen,
							   const cv_event *e);

/* add all of from's events (ids of the same kind) */
extern cv_status cv_bc_merge(cv_bycustomer *into, const cv_bycustomer *from);

/*
 * Call visit(arg, events, n) once per customer with all their events, in
 * no particular order (the array is the callee's to reorder; it is reused
 * for the next customer).  Stops at the first status other than CV_OK and
 * returns it.  The summaries built on this (flow, conversion, retention)
 * need nothing else of a customer.
 */
typedef cv_status (*cv_bc_customer_visitor) (void *arg, cv_event *events, size_t n);
extern cv_status cv_bc_each(const cv_bycustomer *b, cv_bc_customer_visitor visit, void *arg);

/* add every customer to a flow accumulator (cv_bc_each into cv_flow_add_customer) */
extern cv_status cv_bc_summarize(const cv_bycustomer *b, cv_flow *into);

/*
 * Hand every event to fn, customer by customer (each customer's events
 * together, in arrival order): id is the integer id, or key/keylen the
 * byte-string one.
 */
typedef void (*cv_bc_visitor) (void *arg, int64_t id, const uint8_t *key, size_t keylen,
							   const cv_event *e);
extern void cv_bc_foreach(const cv_bycustomer *b, cv_bc_visitor fn, void *arg);

/*
 * The serial form of a store of integer ids, for the partial states of
 * parallel workers under cvfw 0.1.0's definition of the aggregate (never
 * stored):
 *   u8 version (1), u customers, then per customer: z id, u events, then
 *   per event: u8 stage | 8 if a value follows | 16 if a cost follows,
 *   z time minus the customer's previous event's (the first: minus 0),
 *   [f64 value], [f64 cost].
 * Encoding a store of byte-string ids gives NULL.  Decoding checks every
 * length and bound and adds to *into (integer ids).
 */
extern uint8_t *cv_bc_encode(const cv_bycustomer *b, size_t reserve, size_t *len);
extern cv_status cv_bc_decode(cv_bycustomer *into, const uint8_t *data, size_t len,
							  const char **why);

#endif							/* CVFW_CORE_BYCUSTOMER_H */
