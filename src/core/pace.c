/*
 * pace.c — the counter behind cv_pace (pace.h).
 */
#include "pace.h"

long		cv_pace_left = CV_PACE_UNITS;
