/*
 * pg_spi.h — SPI as the guards use it: plans kept for the backend's life,
 * run as another role (the owner of what they write), as the foreign key
 * triggers run their queries.
 */
#ifndef CVFW_SPI_PG_H
#define CVFW_SPI_PG_H

#include "postgres.h"
#include "executor/spi.h"

#include "stage.h"

/* prepare a query and keep its plan (plancache revalidates it as needed) */
extern SPIPlanPtr cvfw_spi_prepare_kept(const char *query, int nargs, Oid *argtypes);

/*
 * Run a kept plan as role (SECURITY_LOCAL_USERID_CHANGE: an error on the
 * way resets the role with the transaction).  With found, reads the first
 * column of the first row as a cvfw_stage into *stage.
 */
extern int	cvfw_spi_run_as(Oid role, SPIPlanPtr plan, Datum *values, const char *nulls,
							bool *found, cv_stage *stage);

#endif							/* CVFW_SPI_PG_H */
