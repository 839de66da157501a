/*
 * cvfw_live_track.c — attaching live tracking to an events table
 * (cvfw_track) and detaching it (cvfw_untrack); pg_live.h lists what is
 * created.
 *
 * Names come from the caller: each is checked against the table's columns
 * or the identifier rules, and every one of them reaches SQL through
 * quote_identifier (or quote_literal, as a trigger argument), every type,
 * collation, operator and function schema-qualified, so no name and no
 * search_path can change the statements run.  The objects are created as
 * the table's owner, who owns them; the caller must own the table.
 */
#include "postgres.h"

#include "pg_compat.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/index.h"
#include "catalog/namespace.h"
#include "catalog/pg_index.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "parser/parse_relation.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "parser/parse_coerce.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "utils/typcache.h"

#include "pg_live.h"

PG_FUNCTION_INFO_V1(cvfw_track);
PG_FUNCTION_INFO_V1(cvfw_untrack);

/* names tracking gives its own columns: a tracked column may not have one */
static const char *const reserved[] = {
	"flow", "trend", "total", "id", "customers", "added_flow", "removed_flow",
	"added_trend", "removed_trend", NULL
};

static char *
text_arg(FunctionCallInfo fcinfo, int n, const char *what, bool required)
{
	char	   *s;

	if (PG_ARGISNULL(n))
	{
		if (required)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("cvfw_track: the %s column must be named", what)));
		return NULL;
	}
	s = text_to_cstring(PG_GETARG_TEXT_PP(n));
	if (s[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cvfw_track: the %s column's name is empty", what)));
	return s;
}

/* the column of rel called name, of a type allowed (checked by the caller) */
static Form_pg_attribute
column(Relation rel, const char *name, const char *what)
{
	AttrNumber	a = attnameAttNum(rel, name, false);

	if (a == InvalidAttrNumber || a < 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("cvfw_track: the %s column \"%s\" of table \"%s\" does not exist",
						what, name, RelationGetRelationName(rel))));
	return TupleDescAttr(RelationGetDescr(rel), a - 1);
}

static void
check_not_reserved(const char *name)
{
	int			i;

	for (i = 0; reserved[i] != NULL; i++)
		if (strcmp(name, reserved[i]) == 0)
			ereport(ERROR,
					(errcode(ERRCODE_DUPLICATE_COLUMN),
					 errmsg("cvfw_track: a tracked column may not be called \"%s\"", name),
					 errdetail("The summary tables have a column of that name of their own.")));
}

/* a type with a btree operator class: GROUP BY, ORDER BY and a primary key */
static void
check_sortable(const FormData_pg_attribute *a, const char *what)
{
	TypeCacheEntry *tc = lookup_type_cache(a->atttypid, TYPECACHE_EQ_OPR | TYPECACHE_LT_OPR);

	if (!OidIsValid(tc->eq_opr) || !OidIsValid(tc->lt_opr))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("cvfw_track: the %s column \"%s\" is of type %s, which cannot be sorted",
						what, NameStr(a->attname), format_type_be(a->atttypid)),
				 errhint("Track a column whose type has a btree operator class.")));
}

static void
run(const char *sql, int expect)
{
	int			rc = SPI_execute(sql, false, 0);

	if (rc != expect)
		elog(ERROR, "cvfw_track: statement failed (%s): %s", SPI_result_code_string(rc), sql);
}

/* the column definitions "name type [COLLATE c]" for a summary table */
static void
column_def(StringInfo buf, const FormData_pg_attribute *a)
{
	appendStringInfo(buf, "%s %s%s", quote_identifier(NameStr(a->attname)),
					 format_type_extended(a->atttypid, a->atttypmod,
										  FORMAT_TYPE_TYPEMOD_GIVEN | FORMAT_TYPE_FORCE_QUALIFY),
					 cvfw_live_collate(a->atttypid, a->attcollation));
}

/* an index whose first key is the column (not partial, no expression) */
static bool
has_index_on(Relation rel, AttrNumber att)
{
	List	   *indexes = RelationGetIndexList(rel);
	ListCell   *lc;
	bool		found = false;

	foreach(lc, indexes)
	{
		HeapTuple	tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(lfirst_oid(lc)));
		Form_pg_index ix;

		if (!HeapTupleIsValid(tup))
			continue;
		ix = (Form_pg_index) GETSTRUCT(tup);
		if (ix->indnatts > 0 && ix->indkey.values[0] == att && ix->indisvalid &&
			heap_attisnull(tup, Anum_pg_index_indpred, NULL))
			found = true;
		ReleaseSysCache(tup);
	}
	list_free(indexes);
	return found;
}

Datum
cvfw_track(PG_FUNCTION_ARGS)
{
	Oid			relid;
	Relation	rel;
	Oid			ext_nsp = cvfw_live_ext_namespace(fcinfo);
	cvfw_live_config cfg;
	char	   *customer,
			   *stage,
			   *at,
			   *value,
			   *cost,
			   *prefix,
			   *schema,
			   *index_name = NULL;
	char	   *groups[CVFW_LIVE_MAX_GROUPS];
	int			ngroups = 0,
				i,
				j;
	FormData_pg_attribute ca,
				ga[CVFW_LIVE_MAX_GROUPS];
	Oid			owner,
				nsp;
	char	   *args[CVFW_LIVE_FIXED_ARGS + CVFW_LIVE_MAX_GROUPS];
	StringInfoData q,
				cols,
				g,
				targs;
	const char *ext;
	char	   *events,
			   *eq;
	cvfw_live_user user;
	const char *C;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("cvfw_track: the events table must be given")));
	relid = PG_GETARG_OID(0);
	customer = text_arg(fcinfo, 1, "customer", true);
	stage = text_arg(fcinfo, 2, "stage", true);
	at = text_arg(fcinfo, 3, "at", true);
	value = text_arg(fcinfo, 4, "value", false);
	cost = text_arg(fcinfo, 5, "cost", false);
	if (!PG_ARGISNULL(6))
	{
		ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(6);
		Datum	   *elems;
		bool	   *nulls;
		int			n;

		deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
		if (n > CVFW_LIVE_MAX_GROUPS)
			ereport(ERROR,
					(errcode(ERRCODE_TOO_MANY_COLUMNS),
					 errmsg("cvfw_track: at most %d grouping columns", CVFW_LIVE_MAX_GROUPS)));
		for (i = 0; i < n; i++)
		{
			if (nulls[i] || VARSIZE_ANY_EXHDR(DatumGetTextPP(elems[i])) == 0)
				ereport(ERROR,
						(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						 errmsg("cvfw_track: a grouping column's name is NULL or empty")));
			groups[ngroups++] = TextDatumGetCString(elems[i]);
		}
	}

	/* writers wait while the summaries are built: none can slip between */
	rel = table_open(relid, ShareRowExclusiveLock);
	if (rel->rd_rel->relkind != RELKIND_RELATION)
		ereport(ERROR,
				(errcode(rel->rd_rel->relkind == RELKIND_PARTITIONED_TABLE ?
						 ERRCODE_FEATURE_NOT_SUPPORTED : ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("cvfw_track: \"%s\" is not an ordinary table", RelationGetRelationName(rel)),
				 errdetail("Live tracking works on ordinary tables; partitioned tables are not supported yet.")));
	if (rel->rd_rel->relispartition || has_superclass(relid) || has_subclass(relid))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cvfw_track: \"%s\" is part of an inheritance tree", RelationGetRelationName(rel)),
				 errdetail("Statement triggers would not see the rows of its parents or children.")));
	if (!cvfw_owns_relation(relid, GetUserId()))
		aclcheck_error(ACLCHECK_NOT_OWNER, OBJECT_TABLE, RelationGetRelationName(rel));
	if (cvfw_live_config_of(rel, ext_nsp, &cfg))
		ereport(ERROR,
				(errcode(ERRCODE_DUPLICATE_OBJECT),
				 errmsg("cvfw_track: \"%s\" is tracked already", RelationGetRelationName(rel)),
				 errhint("Detach first with cvfw_untrack().")));

	/* the columns and their types */
	ca = *column(rel, customer, "customer");
	check_sortable(&ca, "customer");
	if (column(rel, stage, "stage")->atttypid != GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
																 CStringGetDatum("cvfw_stage"),
																 ObjectIdGetDatum(ext_nsp)))
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("cvfw_track: the stage column \"%s\" must be of type cvfw_stage", stage)));
	if (column(rel, at, "at")->atttypid != TIMESTAMPTZOID)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("cvfw_track: the at column \"%s\" must be of type timestamptz", at),
				 errhint("A timestamp without time zone would read differently in each session's time zone.")));
	for (i = 0; i < 2; i++)
	{
		const char *name = i == 0 ? value : cost;
		Oid			from,
					to = FLOAT8OID;

		if (name == NULL)
			continue;
		from = column(rel, name, i == 0 ? "value" : "cost")->atttypid;
		if (!can_coerce_type(1, &from, &to, COERCION_IMPLICIT))
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("cvfw_track: the %s column \"%s\" is of type %s, not a number",
							i == 0 ? "value" : "cost", name, format_type_be(from))));
	}
	check_not_reserved(customer);
	for (i = 0; i < ngroups; i++)
	{
		ga[i] = *column(rel, groups[i], "grouping");
		check_sortable(&ga[i], "grouping");
		check_not_reserved(groups[i]);
		if (strcmp(groups[i], customer) == 0)
			ereport(ERROR,
					(errcode(ERRCODE_DUPLICATE_COLUMN),
					 errmsg("cvfw_track: the customer column \"%s\" cannot also be a grouping column",
							customer)));
		for (j = 0; j < i; j++)
			if (strcmp(groups[i], groups[j]) == 0)
				ereport(ERROR,
						(errcode(ERRCODE_DUPLICATE_COLUMN),
						 errmsg("cvfw_track: the grouping column \"%s\" is named twice", groups[i])));
	}

	/* the names of what is created, and that none of them is taken */
	schema = get_namespace_name(RelationGetNamespace(rel));
	prefix = PG_ARGISNULL(7) ? psprintf("%s_cvfw", RelationGetRelationName(rel))
		: text_to_cstring(PG_GETARG_TEXT_PP(7));
	if (prefix[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cvfw_track: the summaries' prefix is empty")));
	{
		const char *suffixes[] = {"customers", "groups", "changes", "live", "changes_id_seq"};

		for (i = 0; i < 5; i++)
		{
			char	   *name = cvfw_live_name(prefix, suffixes[i]);

			if (OidIsValid(get_relname_relid(name, RelationGetNamespace(rel))))
				ereport(ERROR,
						(errcode(ERRCODE_DUPLICATE_TABLE),
						 errmsg("cvfw_track: relation \"%s\" already exists", name),
						 errhint("Pass another prefix as summaries => '...'.")));
		}
	}
	if (!has_index_on(rel, ca.attnum))
	{
		index_name = cvfw_live_name(prefix, "customer_idx");
		if (OidIsValid(get_relname_relid(index_name, RelationGetNamespace(rel))))
			ereport(ERROR,
					(errcode(ERRCODE_DUPLICATE_TABLE),
					 errmsg("cvfw_track: relation \"%s\" already exists", index_name),
					 errhint("Create an index on the customer column, or pass another prefix as summaries => '...'.")));
	}

	/* the trigger arguments: the configuration, for pg_dump to carry */
	args[0] = CVFW_LIVE_TAG;
	args[1] = schema;
	args[2] = prefix;
	args[3] = customer;
	args[4] = stage;
	args[5] = at;
	args[6] = value ? value : "";
	args[7] = cost ? cost : "";
	args[8] = index_name ? index_name : "";
	for (i = 0; i < ngroups; i++)
		args[CVFW_LIVE_FIXED_ARGS + i] = groups[i];
	cvfw_live_config_parse(&cfg, CVFW_LIVE_FIXED_ARGS + ngroups, args, ext_nsp);
	initStringInfo(&targs);
	for (i = 0; i < CVFW_LIVE_FIXED_ARGS + ngroups; i++)
		appendStringInfo(&targs, "%s%s", i > 0 ? ", " : "", quote_literal_cstr(args[i]));

	ext = cfg.q_ext;
	events = psprintf("%s.%s", quote_identifier(schema), quote_identifier(RelationGetRelationName(rel)));
	C = quote_identifier(customer);
	eq = cvfw_live_operator(lookup_type_cache(ca.atttypid, TYPECACHE_EQ_OPR)->eq_opr);
	initStringInfo(&g);
	cvfw_live_append_groups(&g, &cfg, NULL);
	initStringInfo(&cols);
	for (i = 0; i < ngroups; i++)
	{
		appendStringInfoString(&cols, ", ");
		column_def(&cols, &ga[i]);
	}

	/*
	 * Closed (still locked) before the statements below: CREATE INDEX on a
	 * table this session has open is refused.
	 */
	owner = rel->rd_rel->relowner;
	nsp = RelationGetNamespace(rel);
	table_close(rel, NoLock);
	cvfw_live_as_owner(owner, &user);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "cvfw_track: SPI_connect failed");
	initStringInfo(&q);

	/* the summary tables and the view */
	appendStringInfo(&q, "CREATE TABLE %s (", cfg.q_customers);
	column_def(&q, &ca);
	appendStringInfo(&q, " PRIMARY KEY%s, flow %s.cvfw_flow NOT NULL, trend %s.cvfw_trend NOT NULL)",
					 cols.data, ext, ext);
	run(q.data, SPI_OK_UTILITY);
	resetStringInfo(&q);
	appendStringInfo(&q, "CREATE TABLE %s (total pg_catalog.bool NOT NULL%s, flow %s.cvfw_flow NOT NULL, "
					 "trend %s.cvfw_trend NOT NULL)", cfg.q_groups, cols.data, ext, ext);
	run(q.data, SPI_OK_UTILITY);
	resetStringInfo(&q);
	appendStringInfo(&q, "CREATE TABLE %s (id pg_catalog.int8 GENERATED ALWAYS AS IDENTITY, "
					 "total pg_catalog.bool NOT NULL%s, added_flow %s.cvfw_flow, removed_flow %s.cvfw_flow, "
					 "added_trend %s.cvfw_trend, removed_trend %s.cvfw_trend)",
					 cfg.q_changes, cols.data, ext, ext, ext, ext);
	run(q.data, SPI_OK_UTILITY);
	/* the sums are large and barely compress: stored out of line as they are */
	resetStringInfo(&q);
	appendStringInfo(&q, "ALTER TABLE %s ALTER flow SET STORAGE EXTERNAL, ALTER trend SET STORAGE EXTERNAL; "
					 "ALTER TABLE %s ALTER added_flow SET STORAGE EXTERNAL, ALTER removed_flow SET STORAGE EXTERNAL, "
					 "ALTER added_trend SET STORAGE EXTERNAL, ALTER removed_trend SET STORAGE EXTERNAL",
					 cfg.q_groups, cfg.q_changes);
	run(q.data, SPI_OK_UTILITY);
	resetStringInfo(&q);
	appendStringInfo(&q, "CREATE VIEW %s AS SELECT ", cfg.q_live);
	for (i = 0; i < ngroups; i++)
		appendStringInfo(&q, "x.%s, ", quote_identifier(groups[i]));
	appendStringInfo(&q, "%s.cvfw_customers(x.flow) AS customers, x.flow, x.trend FROM "
					 "(SELECT %s.cvfw_merge(u.a) OPERATOR(%s.-) %s.cvfw_merge(u.r) AS flow, "
					 "%s.cvfw_merge(u.ta) OPERATOR(%s.-) %s.cvfw_merge(u.tr) AS trend%s FROM "
					 "(SELECT flow AS a, NULL::%s.cvfw_flow AS r, trend AS ta, NULL::%s.cvfw_trend AS tr%s "
					 "FROM %s WHERE %stotal UNION ALL "
					 "SELECT added_flow, removed_flow, added_trend, removed_trend%s FROM %s WHERE %stotal) u",
					 ext, ext, ext, ext, ext, ext, ext, g.data, ext, ext, g.data,
					 cfg.q_groups, ngroups > 0 ? "NOT " : "", g.data, cfg.q_changes,
					 ngroups > 0 ? "NOT " : "");
	if (ngroups > 0)
		appendStringInfo(&q, " GROUP BY %s", g.data + 2);
	appendStringInfoString(&q, ") x WHERE x.flow IS NOT NULL");
	run(q.data, SPI_OK_UTILITY);
	if (index_name != NULL)
	{
		resetStringInfo(&q);
		appendStringInfo(&q, "CREATE INDEX %s ON %s (%s)", quote_identifier(index_name), events, C);
		run(q.data, SPI_OK_UTILITY);
	}

	/* the summaries of the events there are, as the batch aggregates give them */
	resetStringInfo(&q);
	appendStringInfo(&q, "INSERT INTO %s (%s%s, flow, trend) SELECT f.cvfw_k", cfg.q_customers, C, g.data);
	cvfw_live_append_groups(&q, &cfg, "l");
	appendStringInfo(&q, ", f.cvfw_f, f.cvfw_t FROM (SELECT %s AS cvfw_k, %s.cvfw_flow(%s, %s, ",
					 C, ext, quote_identifier(stage), quote_identifier(at));
	if (value != NULL)
		appendStringInfo(&q, "CAST(%s AS pg_catalog.float8), ", quote_identifier(value));
	else
		appendStringInfoString(&q, "NULL::pg_catalog.float8, ");
	if (cost != NULL)
		appendStringInfo(&q, "CAST(%s AS pg_catalog.float8)) AS cvfw_f, ", quote_identifier(cost));
	else
		appendStringInfoString(&q, "NULL::pg_catalog.float8) AS cvfw_f, ");
	appendStringInfo(&q, "%s.cvfw_trend(%s, %s, ", ext, quote_identifier(stage), quote_identifier(at));
	if (value != NULL)
		appendStringInfo(&q, "CAST(%s AS pg_catalog.float8)) AS cvfw_t ", quote_identifier(value));
	else
		appendStringInfoString(&q, "NULL::pg_catalog.float8) AS cvfw_t ");
	appendStringInfo(&q, "FROM %s WHERE %s IS NOT NULL GROUP BY %s) f JOIN (SELECT DISTINCT ON (%s) %s AS cvfw_k%s "
					 "FROM %s WHERE %s IS NOT NULL AND %s IS NOT NULL AND %s IS NOT NULL ORDER BY %s, %s DESC, %s DESC",
					 events, C, C, C, C, g.data, events, C, quote_identifier(stage), quote_identifier(at),
					 C, quote_identifier(at), quote_identifier(stage));
	for (i = 0; i < ngroups; i++)
		appendStringInfo(&q, ", %s DESC NULLS FIRST", quote_identifier(groups[i]));
	appendStringInfo(&q, ") l ON f.cvfw_k %s l.cvfw_k WHERE f.cvfw_f IS NOT NULL", eq);
	run(q.data, SPI_OK_INSERT);
	resetStringInfo(&q);
	appendStringInfo(&q, "INSERT INTO %s (total%s, flow, trend) SELECT ", cfg.q_groups, g.data);
	if (ngroups > 0)
		appendStringInfo(&q, "GROUPING(%s) OPERATOR(pg_catalog.<>) 0%s", g.data + 2, g.data);
	else
		appendStringInfoString(&q, "true");
	appendStringInfo(&q, ", %s.cvfw_merge(flow), %s.cvfw_merge(trend) FROM %s", ext, ext, cfg.q_customers);
	if (ngroups > 0)
		appendStringInfo(&q, " GROUP BY GROUPING SETS ((%s), ())", g.data + 2);
	appendStringInfoString(&q, " HAVING pg_catalog.count(*) OPERATOR(pg_catalog.>) 0");
	run(q.data, SPI_OK_INSERT);

	/* the triggers */
	{
		static const char *const what[4][2] = {
			{CVFW_LIVE_TRIGGER_INSERT, "INSERT ON %s REFERENCING NEW TABLE AS " CVFW_LIVE_NEW},
			{CVFW_LIVE_TRIGGER_UPDATE, "UPDATE ON %s REFERENCING OLD TABLE AS " CVFW_LIVE_OLD
			" NEW TABLE AS " CVFW_LIVE_NEW},
			{CVFW_LIVE_TRIGGER_DELETE, "DELETE ON %s REFERENCING OLD TABLE AS " CVFW_LIVE_OLD},
			{CVFW_LIVE_TRIGGER_TRUNCATE, "TRUNCATE ON %s"}
		};

		for (i = 0; i < 4; i++)
		{
			resetStringInfo(&q);
			appendStringInfo(&q, "CREATE TRIGGER %s AFTER ", what[i][0]);
			appendStringInfo(&q, what[i][1], events);
			appendStringInfo(&q, " FOR EACH STATEMENT EXECUTE FUNCTION %s.cvfw_live_trigger(%s)",
							 ext, targs.data);
			run(q.data, SPI_OK_UTILITY);
		}
	}

	/* what each object is */
	resetStringInfo(&q);
	appendStringInfo(&q,
					 "COMMENT ON TABLE %s IS %s; COMMENT ON TABLE %s IS %s; COMMENT ON TABLE %s IS %s; "
					 "COMMENT ON VIEW %s IS %s",
					 cfg.q_customers,
					 quote_literal_cstr(psprintf("cvfw live tracking of %s: one flow summary and trend per customer", events)),
					 cfg.q_groups,
					 quote_literal_cstr(psprintf("cvfw live tracking of %s: compacted sums per group and for everyone (total)", events)),
					 cfg.q_changes,
					 quote_literal_cstr(psprintf("cvfw live tracking of %s: changes not yet compacted", events)),
					 cfg.q_live,
					 quote_literal_cstr(psprintf("cvfw live tracking of %s: the live flow summary and trend per group", events)));
	run(q.data, SPI_OK_UTILITY);

	if (SPI_finish() != SPI_OK_FINISH)
		elog(ERROR, "cvfw_track: SPI_finish failed");
	cvfw_live_as_caller(&user);
	PG_RETURN_OID(get_relname_relid(cvfw_live_name(prefix, "live"), nsp));
}

Datum
cvfw_untrack(PG_FUNCTION_ARGS)
{
	Oid			relid;
	Relation	rel;
	Oid			ext_nsp = cvfw_live_ext_namespace(fcinfo);
	cvfw_live_config cfg;
	cvfw_live_user user;
	char	   *events;
	StringInfoData q;
	Oid			owner;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("cvfw_untrack: the events table must be given")));
	relid = PG_GETARG_OID(0);
	rel = table_open(relid, ShareRowExclusiveLock);
	if (!cvfw_owns_relation(relid, GetUserId()))
		aclcheck_error(ACLCHECK_NOT_OWNER, OBJECT_TABLE, RelationGetRelationName(rel));
	if (!cvfw_live_config_of(rel, ext_nsp, &cfg))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("cvfw_untrack: \"%s\" is not tracked", RelationGetRelationName(rel))));
	events = psprintf("%s.%s", quote_identifier(get_namespace_name(RelationGetNamespace(rel))),
					  quote_identifier(RelationGetRelationName(rel)));
	owner = rel->rd_rel->relowner;
	table_close(rel, NoLock);
	cvfw_live_as_owner(owner, &user);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "cvfw_untrack: SPI_connect failed");
	initStringInfo(&q);
	appendStringInfo(&q, "DROP TRIGGER %s ON %s; DROP TRIGGER %s ON %s; DROP TRIGGER %s ON %s; "
					 "DROP TRIGGER %s ON %s; DROP VIEW %s; DROP TABLE %s, %s, %s",
					 CVFW_LIVE_TRIGGER_INSERT, events, CVFW_LIVE_TRIGGER_UPDATE, events,
					 CVFW_LIVE_TRIGGER_DELETE, events, CVFW_LIVE_TRIGGER_TRUNCATE, events,
					 cfg.q_live, cfg.q_customers, cfg.q_groups, cfg.q_changes);
	if (cfg.index_made != NULL)
		appendStringInfo(&q, "; DROP INDEX IF EXISTS %s.%s", quote_identifier(cfg.schema),
						 quote_identifier(cfg.index_made));
	run(q.data, SPI_OK_UTILITY);
	if (SPI_finish() != SPI_OK_FINISH)
		elog(ERROR, "cvfw_untrack: SPI_finish failed");
	cvfw_live_as_caller(&user);
	PG_RETURN_VOID();
}
