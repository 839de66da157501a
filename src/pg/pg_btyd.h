/*
 * pg_btyd.h — what the buy-till-you-die functions (BG/NBD, Gamma-Gamma,
 * predicted CLV) share in the PostgreSQL layer.
 */
#ifndef CVFW_BTYD_PG_H
#define CVFW_BTYD_PG_H

#include "postgres.h"
#include "access/htup_details.h"
#include "fmgr.h"

#include "bgnbd.h"
#include "gamma_gamma.h"
#include "fitinfo.h"
#include "pnbd.h"
#include "points.h"

/*
 * the fits' aggregate state: the bag of distinct summaries, in the
 * aggregate context, and a penalised fit's penalizer (0 otherwise)
 */
typedef struct cvfw_points_state
{
	cv_points	bag;
	double		penalizer;
} cvfw_points_state;

extern cvfw_points_state *cvfw_points_state_new(FunctionCallInfo fcinfo, const char *name);
/* add n customers at (x, y, z) in the aggregate's context */
extern void cvfw_points_state_add(FunctionCallInfo fcinfo, cvfw_points_state *s, double x,
								  double y, double z, const char *fname);

/*
 * The penalizer argument (argno) of a penalised fit's row: NULL is an
 * error, a number must be finite and >= 0 and the same on every row.
 */
extern void cvfw_points_state_penalizer(FunctionCallInfo fcinfo, cvfw_points_state *s, int argno,
										bool fresh, const char *fname);

/*
 * A fit's summary (cvfw_*_summary): the model, how it was fitted, a note,
 * the penalizer and the parameter table (names, estimates, standard
 * errors).
 */
/* the model's row type, the first attribute of a summary type */
extern TupleDesc cvfw_summary_model_desc(TupleDesc summary);
extern Datum cvfw_fit_summary_datum(FunctionCallInfo fcinfo, Datum model, const cv_fit_info *info,
									double penalizer, const char *fname);

/*
 * Report a core status as an error (nothing for CV_BTYD_OK or EMPTY).  what:
 * for CV_BTYD_UNBOUNDED the parameter that ran away (value: where it got to),
 * for CV_BTYD_BAD_ARGUMENT why the argument is invalid (or NULL).
 */
extern void cvfw_btyd_check(cv_btyd_status st, const char *fname, const char *what,
							double value);

/* the models from and to their composite types */
extern void cvfw_bgnbd_from_datum(HeapTupleHeader t, cv_bgnbd *m, const char *fname);
extern void cvfw_gg_from_datum(HeapTupleHeader t, cv_gg *g, const char *fname);
extern void cvfw_pnbd_from_datum(HeapTupleHeader t, cv_pnbd *m, const char *fname);

/* a customer's history (frequency, recency, T) from arguments argno.., checked */
extern void cvfw_history_arg(FunctionCallInfo fcinfo, int argno, const char *fname, double *x,
							 double *t_x, double *T);

/* a horizon argument: finite, >= 0 */
extern double cvfw_horizon_arg(FunctionCallInfo fcinfo, int argno, const char *fname);

#endif							/* CVFW_BTYD_PG_H */
