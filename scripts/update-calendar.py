#!/usr/bin/env python3
"""Write the mainland China working calendar that techdept_org ships.

The dates come from the PyPI package ``chinesecalendar``, which follows the
State Council's yearly notice of public holidays and make-up working days
(调休). When the notice of a new year is out and a release of the package
carries it:

    .venv/bin/pip install -U chinesecalendar   # and raise its pin in
                                               # requirements-test.txt
    .venv/bin/python scripts/update-calendar.py
    odoo-bin -d DB -u techdept_org ...         # loads the new dates

It rewrites two data files of techdept_org, one line per dated day and one
per year the package covers, from ``--from-year`` on:

    addons/techdept_org/data/techdept.calendar.year.csv
    addons/techdept_org/data/techdept.calendar.day.csv

Days are the public holidays (weekends inside a holiday period included) and
the weekend days worked instead (调休). Every other day is a working day from
Monday to Friday. A year the package does not cover is left out: the suite
counts weekends only there and shows it as provisional. The addon does not
import the package: it reads these files.
"""

import argparse
import csv
import datetime
import importlib.metadata
import pathlib
import sys

REPO = pathlib.Path(__file__).resolve().parent.parent
DATA = REPO / "addons" / "techdept_org" / "data"
CALENDAR_XMLID = "techdept_calendar_cn"
# The keys of techdept.calendar.day's holiday selection.
KNOWN_HOLIDAYS = {
    "new_years_day",
    "spring_festival",
    "tomb_sweeping_day",
    "labour_day",
    "dragon_boat_festival",
    "national_day",
    "mid_autumn_festival",
    "anti_fascist_70th_day",
}


def covered_years(chinese_calendar, first_year):
    """The years from ``first_year`` on that the package knows."""
    years = []
    year = first_year
    while True:
        try:
            chinese_calendar.is_holiday(datetime.date(year, 1, 1))
        except NotImplementedError:
            return years
        years.append(year)
        year += 1


def dated_days(chinese_calendar, year):
    """[(date, kind, holiday key)] of ``year``: holidays and make-up days."""
    keys = {holiday.value: holiday.name for holiday in chinese_calendar.Holiday}
    rows = []
    day = datetime.date(year, 1, 1)
    while day.year == year:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
        weekend = day.weekday() >= 5
        if on_holiday and name:
            rows.append((day, "holiday", keys[name]))
        elif weekend and chinese_calendar.is_workday(day):
            rows.append((day, "workday", keys.get(name, "")))
        day += datetime.timedelta(days=1)
    unknown = {key for _day, _kind, key in rows if key and key not in KNOWN_HOLIDAYS}
    if unknown:
        sys.exit(
            f"{year} has holidays the addon does not know: "
            f"{', '.join(sorted(unknown))}. "
            "Add them to techdept.calendar.day's holiday selection and to "
            "KNOWN_HOLIDAYS in this script."
        )
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--from-year",
        type=int,
        default=2026,
        help="first year written (default: 2026)",
    )
    parser.add_argument(
        "--output", type=pathlib.Path, default=DATA, help="folder of the CSV files"
    )
    args = parser.parse_args()
    try:
        import chinese_calendar
    except ImportError:
        sys.exit("chinesecalendar is missing: pip install -r requirements-test.txt")
    version = importlib.metadata.version("chinesecalendar")
    years = covered_years(chinese_calendar, args.from_year)
    if not years:
        sys.exit(f"chinesecalendar {version} covers no year from {args.from_year} on.")

    year_rows = []
    day_rows = []
    for year in years:
        days = dated_days(chinese_calendar, year)
        year_rows.append(
            [
                f"{CALENDAR_XMLID}_{year}",
                CALENDAR_XMLID,
                year,
                f"chinesecalendar {version}",
            ]
        )
        day_rows += [
            [
                f"{CALENDAR_XMLID}_{day:%Y%m%d}",
                CALENDAR_XMLID,
                f"{day:%Y-%m-%d}",
                kind,
                holiday,
            ]
            for day, kind, holiday in days
        ]
    args.output.mkdir(parents=True, exist_ok=True)
    with open(args.output / "techdept.calendar.year.csv", "w", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["id", "calendar_id:id", "year", "source"])
        writer.writerows(year_rows)
    with open(args.output / "techdept.calendar.day.csv", "w", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["id", "calendar_id:id", "date", "kind", "holiday"])
        writer.writerows(day_rows)
    print(
        f"chinesecalendar {version}: {', '.join(map(str, years))} "
        f"({len(day_rows)} dated days) written to {args.output}"
    )


if __name__ == "__main__":
    main()
