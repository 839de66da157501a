#!/usr/bin/env python3
"""simulate_boundary.py — customers whose dropout barely varies: a BG/NBD
with a = 2000, b = 6000 (every customer drops out after a purchase with a
probability within about 0.005 of 0.25).  Standard library only, seeded, so
the file it writes is what sql/btyd_fits.sql fits:

    python3 test/data/btyd/simulate_boundary.py > test/data/btyd/boundary.csv

Purchase rate lambda ~ Gamma(r = 0.5, alpha = 8) per week; first purchase
at day 0, observed for 210 to 364 whole days; purchases at whole days
(several on one day count once, as cvfw_rfm counts days); after each
repeat purchase the customer drops out with probability p ~ Beta(a, b).
Columns: frequency, recency and T in days (divide by 7 for weeks), and the
number of customers with that history.
"""
import random
import sys

R, ALPHA, A, B = 0.5, 8.0, 2000.0, 6000.0
CUSTOMERS = 10000
SEED = 1


def customer(rng):
    days = rng.randint(210, 364)
    lam = rng.gammavariate(R, 1.0 / ALPHA) / 7.0  # per day
    g = rng.gammavariate(A, 1.0)
    p = g / (g + rng.gammavariate(B, 1.0))
    t, last, bought = 0.0, 0, set()
    while True:
        t += rng.expovariate(lam)
        day = int(t)
        if day > days:
            break
        if day == 0 or day in bought:
            continue
        bought.add(day)
        last = day
        if rng.random() < p:
            break
    return len(bought), last, days


def main():
    rng = random.Random(SEED)
    counts = {}
    for _ in range(CUSTOMERS):
        h = customer(rng)
        counts[h] = counts.get(h, 0) + 1
    out = sys.stdout
    out.write("frequency,recency_days,t_days,customers\n")
    for (x, tx, T), n in sorted(counts.items()):
        out.write("%d,%d,%d,%d\n" % (x, tx, T, n))


if __name__ == "__main__":
    main()
