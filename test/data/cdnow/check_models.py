#!/usr/bin/env python3
"""check_models.py — an independent computation of what sql/pnbd.sql and
sql/btyd_fits.sql expect: the Pareto/NBD, standard errors, penalised fits,
the limiting BG/NBD model, the calibration/holdout split and the model
checks.

Standard library only; nothing shared with the C code.  It uses the
textbook closed forms (Fader & Hardie 2005, "A note on deriving the
Pareto/NBD model and related expressions": the likelihood and P(alive)
with the two Gaussian hypergeometric terms, summed as plain series, in
decimal arithmetic where they cancel), its own Nelder-Mead search
(check_btyd.py's), standard errors from a numerical Hessian of its own
log-likelihoods (central second differences, Richardson-extrapolated) at
the estimates cvfw prints, and P(X(t) = n) of the Pareto/NBD by adaptive
Simpson integration over the lifetime.

    python3 test/data/cdnow/check_models.py    (about 6 minutes)
"""
import csv
import datetime
import math
import os
import sys
from decimal import Decimal as D, getcontext

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import check_btyd as base  # noqa: E402  (data loaders, BG/NBD and Gamma-Gamma likelihoods, Nelder-Mead)

CAL_END = datetime.date(1997, 9, 30)
OBS_END = datetime.date(1998, 6, 30)

# the fits cvfw prints (sql/pnbd.sql, sql/btyd_fits.sql), at which the
# predictions and standard errors below are evaluated
PNBD_SUMMARY = (0.5532755084059455, 10.577612231320247, 0.6062135649262632, 11.667911102639547)
PNBD_SPLIT = (0.5532770467155965, 10.57768346099908, 0.606239989210827, 11.668735293013619)
BG_SUMMARY = (0.2425929072020605, 4.4135315611674555, 0.792886148068516, 2.425753436349461)
BG_SPLIT = (0.24259452242770707, 4.41360201897358, 0.7929220171855824, 2.4259067766435445)
GG_SUMMARY = (6.2488024897039525, 3.744588453287073, 15.447748009474111)
PEN_BG = (0.2429403298508196, 4.432437042599089, 0.2856415083880628, 0.6584535278457588)
PEN_PNBD = (0.5230696333064753, 9.897560992087111, 0.38902905927017956, 5.778068242114972)
LIMIT_BOUNDARY = (0.5312919666881849, 8.781648586564913, 0.25336277468748675)


def h2f1(a, b, c, z):
    term, s, k = 1.0, 1.0, 0
    while abs(term) > 1e-17 * abs(s) or k < 10:
        term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z
        s += term
        k += 1
    return s


def pnbd_A0(r, al, s, be, x, tx, T, hyp=h2f1, pw=lambda b, e: b ** e):
    """the note's A_0: a difference of two 2F1 terms"""
    if al >= be:
        f1 = hyp(r + s + x, s + 1, r + s + x + 1, (al - be) / (al + tx))
        f2 = hyp(r + s + x, s + 1, r + s + x + 1, (al - be) / (al + T))
        return f1 / pw(al + tx, r + s + x) - f2 / pw(al + T, r + s + x)
    f1 = hyp(r + s + x, r + x, r + s + x + 1, (be - al) / (be + tx))
    f2 = hyp(r + s + x, r + x, r + s + x + 1, (be - al) / (be + T))
    return f1 / pw(be + tx, r + s + x) - f2 / pw(be + T, r + s + x)


def pnbd_ll(p, data):
    r, al, s, be = p
    terms = []
    for x, tx, T in data:
        head = math.lgamma(r + x) - math.lgamma(r) + r * math.log(al) + s * math.log(be)
        alive = -(r + x) * math.log(al + T) - s * math.log(be + T)
        # the A_0 term relative to the alive term, so nothing underflows
        rel = s / (r + s + x) * pnbd_A0(r, al, s, be, x, tx, T) * (al + T) ** (r + x) * (be + T) ** s
        terms.append(head + alive + math.log1p(rel))
    return math.fsum(terms)


def dhyp(a, b, c, z):
    term, s, k = D(1), D(1), 0
    eps = D(10) ** (-getcontext().prec + 3)
    while abs(term) > eps * abs(s) or k < 10:
        term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z
        s += term
        k += 1
    return s


def dpow(b, e):
    return (e * b.ln()).exp()


def pnbd_predict(p, x, tx, T, t):
    """P(alive) and E[Y(t) | x, t_x, T] in 50-digit decimal arithmetic"""
    getcontext().prec = 50
    r, al, s, be, x, tx, T, t = (D(v) for v in (*p, x, tx, T, t))
    a0 = pnbd_A0(r, al, s, be, x, tx, T, hyp=dhyp, pw=dpow)
    alive = 1 / (1 + s / (r + s + x) * dpow(al + T, r + x) * dpow(be + T, s) * a0)
    cond = (r + x) * (be + T) / ((al + T) * (s - 1)) * (1 - dpow((be + T) / (be + T + t), s - 1)) * alive
    return float(alive), float(cond)


def pnbd_expected(p, t):
    r, al, s, be = p
    return r * be / (al * (s - 1)) * (1 - (be / (be + t)) ** (s - 1))


def simpson(f, a, b, tol, whole=None, fa=None, fm=None, fb=None, depth=0):
    """adaptive Simpson on [a, b]"""
    m = (a + b) / 2
    if whole is None:
        fa, fm, fb = f(a), f(m), f(b)
        whole = (b - a) / 6 * (fa + 4 * fm + fb)
    lm, rm = (a + m) / 2, (m + b) / 2
    flm, frm = f(lm), f(rm)
    left = (m - a) / 6 * (fa + 4 * flm + fm)
    right = (b - m) / 6 * (fm + 4 * frm + fb)
    if depth > 40 or abs(left + right - whole) <= 15 * tol:
        return left + right + (left + right - whole) / 15
    return (simpson(f, a, m, tol / 2, left, fa, flm, fm, depth + 1) +
            simpson(f, m, b, tol / 2, right, fm, frm, fb, depth + 1))


def nbd_pmf(r, al, n, t):
    if t == 0:
        return 1.0 if n == 0 else 0.0
    return math.exp(math.lgamma(r + n) - math.lgamma(r) - math.lgamma(n + 1) +
                    r * math.log(al / (al + t)) + n * math.log(t / (al + t)))


def pnbd_pmf(p, t, n):
    """P(X(t) = n): alive at t, or died at tau < t (lifetime Pareto II), NBD purchases before"""
    r, al, s, be = p
    alive = (be / (be + t)) ** s * nbd_pmf(r, al, n, t)
    # over v = ln(1 + tau/beta): the lifetime density s beta^s (beta+tau)^-(s+1) dtau = s e^(-s v) dv
    dens = lambda v: s * math.exp(-s * v) * nbd_pmf(r, al, n, be * math.expm1(v))
    return alive + simpson(dens, 0.0, math.log1p(t / be), 1e-15)


def bgnbd_pmf(m, t, n):
    """FHL 2005, equation (8)"""
    r, al, a, b = m
    lb = lambda u, v: math.lgamma(u) + math.lgamma(v) - math.lgamma(u + v)
    out = math.exp(lb(a, b + n) - lb(a, b)) * nbd_pmf(r, al, n, t)
    if n > 0:
        tail = 1 - math.fsum(nbd_pmf(r, al, j, t) for j in range(n))
        out += math.exp(lb(a + 1, b + n - 1) - lb(a, b)) * tail
    return out


def hessian_se(f, p):
    """standard errors from the inverse of minus the Hessian of f at p (natural parameters)"""
    n = len(p)

    def second(i, j, h):
        def at(di, dj):
            q = list(p)
            q[i] += di * h[i]
            q[j] += dj * h[j]
            return f(q)
        if i == j:
            return (at(1, 0) - 2 * f(p) + at(-1, 0)) / (h[i] * h[i])
        return (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * h[i] * h[j])

    h1 = [1e-3 * abs(v) for v in p]
    h2 = [v / 2 for v in h1]
    H = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i, n):
            H[i][j] = H[j][i] = (4 * second(i, j, h2) - second(i, j, h1)) / 3
    # invert -H (Gauss-Jordan)
    A = [[-H[i][j] for j in range(n)] + [1.0 if i == j else 0.0 for j in range(n)] for i in range(n)]
    for c in range(n):
        piv = max(range(c, n), key=lambda k: abs(A[k][c]))
        A[c], A[piv] = A[piv], A[c]
        d = A[c][c]
        A[c] = [v / d for v in A[c]]
        for k in range(n):
            if k != c:
                fac = A[k][c]
                A[k] = [vk - fac * vc for vk, vc in zip(A[k], A[c])]
    return [math.sqrt(A[i][n + i]) for i in range(n)]


def holdout_split():
    """per customer: calibration (x, t_x, T), holdout purchase days, from the raw purchases"""
    days = {}
    with open(os.path.join(HERE, "CDNOW_sample.txt")) as f:
        for line in f:
            _, cid, ymd, _, _ = line.split()
            d = datetime.date(int(ymd[:4]), int(ymd[4:6]), int(ymd[6:]))
            if d <= OBS_END:
                days.setdefault(int(cid), set()).add(d)
    out = {}
    for cid, ds in days.items():
        cal = sorted(d for d in ds if d <= CAL_END)
        if not cal:
            continue
        hold = sum(1 for d in ds if d > CAL_END)
        out[cid] = (len(cal) - 1, (cal[-1] - cal[0]).days / 7, (CAL_END - cal[0]).days / 7, hold)
    return out


def main():
    rows = base.summary_csv()
    data = [(x, tx, T) for x, tx, T, _ in rows]
    split = holdout_split()
    raw = [(x, tx, T) for x, tx, T, _ in split.values()]

    print("== Pareto/NBD (published: r 0.553, alpha 10.58, s 0.606, beta 11.66, LL -9594.98)")
    for name, d, c in (("summary file", data, PNBD_SUMMARY), ("days / 7", raw, PNBD_SPLIT)):
        p = base.nelder_mead(lambda q: -pnbd_ll([math.exp(v) for v in q], d), [0, 2.3, 0, 2.3])
        print("NM fit on the %s: r %.5f alpha %.4f s %.5f beta %.4f LL %.4f; LL at cvfw's fit %.6f" % (
            name, *p, pnbd_ll(p, d), pnbd_ll(c, d)))
    print("LL at BTYD's (0.5534, 10.5802, 0.6061, 11.6562): %.6f" % pnbd_ll((0.5534, 10.5802, 0.6061, 11.6562), data))
    for x, tx, T, t in ((2, 30.43, 38.86, 39), (0, 0, 38.86, 39), (30, 38, 39, 52), (5, 10, 38.86, 39),
                        (1, 38.86, 38.86, 10)):
        alive, cond = pnbd_predict(PNBD_SUMMARY, x, tx, T, t)
        print("pnbd (%g, %g, %g): P(alive) %.12f E[Y(%g)] %.12f" % (x, tx, T, alive, t, cond))
    print("pnbd E[X(39)] %.12f E[X(78)] %.12f" % (pnbd_expected(PNBD_SUMMARY, 39), pnbd_expected(PNBD_SUMMARY, 78)))
    for n in (0, 1, 2, 7):
        print("pnbd P(X(38.86) = %d) %.12f  bgnbd %.12f" % (n, pnbd_pmf(PNBD_SUMMARY, 38.86, n),
                                                             bgnbd_pmf(BG_SUMMARY, 38.86, n)))

    print("== standard errors (numerical Hessian at cvfw's estimates)")
    print("BG/NBD r alpha a b:", " ".join("%.10g" % v for v in hessian_se(lambda q: base.bgnbd_ll(q, data), BG_SUMMARY)))
    print("Pareto/NBD r alpha s beta:", " ".join("%.10g" % v for v in hessian_se(lambda q: pnbd_ll(q, data), PNBD_SUMMARY)))
    gd = [(x, z) for x, _, _, z in rows if x > 0]
    print("Gamma-Gamma p q v:", " ".join("%.10g" % v for v in hessian_se(lambda q: base.gg_ll(q, gd), GG_SUMMARY)))

    print("== penalised fits, penalizer 0.01 (mean LL less 0.01 x sum of squares; alpha, beta per max T)")
    N, maxT = len(data), max(T for _, _, T in data)
    for name, ll, k in (("BG/NBD", base.bgnbd_ll, 4), ("Pareto/NBD", pnbd_ll, 4)):
        def obj(q, ll=ll, name=name):
            p = [math.exp(v) for v in q]
            sq = p[0] ** 2 + (p[1] / maxT) ** 2 + p[2] ** 2 + (p[3] / maxT if name == "Pareto/NBD" else p[3]) ** 2
            return -(ll(p, data) / N - 0.01 * sq)
        p = base.nelder_mead(obj, [0, 1.5, 0, 1.5])
        c = PEN_BG if name == "BG/NBD" else PEN_PNBD
        print("%s penalised: %s LL %.4f; objective there %.10f, at cvfw's %.10f" % (
            name, " ".join("%.6f" % v for v in p), ll(p, data), -obj([math.log(v) for v in p]),
            -obj([math.log(v) for v in c])))

    print("== the limiting BG/NBD model on test/data/btyd/boundary.csv")
    bnd = []
    with open(os.path.join(HERE, "..", "btyd", "boundary.csv")) as f:
        for rw in csv.DictReader(f):
            bnd.append((int(rw["frequency"]), int(rw["recency_days"]) / 7, int(rw["t_days"]) / 7, int(rw["customers"])))

    def limit_ll(p):
        r, al, pd = p
        s = []
        for x, tx, T, n in bnd:
            a1 = math.lgamma(r + x) - math.lgamma(r) + r * math.log(al) + x * math.log1p(-pd)
            a3 = -(r + x) * math.log(al + T)
            if x > 0:
                a4 = math.log(pd / (1 - pd)) - (r + x) * math.log(al + tx)
                a3 = max(a3, a4) + math.log1p(math.exp(-abs(a3 - a4)))
            s.append(n * (a1 + a3))
        return math.fsum(s)

    def full_ll(p):
        return math.fsum(n * base.bgnbd_ll(p, [(x, tx, T)]) for x, tx, T, n in bnd)

    def neg_limit(v):
        try:
            val = -limit_ll([math.exp(v[0]), math.exp(v[1]), 1 / (1 + math.exp(-v[2]))])
        except (ValueError, OverflowError):
            return 1e300
        return val if math.isfinite(val) else 1e300

    q = base.nelder_mead(neg_limit, [0, 2, -1])  # returns exp of its variables
    p = [q[0], q[1], q[2] / (1 + q[2])]
    print("NM fit of the limit: r %.5f alpha %.4f p %.6f LL %.4f; LL at cvfw's %.6f" % (*p, limit_ll(p), limit_ll(LIMIT_BOUNDARY)))
    r, al, pd = LIMIT_BOUNDARY
    for K in (1e3, 1e5, 1e7):
        print("full BG/NBD LL at a + b = %g, a/(a+b) = p: %.6f" % (K, full_ll((r, al, K * pd, K * (1 - pd)))))
    print("SE r alpha p:", " ".join("%.10g" % v for v in hessian_se(limit_ll, LIMIT_BOUNDARY)))

    print("== holdout: calibration to 1997-09-30, holdout to 1998-06-30 (39 weeks), bins 0..6, 7+")
    print("customers %d, calibration repeat purchases %d, holdout purchase days %d" % (
        len(split), sum(v[0] for v in split.values()), sum(v[3] for v in split.values())))
    for name, cond, m in (("BG/NBD", lambda m, x, tx, T: base.conditional(m, x, tx, T, 39), BG_SPLIT),
                          ("Pareto/NBD", lambda m, x, tx, T: pnbd_predict(m, x, tx, T, 39)[1], PNBD_SPLIT)):
        bins = {}
        for x, tx, T, hold in split.values():
            b = min(x, 7)
            c, a, e = bins.get(b, (0, 0, 0.0))
            bins[b] = (c + 1, a + hold, e + cond(m, x, tx, T))
        for b in sorted(bins):
            c, a, e = bins[b]
            print("%s bin %s%s: customers %d actual %d expected %.9f" % (name, b, "+" if b == 7 else "", c, a, e))
        print("%s all: actual %d expected %.9f" % (name, sum(v[1] for v in bins.values()), sum(v[2] for v in bins.values())))
    for name, pmf, m in (("BG/NBD", bgnbd_pmf, BG_SPLIT), ("Pareto/NBD", pnbd_pmf, PNBD_SPLIT)):
        exp_n = [0.0] * 8
        for x, tx, T, _ in split.values():
            ps = [pmf(m, T, n) for n in range(7)]
            for n in range(7):
                exp_n[n] += ps[n]
            exp_n[7] += 1 - math.fsum(ps)
        print("%s frequencies expected: %s" % (name, " ".join("%.9f" % v for v in exp_n)))


if __name__ == "__main__":
    main()
