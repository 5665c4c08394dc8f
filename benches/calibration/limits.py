#!/usr/bin/env python3
"""How much better than "next year as last year" can a forecast of an
authority's rates be, from DfE's published figures alone?

Issue 17 asks the forecast's median a year ahead to have a mean absolute
error at least 10% below carrying the cut-off year's figure forward. This
script measures, on the same authorities and cut-offs as
`sightline plan calibrate` (authorities with turnover, agency and vacancy
rates published for every year from 2017 to two years after each cut-off),
the error of simple forecasts against carrying forward, and of two that
cheat: they are told the change England's, or the authority's region's,
figure made over the year being forecast, which nobody knows at the
cut-off. If even a forecast that knows next year's national and regional
movement cannot be 10% better, the gap is the authority's own year-to-year
movement, and no model of published figures can close it.

    python3 benches/calibration/limits.py [PATH_TO_CSV] [--at 2021,2022,2023]

Prints a table: figure, forecast, its error divided by carrying forward's.
Needs pandas and numpy.
"""

import argparse
import itertools
import pathlib

import numpy as np
import pandas as pd

FIGURES = ["turnover_rate_fte", "agency_rate_fte", "vacancy_rate_fte"]
FIRST_YEAR = 2017
DEFAULT_CSV = (
    pathlib.Path(__file__).resolve().parents[2] / "data/dfe/csww_indicators_2017_to_2025.csv"
)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("csv", nargs="?", default=str(DEFAULT_CSV))
    ap.add_argument("--at", default="2021,2022,2023", help="cut-off census years, comma-separated")
    args = ap.parse_args()
    cuts = [int(y) for y in args.at.split(",")]

    d = pd.read_csv(args.csv, low_memory=False, dtype=str)
    for f in FIGURES:
        d[f] = pd.to_numeric(d[f], errors="coerce")
    d["time_period"] = d["time_period"].astype(int)
    last_year = d["time_period"].max()

    la = d[d.geographic_level == "Local authority"]
    series = {f: la.pivot_table(index="old_la_code", columns="time_period", values=f) for f in FIGURES}
    national = {f: d[d.geographic_level == "National"].set_index("time_period")[f] for f in FIGURES}
    regional = {
        f: d[d.geographic_level == "Regional"].pivot_table(index="region_code", columns="time_period", values=f)
        for f in FIGURES
    }
    region_of = la.drop_duplicates("old_la_code").set_index("old_la_code")["region_code"]

    # The authorities `sightline plan calibrate` uses for these cut-offs.
    years = range(FIRST_YEAR, min(max(cuts) + 2, last_year) + 1)
    complete = None
    for f in FIGURES:
        have = series[f].reindex(columns=list(years)).notna().all(axis=1)
        complete = have if complete is None else complete & have
    codes = complete[complete].index
    print(f"{len(codes)} authorities, cut-offs {', '.join(map(str, cuts))}, a year ahead")
    print()

    def ratio(f, forecast):
        s = series[f].loc[codes]
        model, carried = [], []
        for t in cuts:
            outcome = s[t + 1]
            model.append((forecast(s, t, f) - outcome).abs())
            carried.append((s[t] - outcome).abs())
        return pd.concat(model).mean() / pd.concat(carried).mean(), pd.concat(carried).mean()

    def national_change(s, t, f):
        return national[f][t + 1] - national[f][t]

    def regional_change(s, t, f):
        r = regional[f]
        return (r[t + 1] - r[t]).reindex(region_of.loc[s.index].values).values

    def three_years(s, t):
        return s[[y for y in range(max(FIRST_YEAR, t - 2), t + 1)]]

    def blend(a, b):
        # a of last year, the rest split b : 1-b between the authority's own
        # three-year mean and England's level at the cut-off (published only
        # months later: one more advantage no real forecast has).
        return lambda s, t, f: a * s[t] + (1 - a) * (b * three_years(s, t).mean(axis=1) + (1 - b) * national[f][t])

    rows = []
    for f in FIGURES:
        carried = ratio(f, lambda s, t, f: s[t])[1]
        rows.append((f, "carry the cut-off year forward (error in points)", carried))
        rows.append((f, "median of the last three years", ratio(f, lambda s, t, f: three_years(s, t).median(axis=1))[0]))
        # The best blend, chosen on the very outcomes it is scored on (so
        # better than any blend chosen beforehand could be).
        grid = [(a, b) for a, b in itertools.product(np.arange(0.0, 1.001, 0.05), np.arange(0, 1.001, 0.1))]
        best = min(grid, key=lambda ab: ratio(f, blend(*ab))[0])
        rows.append(
            (
                f,
                f"best blend of last year, own 3-year mean and England, chosen on the outcomes ({best[0]:.2f}, {best[1]:.1f})",
                ratio(f, blend(*best))[0],
            )
        )
        rows.append((f, "CHEAT: last year plus England's change over the next year", ratio(f, lambda s, t, f: s[t] + national_change(s, t, f))[0]))
        rows.append((f, "CHEAT: last year plus the region's change over the next year", ratio(f, lambda s, t, f: s[t] + regional_change(s, t, f))[0]))
        cheat_best = min(
            grid, key=lambda ab: ratio(f, lambda s, t, f: blend(*ab)(s, t, f) + regional_change(s, t, f))[0]
        )
        rows.append(
            (
                f,
                f"CHEAT: the best blend plus the region's change over the next year ({cheat_best[0]:.2f}, {cheat_best[1]:.1f})",
                ratio(f, lambda s, t, f: blend(*cheat_best)(s, t, f) + regional_change(s, t, f))[0],
            )
        )

    print("| figure | forecast | error against carrying forward |")
    print("|---|---|---|")
    for f, name, v in rows:
        print(f"| {f} | {name} | {v:.2f} |")


if __name__ == "__main__":
    main()
