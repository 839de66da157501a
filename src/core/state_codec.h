/*
 * state_codec.h — the bytes of the aggregates' partial states that are
 * plain arrays or structs (cvfw_flow's events, cvfw_clv_agg's sums) and
 * the hex text form of a cvfw_flow.
 *
 * cvfw_rfm's purchases are here too.
 *
 * Partial states cross process and node boundaries (parallel workers,
 * Citus), so decoding checks every field: a damaged state is refused, never
 * turned into a wrong answer.  Each starts with its format version
 * (CV_STATE_FORMAT_VERSION, bytes.h); integers are little-endian, doubles
 * their IEEE bits as a little-endian integer.
 */
#ifndef CVFW_CORE_STATE_CODEC_H
#define CVFW_CORE_STATE_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "clv.h"
#include "flow.h"
#include "rfm.h"

/* one event: at (8) value (8) cost (8) stage (1) */
#define CV_EVENT_WIRE_SIZE	25
/* the version byte, then the accumulator's seven words */
#define CV_CLV_ACC_WIRE_SIZE 57

/* bytes needed for n events (the version byte and a 4-byte count first) */
#define CV_EVENTS_HEADER_WIRE_SIZE 5
static inline size_t
cv_events_wire_size(uint32_t n)
{
	return CV_EVENTS_HEADER_WIRE_SIZE + (size_t) n * CV_EVENT_WIRE_SIZE;
}

extern void cv_events_encode(const cv_event *ev, uint32_t n, uint8_t *out);

/*
 * The event count (at least 1) a state of len bytes declares; CV_ERR_CORRUPT
 * if it is 0 or the size disagrees.
 */
extern cv_status cv_events_count(const uint8_t *data, size_t len, uint32_t *n);

/* decode the n events cv_events_count found; CV_ERR_CORRUPT on any bad field */
extern cv_status cv_events_decode(const uint8_t *data, size_t len, cv_event *out);

extern void cv_clv_acc_encode(const cv_clv_acc *acc, uint8_t out[CV_CLV_ACC_WIRE_SIZE]);
extern cv_status cv_clv_acc_decode(const uint8_t *data, size_t len, cv_clv_acc *acc);

/*
 * cvfw_rfm's state: the version byte, end grain, grain and period lengths
 * (microseconds), the entry count, then (grain, amount) per entry.  cv_rfm_state_count checks
 * the header and size and gives the entry count; cv_rfm_state_decode fills
 * acc (acc->e must hold that many entries) and checks every entry: grains
 * of times PostgreSQL can hold, none after the calibration end, finite
 * amounts.
 */
#define CV_RFM_HEADER_WIRE_SIZE 33
#define CV_RFM_ENTRY_WIRE_SIZE 16
/* the longest grain and period cvfw_rfm accepts: 100 years of 366 days */
#define CV_RFM_MAX_LENGTH_US (INT64_C(100) * 366 * 86400000000)

static inline size_t
cv_rfm_state_wire_size(size_t n)
{
	return CV_RFM_HEADER_WIRE_SIZE + n * CV_RFM_ENTRY_WIRE_SIZE;
}

extern void cv_rfm_state_encode(const cv_rfm_acc *acc, uint8_t *out);
extern cv_status cv_rfm_state_count(const uint8_t *data, size_t len, size_t *n);
extern cv_status cv_rfm_state_decode(const uint8_t *data, size_t len, cv_rfm_acc *acc);

/*
 * cvfw_rfm_holdout's state is two such states back to back (the
 * calibration purchases, then the holdout's): the length of the first, or
 * CV_ERR_CORRUPT when the bytes cannot start with one.
 */
extern cv_status cv_rfm_state_prefix(const uint8_t *data, size_t len, size_t *first);

/*
 * Hex digits (either case) to bytes: out needs len / 2 bytes.  Returns the
 * number of bytes, or -1 if len is odd or a character is not a hex digit.
 */
extern long cv_hex_decode(const char *hex, size_t len, uint8_t *out);

#endif							/* CVFW_CORE_STATE_CODEC_H */
