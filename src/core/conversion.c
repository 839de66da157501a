/*
 * conversion.c — customers' attempts along a path, counted per cohort.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "conversion.h"
#include "mem.h"

/* --- options and parameters ----------------------------------------------- */

static int
word_is(const char *w, size_t n, const char *name)
{
	size_t		i;

	if (strlen(name) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (tolower((unsigned char) w[i]) != name[i])
			return 0;
	return 1;
}

int
cv_conv_parse_options(const char *s, size_t len, cv_conv_params *p, const char **why)
{
	size_t		i = 0;
	int			seen_mode = 0,
				seen_order = 0,
				seen_period = 0,
				after_by = 0;

	while (i < len)
	{
		size_t		start,
					n;
		const char *w;

		while (i < len && (s[i] == ',' || isspace((unsigned char) s[i])))
			i++;
		if (i == len)
			break;
		start = i;
		while (i < len && s[i] != ',' && !isspace((unsigned char) s[i]))
			i++;
		w = s + start;
		n = i - start;
		if (after_by && !(word_is(w, n, "day") || word_is(w, n, "week") || word_is(w, n, "month")))
			return (*why = "\"by\" must be followed by day, week or month.", 0);
		if (word_is(w, n, "first") || word_is(w, n, "any"))
		{
			if (seen_mode++)
				return (*why = "Choose one of first and any.", 0);
			p->any = word_is(w, n, "any");
		}
		else if (word_is(w, n, "loose") || word_is(w, n, "strict"))
		{
			if (seen_order++)
				return (*why = "Choose one of loose and strict.", 0);
			p->strict = word_is(w, n, "strict");
		}
		else if (word_is(w, n, "day") || word_is(w, n, "week") || word_is(w, n, "month"))
		{
			if (seen_period++)
				return (*why = "Choose one cohort period: day, week or month.", 0);
			p->period = word_is(w, n, "day") ? CV_PERIOD_DAY :
				word_is(w, n, "week") ? CV_PERIOD_WEEK : CV_PERIOD_MONTH;
		}
		else if (word_is(w, n, "by"))
		{
			if (after_by || seen_period)
				return (*why = "\"by\" must be followed by day, week or month.", 0);
			after_by = 1;
			continue;
		}
		else
			return (*why = "Options are first or any, loose or strict, and a cohort period day, week or month.", 0);
		after_by = 0;
	}
	if (after_by)
		return (*why = "\"by\" must be followed by day, week or month.", 0);
	return 1;
}

const char *
cv_conv_options_text(const cv_conv_params *p, char buf[40])
{
	strcpy(buf, p->any ? "any" : "first");
	strcat(buf, p->strict ? ", strict" : ", loose");
	if (p->period != CV_PERIOD_NONE)
	{
		strcat(buf, ", by ");
		strcat(buf, cv_period_name((cv_period) p->period));
	}
	return buf;
}

int
cv_conv_check_path(const cv_stage *path, size_t n, const char **why)
{
	size_t		i;

	if (n < CV_CONV_MIN_STEPS || n > CV_CONV_MAX_STEPS)
		return (*why = "A path has 2 to 64 stages.", 0);
	for (i = 0; i < n; i++)
	{
		if (!cv_stage_is_valid(path[i]))
			return (*why = "A path holds stages, no NULLs.", 0);
		if (i > 0 && path[i] == path[i - 1])
			return (*why = "A path cannot name a stage twice in a row: consecutive events at one stage are one visit.", 0);
	}
	return 1;
}

int
cv_conv_params_equal(const cv_conv_params *a, const cv_conv_params *b)
{
	return a->steps == b->steps && a->any == b->any && a->strict == b->strict &&
		a->period == b->period && a->has_as_of == b->has_as_of && a->window == b->window &&
		(!a->has_as_of || a->as_of == b->as_of) &&
		memcmp(a->path, b->path, a->steps) == 0;
}

/* --- cohorts ------------------------------------------------------------------- */

void
cv_conv_init(cv_conv *c, const cv_conv_params *p)
{
	memset(c, 0, sizeof(*c));
	c->p = *p;
}

static void
cohort_free(cv_conv_cohort *h, int steps)
{
	int			k;

	for (k = 0; k < steps; k++)
	{
		cv_sketch_free(&h->from_start[k], &cv_ambient);
		cv_sketch_free(&h->from_prev[k], &cv_ambient);
	}
	cv_mem.free(h->attempts);
}

void
cv_conv_free(cv_conv *c)
{
	uint32_t	i;

	for (i = 0; i < c->n; i++)
		cohort_free(&c->cohorts[i], c->p.steps);
	if (c->cohorts != NULL)
		cv_mem.free(c->cohorts);
	c->cohorts = NULL;
	c->n = c->cap = 0;
}

/* where cohort is or would go in the sorted cohorts */
static uint32_t
cohort_pos(const cv_conv *c, int32_t cohort)
{
	uint32_t	lo = 0,
				hi = c->n;

	while (lo < hi)
	{
		uint32_t	mid = lo + (hi - lo) / 2;

		if (c->cohorts[mid].cohort < cohort)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* the cohort's entry, added (all zero) when new; cohorts stay sorted */
cv_conv_cohort *
cv_conv_cohort_get(cv_conv *c, int32_t cohort)
{
	uint32_t	lo;
	int			m = c->p.steps;
	cv_conv_cohort *h;
	size_t		size;
	uint8_t    *block;

	/* attempts arrive in time order: the last cohort is the likely one */
	if (c->n > 0 && c->cohorts[c->n - 1].cohort == cohort)
		return &c->cohorts[c->n - 1];
	lo = cohort_pos(c, cohort);
	if (lo < c->n && c->cohorts[lo].cohort == cohort)
		return &c->cohorts[lo];
	if (c->n == c->cap)
	{
		c->cap = c->cap ? c->cap * 2 : 4;
		c->cohorts = cv_mem.realloc(c->cohorts, c->cap * sizeof(cv_conv_cohort));
	}
	memmove(&c->cohorts[lo + 1], &c->cohorts[lo], (c->n - lo) * sizeof(cv_conv_cohort));
	c->n++;
	h = &c->cohorts[lo];
	/* one block: three count arrays, then the two sketch arrays */
	size = (size_t) m * (3 * sizeof(uint64_t) + 2 * sizeof(cv_sketch));
	block = cv_mem.alloc(size);
	memset(block, 0, size);
	h->cohort = cohort;
	h->attempts = (uint64_t *) block;
	h->customers = h->attempts + m;
	h->in_progress = h->customers + m;
	h->from_start = (cv_sketch *) (h->in_progress + m);
	h->from_prev = h->from_start + m;
	return h;
}

/* --- one customer ------------------------------------------------------------ */

static int
event_cmp(const cv_event *a, const cv_event *b)
{
	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	return (a->stage > b->stage) - (a->stage < b->stage);
}

static int
event_qsort_cmp(const void *a, const void *b)
{
	return event_cmp(a, b);
}

/* time, then wheel position: the flow summary's order (amounts play no part here) */
static void
sort_events(cv_event *ev, size_t n)
{
	size_t		i,
				j;

	if (n > 16)
	{
		qsort(ev, n, sizeof(cv_event), event_qsort_cmp);
		return;
	}
	for (i = 1; i < n; i++)
	{
		cv_event	e = ev[i];

		for (j = i; j > 0 && event_cmp(&ev[j - 1], &e) > 0; j--)
			ev[j] = ev[j - 1];
		ev[j] = e;
	}
}

typedef struct visit
{
	int64_t		entry;
	cv_stage	stage;
} visit;

/* a move into a visit that falls back on the wheel (engagement -> awareness
 * is the next round, not a regression: the flow summary's rule) */
static int
regresses(cv_stage from, cv_stage to)
{
	return to < from && to != cv_stage_next(from);
}

/* one attempt's outcome */
typedef struct attempt
{
	int			level;			/* steps reached, 1..m */
	int			open;			/* in progress at as_of */
	int64_t		at[CV_CONV_MAX_STEPS];	/* when each step was reached */
} attempt;

/* the customer's best level so far in the cohort being filled (by
 * number: adding a cohort moves the others) */
typedef struct customer_cohort
{
	int			level;			/* 0: none being filled */
	int32_t		cohort;
} customer_cohort;

static void
flush_customer(cv_conv *c, customer_cohort *cc)
{
	cv_conv_cohort *h;
	int			k;

	if (cc->level == 0)
		return;
	h = cv_conv_cohort_get(c, cc->cohort);
	for (k = 0; k < cc->level; k++)
		h->customers[k]++;
	cc->level = 0;
}

static cv_status
record(cv_conv *c, const attempt *a, customer_cohort *cc)
{
	const cv_conv_params *p = &c->p;
	int32_t		cohort = cv_period_index((cv_period) p->period, a->at[0]);
	cv_conv_cohort *h;
	int			k;

	if (cc->level > 0 && cc->cohort != cohort)
		flush_customer(c, cc);
	h = cv_conv_cohort_get(c, cohort);
	/* attempts[0] is the cohort's largest count */
	if (h->attempts[0] >= CV_COUNT_MAX)
		return CV_ERR_OVERFLOW;
	for (k = 0; k < a->level; k++)
		h->attempts[k]++;
	if (a->open)
		h->in_progress[a->level - 1]++;
	for (k = 1; k < a->level; k++)
	{
		/* times lie in PostgreSQL's range: the difference fits a uint64 */
		cv_sketch_add(&h->from_start[k], &cv_ambient, (uint64_t) a->at[k] - (uint64_t) a->at[0]);
		if (k >= 2)
			cv_sketch_add(&h->from_prev[k], &cv_ambient, (uint64_t) a->at[k] - (uint64_t) a->at[k - 1]);
	}
	cc->cohort = cohort;
	if (a->level > cc->level)
		cc->level = a->level;
	return CV_OK;
}

cv_status
cv_conv_add_customer(cv_conv *c, cv_event *ev, size_t n)
{
	const cv_conv_params *p = &c->p;
	int			m = p->steps;
	visit		local[64];
	visit	   *v = local;
	size_t		nv = 0,
				i,
				k;
	customer_cohort cc = {0, 0};
	cv_status	st = CV_OK;

	/* events after as_of are not known yet */
	if (p->has_as_of)
	{
		for (i = 0, k = 0; i < n; i++)
			if (ev[i].at <= p->as_of)
				ev[k++] = ev[i];
		n = k;
	}
	if (n == 0)
		return CV_OK;
	sort_events(ev, n);
	if (n > 64)
		v = cv_mem.alloc(n * sizeof(visit));
	for (i = 0; i < n; i++)
		if (nv == 0 || v[nv - 1].stage != ev[i].stage)
		{
			v[nv].entry = ev[i].at;
			v[nv].stage = ev[i].stage;
			nv++;
		}

	i = 0;
	while (st == CV_OK)
	{
		attempt		a;
		int64_t		t0;

		while (i < nv && v[i].stage != p->path[0])
			i++;
		if (i == nv)
			break;
		t0 = v[i].entry;
		a.level = 1;
		a.at[0] = t0;
		a.open = 0;
		for (k = i + 1; k < nv && a.level < m; k++)
		{
			/* entries never decrease: past the window, nothing more counts */
			if ((uint64_t) v[k].entry - (uint64_t) t0 > (uint64_t) p->window)
				break;
			/*
			 * strict: a fall back ends the attempt, unless it is the move
			 * straight from one step's stage to the next (a path may go back)
			 */
			if (p->strict && regresses(v[k - 1].stage, v[k].stage) &&
				!(v[k].stage == p->path[a.level] && v[k - 1].stage == p->path[a.level - 1]))
				break;
			if (v[k].stage == p->path[a.level])
				a.at[a.level++] = v[k].entry;
			/* a long history answers a cancel request now and then */
			if ((k & 0xFFFFF) == 0)
				cv_yield();
		}
		/*
		 * Why the attempt stopped: it completed (k is past the completing
		 * visit), its window ran out (k is the first visit after it), a
		 * regression broke it (k is that visit, which may start the next
		 * attempt), or the visits ran out.  Only in the last case can it
		 * still be going on at as_of.
		 */
		if (a.level < m && k == nv && p->has_as_of &&
			(uint64_t) p->as_of - (uint64_t) t0 < (uint64_t) p->window)
			a.open = 1;
		st = record(c, &a, &cc);
		if (!p->any || k == nv)
			break;
		i = k;
	}
	if (st == CV_OK)
		flush_customer(c, &cc);
	if (v != local)
		cv_mem.free(v);
	return st;
}

/* --- merging and reading ----------------------------------------------------- */

cv_status
cv_conv_merge(cv_conv *into, const cv_conv *from)
{
	uint32_t	i;
	int			k,
				m = into->p.steps;

	if (!cv_conv_params_equal(&into->p, &from->p))
		return CV_ERR_CORRUPT;
	/* check every count first, so nothing is half added */
	for (i = 0; i < from->n; i++)
	{
		const cv_conv_cohort *b = &from->cohorts[i];
		uint32_t	j = cohort_pos(into, b->cohort);

		if (j < into->n && into->cohorts[j].cohort == b->cohort &&
			(b->attempts[0] > CV_COUNT_MAX - into->cohorts[j].attempts[0] ||
			 b->customers[0] > CV_COUNT_MAX - into->cohorts[j].customers[0]))
			return CV_ERR_OVERFLOW;
	}
	for (i = 0; i < from->n; i++)
	{
		const cv_conv_cohort *b = &from->cohorts[i];
		cv_conv_cohort *a = cv_conv_cohort_get(into, b->cohort);

		for (k = 0; k < m; k++)
		{
			a->attempts[k] += b->attempts[k];
			a->customers[k] += b->customers[k];
			a->in_progress[k] += b->in_progress[k];
			cv_sketch_merge(&a->from_start[k], &cv_ambient, &b->from_start[k]);
			cv_sketch_merge(&a->from_prev[k], &cv_ambient, &b->from_prev[k]);
		}
	}
	return CV_OK;
}

static void
sketch_stats(const cv_sketch *s, double *avg, double *p50, double *p90)
{
	*avg = s->total > 0 ? cv_i128_to_double(cv_sketch_sum(s)) / (double) s->total : 0;
	*p50 = *p90 = 0;
	cv_sketch_quantile(s, 0.5, p50);
	cv_sketch_quantile(s, 0.9, p90);
}

static void
fill_row(cv_conv_row *r, const cv_conv_params *p, const cv_conv_cohort *h, int k)
{
	memset(r, 0, sizeof(*r));
	r->step = k + 1;
	r->stage = p->path[k];
	if (h == NULL)
		return;
	r->cohort = h->cohort;
	r->has_cohort = p->period != CV_PERIOD_NONE;
	r->attempts = h->attempts[k];
	r->customers = h->customers[k];
	r->in_progress = h->in_progress[k];
	if (k > 0 && h->attempts[k - 1] > 0)
	{
		r->has_step_rate = 1;
		r->step_rate = (double) h->attempts[k] / (double) h->attempts[k - 1];
	}
	if (h->attempts[0] > 0)
	{
		r->has_rate = 1;
		r->rate = (double) h->attempts[k] / (double) h->attempts[0];
	}
	if (k > 0 && h->attempts[k] > 0)
	{
		r->has_times = 1;
		sketch_stats(&h->from_start[k], &r->time_avg, &r->time_p50, &r->time_p90);
		sketch_stats(k == 1 ? &h->from_start[1] : &h->from_prev[k], &r->step_avg, &r->step_p50, &r->step_p90);
	}
}

cv_conv_row *
cv_conv_rows(const cv_conv *c, size_t *n)
{
	int			m = c->p.steps,
				k;
	size_t		rows = (c->n > 0 ? c->n : (c->p.period == CV_PERIOD_NONE ? 1 : 0)) * (size_t) m,
				r = 0;
	cv_conv_row *out = cv_mem.alloc((rows > 0 ? rows : 1) * sizeof(cv_conv_row));
	uint32_t	i;

	if (c->n == 0 && rows > 0)
		for (k = 0; k < m; k++)
			fill_row(&out[r++], &c->p, NULL, k);
	for (i = 0; i < c->n; i++)
		for (k = 0; k < m; k++)
			fill_row(&out[r++], &c->p, &c->cohorts[i], k);
	*n = r;
	return out;
}

int
cv_conv_furthest(const cv_conv *c)
{
	int			best = 0,
				k;
	uint32_t	i;

	for (i = 0; i < c->n; i++)
		for (k = c->p.steps; k > best; k--)
			if (c->cohorts[i].attempts[k - 1] > 0)
			{
				best = k;
				break;
			}
	return best;
}

uint64_t
cv_conv_attempts(const cv_conv *c, int step)
{
	uint64_t	sum = 0;
	uint32_t	i;

	if (step < 1 || step > c->p.steps)
		return 0;
	for (i = 0; i < c->n; i++)
		sum += c->cohorts[i].attempts[step - 1];
	return sum;
}

int
cv_conv_time_quantile(const cv_conv *c, int step, double q, double *out)
{
	cv_sketch	all = {0};
	uint32_t	i;
	int			found;

	if (step < 2 || step > c->p.steps)
		return 0;
	for (i = 0; i < c->n; i++)
		cv_sketch_merge(&all, &cv_ambient, &c->cohorts[i].from_start[step - 1]);
	found = cv_sketch_quantile(&all, q, out);
	cv_sketch_free(&all, &cv_ambient);
	return found;
}
