/*
 * cvfw_policy_io.c — text and binary input/output of cvfw_policy, and
 * cvfw_policy(name).
 */
#include "postgres.h"

#include "pg_compat.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "pg_echo.h"
#include "pg_policy.h"

/* first byte of the binary form; bump when the format changes */
#define POLICY_BINARY_VERSION 1

PG_FUNCTION_INFO_V1(cvfw_policy_in);
PG_FUNCTION_INFO_V1(cvfw_policy_out);
PG_FUNCTION_INFO_V1(cvfw_policy_recv);
PG_FUNCTION_INFO_V1(cvfw_policy_send);
PG_FUNCTION_INFO_V1(cvfw_policy_from_name);

bool
cvfw_parse_policy(const char *str, cv_policy *out, Node *escontext)
{
	const char *bad,
			   *why;
	size_t		bad_len;

	if (!cv_policy_parse(str, strlen(str), out, &bad, &bad_len, &why))
		ereturn(escontext, false,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"", "cvfw_policy",
						cvfw_echo(str, strlen(str), CVFW_ECHO_MAX)),
				 errdetail("Invalid item \"%s\": %s", cvfw_echo(bad, bad_len, CVFW_ECHO_MAX), why),
				 errhint("Write a policy name (%s) or edges from>to separated by commas, "
						 "with * for every stage, e.g. 'awareness>exploration, *>awareness'.",
						 cv_policy_name_list())));
	return true;
}

char *
cvfw_policy_text(cv_policy p)
{
	char	   *buf = palloc(CV_POLICY_TEXT_MAX);

	cv_policy_format(p, buf, CV_POLICY_TEXT_MAX);
	return buf;
}

char *
cvfw_policy_allowed_text(cv_policy p, cv_stage from)
{
	StringInfoData buf;
	cv_stage	t;
	int			moves = 0;

	initStringInfo(&buf);
	for (t = 1; t <= CV_STAGE_COUNT; t++)
		if (cv_policy_allows_move(p, from, t))
		{
			appendStringInfo(&buf, "%s%s", buf.len > 0 ? ", " : "", cv_stage_name(t));
			moves += (t != from);
		}
	/* staying alone is no change: the caller says "allows no change" */
	if (moves == 0)
		buf.data[0] = '\0';
	return buf.data;
}

Datum
cvfw_policy_in(PG_FUNCTION_ARGS)
{
	cv_policy	p;

	if (!cvfw_parse_policy(PG_GETARG_CSTRING(0), &p, fcinfo->context))
		PG_RETURN_NULL();		/* soft error already saved */
	PG_RETURN_CVFW_POLICY(p);
}

Datum
cvfw_policy_out(PG_FUNCTION_ARGS)
{
	cv_policy	p = PG_GETARG_CVFW_POLICY(0);

	if (!cv_policy_is_valid(p))
		elog(ERROR, "corrupted cvfw_policy value " UINT64_FORMAT, (uint64) p);
	PG_RETURN_CSTRING(cvfw_policy_text(p));
}

Datum
cvfw_policy_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			remaining = buf->len - buf->cursor;
	int			version;
	uint64		bits;

	if (remaining != 9)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type %s", "cvfw_policy"),
				 errdetail("Expected 9 bytes, got %d.", remaining)));
	version = pq_getmsgbyte(buf);
	bits = (uint64) pq_getmsgint64(buf);
	if (version != POLICY_BINARY_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type %s", "cvfw_policy"),
				 errdetail("Unsupported format version %d.", version)));
	if (!cv_policy_is_valid(bits))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type %s", "cvfw_policy"),
				 errdetail("Bits above the 36 of the 6x6 matrix are set.")));
	PG_RETURN_CVFW_POLICY(bits);
}

Datum
cvfw_policy_send(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, POLICY_BINARY_VERSION);
	pq_sendint64(&buf, (int64) PG_GETARG_CVFW_POLICY(0));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
cvfw_policy_from_name(PG_FUNCTION_ARGS)
{
	text	   *name = PG_GETARG_TEXT_PP(0);
	cv_policy	p;

	if (!cv_policy_lookup(VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name), &p))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown cvfw policy \"%s\"", text_to_cstring(name)),
				 errhint("The named policies are %s.", cv_policy_name_list())));
	PG_RETURN_CVFW_POLICY(p);
}
