/*
 * cvfw_stage_io.c — text and binary input/output of cvfw_stage.
 */
#include "postgres.h"

#include "pg_compat.h"

#include "fmgr.h"
#include "libpq/pqformat.h"

#include "pg_echo.h"
#include "pg_stage.h"

/* first byte of the binary form; bump when the format changes */
#define STAGE_BINARY_VERSION 1

PG_FUNCTION_INFO_V1(cvfw_stage_in);
PG_FUNCTION_INFO_V1(cvfw_stage_out);
PG_FUNCTION_INFO_V1(cvfw_stage_recv);
PG_FUNCTION_INFO_V1(cvfw_stage_send);

cv_stage
cvfw_parse_stage(const char *str, size_t len, Node *escontext)
{
	cv_stage	s = cv_stage_parse(str, len);

	if (s == CV_STAGE_INVALID)
		ereturn(escontext, CV_STAGE_INVALID,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"",
						"cvfw_stage", cvfw_echo(str, len, CVFW_ECHO_MAX)),
				 errhint("Valid stages are %s.", cv_stage_name_list())));
	return s;
}

const char *
cvfw_stage_name_checked(cv_stage s)
{
	const char *name = cv_stage_name(s);

	if (name == NULL)
		elog(ERROR, "corrupted cvfw_stage value %d", (int) s);
	return name;
}

Datum
cvfw_stage_in(PG_FUNCTION_ARGS)
{
	const char *str = PG_GETARG_CSTRING(0);
	cv_stage	s = cvfw_parse_stage(str, strlen(str), fcinfo->context);

	if (s == CV_STAGE_INVALID)
		PG_RETURN_NULL();		/* soft error already saved */
	PG_RETURN_CVFW_STAGE(s);
}

Datum
cvfw_stage_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(pstrdup(cvfw_stage_name_checked(PG_GETARG_CVFW_STAGE(0))));
}

Datum
cvfw_stage_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			remaining = buf->len - buf->cursor;
	int			version;
	int			pos;

	if (remaining != 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type %s", "cvfw_stage"),
				 errdetail("Expected 2 bytes, got %d.", remaining)));
	version = pq_getmsgbyte(buf);
	pos = pq_getmsgbyte(buf);
	if (version != STAGE_BINARY_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type %s", "cvfw_stage"),
				 errdetail("Unsupported format version %d.", version)));
	if (!cv_stage_is_valid(pos))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type %s", "cvfw_stage"),
				 errdetail("Stage position %d is outside 1..6.", pos)));
	PG_RETURN_CVFW_STAGE(pos);
}

Datum
cvfw_stage_send(PG_FUNCTION_ARGS)
{
	cv_stage	s = PG_GETARG_CVFW_STAGE(0);
	StringInfoData buf;

	(void) cvfw_stage_name_checked(s);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, STAGE_BINARY_VERSION);
	pq_sendbyte(&buf, s);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}
