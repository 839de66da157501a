/*
 * wheel_svg.c — the wheel as an SVG picture (see wheel_svg.h).
 *
 * Layout: the six stages on a circle in wheel order, awareness at the top,
 * clockwise.  Moves one step on (advanced) are arcs along the rim; steps
 * back (regressed) and skips ahead are chords through the inside, each
 * direction bowed to its own side; the customers who leaked at a stage are
 * an arrow pointing out of the wheel, and the value at risk there a
 * bubble beyond it.  Every flow and leak arrow is as wide as the customers
 * it carries, on one scale, so widths compare across the picture; bubble
 * areas are proportional to the value at risk.  Every element carries its
 * numbers in a <title> (a tooltip in browsers) and data- attributes.
 */
#include <math.h>
#include <string.h>

#include "svgbuf.h"
#include "wheel_svg.h"

#define W			1260		/* canvas */
#define H			1210
#define CX			630.0		/* wheel centre and radius */
#define CY			620.0
#define R			260.0
#define NODE_R		68.0
#define WMAX		40.0		/* width of the largest flow */
#define WMIN		1.5			/* no flow thinner than this, to stay visible */
#define SHAFT		40.0		/* length of a leak arrow's shaft */
#define HEAD_MAX	36.0		/* longest arrow head */
#define BUBBLE_MAX	30.0		/* radius of the largest value-at-risk bubble */
#define CHORD_PULL	0.5			/* how far chords bow toward the centre */
#define CHORD_SIDE	14.0		/* how far the two directions of a chord part */
#define PI			3.14159265358979323846

#define C_FORWARD	"#4e79a7"
#define C_BACK		"#f28e2b"
#define C_SKIP		"#9c6fb6"
#define C_LEAK		"#e15759"
#define C_RISK		"#f1ce63"
#define C_RISK_LINE "#a8861f"
#define C_NODE		"#2f3e4e"
#define C_TEXT		"#1f2a36"
#define C_MUTED		"#5f6b78"
#define C_RIM		"#e3e7ec"
#define C_VALUE		"#a6e3a1"	/* value created, on a stage's dark circle */
#define C_VALUE_TEXT "#2e7d32"	/* ... and on white */
#define C_FIX		"#1b5e20"	/* the fix-first ranks */

/* --- geometry ------------------------------------------------------------- */

typedef struct pt
{
	double		x;
	double		y;
} pt;

static pt
P(double x, double y)
{
	pt			p = {x, y};

	return p;
}

static pt
add(pt a, pt b)
{
	return P(a.x + b.x, a.y + b.y);
}

static pt
sub(pt a, pt b)
{
	return P(a.x - b.x, a.y - b.y);
}

static pt
scale(pt a, double k)
{
	return P(a.x * k, a.y * k);
}

static pt
unit(pt a)
{
	double		n = sqrt(a.x * a.x + a.y * a.y);

	return n > 0 ? P(a.x / n, a.y / n) : P(1, 0);
}

/* the left-hand normal of a direction (SVG's y points down) */
static pt
normal(pt u)
{
	return P(-u.y, u.x);
}

/* stage s's angle: awareness at the top, clockwise */
static double
stage_angle(int s)
{
	return -PI / 2 + (s - 1) * PI / 3;
}

static pt
on_circle(double angle, double r)
{
	return P(CX + r * cos(angle), CY + r * sin(angle));
}

static pt
stage_centre(int s)
{
	return on_circle(stage_angle(s), R);
}

/* stroke width of a flow of n customers when the largest carries maxn */
static double
flow_width(uint64_t n, uint64_t maxn)
{
	double		w;

	if (n == 0 || maxn == 0)
		return 0;
	w = WMAX * ((double) n / (double) maxn);
	return w < WMIN ? WMIN : w;
}

/* an arrow head for a flow of width w: length and half width */
static double
head_len(double w)
{
	double		l = 10 + 0.6 * w;

	return l > HEAD_MAX ? HEAD_MAX : l;
}

static double
head_half(double w)
{
	return w / 2 + 4 + 0.15 * w;
}

static void
arrow_head(cv_svgbuf *b, pt tip, pt u, double w, const char *colour)
{
	double		l = head_len(w),
				hw = head_half(w);
	pt			base = sub(tip, scale(u, l));
	pt			n = normal(u);
	pt			a = add(base, scale(n, hw)),
				c = sub(base, scale(n, hw));

	cv_svg_putf(b, "<path d=\"M%f %fL%f %fL%f %fZ\" fill=\"%s\"/>", a.x, a.y, tip.x, tip.y, c.x, c.y,
		 colour);
}

/* "value realization" and the like, split where the name has '_' */
static void
stage_label_lines(int s, const char **l1, const char **l2)
{
	static const char *const first[] = {"", "awareness", "exploration", "experience", "value",
	"advocacy", "engagement"};

	*l1 = first[s];
	*l2 = s == CV_VALUE_REALIZATION ? "realization" : NULL;
}

/* the height the second line of a stage's name takes, if it has one */
static double
l2_height(int s)
{
	return s == CV_VALUE_REALIZATION ? 17 : 0;
}

static const char *
direction_of(int s, int t)
{
	if (t == cv_stage_next((cv_stage) s))
		return "advanced";
	return t < s ? "regressed" : "skipped";
}

/* --- the parts of the picture --------------------------------------------- */

/*
 * The headline.  Its share is of all customers (each customer leaks at most
 * once, at their last visit); the stages' shares are of their visits.  The
 * value shown is the value created: values at risk are not summed, as they
 * are not additive (each stage's includes what later stages would produce).
 */
static void
draw_header(cv_svgbuf *b, const cv_wheel *w)
{
	uint64_t	leaked = 0;
	double		value = 0;
	int			s;

	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		leaked += w->st[s].leaked;
		value += w->st[s].value;
	}
	cv_svg_putf(b, "<text x=\"%f\" y=\"46\" text-anchor=\"middle\" font-size=\"30\" font-weight=\"bold\" "
		 "fill=\"%s\">Customer Value Flow Wheel</text>\n", CX, C_TEXT);
	if (w->subtitle != NULL && w->subtitle[0] != '\0')
		cv_svg_putf(b, "<text class=\"subtitle\" x=\"%f\" y=\"76\" text-anchor=\"middle\" font-size=\"16\" "
			 "fill=\"%s\">%x</text>\n", CX, C_MUTED, w->subtitle);
	cv_svg_putf(b, "<text class=\"summary\" x=\"%f\" y=\"102\" text-anchor=\"middle\" font-size=\"17\" fill=\"%s\">"
		 "<tspan font-weight=\"bold\">%n</tspan> customer%s &#183; "
		 "<tspan font-weight=\"bold\" fill=\"%s\">%n</tspan> leaked",
		 CX, C_TEXT, w->customers, w->customers == 1 ? "" : "s", C_LEAK, leaked);
	if (w->customers > 0)
	{
		char		pct[CV_FMT_MAX];

		cv_fmt_share(pct, leaked, w->customers);
		cv_svg_putf(b, " (%s of customers)", pct);
	}
	cv_svg_putf(b, " &#183; value created <tspan font-weight=\"bold\" fill=\"%s\">%M</tspan></text>\n",
		 C_VALUE_TEXT, value);
}

/* the arc along the rim from s to the next stage */
static void
draw_forward(cv_svgbuf *b, const cv_wheel *w, int s, uint64_t maxn)
{
	int			t = cv_stage_next((cv_stage) s);
	uint64_t	n = w->trans[s][t];
	double		width = flow_width(n, maxn);
	double		gap = 2 * asin((NODE_R + 3) / (2 * R));
	double		a0 = stage_angle(s) + gap;
	double		a1 = stage_angle(s) + PI / 3 - gap;
	double		ab = a1 - head_len(width) / R;
	pt			p0 = on_circle(a0, R),
				pb = on_circle(ab, R),
				tip = on_circle(a1, R);
	char		share[CV_FMT_MAX];

	if (n == 0)
		return;
	cv_fmt_share(share, n, w->st[s].visits);
	cv_svg_putf(b, "<g class=\"flow advanced\" data-from=\"%s\" data-to=\"%s\" data-transitions=\"%u\">"
		 "<title>%s &#8594; %s: %n moved on (%s of %s visits)</title>",
		 cv_stage_name((cv_stage) s), cv_stage_name((cv_stage) t), n,
		 cv_stage_name((cv_stage) s), cv_stage_name((cv_stage) t), n, share,
		 cv_stage_name((cv_stage) s));
	cv_svg_putf(b, "<path d=\"M%f %fA%f %f 0 0 1 %f %f\" fill=\"none\" stroke=\"%s\" stroke-width=\"%f\"/>",
		 p0.x, p0.y, R, R, pb.x, pb.y, C_FORWARD, width);
	/* the tangent of a clockwise circle at angle a */
	arrow_head(b, tip, P(-sin(a1), cos(a1)), width, C_FORWARD);
	cv_svg_put(b, "</g>\n");
}

static void
draw_forward_label(cv_svgbuf *b, const cv_wheel *w, int s)
{
	int			t = cv_stage_next((cv_stage) s);
	uint64_t	n = w->trans[s][t];
	double		am = stage_angle(s) + PI / 6;
	pt			p = on_circle(am, R + 24);
	double		c = cos(am);
	const char *anchor = c > 0.2 ? "start" : (c < -0.2 ? "end" : "middle");
	char		share[CV_FMT_MAX];

	if (n == 0)
		return;
	cv_fmt_share(share, n, w->st[s].visits);
	cv_svg_putf(b, "<text class=\"flow-label\" x=\"%f\" y=\"%f\" text-anchor=\"%s\" font-size=\"15\" fill=\"%s\">"
		 "<tspan font-weight=\"bold\">%N</tspan> (%s)</text>\n",
		 p.x, p.y + 5, anchor, C_FORWARD, n, share);
}

/* a chord from s to t through the inside: a step back or a skip ahead */
static void
chord_geometry(int s, int t, pt *start, pt *ctrl, pt *end)
{
	pt			ps = stage_centre(s),
				pt_ = stage_centre(t);
	pt			mid = scale(add(ps, pt_), 0.5);
	pt			dir = unit(sub(pt_, ps));

	*ctrl = add(add(mid, scale(sub(P(CX, CY), mid), CHORD_PULL)), scale(normal(dir), CHORD_SIDE));
	*start = add(ps, scale(unit(sub(*ctrl, ps)), NODE_R));
	*end = add(pt_, scale(unit(sub(*ctrl, pt_)), NODE_R + 2));
}

static void
draw_chord(cv_svgbuf *b, const cv_wheel *w, int s, int t, uint64_t maxn)
{
	uint64_t	n = w->trans[s][t];
	double		width = flow_width(n, maxn);
	const char *dir = direction_of(s, t);
	const char *colour = t < s ? C_BACK : C_SKIP;
	pt			start,
				ctrl,
				end,
				u,
				base;
	char		share[CV_FMT_MAX];

	chord_geometry(s, t, &start, &ctrl, &end);
	u = unit(sub(end, ctrl));
	base = sub(end, scale(u, head_len(width)));
	cv_fmt_share(share, n, w->st[s].visits);
	cv_svg_putf(b, "<g class=\"flow %s\" data-from=\"%s\" data-to=\"%s\" data-transitions=\"%u\" opacity=\"0.8\">"
		 "<title>%s &#8594; %s: %n %s (%s of %s visits)</title>",
		 dir, cv_stage_name((cv_stage) s), cv_stage_name((cv_stage) t), n,
		 cv_stage_name((cv_stage) s), cv_stage_name((cv_stage) t), n,
		 t < s ? "stepped back" : "skipped ahead", share, cv_stage_name((cv_stage) s));
	cv_svg_putf(b, "<path d=\"M%f %fQ%f %f %f %f\" fill=\"none\" stroke=\"%s\" stroke-width=\"%f\"/>",
		 start.x, start.y, ctrl.x, ctrl.y, base.x, base.y, colour, width);
	arrow_head(b, end, u, width, colour);
	cv_svg_put(b, "</g>\n");
}

/* chords carrying at least this share of the largest flow get a visible count */
#define CHORD_LABEL_MIN 0.12

static void
draw_chord_label(cv_svgbuf *b, const cv_wheel *w, int s, int t, uint64_t maxn)
{
	uint64_t	n = w->trans[s][t];
	pt			start,
				ctrl,
				end,
				m;

	if ((double) n < CHORD_LABEL_MIN * (double) maxn)
		return;
	chord_geometry(s, t, &start, &ctrl, &end);
	/* a third of the way along, near the stage it leaves */
	m = add(add(scale(start, 4.0 / 9), scale(ctrl, 4.0 / 9)), scale(end, 1.0 / 9));
	cv_svg_putf(b, "<text class=\"flow-label\" x=\"%f\" y=\"%f\" text-anchor=\"middle\" font-size=\"13\" "
		 "font-weight=\"bold\" fill=\"%s\" stroke=\"white\" stroke-width=\"3\" paint-order=\"stroke\">%N</text>\n",
		 m.x, m.y + 4, t < s ? "#b35806" : "#6a3d8a", n);
}

/* the centre of stage s's value-at-risk bubble, beyond the leak arrow */
static pt
bubble_centre(int s)
{
	double		a = stage_angle(s);

	return add(stage_centre(s), scale(P(cos(a), sin(a)), NODE_R + SHAFT + HEAD_MAX + 8 + BUBBLE_MAX));
}

static void
draw_leak(cv_svgbuf *b, const cv_wheel *w, int s, uint64_t maxn, double maxrisk)
{
	const cv_wheel_stage *st = &w->st[s];
	double		a = stage_angle(s);
	pt			u = P(cos(a), sin(a)),
				n = normal(u);
	pt			c = stage_centre(s);
	double		width = flow_width(st->leaked, maxn);
	pt			b0 = add(c, scale(u, NODE_R - 2)),
				b1 = add(c, scale(u, NODE_R + SHAFT));
	pt			bubble = bubble_centre(s);
	char		share[CV_FMT_MAX];

	cv_fmt_share(share, st->leaked, st->visits);
	cv_svg_putf(b, "<g class=\"leak\" data-stage=\"%s\" data-leaked=\"%u\" data-value-at-risk=\"%A\">"
		 "<title>%s: %n leaked (%s of visits), value at risk %a</title>",
		 cv_stage_name((cv_stage) s), st->leaked, st->value_at_risk,
		 cv_stage_name((cv_stage) s), st->leaked, share, st->value_at_risk);
	if (width > 0)
	{
		pt			p1 = add(b0, scale(n, width / 2)),
					p2 = add(b1, scale(n, width / 2)),
					p3 = sub(b1, scale(n, width / 2)),
					p4 = sub(b0, scale(n, width / 2));

		cv_svg_putf(b, "<path d=\"M%f %fL%f %fL%f %fL%f %fZ\" fill=\"%s\"/>",
			 p1.x, p1.y, p2.x, p2.y, p3.x, p3.y, p4.x, p4.y, C_LEAK);
		arrow_head(b, add(b1, scale(u, head_len(width))), u, width, C_LEAK);
	}
	if (st->value_at_risk > 0 && maxrisk > 0 && isfinite(st->value_at_risk))
	{
		/* area proportional to the value */
		double		r = BUBBLE_MAX * sqrt(st->value_at_risk / maxrisk);

		cv_svg_putf(b, "<circle cx=\"%f\" cy=\"%f\" r=\"%f\" fill=\"%s\" stroke=\"%s\" stroke-width=\"1.5\"/>",
			 bubble.x, bubble.y, r < 2 ? 2.0 : r, C_RISK, C_RISK_LINE);
	}
	cv_svg_put(b, "</g>\n");
}

/*
 * Beside the bubble: to its left on the left half of the wheel, else to its
 * right.  Short lines in the compact number form, so that the label stays
 * inside the canvas at any magnitude (test_wheel.c checks every text box).
 */
/*
 * A gain per point: two decimals below 10 (gains are often a few units of
 * money a point), whole units up to 9,999, then the compact form.
 */
static void
fmt_gain(char *out, double g)
{
	double		a = fabs(g);

	if (isfinite(g) && a < 9.995)
	{
		long long	c = llround(a * 100);

		out[0] = g < 0 && c > 0 ? '-' : '+';
		out[1] = (char) ('0' + c / 100);
		out[2] = '.';
		out[3] = (char) ('0' + c / 10 % 10);
		out[4] = (char) ('0' + c % 10);
		out[5] = '\0';
	}
	else
	{
		out[0] = g < 0 ? '-' : '+';
		cv_fmt_compact(out + 1, a);
	}
}

static void
draw_leak_label(cv_svgbuf *b, const cv_wheel *w, int s)
{
	const cv_wheel_stage *st = &w->st[s];
	pt			p = bubble_centre(s);
	int			left = cos(stage_angle(s)) < -0.2;
	int			lines = (st->active > 0 ? 4 : 3) + (w->fix_rank[s] > 0);
	double		lh = 18,
				x = left ? p.x - BUBBLE_MAX - 10 : p.x + BUBBLE_MAX + 10,
				y = p.y - (lines - 1) * lh / 2 + 5;
	char		share[CV_FMT_MAX];

	cv_fmt_share(share, st->leaked, st->visits);
	cv_svg_putf(b, "<text class=\"leak-label\" data-stage=\"%s\" x=\"%f\" y=\"%f\" text-anchor=\"%s\" font-size=\"15\">",
		 cv_stage_name((cv_stage) s), x, y, left ? "end" : "start");
	cv_svg_putf(b, "<tspan x=\"%f\" fill=\"%s\"><tspan font-weight=\"bold\">%N</tspan> leaked</tspan>",
		 x, C_LEAK, st->leaked);
	cv_svg_putf(b, "<tspan x=\"%f\" dy=\"%f\" fill=\"%s\">%s of visits</tspan>", x, lh, C_LEAK, share);
	cv_svg_putf(b, "<tspan x=\"%f\" dy=\"%f\" fill=\"%s\">value at risk <tspan font-weight=\"bold\">%M</tspan></tspan>",
		 x, lh, C_RISK_LINE, st->value_at_risk);
	if (st->active > 0)
		cv_svg_putf(b, "<tspan x=\"%f\" dy=\"%f\" fill=\"%s\">%N still active</tspan>", x, lh, C_MUTED, st->active);
	if (w->fix_rank[s] > 0)
	{
		char		gain[CV_FMT_MAX];

		fmt_gain(gain, w->fix_gain[s]);
		cv_svg_putf(b, "<tspan class=\"fix-first\" x=\"%f\" dy=\"%f\" fill=\"%s\">"
			 "<tspan font-weight=\"bold\">fix #%d</tspan>: %s/pt</tspan>", x, lh, C_FIX, w->fix_rank[s], gain);
	}
	cv_svg_put(b, "</text>\n");
}

static const char *
plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

/*
 * A stage: its name, visits, customers and the value created there, in the
 * compact number form so that every line fits inside the circle.
 */
static void
draw_node(cv_svgbuf *b, const cv_wheel *w, int s)
{
	const cv_wheel_stage *st = &w->st[s];
	pt			c = stage_centre(s);
	const char *l1,
			   *l2;
	int			has_value = st->value != 0;
	/* line heights below the first: name, visits, customers, value */
	double		height = l2_height(s) + 19 + 15 + (has_value ? 15 : 0);
	double		y = c.y - height / 2 + 5;

	stage_label_lines(s, &l1, &l2);
	cv_svg_putf(b, "<g class=\"stage\" data-stage=\"%s\" data-position=\"%d\" data-customers=\"%u\" "
		 "data-visits=\"%u\" data-leaked=\"%u\" data-active=\"%u\" data-value=\"%A\" data-value-at-risk=\"%A\">"
		 "<title>%s: %n visit%s by %n customer%s, value realised %a</title>",
		 cv_stage_name((cv_stage) s), s, st->customers, st->visits, st->leaked, st->active,
		 st->value, st->value_at_risk, cv_stage_name((cv_stage) s), st->visits, plural(st->visits),
		 st->customers, plural(st->customers), st->value);
	cv_svg_putf(b, "<circle cx=\"%f\" cy=\"%f\" r=\"%f\" fill=\"%s\" stroke=\"white\" stroke-width=\"3\"/>",
		 c.x, c.y, NODE_R, C_NODE);
	cv_svg_putf(b, "<text x=\"%f\" y=\"%f\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\" fill=\"white\">"
		 "<tspan x=\"%f\">%s</tspan>", c.x, y, c.x, l1);
	if (l2 != NULL)
		cv_svg_putf(b, "<tspan x=\"%f\" dy=\"17\">%s</tspan>", c.x, l2);
	cv_svg_putf(b, "<tspan x=\"%f\" dy=\"19\" font-size=\"14\" font-weight=\"normal\">%N visit%s</tspan>"
		 "<tspan x=\"%f\" dy=\"15\" font-size=\"12\" font-weight=\"normal\" fill=\"#c9d3dd\">%N customer%s</tspan>",
		 c.x, st->visits, plural(st->visits), c.x, st->customers, plural(st->customers));
	if (has_value)
		cv_svg_putf(b, "<tspan class=\"value\" x=\"%f\" dy=\"15\" font-size=\"12\" font-weight=\"bold\" fill=\"%s\">"
			 "value %M</tspan>", c.x, C_VALUE, st->value);
	cv_svg_put(b, "</text></g>\n");
}

static void
draw_legend(cv_svgbuf *b, const cv_wheel *w)
{
	int			fix = 0,
				s;
	double		y;

	for (s = 1; s <= CV_STAGE_COUNT; s++)
		fix |= w->fix_rank[s] > 0;
	/* one line more for the fix-first ranks */
	y = H - 76 - (fix ? 17 : 0);

	cv_svg_putf(b, "<g class=\"legend\" font-size=\"14\" fill=\"%s\">", C_TEXT);
	cv_svg_putf(b, "<line x1=\"40\" y1=\"%f\" x2=\"80\" y2=\"%f\" stroke=\"%s\" stroke-width=\"8\"/>"
		 "<text x=\"88\" y=\"%f\">moved on, one stage clockwise</text>", y, y, C_FORWARD, y + 5);
	cv_svg_putf(b, "<line x1=\"330\" y1=\"%f\" x2=\"370\" y2=\"%f\" stroke=\"%s\" stroke-width=\"8\"/>"
		 "<text x=\"378\" y=\"%f\">stepped back</text>", y, y, C_BACK, y + 5);
	cv_svg_putf(b, "<line x1=\"500\" y1=\"%f\" x2=\"540\" y2=\"%f\" stroke=\"%s\" stroke-width=\"8\"/>"
		 "<text x=\"548\" y=\"%f\">skipped ahead</text>", y, y, C_SKIP, y + 5);
	cv_svg_putf(b, "<path d=\"M680 %fL706 %fL706 %fL722 %fL706 %fL706 %fL680 %fZ\" fill=\"%s\"/>"
		 "<text x=\"730\" y=\"%f\">leaked: stopped at the stage</text>",
		 y - 4, y - 4, y - 9, y, y + 9, y + 4, y + 4, C_LEAK, y + 5);
	cv_svg_putf(b, "<circle cx=\"970\" cy=\"%f\" r=\"9\" fill=\"%s\" stroke=\"%s\" stroke-width=\"1.5\"/>"
		 "<text x=\"986\" y=\"%f\">value at risk (area)</text>", y, C_RISK, C_RISK_LINE, y + 5);
	cv_svg_putf(b, "<text x=\"40\" y=\"%f\" fill=\"%s\" font-size=\"13\">Widths are proportional to customers, "
		 "on one scale for all flows and leaks. Hover for exact numbers.</text>", y + 24.0, C_MUTED);
	cv_svg_putf(b, "<text x=\"40\" y=\"%f\" fill=\"%s\" font-size=\"13\">Percentages at flows and leaks: share of "
		 "the stage&#39;s visits; in the headline: share of all customers.</text>", y + 41.0, C_MUTED);
	cv_svg_putf(b, "<text x=\"40\" y=\"%f\" fill=\"%s\" font-size=\"13\">Value: created at the stage. Value at risk: "
		 "what the leaked would likely have gone on to create; not additive across stages.</text>", y + 58.0, C_MUTED);
	if (fix)
		cv_svg_putf(b, "<text class=\"fix-first\" x=\"40\" y=\"%f\" fill=\"%s\" font-size=\"13\">Fix #1, #2, ...: "
			 "what to fix first, by what a point less leakage at the stage adds to a new customer&#39;s CLV (/pt).</text>",
			 y + 75.0, C_FIX);
	cv_svg_put(b, "</g>\n");
}

/* --- the document ---------------------------------------------------------- */

char *
cv_wheel_svg(const cv_wheel *w, size_t *len)
{
	cv_svgbuf	b = {NULL, 0, 0};
	uint64_t	maxn = 0;
	double		maxrisk = 0;
	int			s,
				t;

	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		for (t = 1; t <= CV_STAGE_COUNT; t++)
			if (t != s && w->trans[s][t] > maxn)
				maxn = w->trans[s][t];
		if (w->st[s].leaked > maxn)
			maxn = w->st[s].leaked;
		if (isfinite(w->st[s].value_at_risk) && w->st[s].value_at_risk > maxrisk)
			maxrisk = w->st[s].value_at_risk;
	}

	cv_svg_putf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		 "font-family=\"Helvetica, Arial, sans-serif\" data-customers=\"%u\">\n", W, H, W, H, w->customers);
	cv_svg_put(&b, "<title>Customer Value Flow Wheel</title>\n");
	cv_svg_putf(&b, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", W, H);
	draw_header(&b, w);
	cv_svg_putf(&b, "<circle cx=\"%f\" cy=\"%f\" r=\"%f\" fill=\"none\" stroke=\"%s\" stroke-width=\"10\"/>\n",
		 CX, CY, R, C_RIM);

	if (w->customers == 0)
		cv_svg_putf(&b, "<text class=\"empty\" x=\"%f\" y=\"%f\" text-anchor=\"middle\" font-size=\"22\" "
			 "fill=\"%s\">no customers in this flow</text>\n", CX, CY + 8, C_MUTED);

	/* chords widest first, so the thin ones stay visible on top */
	cv_svg_put(&b, "<g class=\"chords\">\n");
	{
		int			drawn[CV_STAGE_COUNT + 1][CV_STAGE_COUNT + 1] = {{0}};

		for (;;)
		{
			int			bs = 0,
						bt = 0;
			uint64_t	best = 0;

			for (s = 1; s <= CV_STAGE_COUNT; s++)
				for (t = 1; t <= CV_STAGE_COUNT; t++)
					if (t != s && t != cv_stage_next((cv_stage) s) && !drawn[s][t] &&
						w->trans[s][t] > best)
					{
						best = w->trans[s][t];
						bs = s;
						bt = t;
					}
			if (best == 0)
				break;
			drawn[bs][bt] = 1;
			draw_chord(&b, w, bs, bt, maxn);
		}
	}
	cv_svg_put(&b, "</g>\n");
	for (s = 1; s <= CV_STAGE_COUNT; s++)
		draw_forward(&b, w, s, maxn);
	for (s = 1; s <= CV_STAGE_COUNT; s++)
		draw_leak(&b, w, s, maxn, maxrisk);
	for (s = 1; s <= CV_STAGE_COUNT; s++)
		draw_node(&b, w, s);
	for (s = 1; s <= CV_STAGE_COUNT; s++)
		for (t = 1; t <= CV_STAGE_COUNT; t++)
			if (t != s && t != cv_stage_next((cv_stage) s) && w->trans[s][t] > 0)
				draw_chord_label(&b, w, s, t, maxn);
	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		draw_forward_label(&b, w, s);
		draw_leak_label(&b, w, s);
	}
	draw_legend(&b, w);
	cv_svg_put(&b, "</svg>\n");
	*len = b.len;
	return b.data;
}

void
cv_wheel_from_flow(const cv_flow *f, int has_cutoff, int32_t cutoff_day, cv_wheel *w)
{
	cv_leakage_row rows[CV_STAGE_COUNT + 1];
	int			s;

	memset(w, 0, sizeof(*w));
	cv_flow_leakage(f, has_cutoff, cutoff_day, rows);
	w->customers = f->customers;
	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		w->st[s].customers = rows[s].customers;
		w->st[s].visits = rows[s].visits;
		w->st[s].leaked = rows[s].leaked;
		w->st[s].active = rows[s].active;
		w->st[s].value = rows[s].value;
		w->st[s].value_at_risk = rows[s].value_at_risk;
	}
	memcpy(w->trans, f->trans, sizeof(w->trans));
}

void
cv_wheel_fix_first(cv_wheel *w, const cv_fix fix[CV_S])
{
	int			order[CV_STAGE_COUNT],
				i,
				rank = 0;

	cv_fix_order(fix, order);
	for (i = 0; i < CV_STAGE_COUNT; i++)
	{
		int			s = order[i];
		double		g = fix[s].gain_per_new_customer;

		/* only what can be fixed: a stage that leaks, with a known gain */
		w->fix_rank[s] = isfinite(g) && fix[s].leak > 0 ? ++rank : 0;
		w->fix_gain[s] = g;
	}
}
