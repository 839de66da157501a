/*
 * pg_live.h — live tracking (doc/live.md): what a tracked events table's
 * triggers carry, and what the functions that attach, maintain and read
 * the live summaries share.
 *
 * cvfw_track() creates, in the events table's schema, under a prefix P
 * (the table's name and "_cvfw" unless given):
 *   P_customers  one row per customer: the customer, their group, their
 *                flow summary and trend (the events' own batch aggregates)
 *   P_groups     compacted sums: one row per group (total = false) and one
 *                for everyone (total = true)
 *   P_changes    append-only changes not yet compacted: per statement and
 *                group, the summaries added and the summaries removed
 *   P_live       a view: per group, P_groups + added - removed
 * and four statement triggers on the events table (cvfw_live_insert,
 * _update, _delete with transition tables, _truncate), each carrying the
 * whole configuration in its arguments, so pg_dump carries it too:
 *   0 "cvfw_live 1" (what and the version of this layout), 1 the summaries'
 *   schema, 2 the prefix, 3 customer, 4 stage, 5 at, 6 value or "", 7 cost
 *   or "", 8 the customer index tracking created or "", 9.. the grouping
 *   columns.
 */
#ifndef CVFW_LIVE_PG_H
#define CVFW_LIVE_PG_H

#include "postgres.h"

#include "commands/trigger.h"
#include "storage/itemptr.h"
#include "utils/relcache.h"

#include "flow.h"
#include "trend.h"

#define CVFW_LIVE_TAG			"cvfw_live 1"
#define CVFW_LIVE_FIXED_ARGS	9
#define CVFW_LIVE_MAX_GROUPS	16

/* the triggers' names, fixed: one tracking per table */
#define CVFW_LIVE_TRIGGER_INSERT	"cvfw_live_insert"
#define CVFW_LIVE_TRIGGER_UPDATE	"cvfw_live_update"
#define CVFW_LIVE_TRIGGER_DELETE	"cvfw_live_delete"
#define CVFW_LIVE_TRIGGER_TRUNCATE	"cvfw_live_truncate"

/* the transition tables' names in the triggers */
#define CVFW_LIVE_NEW	"cvfw_new"
#define CVFW_LIVE_OLD	"cvfw_old"

typedef struct cvfw_live_config
{
	char	   *schema;			/* the summaries' schema (unquoted) */
	char	   *prefix;
	char	   *customer;		/* column names of the events table */
	char	   *stage;
	char	   *at;
	char	   *value;			/* NULL when there is none */
	char	   *cost;
	char	   *index_made;		/* the index tracking created, or NULL */
	int			ngroups;
	char	   *groups[CVFW_LIVE_MAX_GROUPS];
	/* derived, quoted and schema-qualified */
	char	   *q_customers;	/* P_customers */
	char	   *q_groups;		/* P_groups */
	char	   *q_changes;		/* P_changes */
	char	   *q_live;			/* P_live */
	char	   *q_ext;			/* cvfw's schema, quoted */
} cvfw_live_config;

/* the configuration in a trigger's arguments; an error when they are not ours */
extern void cvfw_live_config_parse(cvfw_live_config *c, int nargs, char **args, Oid ext_nsp);

/* the name P_suffix, unquoted; an error when longer than an identifier may be */
extern char *cvfw_live_name(const char *prefix, const char *suffix);

/*
 * The configuration of a tracked events table (its insert trigger's
 * arguments, which must call cvfw's trigger function); false when the
 * table is not tracked.  rel must be open.
 */
extern bool cvfw_live_config_of(Relation rel, Oid ext_nsp, cvfw_live_config *c);

/* OPERATOR(schema.name) of an operator: no search_path involved */
extern char *cvfw_live_operator(Oid opno);

/* " COLLATE schema.name" when collation is not the type's own, else "" */
extern char *cvfw_live_collate(Oid type, Oid collation);

/* cvfw's schema: the namespace of the function being called */
extern Oid	cvfw_live_ext_namespace(FunctionCallInfo fcinfo);

/* the oid of cvfw's trigger function */
extern Oid	cvfw_live_trigger_oid(Oid ext_nsp);

/*
 * ", g1, g2": the grouping columns, quoted, each after ", " and prefixed
 * with alias and a dot when alias is not NULL
 */
extern void cvfw_live_append_groups(StringInfo buf, const cvfw_live_config *c, const char *alias);

/*
 * Run SQL as the owner of the events table, as PostgreSQL's own
 * foreign-key triggers do: writers of events need no privilege on the
 * summaries and cannot write them directly; row-level security does not
 * hide events from the summaries.  Restored by cvfw_live_as_caller (and
 * by transaction abort).
 */
typedef struct cvfw_live_user
{
	Oid			saved_user;
	int			saved_context;
} cvfw_live_user;

extern void cvfw_live_as_owner(Oid owner, cvfw_live_user *u);
extern void cvfw_live_as_caller(const cvfw_live_user *u);

/*
 * Settings for the statements live tracking runs, until cvfw_live_settings_end
 * (or the transaction's abort): JIT off (the statements are small and
 * frequent: compiling them would cost milliseconds each), and, for the
 * trigger's generic plans, no sequential scans (every key through an
 * index, however small the statistics say the tables are).  Returns the
 * level to end.
 */
extern int	cvfw_live_settings(bool index_scans);
extern void cvfw_live_settings_end(int level);

/*
 * Flows and trends summed per group, and for everyone (total), what was
 * added and what was removed: the change rows a statement writes, what a
 * compaction folds in, what a reader adds up.  Groups are told apart by
 * their values' bytes (datum_image_eq): equal values written two ways
 * (numeric 1.0 and 1.00) make two sums, which the readers, grouping by the
 * type's equality, add up again.
 */
typedef struct cvfw_live_gtype
{
	int16		len;
	bool		byval;
} cvfw_live_gtype;

typedef struct cvfw_live_sum
{
	bool		used;
	bool		total;
	uint32		hash;
	Datum		g[CVFW_LIVE_MAX_GROUPS];
	bool		gnull[CVFW_LIVE_MAX_GROUPS];
	cv_flow		added_flow;
	cv_flow		removed_flow;
	cv_trend	added_trend;
	cv_trend	removed_trend;
	bool		has_base;		/* compaction: its compacted row, at base_tid */
	ItemPointerData base_tid;
} cvfw_live_sum;

typedef struct cvfw_live_sums
{
	cvfw_live_sum *slots;
	int			cap;			/* a power of two */
	int			n;
	int			ngroups;
	cvfw_live_gtype gt[CVFW_LIVE_MAX_GROUPS];
} cvfw_live_sums;

extern void cvfw_live_sums_init(cvfw_live_sums *s, int ngroups, const cvfw_live_gtype *gt);

/* the sum of a group (or of everyone), created empty when new */
extern cvfw_live_sum *cvfw_live_sums_find(cvfw_live_sums *s, bool total, const Datum *g,
										  const bool *gnull);

/* fold every group's sums into everyone's (when there are groups) */
extern void cvfw_live_sums_total(cvfw_live_sums *s);

/*
 * Fold the pending changes into the compacted sums (full), or, while they
 * stay small beside those, into one change row per group.  When another
 * transaction is compacting: wait for it, or (!wait) return false at once.
 * The number of change rows folded goes to *folded.  SPI must be
 * connected; runs as the current user.
 */
extern bool cvfw_live_compact_now(const cvfw_live_config *c, Oid events, bool wait, bool full,
								  int64 *folded);

/*
 * The live flow or trend (kind "flow" or "trend") of a tracked table: of
 * everyone, or of the group whose values (text, cast to the columns'
 * types; NULL for none) are given.  SPI must be connected.  NULL when
 * nobody is there.
 */
extern Datum cvfw_live_read(const cvfw_live_config *c, Relation rel, bool trend, bool by_group,
							Datum *values, char *nulls, bool *isnull);

#endif							/* CVFW_LIVE_PG_H */
