/*
 * pg_summary_agg.h — what the conversion and retention families share: one
 * implementation of their aggregates (per customer, by customer, merge),
 * their I/O and their datum conversions, driven by a description of the
 * summary kind (pg_conversion.c, pg_retention.c).
 *
 * Both summaries are built the same way: an aggregate collects events (of
 * one customer, or of many customers kept apart with bycustomer.h) and
 * settings given as trailing arguments that must be the same on every row;
 * the final function feeds each customer to the core's accumulator and
 * encodes it.  Their partial states carry the settings first, so a state
 * from another query or version is refused rather than misread.
 */
#ifndef CVFW_PG_SUMMARY_AGG_H
#define CVFW_PG_SUMMARY_AGG_H

#include "postgres.h"
#include "fmgr.h"

#include "conversion.h"
#include "retention.h"

typedef union cvfw_summary_params
{
	cv_conv_params conv;
	cv_ret_params ret;
} cvfw_summary_params;

typedef union cvfw_summary_acc
{
	cv_conv		conv;
	cv_ret		ret;
} cvfw_summary_acc;

/* how a settings argument is compared with the last row's, byte for byte */
typedef enum cvfw_arg_form
{
	CVFW_ARG_CHAR,				/* one byte by value (cvfw_stage) */
	CVFW_ARG_INT64,				/* eight bytes by value (timestamptz) */
	CVFW_ARG_FIXED16,			/* sixteen bytes by reference (interval) */
	CVFW_ARG_VARLENA			/* text, arrays */
} cvfw_arg_form;

#define CVFW_MAX_SETTINGS 4

typedef struct cvfw_summary_kind
{
	const char *name;			/* the type and aggregate family: "cvfw_conversion" */
	int			nsettings;		/* settings arguments at most (optional ones last) */
	cvfw_arg_form forms[CVFW_MAX_SETTINGS];

	/* read and check the settings from argument arg on (22004, 22008, 22023) */
	void		(*parse) (FunctionCallInfo fcinfo, int arg, cvfw_summary_params *p);
	int			(*equal) (const cvfw_summary_params *a, const cvfw_summary_params *b);
	/* events after as_of are left out (false: none is) */
	bool		(*as_of) (const cvfw_summary_params *p, int64 *as_of);
	size_t		(*params_size) (const cvfw_summary_params *p);
	void		(*params_write) (const cvfw_summary_params *p, uint8 *out);
	cv_status	(*params_read) (cvfw_summary_params *p, const uint8 *data, size_t len,
								size_t *used, const char **why);

	/* the core accumulator */
	void		(*init) (cvfw_summary_acc *acc, const cvfw_summary_params *p);
	void		(*free) (cvfw_summary_acc *acc);
	const cvfw_summary_params *(*params_of) (const cvfw_summary_acc *acc);
	cv_status	(*add) (cvfw_summary_acc *acc, cv_event *ev, size_t n);
	cv_status	(*merge) (cvfw_summary_acc *into, const cvfw_summary_acc *from);
	uint8	   *(*encode) (const cvfw_summary_acc *acc, size_t reserve, size_t *len);
	cv_status	(*decode) (cvfw_summary_acc *acc, const uint8 *data, size_t len, const char **why);
} cvfw_summary_kind;

extern const cvfw_summary_kind cvfw_conversion_kind;
extern const cvfw_summary_kind cvfw_retention_kind;

/*
 * The aggregates over events.  Arguments: [customer bigint,] stage, at,
 * then the settings.  by_customer: one state for many customers.
 */
extern Datum cvfw_summary_trans(FunctionCallInfo fcinfo, const cvfw_summary_kind *k, bool by_customer);
extern Datum cvfw_summary_combine(FunctionCallInfo fcinfo, const cvfw_summary_kind *k);
extern Datum cvfw_summary_serialize(FunctionCallInfo fcinfo, const cvfw_summary_kind *k);
extern Datum cvfw_summary_deserialize(FunctionCallInfo fcinfo, const cvfw_summary_kind *k, bool by_customer);
extern Datum cvfw_summary_final(FunctionCallInfo fcinfo, const cvfw_summary_kind *k);

/* the merge aggregate over stored summaries */
extern Datum cvfw_summary_merge_trans(FunctionCallInfo fcinfo, const cvfw_summary_kind *k);
extern Datum cvfw_summary_merge_combine(FunctionCallInfo fcinfo, const cvfw_summary_kind *k);
extern Datum cvfw_summary_merge_serialize(FunctionCallInfo fcinfo, const cvfw_summary_kind *k);
extern Datum cvfw_summary_merge_deserialize(FunctionCallInfo fcinfo, const cvfw_summary_kind *k);
extern Datum cvfw_summary_merge_final(FunctionCallInfo fcinfo, const cvfw_summary_kind *k);

/* text (\x + hex, as bytea prints) and binary I/O, every input decoded in full */
extern Datum cvfw_summary_in(FunctionCallInfo fcinfo, const cvfw_summary_kind *k);
extern Datum cvfw_summary_out(FunctionCallInfo fcinfo, const cvfw_summary_kind *k);
extern Datum cvfw_summary_recv(FunctionCallInfo fcinfo, const cvfw_summary_kind *k);
extern Datum cvfw_summary_send(FunctionCallInfo fcinfo, const cvfw_summary_kind *k);

/* decode a stored summary (argument argno) into *acc; damage is XX001 */
extern void cvfw_summary_from_arg(FunctionCallInfo fcinfo, int argno, const cvfw_summary_kind *k,
								  cvfw_summary_acc *acc);

/* a timestamptz from microseconds since 2000, clamped to the valid range */
extern Datum cvfw_summary_time_datum(int64 t);

/*
 * The stages of a cvfw_stage[] argument (not NULL: the caller checks): a
 * one-dimensional array without NULLs, else 22023 naming `what`.  *n gets
 * the count; the result is palloc'd.
 */
extern cv_stage *cvfw_stage_array_arg(FunctionCallInfo fcinfo, int argno, const char *name,
									  const char *what, int *n);

#endif							/* CVFW_PG_SUMMARY_AGG_H */
