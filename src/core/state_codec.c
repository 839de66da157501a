/*
 * state_codec.c — partial aggregate states and hex text; see state_codec.h.
 */
#include "state_codec.h"

#include <math.h>

#include "bytes.h"

void
cv_events_encode(const cv_event *ev, uint32_t n, uint8_t *out)
{
	uint32_t	i;

	out[0] = CV_STATE_FORMAT_VERSION;
	cv_put_le32(out + 1, n);
	out += CV_EVENTS_HEADER_WIRE_SIZE;
	for (i = 0; i < n; i++, out += CV_EVENT_WIRE_SIZE)
	{
		cv_put_le64(out, (uint64_t) ev[i].at);
		cv_put_le_f64(out + 8, ev[i].value);
		cv_put_le_f64(out + 16, ev[i].cost);
		out[24] = (uint8_t) ev[i].stage;
	}
}

cv_status
cv_events_count(const uint8_t *data, size_t len, uint32_t *n)
{
	if (len < CV_EVENTS_HEADER_WIRE_SIZE || data[0] != CV_STATE_FORMAT_VERSION)
		return CV_ERR_CORRUPT;
	*n = cv_get_le32(data + 1);
	/* a state holds the row that created it; in 64 bits n * 25 cannot wrap */
	return *n > 0 && (uint64_t) len == CV_EVENTS_HEADER_WIRE_SIZE + (uint64_t) *n * CV_EVENT_WIRE_SIZE
		? CV_OK : CV_ERR_CORRUPT;
}

cv_status
cv_events_decode(const uint8_t *data, size_t len, cv_event *out)
{
	uint32_t	n,
				i;

	if (cv_events_count(data, len, &n) != CV_OK)
		return CV_ERR_CORRUPT;
	data += CV_EVENTS_HEADER_WIRE_SIZE;
	for (i = 0; i < n; i++, data += CV_EVENT_WIRE_SIZE)
	{
		cv_event   *e = &out[i];

		e->at = (int64_t) cv_get_le64(data);
		e->value = cv_get_le_f64(data + 8);
		e->cost = cv_get_le_f64(data + 16);
		e->stage = (cv_stage) data[24];
		/* what the transition function lets in, and nothing else */
		if (!cv_stage_is_valid(data[24]) || !isfinite(e->value) || !isfinite(e->cost) ||
			e->at < CV_MIN_TIMESTAMP || e->at >= CV_END_TIMESTAMP)
			return CV_ERR_CORRUPT;
	}
	return CV_OK;
}

void
cv_clv_acc_encode(const cv_clv_acc *acc, uint8_t out[CV_CLV_ACC_WIRE_SIZE])
{
	out[0] = CV_STATE_FORMAT_VERSION;
	out++;
	cv_put_le64(out, acc->customers);
	cv_put_le64(out + 8, acc->churned);
	cv_put_le64(out + 16, acc->exposure_us.lo);
	cv_put_le64(out + 24, acc->exposure_us.hi);
	cv_put_le64(out + 32, (uint64_t) acc->period_us);
	cv_put_le_f64(out + 40, acc->revenue);
	cv_put_le_f64(out + 48, acc->cost);
}

cv_status
cv_clv_acc_decode(const uint8_t *data, size_t len, cv_clv_acc *acc)
{
	if (len != CV_CLV_ACC_WIRE_SIZE || data[0] != CV_STATE_FORMAT_VERSION)
		return CV_ERR_CORRUPT;
	data++;
	acc->customers = cv_get_le64(data);
	acc->churned = cv_get_le64(data + 8);
	acc->exposure_us.lo = cv_get_le64(data + 16);
	acc->exposure_us.hi = cv_get_le64(data + 24);
	acc->period_us = (int64_t) cv_get_le64(data + 32);
	acc->revenue = cv_get_le_f64(data + 40);
	acc->cost = cv_get_le_f64(data + 48);
	/* tenures are never negative, and each row counts one customer */
	if (acc->churned > acc->customers || acc->period_us <= 0 ||
		cv_i128_is_neg(acc->exposure_us) ||
		(acc->customers == 0 && (acc->exposure_us.lo | acc->exposure_us.hi) != 0) ||
		!isfinite(acc->revenue) || !isfinite(acc->cost))
		return CV_ERR_CORRUPT;
	return CV_OK;
}

void
cv_rfm_state_encode(const cv_rfm_acc *acc, uint8_t *out)
{
	size_t		i;

	out[0] = CV_STATE_FORMAT_VERSION;
	cv_put_le64(out + 1, (uint64_t) acc->end_grain);
	cv_put_le64(out + 9, (uint64_t) acc->grain_us);
	cv_put_le64(out + 17, (uint64_t) acc->period_us);
	cv_put_le64(out + 25, (uint64_t) acc->len);
	out += CV_RFM_HEADER_WIRE_SIZE;
	for (i = 0; i < acc->len; i++, out += CV_RFM_ENTRY_WIRE_SIZE)
	{
		cv_put_le64(out, (uint64_t) acc->e[i].grain);
		cv_put_le_f64(out + 8, acc->e[i].amount);
	}
}

static int
length_ok(int64_t us)
{
	return us > 0 && us <= CV_RFM_MAX_LENGTH_US;
}

cv_status
cv_rfm_state_count(const uint8_t *data, size_t len, size_t *n)
{
	uint64_t	count;

	if (len < CV_RFM_HEADER_WIRE_SIZE || data[0] != CV_STATE_FORMAT_VERSION)
		return CV_ERR_CORRUPT;
	count = cv_get_le64(data + 25);
	if (!length_ok((int64_t) cv_get_le64(data + 9)) || !length_ok((int64_t) cv_get_le64(data + 17)) ||
		count > CV_RFM_MAX || (uint64_t) len != CV_RFM_HEADER_WIRE_SIZE + count * CV_RFM_ENTRY_WIRE_SIZE)
		return CV_ERR_CORRUPT;
	*n = (size_t) count;
	return CV_OK;
}

cv_status
cv_rfm_state_decode(const uint8_t *data, size_t len, cv_rfm_acc *acc)
{
	size_t		n,
				i;
	int64_t		min_grain;

	if (cv_rfm_state_count(data, len, &n) != CV_OK)
		return CV_ERR_CORRUPT;
	acc->end_grain = (int64_t) cv_get_le64(data + 1);
	acc->grain_us = (int64_t) cv_get_le64(data + 9);
	acc->period_us = (int64_t) cv_get_le64(data + 17);
	/* grains of PostgreSQL's times (floor division): differences cannot overflow */
	min_grain = CV_MIN_TIMESTAMP / acc->grain_us - 1;
	if (acc->end_grain < min_grain || acc->end_grain > CV_END_TIMESTAMP / acc->grain_us)
		return CV_ERR_CORRUPT;
	data += CV_RFM_HEADER_WIRE_SIZE;
	for (i = 0; i < n; i++, data += CV_RFM_ENTRY_WIRE_SIZE)
	{
		acc->e[i].grain = (int64_t) cv_get_le64(data);
		acc->e[i].amount = cv_get_le_f64(data + 8);
		if (acc->e[i].grain < min_grain || acc->e[i].grain > acc->end_grain ||
			!isfinite(acc->e[i].amount))
			return CV_ERR_CORRUPT;
	}
	acc->len = n;
	return CV_OK;
}

cv_status
cv_rfm_state_prefix(const uint8_t *data, size_t len, size_t *first)
{
	uint64_t	count;

	if (len < CV_RFM_HEADER_WIRE_SIZE || data[0] != CV_STATE_FORMAT_VERSION)
		return CV_ERR_CORRUPT;
	count = cv_get_le64(data + 25);
	if (count > CV_RFM_MAX || CV_RFM_HEADER_WIRE_SIZE + count * CV_RFM_ENTRY_WIRE_SIZE > (uint64_t) len)
		return CV_ERR_CORRUPT;
	*first = (size_t) (CV_RFM_HEADER_WIRE_SIZE + count * CV_RFM_ENTRY_WIRE_SIZE);
	return CV_OK;
}

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long
cv_hex_decode(const char *hex, size_t len, uint8_t *out)
{
	size_t		i;

	if (len % 2 != 0)
		return -1;
	for (i = 0; i < len; i += 2)
	{
		int			hi = hex_digit(hex[i]),
					lo = hex_digit(hex[i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i / 2] = (uint8_t) (hi << 4 | lo);
	}
	return (long) (len / 2);
}
