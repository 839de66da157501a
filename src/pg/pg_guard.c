/*
 * pg_guard.c — the guarded column, row keys and the refusal error, shared
 * by cvfw_enforce_transition (the BEFORE form) and cvfw_guard_trigger
 * (the AFTER form cvfw_guard installs).
 */
#include "postgres.h"

#include "pg_compat.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_index.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/catcache.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"

#include "pg_echo.h"
#include "pg_guard.h"
#include "pg_policy.h"
#include "pg_stage.h"

static int
read_label(const cvfw_column *col, const char *label, size_t len, cv_stage *stage)
{
	if (col->map != NULL)
		return cvfw_map_read(col->map, label, len, stage);
	*stage = cv_stage_parse(label, len);
	return *stage == CV_STAGE_INVALID ? -1 : CV_LABEL_STAGE;
}

static void
load_enum_labels(cvfw_column *col, Oid enumtype, MemoryContext mcxt)
{
	CatCList   *list = SearchSysCacheList1(ENUMTYPOIDNAME, ObjectIdGetDatum(enumtype));
	int			i;

	col->nlabels = list->n_members;
	col->labels = MemoryContextAlloc(mcxt, sizeof(cvfw_enum_label) * Max(list->n_members, 1));
	for (i = 0; i < list->n_members; i++)
	{
		Form_pg_enum e = (Form_pg_enum) GETSTRUCT(&list->members[i]->tuple);
		const char *label = NameStr(e->enumlabel);

		col->labels[i].label = e->oid;
		col->labels[i].kind = read_label(col, label, strlen(label), &col->labels[i].stage);
	}
	ReleaseSysCacheList(list);
}

void
cvfw_column_init(cvfw_column *col, Relation rel, const char *name, Oid stage_type,
				 const cvfw_map *map, const char *missing_detail, const char *type_detail,
				 MemoryContext mcxt)
{
	int			attnum = SPI_fnumber(RelationGetDescr(rel), name);
	Form_pg_attribute att;
	Oid			base;

	if (attnum <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column \"%s\" of relation \"%s\" does not exist",
						name, RelationGetRelationName(rel)),
				 errdetail("%s", missing_detail)));
	att = TupleDescAttr(RelationGetDescr(rel), attnum - 1);
	col->attnum = attnum;
	col->name = MemoryContextStrdup(mcxt, name);
	col->map = map;
	col->nlabels = 0;
	col->labels = NULL;
	base = getBaseType(att->atttypid);
	if (base == stage_type)
		col->kind = CVFW_COLUMN_STAGE;
	else if (base == TEXTOID || base == VARCHAROID || base == BPCHAROID)
		col->kind = CVFW_COLUMN_TEXT;
	else if (type_is_enum(base))
	{
		col->kind = CVFW_COLUMN_ENUM;
		load_enum_labels(col, base, mcxt);
	}
	else
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("column \"%s\" of relation \"%s\" is of type %s",
						name, RelationGetRelationName(rel), format_type_be(att->atttypid)),
				 errdetail("%s", type_detail)));
}

char *
cvfw_column_value_text(const cvfw_column *col, Datum value)
{
	switch (col->kind)
	{
		case CVFW_COLUMN_STAGE:
			return pstrdup(cvfw_stage_name_checked(DatumGetCvfwStage(value)));
		case CVFW_COLUMN_TEXT:
			return TextDatumGetCString(value);
		case CVFW_COLUMN_ENUM:
			return DatumGetCString(DirectFunctionCall1(enum_out, value));
	}
	return NULL;				/* not reached */
}

int
cvfw_column_read(const cvfw_column *col, Datum value, cv_stage *stage)
{
	switch (col->kind)
	{
		case CVFW_COLUMN_STAGE:
			*stage = DatumGetCvfwStage(value);
			(void) cvfw_stage_name_checked(*stage);
			return CV_LABEL_STAGE;
		case CVFW_COLUMN_TEXT:
			{
				text	   *t = DatumGetTextPP(value);

				return read_label(col, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), stage);
			}
		case CVFW_COLUMN_ENUM:
			{
				Oid			label = DatumGetObjectId(value);
				char	   *name;
				int			i;

				for (i = 0; i < col->nlabels; i++)
					if (col->labels[i].label == label)
					{
						*stage = col->labels[i].stage;
						return col->labels[i].kind;
					}
				/* a label added after the statement started: read it now */
				name = DatumGetCString(DirectFunctionCall1(enum_out, value));
				return read_label(col, name, strlen(name), stage);
			}
	}
	return -1;					/* not reached */
}

void
cvfw_column_value_error(const cvfw_column *col, Datum value)
{
	char	   *s = cvfw_column_value_text(col, value);

	if (col->map != NULL)
		cvfw_map_label_error(col->map, s, strlen(s));
	(void) cvfw_parse_stage(s, strlen(s), NULL);	/* raises 22P02 */
	elog(ERROR, "value \"%s\" reads as a stage after all", s);	/* not reached */
}

void
cvfw_key_columns_init(cvfw_key_columns *kc, Relation rel, MemoryContext mcxt)
{
	Oid			pk = cvfw_primary_key_index(rel);
	HeapTuple	tup;
	Form_pg_index index;
	int			i;

	memset(kc, 0, sizeof(*kc));
	if (!OidIsValid(pk))
		return;
	tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(pk));
	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for index %u", pk);
	index = (Form_pg_index) GETSTRUCT(tup);
	kc->natts = index->indnkeyatts;
	kc->attnums = MemoryContextAlloc(mcxt, sizeof(AttrNumber) * kc->natts);
	kc->names = MemoryContextAlloc(mcxt, sizeof(char *) * kc->natts);
	kc->types = MemoryContextAlloc(mcxt, sizeof(Oid) * kc->natts);
	kc->outfuncs = MemoryContextAlloc(mcxt, sizeof(Oid) * kc->natts);
	for (i = 0; i < kc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(RelationGetDescr(rel), index->indkey.values[i] - 1);
		bool		varlena;

		kc->attnums[i] = index->indkey.values[i];
		kc->names[i] = MemoryContextStrdup(mcxt, NameStr(att->attname));
		kc->types[i] = att->atttypid;
		getTypeOutputInfo(att->atttypid, &kc->outfuncs[i], &varlena);
	}
	ReleaseSysCache(tup);
}

char *
cvfw_key_text(const cvfw_key_columns *kc, TupleDesc desc, HeapTuple tuple)
{
	StringInfoData buf;
	int			i;

	if (kc->natts == 0)
		return NULL;
	initStringInfo(&buf);
	for (i = 0; i < kc->natts; i++)
	{
		bool		isnull;
		Datum		d = heap_getattr(tuple, kc->attnums[i], desc, &isnull);
		const char *s;

		if (i > 0)
			appendStringInfoChar(&buf, ',');
		if (isnull)				/* not in a primary key; kept apart from any text */
		{
			appendStringInfoString(&buf, "\\N");
			continue;
		}
		for (s = OidOutputFunctionCall(kc->outfuncs[i], d); *s; s++)
		{
			if (*s == '\\' || *s == ',')
				appendStringInfoChar(&buf, '\\');
			appendStringInfoChar(&buf, *s);
		}
	}
	return buf.data;
}

char *
cvfw_row_name(Relation rel, HeapTuple tuple)
{
	cvfw_key_columns kc;
	StringInfoData buf;
	bool		readable;
	int			i;

	/* as PostgreSQL shows a key: the table's SELECT right, or every key column's */
	cvfw_key_columns_init(&kc, rel, CurrentMemoryContext);
	readable = pg_class_aclcheck(RelationGetRelid(rel), GetUserId(), ACL_SELECT) == ACLCHECK_OK;
	if (!readable && kc.natts > 0)
	{
		readable = true;
		for (i = 0; i < kc.natts && readable; i++)
			readable = pg_attribute_aclcheck(RelationGetRelid(rel), kc.attnums[i], GetUserId(),
											 ACL_SELECT) == ACLCHECK_OK;
	}
	initStringInfo(&buf);
	if (kc.natts == 0 || !readable)
	{
		appendStringInfo(&buf, "Row (%u,%u)",
						 ItemPointerGetBlockNumber(&tuple->t_self),
						 ItemPointerGetOffsetNumber(&tuple->t_self));
		return buf.data;
	}
	appendStringInfoString(&buf, "Key (");
	for (i = 0; i < kc.natts; i++)
		appendStringInfo(&buf, "%s%s", i > 0 ? ", " : "", quote_identifier(kc.names[i]));
	appendStringInfoString(&buf, ")=(");
	for (i = 0; i < kc.natts; i++)
	{
		bool		isnull;
		Datum		d = heap_getattr(tuple, kc.attnums[i], RelationGetDescr(rel), &isnull);
		char	   *s = isnull ? "null" : OidOutputFunctionCall(kc.outfuncs[i], d);

		appendStringInfo(&buf, "%s%s", i > 0 ? ", " : "", cvfw_echo(s, strlen(s), CVFW_ECHO_MAX));
	}
	appendStringInfoChar(&buf, ')');
	return buf.data;
}

void
cvfw_refuse_transition(Relation rel, AttrNumber attnum, HeapTuple row,
					   cv_policy policy, const char *policy_text,
					   cv_stage from, cv_stage to, const char *extra)
{
	char	   *allowed = cvfw_policy_allowed_text(policy, from);
	const char *policy_word = row != NULL ? psprintf("%s: policy", cvfw_row_name(rel, row)) : "Policy";
	StringInfoData detail;

	initStringInfo(&detail);
	if (allowed[0] != '\0')
		appendStringInfo(&detail, "%s \"%s\" allows from \"%s\" only: %s.",
						 policy_word, policy_text, cv_stage_name(from), allowed);
	else
		appendStringInfo(&detail, "%s \"%s\" allows no change from \"%s\".",
						 policy_word, policy_text, cv_stage_name(from));
	if (extra != NULL)
		appendStringInfo(&detail, " %s", extra);
	ereport(ERROR,
			(errcode(ERRCODE_CHECK_VIOLATION),
			 errmsg("invalid wheel transition from \"%s\" to \"%s\"",
					cv_stage_name(from), cv_stage_name(to)),
			 errdetail_internal("%s", detail.data),
			 errtablecol(rel, attnum)));
	pg_unreachable();
}
