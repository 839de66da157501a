#!/usr/bin/env python3
"""check_btyd.py — an independent computation of what sql/btyd.sql expects.

Standard library only. From the CDNOW files next to this script it
recomputes the RFM summaries from the raw purchases, fits BG/NBD and
Gamma-Gamma by its own Nelder-Mead search, and evaluates the predictions
with the textbook formulas of Fader, Hardie & Lee (2005) -- the
hypergeometric function by its plain series, without the transformations
the C code uses -- so the two share no code and no algebra.

    python3 test/data/cdnow/check_btyd.py
"""
import csv
import datetime
import math
import os

HERE = os.path.dirname(os.path.abspath(__file__))
END = datetime.date(1997, 9, 30)


def rfm_from_purchases():
    days = {}
    with open(os.path.join(HERE, "CDNOW_sample.txt")) as f:
        for line in f:
            _, cid, ymd, _, dollars = line.split()
            d = datetime.date(int(ymd[:4]), int(ymd[4:6]), int(ymd[6:]))
            if d <= END:
                per = days.setdefault(int(cid), {})
                per[d] = per.get(d, 0.0) + float(dollars)
    out = {}
    for cid, per in days.items():
        ds = sorted(per)
        x = len(ds) - 1
        m = sum(per[d] for d in ds[1:]) / x if x else 0.0
        out[cid] = (x, (ds[-1] - ds[0]).days / 7, (END - ds[0]).days / 7, m)
    return out


def summary_csv():
    with open(os.path.join(HERE, "cdnow_customers_summary_with_transactions.csv")) as f:
        return [(float(r["x"]), float(r["t_x"]), float(r["T"]), float(r["zbar"]))
                for r in csv.DictReader(f)]


def bgnbd_ll(p, data):
    r, alpha, a, b = p
    s = 0.0
    for x, tx, T in data:
        a1 = math.lgamma(r + x) - math.lgamma(r) + r * math.log(alpha)
        a2 = math.lgamma(a + b) + math.lgamma(b + x) - math.lgamma(b) - math.lgamma(a + b + x)
        a3 = -(r + x) * math.log(alpha + T)
        a4 = math.log(a) - math.log(b + x - 1) - (r + x) * math.log(alpha + tx) if x > 0 else None
        s += a1 + a2 + (a3 if a4 is None else max(a3, a4) + math.log1p(math.exp(-abs(a3 - a4))))
    return s


def gg_ll(p, data):
    pp, q, v = p
    return sum(math.lgamma(pp * x + q) - math.lgamma(pp * x) - math.lgamma(q) + q * math.log(v)
               + (pp * x - 1) * math.log(m) + pp * x * math.log(x) - (pp * x + q) * math.log(x * m + v)
               for x, m in data)


def nelder_mead(f, x0, iters=3000):
    """minimise f from x0 (plain textbook Nelder-Mead, then restarts)"""
    n = len(x0)
    best = list(x0)
    for _ in range(6):
        simplex = [best] + [[best[j] + (0.5 if i == j else 0) for j in range(n)] for i in range(n)]
        vals = [f(s) for s in simplex]
        for _ in range(iters):
            order = sorted(range(n + 1), key=lambda i: vals[i])
            simplex = [simplex[i] for i in order]
            vals = [vals[i] for i in order]
            if vals[-1] - vals[0] < 1e-11:
                break
            c = [sum(s[j] for s in simplex[:-1]) / n for j in range(n)]
            xr = [c[j] + (c[j] - simplex[-1][j]) for j in range(n)]
            fr = f(xr)
            if fr < vals[0]:
                xe = [c[j] + 2 * (c[j] - simplex[-1][j]) for j in range(n)]
                fe = f(xe)
                simplex[-1], vals[-1] = (xe, fe) if fe < fr else (xr, fr)
            elif fr < vals[-2]:
                simplex[-1], vals[-1] = xr, fr
            else:
                xc = [c[j] + 0.5 * (simplex[-1][j] - c[j]) for j in range(n)]
                fc = f(xc)
                if fc < vals[-1]:
                    simplex[-1], vals[-1] = xc, fc
                else:
                    simplex = [simplex[0]] + [[simplex[0][j] + 0.5 * (s[j] - simplex[0][j]) for j in range(n)]
                                              for s in simplex[1:]]
                    vals = [vals[0]] + [f(s) for s in simplex[1:]]
        best = simplex[0]
    return [math.exp(v) for v in best]


def hyp2f1(a, b, c, z):
    term, s, k = 1.0, 1.0, 0
    while abs(term) > 1e-17 * abs(s) or k < 10:
        term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z
        s += term
        k += 1
    return s


def expected(m, t):
    r, alpha, a, b = m
    return (a + b - 1) / (a - 1) * (1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, t / (alpha + t)))


def conditional(m, x, tx, T, t):
    r, alpha, a, b = m
    num = (a + b + x - 1) / (a - 1) * (1 - ((alpha + T) / (alpha + T + t)) ** (r + x)
                                       * hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t)))
    den = 1 + (x > 0) * a / (b + x - 1) * ((alpha + T) / (alpha + tx)) ** (r + x)
    return num / den


def p_alive(m, x, tx, T):
    r, alpha, a, b = m
    return 1 / (1 + (x > 0) * a / (b + x - 1) * ((alpha + T) / (alpha + tx)) ** (r + x))


def spend(g, x, m):
    p, q, v = g
    return p * (v + x * m) / (p * x + q - 1)


def clv(m, g, x, tx, T, mon, periods, d, margin=1.0):
    total, prev = 0.0, 0.0
    for i in range(1, periods + 1):
        e = conditional(m, x, tx, T, i)
        total += (e - prev) / (1 + d) ** i
        prev = e
    return margin * spend(g, x, mon) * total


def readme(rfm, g):
    """the README's worked example: both models fitted on the raw purchases"""
    data = [(x, tx, T) for x, tx, T, _ in rfm.values()]
    m = nelder_mead(lambda p: -bgnbd_ll([math.exp(v) for v in p], data), [0, 1.5, 0, 0])
    print("README: BG/NBD on the raw purchases: r %.6f alpha %.6f a %.6f b %.6f loglik %.4f" % (*m, bgnbd_ll(m, data)))
    for cid in (1, 3, 157, 814):
        x, tx, T, mon = rfm[cid]
        print("README: customer %4d x %2d p_alive %.3f next_39_weeks %.3f spend %.2f clv_52_weeks %.2f" % (
            cid, x, p_alive(m, x, tx, T), conditional(m, x, tx, T, 39), spend(g, x, mon),
            clv(m, g, x, tx, T, mon, 52, 0.0018)))
    print("README: customer base %.0f, new customer %.2f, new customer purchases %.3f" % (
        sum(clv(m, g, x, tx, T, mon, 52, 0.0018) for x, tx, T, mon in rfm.values()),
        clv(m, g, 0, 0, 0, 0, 52, 0.0018), expected(m, 52)))


def main():
    rows = summary_csv()
    rfm = rfm_from_purchases()
    data = [(x, tx, T) for x, tx, T, _ in rows]
    print("customers", len(rows), "repeat", sum(1 for r in rows if r[0] > 0))
    print("published BG/NBD loglik at (0.243, 4.414, 0.793, 2.426): %.4f" % bgnbd_ll((0.243, 4.414, 0.793, 2.426), data))
    bg = nelder_mead(lambda p: -bgnbd_ll([math.exp(v) for v in p], data), [0, 1.5, 0, 0])
    print("BG/NBD fit on the summary: r %.6f alpha %.6f a %.6f b %.6f loglik %.4f" % (*bg, bgnbd_ll(bg, data)))
    for name, d in (("zbar (cents)", [(x, z) for x, _, _, z in rows if x > 0]),
                    ("raw purchases", [(x, m) for x, _, _, m in rfm.values() if x > 0])):
        g = nelder_mead(lambda p: -gg_ll([math.exp(v) for v in p], d), [0, 0, 2.7])
        print("Gamma-Gamma fit on %s: p %.6f q %.6f v %.6f loglik %.4f n %d" % (name, *g, gg_ll(g, d), len(d)))
    readme(rfm, g)
    bad = sum(1 for cid, (x, tx, T, z) in zip(range(1, len(rows) + 1), rows)
              if rfm[cid][0] != x or round(rfm[cid][1], 2) != tx or round(rfm[cid][2], 2) != T)
    print("RFM from purchases vs the summary file: %d of %d rows differ in x, t_x or T" % (bad, len(rows)))
    # the predictions at the fit the C code finds (sql/btyd.sql prints it)
    m = (0.242592927047076, 4.41353137124747, 0.792886483872754, 2.4257547940357)
    g = (6.24880219835893, 3.74458858859712, 15.4477492269966)
    print("E[X(39)] %.9f  E[X(78)] %.9f" % (expected(m, 39), expected(m, 78)))
    print("E[Y(39) | 2, 30.43, 38.86] %.9f (FHL 2005: 1.226)" % conditional(m, 2, 30.43, 38.86, 39))
    print("E[Y(39) | 0, 0, 38.86] %.9f" % conditional(m, 0, 0, 38.86, 39))
    print("E[Y(52) | 30, 38, 39] %.9f" % conditional(m, 30, 38, 39, 52))
    print("P(alive | 2, 30.43, 38.86) %.9f  P(alive | 5, 10, 38.86) %.9f" % (p_alive(m, 2, 30.43, 38.86), p_alive(m, 5, 10, 38.86)))
    print("E[spend | 2, 22.35] %.9f  E[spend | 0] %.9f" % (spend(g, 2, 22.35), spend(g, 0, 0)))
    print("CLV(2, 30.43, 38.86, 22.35; 52 periods, 1%%) %.9f" % clv(m, g, 2, 30.43, 38.86, 22.35, 52, 0.01))
    print("CLV(0, 0, 38.86, 0; 104 periods, 0.2%%, margin 0.3) %.9f" % clv(m, g, 0, 0, 38.86, 0, 104, 0.002, 0.3))


if __name__ == "__main__":
    main()
