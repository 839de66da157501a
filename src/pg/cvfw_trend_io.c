/*
 * cvfw_trend_io.c — text and binary input/output of cvfw_trend, as for
 * cvfw_flow: the binary form is the encoded trend (its first byte the
 * format version), the text form the same bytes in hex after "\x".  Input
 * of either kind is decoded in full, so a trend that could not have come
 * from customers' events is refused.
 */
#include "postgres.h"

#include "pg_compat.h"

#include "fmgr.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "pg_echo.h"
#include "pg_trend.h"
#include "state_codec.h"

PG_FUNCTION_INFO_V1(cvfw_trend_in);
PG_FUNCTION_INFO_V1(cvfw_trend_out);
PG_FUNCTION_INFO_V1(cvfw_trend_recv);
PG_FUNCTION_INFO_V1(cvfw_trend_send);

/* check encoded bytes; NULL when fine, else what is wrong */
static const char *
validate(const uint8 *data, size_t len)
{
	cv_trend	t;
	const char *why = NULL;
	cv_status	st;

	cvfw_trend_init(&t, CurrentMemoryContext);
	st = cv_trend_decode(&t, data, len, &why);
	cv_trend_free(&t);
	return st == CV_OK ? NULL : why;
}

Datum
cvfw_trend_in(PG_FUNCTION_ARGS)
{
	const char *str = PG_GETARG_CSTRING(0);
	size_t		slen = strlen(str);
	size_t		len = slen >= 2 ? (slen - 2) / 2 : 0;
	bytea	   *out = palloc(VARHDRSZ + len);
	uint8	   *data = (uint8 *) VARDATA(out);
	const char *why = NULL;

	SET_VARSIZE(out, VARHDRSZ + len);
	if (slen < 2 || str[0] != '\\' || str[1] != 'x' || cv_hex_decode(str + 2, slen - 2, data) < 0)
		why = "A cvfw_trend is written as \\x followed by an even number of hex digits.";
	if (why == NULL)
		why = validate(data, len);
	if (why != NULL)
		ereturn(fcinfo->context, (Datum) 0,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"", "cvfw_trend",
						cvfw_echo(str, slen, 40)),
				 errdetail("%s", why)));
	PG_RETURN_BYTEA_P(out);
}

Datum
cvfw_trend_out(PG_FUNCTION_ARGS)
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
cvfw_trend_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			len = buf->len - buf->cursor;
	bytea	   *out = palloc(VARHDRSZ + len);
	const char *why;

	SET_VARSIZE(out, VARHDRSZ + len);
	pq_copymsgbytes(buf, VARDATA(out), len);
	why = validate((const uint8 *) VARDATA(out), len);
	if (why != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type %s", "cvfw_trend"),
				 errdetail("%s", why)));
	PG_RETURN_BYTEA_P(out);
}

Datum
cvfw_trend_send(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbytes(&buf, VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}
