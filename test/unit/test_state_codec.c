/*
 * test_state_codec.c — partial aggregate states and hex text.
 */
#include <math.h>

#include "bytes.h"
#include "points.h"
#include "state_codec.h"
#include "unit.h"

static void
events_round_trip(void)
{
	cv_event	ev[3] = {
		{INT64_C(-211813488000000000), -1.5, 0, CV_AWARENESS},
		{0, 0, 2.25, CV_ENGAGEMENT},
		{INT64_C(9223371331199999999), 1e300, -1e-300, CV_ADVOCACY}
	};
	uint8_t		buf[5 + 3 * CV_EVENT_WIRE_SIZE];
	cv_event	back[3];
	uint32_t	n = 0;
	int			i;

	CHECK_INT(cv_events_wire_size(3), sizeof buf);
	cv_events_encode(ev, 3, buf);
	/* the version first, then a little-endian count and timestamp */
	CHECK_INT(buf[0], CV_STATE_FORMAT_VERSION);
	CHECK_INT(cv_state_version(buf, sizeof buf), 2);
	CHECK_INT(buf[1], 3);
	CHECK_INT(buf[2] | buf[3] | buf[4], 0);
	CHECK_INT(buf[5 + 7], 0xfd);	/* the top byte of the first time, -211813488000000000 */
	CHECK(cv_events_count(buf, sizeof buf, &n) == CV_OK);
	CHECK_INT(n, 3);
	CHECK(cv_events_decode(buf, sizeof buf, back) == CV_OK);
	for (i = 0; i < 3; i++)
	{
		CHECK_INT(back[i].at, ev[i].at);
		CHECK(back[i].value == ev[i].value);
		CHECK(back[i].cost == ev[i].cost);
		CHECK_INT(back[i].stage, ev[i].stage);
	}
	/* no state is empty: the row that made it is in it */
	cv_events_encode(ev, 0, buf);
	CHECK(cv_events_decode(buf, 5, back) == CV_ERR_CORRUPT);
	/* another version (0.1.0's states began with the top byte of a count: 0) */
	cv_events_encode(ev, 3, buf);
	buf[0] = 0;
	CHECK(cv_events_count(buf, sizeof buf, &n) == CV_ERR_CORRUPT);
	buf[0] = 3;
	CHECK(cv_events_decode(buf, sizeof buf, back) == CV_ERR_CORRUPT);
	CHECK_INT(cv_state_version(buf, 0), -1);
}

static void
events_refused(void)
{
	cv_event	ev = {0, 1, 1, CV_EXPERIENCE};
	uint8_t		buf[5 + CV_EVENT_WIRE_SIZE];
	uint8_t		bad[5 + CV_EVENT_WIRE_SIZE];
	cv_event	back[1];
	double		inf = INFINITY;
	uint32_t	n;

	cv_events_encode(&ev, 1, buf);
	CHECK(cv_events_count(buf, 4, &n) == CV_ERR_CORRUPT);	/* truncated count */
	CHECK(cv_events_decode(buf, sizeof buf - 1, back) == CV_ERR_CORRUPT);	/* truncated event */
	memcpy(bad, buf, sizeof bad);
	bad[4] = 0xff;				/* a count the bytes do not hold */
	CHECK(cv_events_count(bad, sizeof bad, &n) == CV_ERR_CORRUPT);
	memcpy(bad, buf, sizeof bad);
	bad[5 + 24] = 7;			/* no such stage */
	CHECK(cv_events_decode(bad, sizeof bad, back) == CV_ERR_CORRUPT);
	bad[5 + 24] = 0;
	CHECK(cv_events_decode(bad, sizeof bad, back) == CV_ERR_CORRUPT);
	ev.value = inf;
	cv_events_encode(&ev, 1, bad);
	CHECK(cv_events_decode(bad, sizeof bad, back) == CV_ERR_CORRUPT);
	ev.value = 1;
	ev.cost = NAN;
	cv_events_encode(&ev, 1, bad);
	CHECK(cv_events_decode(bad, sizeof bad, back) == CV_ERR_CORRUPT);
	ev.cost = 0;
	ev.at = CV_END_TIMESTAMP;	/* past PostgreSQL's last timestamp */
	cv_events_encode(&ev, 1, bad);
	CHECK(cv_events_decode(bad, sizeof bad, back) == CV_ERR_CORRUPT);
}

static void
clv_acc_round_trip_and_refused(void)
{
	cv_clv_acc	a,
				b;
	uint8_t		buf[CV_CLV_ACC_WIRE_SIZE];

	memset(&a, 0, sizeof a);
	a.customers = 10;
	a.churned = 3;
	a.exposure_us.lo = UINT64_MAX;
	a.exposure_us.hi = 5;
	a.period_us = 86400000000;
	a.revenue = 123.5;
	a.cost = -4;
	cv_clv_acc_encode(&a, buf);
	CHECK(cv_clv_acc_decode(buf, sizeof buf, &b) == CV_OK);
	CHECK(memcmp(&a, &b, sizeof a) == 0);
	CHECK(cv_clv_acc_decode(buf, sizeof buf - 1, &b) == CV_ERR_CORRUPT);
	b = a;
	b.churned = 11;				/* more churned than customers */
	cv_clv_acc_encode(&b, buf);
	CHECK(cv_clv_acc_decode(buf, sizeof buf, &b) == CV_ERR_CORRUPT);
	b = a;
	b.period_us = 0;
	cv_clv_acc_encode(&b, buf);
	CHECK(cv_clv_acc_decode(buf, sizeof buf, &b) == CV_ERR_CORRUPT);
	b = a;
	b.exposure_us.hi = UINT64_MAX;	/* negative exposure */
	cv_clv_acc_encode(&b, buf);
	CHECK(cv_clv_acc_decode(buf, sizeof buf, &b) == CV_ERR_CORRUPT);
	b = a;
	b.revenue = NAN;
	cv_clv_acc_encode(&b, buf);
	CHECK(cv_clv_acc_decode(buf, sizeof buf, &b) == CV_ERR_CORRUPT);
	/* another version */
	cv_clv_acc_encode(&a, buf);
	CHECK_INT(cv_state_version(buf, sizeof buf), CV_STATE_FORMAT_VERSION);
	buf[0] = 1;
	CHECK(cv_clv_acc_decode(buf, sizeof buf, &b) == CV_ERR_CORRUPT);
}

static void
rfm_state(void)
{
	cv_rfm_entry e[2] = {{100, 29.33}, {-5, 0}};
	cv_rfm_entry back_e[2];
	cv_rfm_acc	a,
				b;
	uint8_t		buf[CV_RFM_HEADER_WIRE_SIZE + 2 * CV_RFM_ENTRY_WIRE_SIZE];
	size_t		n = 0;
	const int64_t day = INT64_C(86400000000);

	memset(&a, 0, sizeof a);
	a.e = e;
	a.len = 2;
	a.end_grain = 120;
	a.grain_us = day;
	a.period_us = 7 * day;
	CHECK_INT(cv_rfm_state_wire_size(2), sizeof buf);
	cv_rfm_state_encode(&a, buf);
	CHECK(cv_rfm_state_count(buf, sizeof buf, &n) == CV_OK);
	CHECK_INT(n, 2);
	memset(&b, 0, sizeof b);
	b.e = back_e;
	CHECK(cv_rfm_state_decode(buf, sizeof buf, &b) == CV_OK);
	CHECK_INT(b.len, 2);
	CHECK_INT(b.end_grain, 120);
	CHECK_INT(b.e[1].grain, -5);
	CHECK(b.e[0].amount == 29.33);
	CHECK(cv_rfm_state_count(buf, sizeof buf - 1, &n) == CV_ERR_CORRUPT);
	/* a purchase after the calibration end */
	e[0].grain = 121;
	cv_rfm_state_encode(&a, buf);
	CHECK(cv_rfm_state_decode(buf, sizeof buf, &b) == CV_ERR_CORRUPT);
	/* a grain before any time PostgreSQL has: differences could overflow */
	e[0].grain = INT64_MIN;
	cv_rfm_state_encode(&a, buf);
	CHECK(cv_rfm_state_decode(buf, sizeof buf, &b) == CV_ERR_CORRUPT);
	e[0].grain = 100;
	e[1].amount = NAN;
	cv_rfm_state_encode(&a, buf);
	CHECK(cv_rfm_state_decode(buf, sizeof buf, &b) == CV_ERR_CORRUPT);
	e[1].amount = 0;
	a.grain_us = 0;
	cv_rfm_state_encode(&a, buf);
	CHECK(cv_rfm_state_count(buf, sizeof buf, &n) == CV_ERR_CORRUPT);
	a.grain_us = CV_RFM_MAX_LENGTH_US + 1;
	cv_rfm_state_encode(&a, buf);
	CHECK(cv_rfm_state_count(buf, sizeof buf, &n) == CV_ERR_CORRUPT);
	a.grain_us = day;
	a.end_grain = INT64_MAX;	/* a calibration end past the last time */
	cv_rfm_state_encode(&a, buf);
	CHECK(cv_rfm_state_decode(buf, sizeof buf, &b) == CV_ERR_CORRUPT);
	/* another version (0.1.0's began with the top byte of the end grain) */
	a.end_grain = 120;
	cv_rfm_state_encode(&a, buf);
	CHECK(cv_rfm_state_decode(buf, sizeof buf, &b) == CV_OK);
	buf[0] = 0;
	CHECK(cv_rfm_state_count(buf, sizeof buf, &n) == CV_ERR_CORRUPT);
	buf[0] = 255;
	CHECK(cv_rfm_state_decode(buf, sizeof buf, &b) == CV_ERR_CORRUPT);
}

static void
points_version(void)
{
	cv_points	a,
				b;
	unsigned char buf[12 + 32];

	cv_points_init(&a);
	CHECK_INT(cv_points_add(&a, 1, 2, 3, 4), 0);
	CHECK_INT(cv_points_size(&a), sizeof buf);
	cv_points_write(&a, buf);
	CHECK_INT(cv_state_version(buf, sizeof buf), CV_STATE_FORMAT_VERSION);
	CHECK_INT(buf[4], 1);		/* little-endian length */
	CHECK_INT(cv_points_read(buf, sizeof buf, &b), 0);
	cv_points_free(&b);
	buf[0] = 0;					/* 0.1.0's layout began 0, 0, 0, 1 */
	CHECK_INT(cv_points_read(buf, sizeof buf, &b), -1);
	cv_points_free(&a);
}

static void
hex(void)
{
	uint8_t		out[4];

	CHECK_INT(cv_hex_decode("00fFa9", 6, out), 3);
	CHECK_INT(out[0], 0);
	CHECK_INT(out[1], 0xff);
	CHECK_INT(out[2], 0xa9);
	CHECK_INT(cv_hex_decode("", 0, out), 0);
	CHECK_INT(cv_hex_decode("abc", 3, out), -1);
	CHECK_INT(cv_hex_decode("0g", 2, out), -1);
	CHECK_INT(cv_hex_decode("\xc3\xa9", 2, out), -1);
}

const unit_test state_codec_tests[] = {
	{"state codec: events round-trip, little-endian, versioned", events_round_trip},
	{"state codec: damaged event states refused", events_refused},
	{"state codec: clv state round-trip, damaged states refused", clv_acc_round_trip_and_refused},
	{"state codec: rfm state round-trip, damaged states refused", rfm_state},
	{"state codec: the model fits' points, versioned", points_version},
	{"state codec: hex digits", hex},
	{NULL, NULL}
};
