/*
 * markov.c — the chain of visits: estimates, expectations, removal
 * effects, what-if and the marginal gains of fixing a leak.
 */
#include <math.h>
#include <string.h>

#include "km.h"
#include "markov.h"

#define BIT(s) (1u << (s))

void
cv_chain_of_flow(const cv_flow *f, int has_cutoff, int32_t cutoff_day, int64_t as_of, cv_chain *c)
{
	uint64_t	into[CV_S] = {0};
	int			s,
				t;

	memset(c, 0, sizeof(*c));
	c->customers = f->customers;
	for (s = 1; s <= CV_STAGE_COUNT; s++)
		for (t = 1; t <= CV_STAGE_COUNT; t++)
		{
			c->moved[s] += f->trans[s][t];
			into[t] += f->trans[s][t];
		}
	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		cv_km		km;

		c->visits[s] = cv_flow_visits(f, (cv_stage) s);
		if (c->visits[s] > 0)
		{
			c->value[s] = cv_money_to_double(f->st[s].value) / (double) c->visits[s];
			c->cost[s] = cv_money_to_double(f->st[s].cost) / (double) c->visits[s];
		}
		if (f->customers > 0)
			c->start[s] = (double) (c->visits[s] - into[s]) / (double) f->customers;
		for (t = 1; t <= CV_STAGE_COUNT; t++)
			if (c->moved[s] > 0)
				c->dest[s][t] = (double) f->trans[s][t] / (double) c->moved[s];
		cv_km_stage(f, (cv_stage) s, has_cutoff, cutoff_day, as_of, &km);
		c->active[s] = (double) km.open;
		c->known[s] = km.moved + km.leaked > 0;
		c->leak[s] = c->known[s] ? km.stay : NAN;
		c->keep[s] = c->known[s] ? km.go : NAN;
		cv_km_free(&km);
	}
}

void
cv_chain_with_leak(const cv_chain *c, cv_stage k, double r, cv_chain *out)
{
	int			t;

	*out = *c;
	/* today's leak probability: today's row, not one rebuilt from it */
	if (c->known[k] && r == c->leak[k])
		return;
	out->known[k] = 1;
	out->leak[k] = r;
	out->keep[k] = 1 - r;
	if (c->moved[k] == 0)
		for (t = 1; t <= CV_STAGE_COUNT; t++)
			out->dest[k][t] = t == cv_stage_next(k) ? 1 : 0;
}

/* P(s -> t) */
static double
prob(const cv_chain *c, int s, int t)
{
	return c->keep[s] > 0 && c->dest[s][t] > 0 ? c->keep[s] * c->dest[s][t] : 0;
}

/*
 * x = (I - P)^-1 b over n transient states, in place: p[i][j] (i != j) the
 * moves between them, e[i] the share of state i leaving them for good.
 * The GTH form: each pivot is the sum of what leaves its state in the
 * reduced chain, so no step subtracts.  0 if a pivot is not positive
 * (the states were not transient).
 */
static int
solve(int n, double p[CV_STAGE_COUNT][CV_STAGE_COUNT], double e[CV_STAGE_COUNT],
	  double b[CV_STAGE_COUNT], double x[CV_STAGE_COUNT])
{
	double		d[CV_STAGE_COUNT];
	int			i,
				j,
				k;

	for (k = 0; k < n; k++)
	{
		d[k] = e[k];
		for (j = k + 1; j < n; j++)
			d[k] += p[k][j];
		if (!(d[k] > 0))
			return 0;
		for (i = k + 1; i < n; i++)
		{
			double		g;

			if (!(p[i][k] > 0))
				continue;
			g = p[i][k] / d[k];
			for (j = k + 1; j < n; j++)
				if (j != i)
					p[i][j] += g * p[k][j];
			e[i] += g * e[k];
			b[i] += g * b[k];
		}
	}
	for (k = n - 1; k >= 0; k--)
	{
		double		sum = b[k];

		for (j = k + 1; j < n; j++)
			if (p[k][j] > 0)
				sum += p[k][j] * x[j];
		x[k] = sum / d[k];
	}
	return 1;
}

/*
 * incl[s] = the expected sum of f over the visit at s and every later one,
 * for each stage s, where the chain stops at the stages in `stop` and
 * counts bound[] there (f is not counted at a stop).  NaN where an unknown
 * stage can be reached; loops with no way out as in markov.h.
 */
static cv_status
evaluate(const cv_chain *c, unsigned stop, const double bound[CV_S], const double f[CV_S],
		 double incl[CV_S])
{
	double		P[CV_S][CV_S] = {{0}};
	double		p[CV_STAGE_COUNT][CV_STAGE_COUNT] = {{0}},
				e[CV_STAGE_COUNT] = {0},
				b[CV_STAGE_COUNT] = {0},
				x[CV_STAGE_COUNT] = {0};
	unsigned	adj[CV_S] = {0},
				reach[CV_S],
				unknown = 0,
				live = 0,
				exits = 0,
				bad,
				loop = 0,
				trans;
	int			idx[CV_S],
				n = 0,
				s,
				t,
				k;

	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		if (stop & BIT(s))
			continue;
		if (!c->known[s])
		{
			unknown |= BIT(s);
			continue;
		}
		live |= BIT(s);
		for (t = 1; t <= CV_STAGE_COUNT; t++)
			if ((P[s][t] = prob(c, s, t)) > 0)
				adj[s] |= BIT(t);
		if (c->leak[s] > 0)
			exits |= BIT(s);
	}
	/* reach[s]: the stages reachable from s in one step or more */
	for (s = 1; s <= CV_STAGE_COUNT; s++)
		reach[s] = adj[s];
	for (k = 1; k <= CV_STAGE_COUNT; k++)
		for (s = 1; s <= CV_STAGE_COUNT; s++)
			if (reach[s] & BIT(k))
				reach[s] |= reach[k];
	bad = unknown;
	for (s = 1; s <= CV_STAGE_COUNT; s++)
		if ((live & BIT(s)) && (reach[s] & unknown))
			bad |= BIT(s);
	/* closed loops: no way to a leak or a stop, and everything reached comes back */
	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		int			closed = 1;

		if (!(live & BIT(s)) || (bad & BIT(s)) || ((reach[s] | BIT(s)) & (exits | stop)))
			continue;
		for (t = 1; t <= CV_STAGE_COUNT; t++)
			if ((reach[s] & BIT(t)) && !(reach[t] & BIT(s)))
				closed = 0;
		if (closed)
			loop |= BIT(s);
	}
	trans = live & ~bad & ~loop;

	/* the finite part, over the transient stages */
	for (s = 1; s <= CV_STAGE_COUNT; s++)
		if (trans & BIT(s))
			idx[s] = n++;
	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		if (!(trans & BIT(s)))
			continue;
		b[idx[s]] = f[s];
		e[idx[s]] = c->leak[s];
		for (t = 1; t <= CV_STAGE_COUNT; t++)
		{
			if (!(P[s][t] > 0))
				continue;
			if (trans & BIT(t))
				p[idx[s]][idx[t]] = P[s][t];
			else
			{
				e[idx[s]] += P[s][t];
				if (stop & BIT(t))
					b[idx[s]] += P[s][t] * bound[t];
			}
		}
	}
	if (n > 0 && !solve(n, p, e, b, x))
		return CV_ERR_CORRUPT;	/* cannot happen: the states are transient */

	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		double		fin = (trans & BIT(s)) ? x[idx[s]] : 0;
		unsigned	loops = (reach[s] | BIT(s)) & loop;
		int			pos = 0,
					neg = 0;

		if (stop & BIT(s))
		{
			incl[s] = bound[s];
			continue;
		}
		if (bad & BIT(s))
		{
			incl[s] = NAN;
			continue;
		}
		if (!isfinite(fin))
			return CV_ERR_OVERFLOW;
		for (t = 1; t <= CV_STAGE_COUNT; t++)
			if (loops & BIT(t))
			{
				pos |= f[t] > 0;
				neg |= f[t] < 0;
			}
		incl[s] = pos && neg ? NAN : pos ? INFINITY : neg ? -INFINITY : fin;
	}
	return CV_OK;
}

/* sum over the later visits of s: sum_t P(s -> t) incl[t] */
static double
after(const cv_chain *c, int s, const double incl[CV_S])
{
	double		sum = 0;
	int			t;

	if (!c->known[s])
		return NAN;
	for (t = 1; t <= CV_STAGE_COUNT; t++)
	{
		double		q = prob(c, s, t);

		if (q > 0)
			sum += q * incl[t];
	}
	return sum;
}

/* sum_s w[s] x[s] over the stages with a weight */
static double
weighted(const double w[CV_S], const double x[CV_S])
{
	double		sum = 0;
	int			s;

	for (s = 1; s <= CV_STAGE_COUNT; s++)
		if (w[s] > 0)
			sum += w[s] * x[s];
	return sum;
}

/* the probability of a visit at g from each stage on (1 at g) */
static cv_status
hitting(const cv_chain *c, int g, double h[CV_S])
{
	double		zero[CV_S] = {0},
				bound[CV_S] = {0};

	bound[g] = 1;
	return evaluate(c, BIT(g), bound, zero, h);
}

cv_status
cv_value_of_chain(const cv_chain *c, cv_value *v)
{
	double		zero[CV_S] = {0},
				ones[CV_S],
				rounds[CV_S] = {0},
				n_incl[CV_S],
				v_incl[CV_S],
				c_incl[CV_S],
				r_incl[CV_S],
				h_vr[CV_S],
				h_en[CV_S],
				acq[CV_S],
				further_value[CV_S],
				further_cost[CV_S];
	cv_status	st;
	int			s;

	memset(v, 0, sizeof(*v));
	for (s = 1; s <= CV_STAGE_COUNT; s++)
		ones[s] = 1;
	if (c->known[CV_ENGAGEMENT])
		rounds[CV_ENGAGEMENT] = prob(c, CV_ENGAGEMENT, CV_AWARENESS);
	if ((st = evaluate(c, 0, zero, ones, n_incl)) != CV_OK ||
		(st = evaluate(c, 0, zero, c->value, v_incl)) != CV_OK ||
		(st = evaluate(c, 0, zero, c->cost, c_incl)) != CV_OK ||
		(st = evaluate(c, 0, zero, rounds, r_incl)) != CV_OK ||
		(st = hitting(c, CV_VALUE_REALIZATION, h_vr)) != CV_OK ||
		(st = hitting(c, CV_ENGAGEMENT, h_en)) != CV_OK ||
		/* acquisition: the costs until value_realization, which stops the count */
		(st = evaluate(c, BIT(CV_VALUE_REALIZATION), zero, c->cost, acq)) != CV_OK)
		return st;
	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		cv_further *r = &v->st[s];

		r->p_value_realization = after(c, s, h_vr);
		r->p_engagement = after(c, s, h_en);
		r->visits = after(c, s, n_incl);
		r->rounds = r_incl[s];
		r->value = further_value[s] = after(c, s, v_incl);
		r->cost = further_cost[s] = after(c, s, c_incl);
		v->active += c->active[s];
	}
	if (c->customers > 0)
	{
		v->new_p_value_realization = weighted(c->start, h_vr);
		v->new_value = weighted(c->start, v_incl);
		v->new_cost = weighted(c->start, c_incl);
		v->new_acquisition_cost = weighted(c->start, acq);
		v->new_clv = v->new_value - v->new_cost;
	}
	else
		v->new_p_value_realization = v->new_value = v->new_cost =
			v->new_acquisition_cost = v->new_clv = NAN;
	v->base_value = weighted(c->active, further_value);
	v->base_cost = weighted(c->active, further_cost);
	v->base_clv = v->base_value - v->base_cost;

	/*
	 * Removal: if k leaked every visit, a path would stop at its first visit
	 * to k, so what is lost is what comes after it: P(a new customer visits
	 * k) x the further value of a visit of k.  A product of shares, never
	 * negative; the what-if with k leaking everyone computes the same by the
	 * general route.
	 */
	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		double		h[CV_S],
					reach;

		if ((st = hitting(c, s, h)) != CV_OK)
			return st;
		if (c->customers == 0)
		{
			v->removal_value[s] = v->removal_effect[s] = NAN;
			continue;
		}
		reach = weighted(c->start, h);
		v->removal_value[s] = reach > 0 ? reach * further_value[s] : 0;
		v->removal_effect[s] = v->new_value > 0 ? v->removal_value[s] / v->new_value : NAN;
		/* a share of the whole, 1 when rounding would take it past */
		if (v->removal_effect[s] > 1)
			v->removal_effect[s] = 1;
	}
	return CV_OK;
}

cv_status
cv_fix_first(const cv_chain *c, cv_fix fix[CV_S])
{
	double		zero[CV_S] = {0},
				v_incl[CV_S],
				c_incl[CV_S];
	cv_status	st;
	int			k,
				t;

	memset(fix, 0, sizeof(cv_fix) * CV_S);
	if ((st = evaluate(c, 0, zero, c->value, v_incl)) != CV_OK ||
		(st = evaluate(c, 0, zero, c->cost, c_incl)) != CV_OK)
		return st;
	for (k = 1; k <= CV_STAGE_COUNT; k++)
	{
		cv_fix	   *x = &fix[k];
		double		ind[CV_S] = {0},
					visits[CV_S],
					kept = 0;

		ind[k] = 1;
		if ((st = evaluate(c, 0, zero, ind, visits)) != CV_OK)
			return st;
		x->leak = c->leak[k];
		x->visits_per_new_customer = c->customers > 0 ? weighted(c->start, visits) : NAN;
		x->visits_of_base = weighted(c->active, visits);

		/*
		 * A point less leakage at k turns 1% of k's visits into moves, in
		 * the proportions moves go (or to the next stage): each is worth
		 * what comes after it, and k is visited N(s, k) times from s, so
		 * d x(s) / d(-leak(k)) = N(s, k) x sum_t dest(k, t) x(t).
		 */
		for (t = 1; t <= CV_STAGE_COUNT; t++)
		{
			double		a = c->moved[k] > 0 ? c->dest[k][t] : t == cv_stage_next((cv_stage) k);

			if (a > 0)
				kept += a * (v_incl[t] - c_incl[t]);
		}
		x->kept_visit_value = kept;
		if (!(x->visits_per_new_customer != 0))
			x->gain_per_new_customer = x->visits_per_new_customer;	/* 0 or NaN */
		else if (!c->known[k])
			x->gain_per_new_customer = NAN;
		else if (c->leak[k] == 0)
			x->gain_per_new_customer = 0;	/* nothing to fix */
		else
			x->gain_per_new_customer = 0.01 * kept * x->visits_per_new_customer;
		if (x->visits_of_base == 0)
			x->gain_for_base = 0;
		else if (!c->known[k])
			x->gain_for_base = NAN;
		else if (c->leak[k] == 0)
			x->gain_for_base = 0;
		else
			x->gain_for_base = 0.01 * kept * x->visits_of_base;
	}
	return CV_OK;
}

/* a before b in the fix-first order */
static int
fix_before(const cv_fix *fix, int a, int b)
{
	double		x = fix[a].gain_per_new_customer,
				y = fix[b].gain_per_new_customer;

	if (isnan(x) != isnan(y))
		return !isnan(x);
	if (!isnan(x) && x != y)
		return x > y;
	return a < b;
}

void
cv_fix_order(const cv_fix fix[CV_S], int order[CV_STAGE_COUNT])
{
	int			i,
				j;

	for (i = 0; i < CV_STAGE_COUNT; i++)
	{
		int			s = i + 1;

		for (j = i; j > 0 && fix_before(fix, s, order[j - 1]); j--)
			order[j] = order[j - 1];
		order[j] = s;
	}
}
