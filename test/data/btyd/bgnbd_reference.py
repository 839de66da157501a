#!/usr/bin/env python3
"""bgnbd_reference.py — an independent high-precision evaluation of the BG/NBD
predictions over a grid of models and horizons; sql/btyd_accuracy.sql
compares cvfw's values with it (to 1e-9 relative).

Standard library only (decimal).  It evaluates the textbook formulas of
Fader, Hardie & Lee (2005), the Gaussian hypergeometric function by its
plain series in z = t/(alpha+T+t), in decimal arithmetic with enough digits
that the series' slow convergence and the cancellation in
1 - (...)^(r+x) 2F1(...) do not matter: each value is computed at two
precisions (P and P + 25 digits, P from 60 up) and accepted when they agree
to 30 digits.  cvfw computes these values differently (a positive mixture
series or double-exponential quadrature, src/core/bgnbd_mix.c), so the two
share no algebra beyond the model's definition.

    python3 test/data/btyd/bgnbd_reference.py > test/data/btyd/bgnbd_grid.csv

Grid: (r, alpha) in {(0.243, 4.414), (1.956, 19.89)}; a and b each in
{0.01, 0.1, 0.3, 2, 10, 100, 1e3, 1e4, 1e5, 1e6}; horizons t in {1e-3,
0.1, 1, 10, 100, 1e3, 1e4}; new customers (x = t_x = T = 0) and customers
with (x, t_x, T) in {(0, 0, 38.86), (1, 30, 38.86), (100, 38, 38.86),
(10000, 38.86, 38.86)}.  Left out, for the series' length (over 2e5
terms): x = 10000 with t > 100.  (a + b = 1 with x = 0 is not on the grid:
the 2F1 form divides by a + b - 1 there.)
"""
from decimal import Decimal as D, getcontext
import sys

RALPHA = [(0.243, 4.414), (1.956, 19.89)]
AB = [0.01, 0.1, 0.3, 2, 10, 100, 1e3, 1e4, 1e5, 1e6]
TS = [1e-3, 0.1, 1, 10, 100, 1e3, 1e4]
HIST = [(0, 0, 0), (0, 0, 38.86), (1, 30, 38.86), (100, 38, 38.86), (10000, 38.86, 38.86)]


def conditional(r, alpha, a, b, x, tx, T, t, prec):
    """E[Y(t) | x, t_x, T] and P(alive) at prec digits (E[X(t)] when x = T = 0)"""
    getcontext().prec = prec
    r, alpha, a, b, x, tx, T, t = (D(v) for v in (r, alpha, a, b, x, tx, T, t))
    A, B, C = r + x, b + x, a + b + x - 1
    z = t / (alpha + T + t)
    term, s, k = D(1), D(1), 0
    eps = D(10) ** (-prec + 3)
    while True:
        ratio = (A + k) * (B + k) / ((C + k) * (k + 1)) * z
        term *= ratio
        s += term
        k += 1
        if k > 10 and abs(ratio) < 1 and abs(term) < eps * abs(s):
            break
    lead = (A * ((alpha + T) / (alpha + T + t)).ln()).exp()
    num = C / (a - 1) * (1 - lead * s)
    den = D(1)
    if x > 0:
        den += a / (b + x - 1) * (A * ((alpha + T) / (alpha + tx)).ln()).exp()
    return num / den, 1 / den


def accurate(*args):
    prec = 60
    while True:
        v1, p1 = conditional(*args, prec)
        v2, p2 = conditional(*args, prec + 25)
        tol = D(10) ** -30
        if abs(v1 - v2) <= tol * abs(v2) and abs(p1 - p2) <= tol * abs(p2):
            return v2, p2
        prec += 40


def main():
    print("r,alpha,a,b,x,t_x,T,horizon,expected,p_alive")
    for r, alpha in RALPHA:
        for a in AB:
            for b in AB:
                for x, tx, T in HIST:
                    for t in TS:
                        if x == 10000 and t > 100:
                            continue
                        v, p = accurate(r, alpha, a, b, x, tx, T, t)
                        print("%r,%r,%r,%r,%r,%r,%r,%r,%s,%s" % (
                            r, alpha, a, b, x, tx, T, t, format(v, ".20e"), format(p, ".20e")))
                        sys.stdout.flush()


if __name__ == "__main__":
    main()
