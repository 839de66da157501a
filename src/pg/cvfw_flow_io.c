/*
 * cvfw_flow_io.c — text and binary input/output of cvfw_flow.
 *
 * The binary form is the encoded summary itself (its first byte is the
 * format version); the text form is the same bytes in hex after "\x", as
 * bytea prints them.  Input of either kind is decoded in full, so a summary
 * that could not have come from customers' events is refused: 22P02 (text)
 * or 22P03 (binary) for damaged or impossible bytes, 22003 for a summary
 * beyond the bounds (doc/flow.md), as every writer refuses it.
 */
#include "postgres.h"

#include "pg_compat.h"

#include "fmgr.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "pg_echo.h"
#include "pg_flow.h"
#include "state_codec.h"

PG_FUNCTION_INFO_V1(cvfw_flow_in);
PG_FUNCTION_INFO_V1(cvfw_flow_out);
PG_FUNCTION_INFO_V1(cvfw_flow_recv);
PG_FUNCTION_INFO_V1(cvfw_flow_send);

/* check encoded bytes; CV_OK, or what is wrong in *why */
static cv_status
validate(const uint8 *data, size_t len, const char **why)
{
	cv_flow		f;
	cv_status	st;

	cvfw_flow_init(&f, CurrentMemoryContext);
	st = cv_flow_decode(&f, data, len, why);
	cv_flow_free(&f);
	return st;
}

Datum
cvfw_flow_in(PG_FUNCTION_ARGS)
{
	const char *str = PG_GETARG_CSTRING(0);
	size_t		slen = strlen(str);
	size_t		len;
	bytea	   *out;
	uint8	   *data;
	const char *why = NULL;
	cv_status	st = CV_ERR_CORRUPT;

	len = slen >= 2 ? (slen - 2) / 2 : 0;
	out = palloc(VARHDRSZ + len);
	SET_VARSIZE(out, VARHDRSZ + len);
	data = (uint8 *) VARDATA(out);
	if (slen < 2 || str[0] != '\\' || str[1] != 'x' ||
		cv_hex_decode(str + 2, slen - 2, data) < 0)
		why = "A cvfw_flow is written as \\x followed by an even number of hex digits.";
	if (why == NULL)
		st = validate(data, len, &why);
	/* keep the messages short: the value can be long */
	if (st == CV_ERR_OVERFLOW)
		ereturn(fcinfo->context, (Datum) 0,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value \"%s\" is out of range for type %s", cvfw_echo(str, slen, 40), "cvfw_flow"),
				 errdetail("%s", why)));
	if (why != NULL)
		ereturn(fcinfo->context, (Datum) 0,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"", "cvfw_flow",
						cvfw_echo(str, slen, 40)),
				 errdetail("%s", why)));
	PG_RETURN_BYTEA_P(out);
}

Datum
cvfw_flow_out(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	const uint8 *data = (const uint8 *) VARDATA_ANY(b);
	size_t		len = VARSIZE_ANY_EXHDR(b),
				i;
	static const char digits[] = "0123456789abcdef";
	char	   *out = palloc(3 + 2 * len),
			   *p = out;

	*p++ = '\\';
	*p++ = 'x';
	for (i = 0; i < len; i++)
	{
		*p++ = digits[data[i] >> 4];
		*p++ = digits[data[i] & 0xF];
	}
	*p = '\0';
	PG_RETURN_CSTRING(out);
}

Datum
cvfw_flow_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			len = buf->len - buf->cursor;
	bytea	   *out = palloc(VARHDRSZ + len);
	const char *why = NULL;
	cv_status	st;

	SET_VARSIZE(out, VARHDRSZ + len);
	pq_copymsgbytes(buf, VARDATA(out), len);
	st = validate((const uint8 *) VARDATA(out), len, &why);
	if (st == CV_ERR_OVERFLOW)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("binary value is out of range for type %s", "cvfw_flow"),
				 errdetail("%s", why)));
	if (st != CV_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type %s", "cvfw_flow"),
				 errdetail("%s", why)));
	PG_RETURN_BYTEA_P(out);
}

Datum
cvfw_flow_send(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbytes(&buf, VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}
