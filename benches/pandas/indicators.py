"""A careful pandas implementation of docs/indicators.md, for comparison.

Used only to measure Sightline against the way an analyst would compute the
indicators in Python, and as one more independent check of the engine's
figures. Vectorised throughout (merges, group-bys, numpy.busday_count); no
Python loops over rows.

    python3 benches/pandas/indicators.py DATA_DIR 2017 2025 > pandas.json

Prints one JSON object per census year (DfE field names, unrounded) and the
seconds taken, including reading the CSV files, on standard error.
"""

import json
import sys
import time

import numpy as np
import pandas as pd

FAR = np.datetime64("2200-01-01")


def read(data_dir):
    spells = pd.read_csv(
        f"{data_dir}/spells.csv",
        usecols=["person_id", "kind", "team", "start_date", "end_date", "fte"],
        dtype={"person_id": "string", "kind": "category", "team": "category", "fte": "float64"},
        parse_dates=["start_date", "end_date"],
        date_format="%Y-%m-%d",
    )
    spells["end_date"] = spells["end_date"].fillna(FAR)
    establishment = pd.read_csv(
        f"{data_dir}/establishment.csv", parse_dates=["start_date", "end_date"], date_format="%Y-%m-%d"
    )
    establishment["end_date"] = establishment["end_date"].fillna(FAR)
    absences = pd.read_csv(
        f"{data_dir}/absences.csv",
        dtype={"person_id": "string", "reason": "category"},
        parse_dates=["start_date", "end_date"],
        date_format="%Y-%m-%d",
    )
    caseloads = pd.read_csv(
        f"{data_dir}/caseloads.csv", dtype={"person_id": "string"}, parse_dates=["date"], date_format="%Y-%m-%d"
    )
    return spells, establishment, absences, caseloads


def employed_on(employed, people_days):
    """For each (person_id, day) row, whether an employed spell covers the day."""
    m = people_days.reset_index().merge(employed[["person_id", "start_date", "end_date"]], on="person_id", how="left")
    m["covers"] = (m["start_date"] <= m["day"]) & (m["day"] <= m["end_date"])
    return m.groupby("index")["covers"].any().reindex(people_days.index, fill_value=False)


def year(spells, establishment, absences, caseloads, holidays, y):
    p0, r = np.datetime64(f"{y - 1}-10-01"), np.datetime64(f"{y}-09-30")
    employed = spells[spells["kind"] != "agency"]
    agency = spells[spells["kind"] == "agency"]
    in_post = lambda s: (s["start_date"] <= r) & (s["end_date"] > r)

    inpost = employed[in_post(employed)]
    ag = agency[in_post(agency)]

    ending = employed[(employed["end_date"] >= p0) & (employed["end_date"] <= r)]
    next_days = pd.DataFrame({"person_id": ending["person_id"], "day": ending["end_date"] + pd.Timedelta(days=1)})
    leavers = ending[~employed_on(employed, next_days).to_numpy()]
    starting = employed[(employed["start_date"] >= p0) & (employed["start_date"] <= r)]
    days_before = pd.DataFrame({"person_id": starting["person_id"], "day": starting["start_date"] - pd.Timedelta(days=1)})
    starters = starting[~employed_on(employed, days_before).to_numpy()]

    est = establishment[(establishment["start_date"] <= r) & (establishment["end_date"] >= r)]
    teams = pd.concat(
        [
            est.groupby("team", observed=True)["fte"].sum().rename("est"),
            inpost.groupby("team", observed=True)["fte"].sum().rename("inpost"),
            ag.groupby("team", observed=True)["fte"].sum().rename("agency"),
        ],
        axis=1,
    ).fillna(0.0)
    vacancy = (teams["est"] - teams["inpost"]).clip(lower=0.0)
    cover = np.minimum(teams["agency"], vacancy)

    all_in_post = spells[in_post(spells)]
    person_fte = all_in_post.groupby("person_id")["fte"].sum()
    window = caseloads[(caseloads["date"] <= r) & (caseloads["date"] >= r - np.timedelta64(30, "D"))]
    latest = window.groupby("person_id")["date"].transform("max")
    held = window[window["date"] == latest].groupby("person_id")["cases"].sum()
    held = held[held.index.isin(person_fte.index)]
    holders = held[held >= 1]

    sick = absences[(absences["reason"] == "SIC") & absences["person_id"].isin(inpost["person_id"].unique())]
    start = np.maximum(sick["start_date"].to_numpy(), p0).astype("datetime64[D]")
    end = np.minimum(sick["end_date"].to_numpy(), r).astype("datetime64[D]")
    inside = np.where(end >= start, np.busday_count(start, end + 1, holidays=holidays), 0)
    whole = np.busday_count(
        sick["start_date"].to_numpy().astype("datetime64[D]"),
        sick["end_date"].to_numpy().astype("datetime64[D]") + 1,
        holidays=holidays,
    )
    given = sick["days_lost"].to_numpy()
    within = (sick["start_date"] >= p0).to_numpy() & (sick["end_date"] <= r).to_numpy()
    prorated = np.divide(given * inside, whole, out=np.zeros_like(given), where=whole > 0)
    days = np.where(np.isnan(given), inside, np.where(within, given, prorated)).sum()
    leap = any(np.datetime64(f"{yy}-02-29") >= p0 and np.datetime64(f"{yy}-02-29") <= r for yy in (y - 1, y) if yy % 4 == 0)

    i_fte, i_hc = inpost["fte"].sum(), inpost["person_id"].nunique()
    l_fte, l_hc = leavers["fte"].sum(), len(leavers[["person_id", "end_date"]].drop_duplicates())
    a_fte, a_hc = ag["fte"].sum(), len(ag)
    v, c = vacancy.sum(), cover.sum()
    ch = person_fte.reindex(holders.index).sum()
    rate = lambda n, d: 100 * n / d if d else None
    return {
        "time_period": y,
        "inpost_fte": i_fte,
        "inpost_headcount": int(i_hc),
        "starters_fte": starters["fte"].sum(),
        "starters_headcount": len(starters[["person_id", "start_date"]].drop_duplicates()),
        "leavers_fte": l_fte,
        "leavers_headcount": l_hc,
        "turnover_rate_fte": rate(l_fte, i_fte),
        "turnover_rate_headcount": rate(l_hc, i_hc),
        "agency_fte": a_fte,
        "agency_headcount": a_hc,
        "agency_rate_fte": rate(a_fte, a_fte + i_fte),
        "agency_rate_headcount": rate(a_hc, a_hc + i_hc),
        "agency_cover_fte": c,
        "agency_cover_rate_fte": rate(c, a_fte),
        "vacancy_fte": v,
        "vacancy_rate_fte": rate(v, v + i_fte),
        "vacancy_agency_cover_rate_fte": rate(c, v),
        "case_holders_fte": ch,
        "cases": int(held.sum()),
        "caseload_fte": held.sum() / ch if ch else None,
        "working_days_lost_fte": days,
        "absence_rate_fte": rate(days, i_fte * (254 if leap else 253)),
    }


def main():
    data_dir, first, last = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    holidays = pd.read_csv(sys.argv[4] if len(sys.argv) > 4 else "data/calendar/england_and_wales_bank_holidays.csv")
    holidays = holidays["date"].to_numpy().astype("datetime64[D]")
    began = time.perf_counter()
    spells, establishment, absences, caseloads = read(data_dir)
    out = [year(spells, establishment, absences, caseloads, holidays, y) for y in range(first, last + 1)]
    took = time.perf_counter() - began
    print(json.dumps(out, default=float, indent=1))
    print(f"pandas: {took:.3f} s for {last - first + 1} census years, reading included", file=sys.stderr)


if __name__ == "__main__":
    main()
