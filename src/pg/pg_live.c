/*
 * pg_live.c — what the live-tracking functions share (pg_live.h): the
 * configuration in the triggers' arguments, names, running as the table's
 * owner, and compaction.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_operator.h"
#include "catalog/pg_type_d.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "parser/parse_func.h"
#include "storage/lmgr.h"
#include "storage/lock.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

#include "pg_compat.h"
#include "pg_live.h"

/* --- names ----------------------------------------------------------------------- */

char *
cvfw_live_name(const char *prefix, const char *suffix)
{
	char	   *name = psprintf("%s_%s", prefix, suffix);

	if (strlen(name) >= NAMEDATALEN)
		ereport(ERROR,
				(errcode(ERRCODE_NAME_TOO_LONG),
				 errmsg("cvfw_track: the summary name \"%s\" is too long", name),
				 errdetail("Names are at most %d bytes.", NAMEDATALEN - 1),
				 errhint("Pass a shorter prefix as summaries => '...'.")));
	return name;
}

static char *
qualified(const char *schema, const char *name)
{
	return psprintf("%s.%s", quote_identifier(schema), quote_identifier(name));
}

void
cvfw_live_config_parse(cvfw_live_config *c, int nargs, char **args, Oid ext_nsp)
{
	int			i;

	if (nargs < CVFW_LIVE_FIXED_ARGS || strcmp(args[0], CVFW_LIVE_TAG) != 0 ||
		nargs - CVFW_LIVE_FIXED_ARGS > CVFW_LIVE_MAX_GROUPS)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("cvfw_live_trigger: the trigger's arguments are not those cvfw_track writes"),
				 errhint("Attach tracking with cvfw_track(); do not create this trigger by hand.")));
	memset(c, 0, sizeof(*c));
	c->schema = args[1];
	c->prefix = args[2];
	c->customer = args[3];
	c->stage = args[4];
	c->at = args[5];
	c->value = args[6][0] ? args[6] : NULL;
	c->cost = args[7][0] ? args[7] : NULL;
	c->index_made = args[8][0] ? args[8] : NULL;
	c->ngroups = nargs - CVFW_LIVE_FIXED_ARGS;
	for (i = 0; i < c->ngroups; i++)
		c->groups[i] = args[CVFW_LIVE_FIXED_ARGS + i];
	c->q_customers = qualified(c->schema, cvfw_live_name(c->prefix, "customers"));
	c->q_groups = qualified(c->schema, cvfw_live_name(c->prefix, "groups"));
	c->q_changes = qualified(c->schema, cvfw_live_name(c->prefix, "changes"));
	c->q_live = qualified(c->schema, cvfw_live_name(c->prefix, "live"));
	c->q_ext = pstrdup(quote_identifier(get_namespace_name(ext_nsp)));
}

void
cvfw_live_append_groups(StringInfo buf, const cvfw_live_config *c, const char *alias)
{
	int			i;

	for (i = 0; i < c->ngroups; i++)
	{
		appendStringInfoString(buf, ", ");
		if (alias != NULL)
			appendStringInfo(buf, "%s.", alias);
		appendStringInfoString(buf, quote_identifier(c->groups[i]));
	}
}

char *
cvfw_live_operator(Oid opno)
{
	HeapTuple	tup = SearchSysCache1(OPEROID, ObjectIdGetDatum(opno));
	Form_pg_operator op;
	char	   *s;

	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for operator %u", opno);
	op = (Form_pg_operator) GETSTRUCT(tup);
	s = psprintf("OPERATOR(%s.%s)", quote_identifier(get_namespace_name(op->oprnamespace)),
				 NameStr(op->oprname));
	ReleaseSysCache(tup);
	return s;
}

char *
cvfw_live_collate(Oid type, Oid collation)
{
	HeapTuple	tup;
	Form_pg_collation coll;
	char	   *s;

	if (!OidIsValid(collation) || collation == get_typcollation(type))
		return "";
	tup = SearchSysCache1(COLLOID, ObjectIdGetDatum(collation));
	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for collation %u", collation);
	coll = (Form_pg_collation) GETSTRUCT(tup);
	s = psprintf(" COLLATE %s.%s", quote_identifier(get_namespace_name(coll->collnamespace)),
				 quote_identifier(NameStr(coll->collname)));
	ReleaseSysCache(tup);
	return s;
}

/* --- finding the configuration of a table ---------------------------------------- */

Oid
cvfw_live_ext_namespace(FunctionCallInfo fcinfo)
{
	return get_func_namespace(fcinfo->flinfo->fn_oid);
}

Oid
cvfw_live_trigger_oid(Oid ext_nsp)
{
	List	   *name = list_make2(makeString(get_namespace_name(ext_nsp)),
								  makeString("cvfw_live_trigger"));

	return LookupFuncName(name, 0, NULL, false);
}

bool
cvfw_live_config_of(Relation rel, Oid ext_nsp, cvfw_live_config *c)
{
	TriggerDesc *td = rel->trigdesc;
	Oid			fn = cvfw_live_trigger_oid(ext_nsp);
	int			i;

	if (td == NULL)
		return false;
	for (i = 0; i < td->numtriggers; i++)
	{
		Trigger    *t = &td->triggers[i];

		if (t->tgfoid == fn && strcmp(t->tgname, CVFW_LIVE_TRIGGER_INSERT) == 0)
		{
			cvfw_live_config_parse(c, t->tgnargs, t->tgargs, ext_nsp);
			return true;
		}
	}
	return false;
}

/* --- running as the owner ----------------------------------------------------------- */

void
cvfw_live_as_owner(Oid owner, cvfw_live_user *u)
{
	GetUserIdAndSecContext(&u->saved_user, &u->saved_context);
	SetUserIdAndSecContext(owner,
						   u->saved_context | SECURITY_LOCAL_USERID_CHANGE | SECURITY_NOFORCE_RLS);
}

void
cvfw_live_as_caller(const cvfw_live_user *u)
{
	SetUserIdAndSecContext(u->saved_user, u->saved_context);
}

/* --- compaction ---------------------------------------------------------------------- */

/* an advisory lock of cvfw's own per events table, held to the end of the transaction */
#define CVFW_LIVE_LOCK_SPACE 0x63766677	/* "cvfw" */

bool
cvfw_live_compact_now(const cvfw_live_config *c, Oid events, bool wait, int64 *folded)
{
	LOCKTAG		tag;
	StringInfoData q;
	StringInfoData g;
	StringInfoData join;
	int			i,
				rc;

	*folded = 0;
	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, CVFW_LIVE_LOCK_SPACE, (uint32) events, 2);
	if (LockAcquire(&tag, ExclusiveLock, false, !wait) == LOCKACQUIRE_NOT_AVAIL)
		return false;

	/*
	 * One statement, read with a snapshot taken now that the lock is held:
	 * the changes it sees are deleted and folded into the sums, group by
	 * group, (sum + added) - removed, a group left with nobody dropped.
	 * Whatever commits later stays pending.  (The latest snapshot, not the
	 * transaction's: in REPEATABLE READ the transaction's could predate a
	 * compaction that committed since.)
	 */
	initStringInfo(&g);
	cvfw_live_append_groups(&g, c, NULL);
	initStringInfo(&join);
	appendStringInfoString(&join, "o.total = d.total");
	for (i = 0; i < c->ngroups; i++)
		appendStringInfo(&join, " AND o.%s IS NOT DISTINCT FROM d.%s",
						 quote_identifier(c->groups[i]), quote_identifier(c->groups[i]));
	initStringInfo(&q);
	appendStringInfo(&q,
					 "WITH gone AS (DELETE FROM %s RETURNING total%s, added_flow, removed_flow, added_trend, removed_trend), "
					 "d AS (SELECT total%s, %s.cvfw_merge(added_flow) AS af, %s.cvfw_merge(removed_flow) AS rf, "
					 "%s.cvfw_merge(added_trend) AS at, %s.cvfw_merge(removed_trend) AS rt, "
					 "pg_catalog.count(*) AS n FROM gone GROUP BY total%s), "
					 "o AS (DELETE FROM %s o USING d WHERE %s RETURNING o.*), "
					 "n AS (SELECT d.total",
					 c->q_changes, g.data, g.data, c->q_ext, c->q_ext, c->q_ext, c->q_ext, g.data,
					 c->q_groups, join.data);
	cvfw_live_append_groups(&q, c, "d");
	appendStringInfo(&q,
					 ", (o.flow OPERATOR(%s.+) d.af) OPERATOR(%s.-) d.rf AS flow, "
					 "(o.trend OPERATOR(%s.+) d.at) OPERATOR(%s.-) d.rt AS trend "
					 "FROM d LEFT JOIN o ON %s), "
					 "ins AS (INSERT INTO %s (total%s, flow, trend) SELECT total%s, flow, trend FROM n "
					 "WHERE flow IS NOT NULL) "
					 "SELECT pg_catalog.sum(n)::pg_catalog.int8 FROM d",
					 c->q_ext, c->q_ext, c->q_ext, c->q_ext, join.data,
					 c->q_groups, g.data, g.data);
	rc = SPI_execute_snapshot(SPI_prepare(q.data, 0, NULL), NULL, NULL, GetLatestSnapshot(),
							  InvalidSnapshot, false, true, 0);
	if (rc != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "cvfw_live: compaction failed (%d)", rc);
	{
		bool		isnull;
		Datum		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);

		*folded = isnull ? 0 : DatumGetInt64(d);
	}
	return true;
}
