/*
 * pg_bycustomer.h — the events of many customers kept by customer for one
 * aggregate state, within work_mem (PostgreSQL layer): behind
 * cvfw_flow_by_customer, cvfw_conversion_by_customer and
 * cvfw_retention_by_customer alike.
 *
 * The events go to the core's store (bycustomer.h) while it fits in the
 * hash memory limit (work_mem × hash_mem_multiplier, the budget of
 * PostgreSQL's own hash aggregates).  The event that would not fit moves
 * everything into a tuplesort ordered by (customer, at, stage, value, cost)
 * (text ids: by their SipHash first), which spills to disk within
 * work_mem.  At the end every customer is walked through a summary's
 * walker (walker.h) in walk order: from memory, each customer's events
 * sorted in place; from the sort, streamed customer by customer in
 * constant memory.  Both paths make the same calls, so they give the same
 * bytes.  Peak: about the hash memory limit plus work_mem while the events
 * move, work_mem after.
 *
 * Ids: bigint, text (compared as bytes: a deterministic collation's
 * equality; nondeterministic ones are refused) or uuid (16 bytes).  The
 * hash key of each state is drawn at random (pg_seed.c).  A spilled sort is
 * read once: the aggregates declare FINALFUNC_MODIFY = READ_WRITE and keep
 * their result (cvfw_bc_keep_result) for a second final call on the state.
 */
#ifndef CVFW_PG_BYCUSTOMER_H
#define CVFW_PG_BYCUSTOMER_H

#include "postgres.h"

#include "fmgr.h"
#include "executor/tuptable.h"
#include "utils/tuplesort.h"

#include "bycustomer.h"
#include "walker.h"

typedef enum cvfw_bc_kind
{
	CVFW_BC_INT8,
	CVFW_BC_TEXT,
	CVFW_BC_UUID
} cvfw_bc_kind;

/* what messages name: the aggregate, and the per-customer way round it */
typedef struct cvfw_bc_names
{
	const char *aggregate;		/* "cvfw_flow_by_customer" */
	const char *per_customer;	/* "cvfw_flow" */
	const char *merge;			/* "cvfw_merge" */
} cvfw_bc_names;

typedef struct cvfw_bc
{
	const cvfw_bc_names *names;
	cvfw_bc_kind kind;
	MemoryContext ctx;			/* the aggregate's */
	cv_bycustomer mem;			/* the events, while they fit */
	Tuplesortstate *sort;		/* the events, once they did not */
	TupleDesc	desc;
	TupleTableSlot *slot;
	int			key_col;		/* the id's column in the sort: 0, or 1 after a hash */
	bool		read;			/* the sort has been read: no more rows */
	Datum		result;			/* what the final function returned then */
	bool		has_result;
	text	   *keybuf;			/* a text id being moved to the sort */
	Size		keybuf_size;
} cvfw_bc;

/* the kind of ids of a type: bigint, text (and varchar, through text) or uuid */
extern cvfw_bc_kind cvfw_bc_kind_of_type(const cvfw_bc_names *names, Oid type);

/*
 * A new state in the aggregate's context; limited: within the hash memory
 * limit (else no limit: a state decoded from a partial form).
 */
extern cvfw_bc *cvfw_bc_new(MemoryContext ctx, const cvfw_bc_names *names, cvfw_bc_kind kind,
							Oid collation, bool limited);

/* one event (valid: the caller checks) of the customer whose id is the datum key */
extern void cvfw_bc_add(cvfw_bc *s, FunctionCallInfo fcinfo, Datum key, const cv_event *e);

/*
 * Every customer through the walker, once (a spilled sort is then read);
 * stops at the first status other than CV_OK and returns it.
 */
extern cv_status cvfw_bc_walk(cvfw_bc *s, const cv_walker *w, void *self);

/* whether the events went to the sort */
static inline bool
cvfw_bc_spilled(const cvfw_bc *s)
{
	return s->sort != NULL;
}

/*
 * Every event with its id (the datum is valid until the next event), in
 * the store's order or the sort's (then read once): 0.1.0's partial form.
 */
typedef void (*cvfw_bc_reader) (void *arg, cvfw_bc *s, Datum key, const cv_event *e);
extern void cvfw_bc_read(cvfw_bc *s, cvfw_bc_reader fn, void *arg);

/* the result kept by the first final call on a read state, or NULL */
extern bytea *cvfw_bc_kept_result(cvfw_bc *s);
extern void cvfw_bc_keep_result(cvfw_bc *s, Datum result);

/* too many events or customers in one state (54000) */
extern void cvfw_bc_full(const cvfw_bc_names *names);

#endif							/* CVFW_PG_BYCUSTOMER_H */
