/*
 * trend.h — leakage by period of visit entry (pure C core): a summary that
 * says, for each UTC day and stage, how the visits that entered the stage
 * that day went on — advanced, regressed, skipped or ended — and for the
 * ended ones when the customer was last seen, so that leakage as of any
 * date and with any horizon can be read per day, week or month.
 *
 * Built per customer from that customer's events (the definitions of
 * flow.h: events ordered by time, ties by wheel position; consecutive
 * events at one stage form a visit whose entry time is its first event's
 * and whose value is the sum of its events' values; the next visit's stage
 * sets the outcome), then merged over disjoint sets of customers.  Like
 * the flow summary it is exact and order-free — counts are integers,
 * values exact fixed point (money.h) — so its bytes depend only on its
 * set of customers, and it forms a group: a set of customers' trend can be
 * taken out of one that holds it (cv_trend_subtract).
 *
 * What is kept:
 *   cells  keyed by (UTC day of a visit's entry, stage): the visits that
 *          advanced, regressed, skipped and ended, and the sum of their
 *          values;
 *   ends   keyed by (day of entry, stage, UTC day of the customer's last
 *          event): the customers whose last visit that was.  A cell's
 *          ended count is the sum of its ends.
 * Leaked as of a cut-off day: the ends whose last day is before it (every
 * end, without a cut-off), as cv_flow_leaked decides it.  Days, weeks
 * (ISO, from Monday) and months are UTC calendar periods.
 *
 * Bounds (checked by everything that writes a trend and by the decoder):
 * 1 .. 2^53 customers (CV_COUNT_MAX); at most 2^53 visits in all, so every
 * count a report derives is exact in an int8 and a float8; every value
 * within ±10^31 (money.h); days within PostgreSQL's timestamp range.
 *
 * Storage: entries are appended as customers are added and merged, and
 * from time to time sorted and combined (cv_trend_compact): no hashing, so
 * no input can make it slow, and memory in proportion to the distinct
 * keys (plus the appended entries not yet combined, at most as many).
 */
#ifndef CVFW_CORE_TREND_H
#define CVFW_CORE_TREND_H

#include <stddef.h>
#include <stdint.h>

#include "flow.h"
#include "mem.h"
#include "money.h"
#include "stage.h"

typedef struct cv_trend_cell
{
	int32_t		day;			/* UTC day of the visits' entry */
	cv_stage	stage;
	uint64_t	advanced;
	uint64_t	regressed;
	uint64_t	skipped;
	uint64_t	ended;			/* the sum of the cell's ends */
	cv_money	value;			/* over all the cell's visits */
} cv_trend_cell;

typedef struct cv_trend_end
{
	int32_t		day;			/* UTC day of the ended visit's entry */
	int32_t		last_day;		/* UTC day of the customer's last event (>= day) */
	cv_stage	stage;
	uint64_t	customers;
} cv_trend_end;

typedef struct cv_trend
{
	cv_allocator mem;			/* everything the trend holds comes from it */
	uint64_t	customers;
	uint64_t	visits;			/* over every cell, kept as entries come and go */
	cv_trend_cell *cells;
	size_t		ncells;
	size_t		cells_sorted;	/* cells[0 .. cells_sorted) sorted, keys unique */
	size_t		cells_cap;
	cv_trend_end *ends;
	size_t		nends;
	size_t		ends_sorted;
	size_t		ends_cap;
} cv_trend;

/* an empty trend whose memory comes from mem (copied) */
extern void cv_trend_init(cv_trend *t, const cv_allocator *mem);
extern void cv_trend_free(cv_trend *t);

/* sort and combine the entries: cells and ends sorted, keys unique, no empty entry */
extern void cv_trend_compact(cv_trend *t);

/*
 * Add one customer given all their events (n >= 1; sorts them in place by
 * time and stage).  CV_ERR_CORRUPT for an event out of bounds (a stage not
 * 1..6, a time out of range, an amount not finite), CV_ERR_OVERFLOW for an
 * amount or a sum beyond ±10^31, or a bound of the trend.  t is unchanged
 * when the customer's own events are at fault; after an overflow of the
 * trend's own bounds it must be thrown away.
 */
extern cv_status cv_trend_add_customer(cv_trend *t, cv_event *events, size_t n);

/* add a disjoint set of customers; on CV_ERR_OVERFLOW (*why) into must be thrown away */
extern cv_status cv_trend_merge(cv_trend *into, const cv_trend *from, const char **why);

/*
 * Take a set of customers' trend out of one that holds it, exactly.  Checks
 * that every count of part is at most total's, key by key, that a cell left
 * with no visits is left with no value, and that what remains passes
 * cv_trend_check (or is empty).  On CV_ERR_NOT_CONTAINED (*why) into must
 * be thrown away.  Compacts both.
 */
extern cv_status cv_trend_subtract(cv_trend *into, cv_trend *part, const char **why);

/*
 * Everything the decoder checks, on a compacted trend: the bounds, no empty
 * cell or end, each end's last day not before its entry day, every end in
 * a cell whose ended count is their sum, customers the number of ends.
 * CV_ERR_OVERFLOW or CV_ERR_CORRUPT with *why, or CV_OK.
 */
extern cv_status cv_trend_check(cv_trend *t, const char **why);

/* visits of a cell */
static inline uint64_t
cv_trend_cell_visits(const cv_trend_cell *c)
{
	return c->advanced + c->regressed + c->skipped + c->ended;
}

/* --- periods and the report --------------------------------------------------- */

typedef enum cv_trend_period
{
	CV_TREND_DAY,
	CV_TREND_WEEK,				/* ISO weeks: Monday to Sunday */
	CV_TREND_MONTH
} cv_trend_period;

/*
 * The first day of the period holding day (days since 2000-01-01, UTC,
 * proleptic Gregorian), never before CV_MIN_DAY: the first period of
 * PostgreSQL's range is cut at its first day.
 */
extern int32_t cv_trend_period_start(cv_trend_period p, int32_t day);

typedef struct cv_trend_row
{
	int32_t		start;			/* first day of the period */
	cv_stage	stage;
	uint64_t	visits;
	uint64_t	advanced;
	uint64_t	regressed;
	uint64_t	skipped;
	uint64_t	ended;
	uint64_t	leaked;			/* ended, last event before the cut-off day */
	cv_money	value;
} cv_trend_row;

/*
 * The report: one row per (period, stage) that had visits, ordered by
 * period and stage, in *rows (from t's allocator; free it with cv_free) and
 * *nrows.  Leaked as cv_flow_leaked: the ends whose last day is before
 * cutoff_day, every end when !has_cutoff.  CV_ERR_OVERFLOW (*why) when a
 * period's value leaves ±10^31.  Compacts t.
 */
extern cv_status cv_trend_report(cv_trend *t, cv_trend_period p, int has_cutoff, int32_t cutoff_day,
								 cv_trend_row **rows, size_t *nrows, const char **why);

/*
 * Encoding (trend_codec.c), little-endian, LEB128 varints (u unsigned, z
 * zigzag):
 *
 *   u8   version (1)
 *   u    customers
 *   u    number of cells, then per cell ((day, stage) ascending):
 *        z day minus the previous cell's (the first: minus 0), u8 stage,
 *        u advanced, u regressed, u skipped, z128 value in millionths,
 *        u number of ends, then per end (last day ascending):
 *          u last day minus the previous end's (the first: minus the
 *            cell's day), u customers (> 0)
 *   u32  CRC-32C of everything before it
 *
 * Canonical: equal trends encode to equal bytes.  cv_trend_encode compacts
 * t and returns a buffer from out starting with `reserve` bytes left for
 * the caller; t must pass cv_trend_check.  cv_trend_encode_customer writes
 * one customer's trend from their events (cv_trend_add_customer's
 * statuses).  cv_trend_decode checks every length, bound and invariant and
 * merges the trend into *into (on an error, *into must be thrown away).
 */
#define CV_TREND_FORMAT_VERSION 1
extern uint8_t *cv_trend_encode(cv_trend *t, const cv_allocator *out, size_t reserve, size_t *len);
extern uint8_t *cv_trend_encode_customer(const cv_allocator *out, cv_event *events, size_t n,
										 size_t reserve, size_t *len, cv_status *status);
extern cv_status cv_trend_decode(cv_trend *into, const uint8_t *buf, size_t len, const char **why);

#endif							/* CVFW_CORE_TREND_H */
