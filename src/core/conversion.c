/*
 * conversion.c — customers' attempts along a path, counted per cohort.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "conversion.h"
#include "customer.h"
#include "mem.h"
#include "pace.h"

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

/* a move into a visit that falls back on the wheel (engagement -> awareness
 * is the next round, not a regression: the flow summary's rule) */
static int
regresses(cv_stage from, cv_stage to)
{
	return to < from && to != cv_stage_next(from);
}

/* the customer's part of the cohort being filled goes in: every step up to
 * their best attempt's there counts them once */
static void
flush_customer(cv_conv_walk *w)
{
	cv_conv_cohort *h;
	int			k;

	if (w->best == 0)
		return;
	h = cv_conv_cohort_get(w->into, w->cohort);
	for (k = 0; k < w->best; k++)
		h->customers[k]++;
	w->best = 0;
}

/* the attempt in progress is over (open: still going on at as_of) */
static void
record(cv_conv_walk *w, int open)
{
	cv_conv    *c = w->into;
	int32_t		cohort = cv_period_index((cv_period) c->p.period, w->at[0]);
	cv_conv_cohort *h;
	int			k,
				level = w->level;

	w->level = 0;
	if (!c->p.any)
		w->done = 1;
	/* attempts arrive in time order, so cohorts only move forward */
	if (w->best > 0 && w->cohort != cohort)
		flush_customer(w);
	h = cv_conv_cohort_get(c, cohort);
	/* attempts[0] is the cohort's largest count */
	if (h->attempts[0] >= CV_COUNT_MAX)
	{
		w->status = CV_ERR_OVERFLOW;
		return;
	}
	for (k = 0; k < level; k++)
		h->attempts[k]++;
	if (open)
		h->in_progress[level - 1]++;
	for (k = 1; k < level; k++)
	{
		/* times lie in PostgreSQL's range: the difference fits a uint64 */
		cv_sketch_add(&h->from_start[k], &cv_ambient, (uint64_t) w->at[k] - (uint64_t) w->at[0]);
		if (k >= 2)
			cv_sketch_add(&h->from_prev[k], &cv_ambient, (uint64_t) w->at[k] - (uint64_t) w->at[k - 1]);
	}
	w->cohort = cohort;
	if (level > w->best)
		w->best = level;
}

void
cv_conv_walk_begin(cv_conv_walk *w, cv_conv *into)
{
	memset(w, 0, sizeof(*w));
	w->into = into;
}

/*
 * A new visit, entered at `entry` at stage s; prev is the stage of the
 * visit before it (0 for the first).  Attempts follow one another: an
 * attempt starts at a visit to the first step's stage; while one is in
 * progress each visit either lies past its window (it is over, and this
 * visit may start the next), breaks it by a regression in strict order
 * (the same), reaches its next step (the last: it completed, and the next
 * attempt starts after this visit), or is passed over.
 */
static void
visit(cv_conv_walk *w, cv_stage s, int64_t entry, cv_stage prev)
{
	const cv_conv_params *p = &w->into->p;
	int			lv = w->level;

	if (lv > 0)
	{
		/* entries never decrease: past the window, nothing more counts */
		if ((uint64_t) entry - (uint64_t) w->at[0] > (uint64_t) p->window ||
		/*
		 * strict: a fall back ends the attempt, unless it is the move
		 * straight from one step's stage to the next (a path may go back)
		 */
			(p->strict && regresses(prev, s) && !(s == p->path[lv] && prev == p->path[lv - 1])))
		{
			record(w, 0);
			if (w->status != CV_OK || w->done)
				return;
		}
		else
		{
			if (s == p->path[lv])
			{
				w->at[w->level++] = entry;
				if (w->level == p->steps)
					record(w, 0);
			}
			return;
		}
	}
	if (s == p->path[0])
	{
		w->level = 1;
		w->at[0] = entry;
	}
}

cv_status
cv_conv_walk_event(cv_conv_walk *w, const cv_event *e)
{
	const cv_conv_params *p = &w->into->p;

	if (w->status != CV_OK)
		return w->status;
	if (!cv_stage_is_valid(e->stage) || e->at < CV_MIN_TIMESTAMP || e->at >= CV_END_TIMESTAMP ||
		(w->events > 0 && (e->at < w->last_at || (e->at == w->last_at && e->stage < w->last_stage))))
		return w->status = CV_ERR_CORRUPT;
	w->events++;
	w->last_at = e->at;
	w->last_stage = e->stage;
	cv_pace(1);
	/* events after as_of are not known yet (they come last) */
	if ((p->has_as_of && e->at > p->as_of) || w->done)
		return CV_OK;
	/* consecutive events at one stage form a visit, entered at the first */
	if (e->stage != w->visit_stage)
		visit(w, e->stage, e->at, w->visit_stage);
	w->visit_stage = e->stage;
	return w->status;
}

cv_status
cv_conv_walk_end(cv_conv_walk *w)
{
	const cv_conv_params *p = &w->into->p;

	/*
	 * An attempt still going when the visits ran out is in progress at
	 * as_of if its window has not run out by then (one that completed,
	 * broke or ran out of its window was recorded at the visit that said
	 * so).
	 */
	if (w->status == CV_OK && w->level > 0)
		record(w, p->has_as_of && (uint64_t) p->as_of - (uint64_t) w->at[0] < (uint64_t) p->window);
	if (w->status == CV_OK)
		flush_customer(w);
	return w->status;
}

static cv_status
walker_begin(void *self)
{
	cv_conv_walk *w = self;

	cv_conv_walk_begin(w, w->into);
	return CV_OK;
}

static cv_status
walker_event(void *self, const cv_event *e)
{
	return cv_conv_walk_event((cv_conv_walk *) self, e);
}

static cv_status
walker_end(void *self)
{
	return cv_conv_walk_end((cv_conv_walk *) self);
}

const cv_walker cv_conv_walker = {walker_begin, walker_event, walker_end};

cv_status
cv_conv_add_customer(cv_conv *c, cv_event *ev, size_t n)
{
	cv_conv_walk w;
	size_t		i,
				k;
	cv_status	st;

	/* events after as_of are not known yet: no need to sort them */
	if (c->p.has_as_of)
	{
		for (i = 0, k = 0; i < n; i++)
			if (ev[i].at <= c->p.as_of)
				ev[k++] = ev[i];
		n = k;
	}
	if (n == 0)
		return CV_OK;
	/* checked before sorting (the order must be total), then walk order */
	st = cv_prepare_events(ev, n);
	if (st != CV_OK)
		return st;
	cv_conv_walk_begin(&w, c);
	for (i = 0; i < n && w.status == CV_OK; i++)
		(void) cv_conv_walk_event(&w, &ev[i]);
	return cv_conv_walk_end(&w);
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
