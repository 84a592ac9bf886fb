"""The working calendar techdept_org ships is the one its source gives.

scripts/update-calendar.py writes it from the chinesecalendar package (pinned
in requirements-test.txt). When a release of the package carries a new year,
raising the pin makes these tests fail until the script is run again."""

import csv
import importlib.metadata
import importlib.util

import chinese_calendar
import pytest

FIRST_YEAR = 2026


@pytest.fixture(scope="module")
def script(repo):
    spec = importlib.util.spec_from_file_location(
        "update_calendar", repo / "scripts" / "update-calendar.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def shipped(repo):
    data = repo / "addons" / "techdept_org" / "data"
    with open(data / "techdept.calendar.year.csv", newline="") as years:
        year_rows = list(csv.DictReader(years))
    with open(data / "techdept.calendar.day.csv", newline="") as days:
        day_rows = list(csv.DictReader(days))
    return year_rows, day_rows


def test_every_year_of_the_source_is_shipped(script, shipped):
    year_rows, _days = shipped
    version = importlib.metadata.version("chinesecalendar")
    covered = script.covered_years(chinese_calendar, FIRST_YEAR)
    assert FIRST_YEAR in covered
    assert [int(row["year"]) for row in year_rows] == covered
    assert {row["source"] for row in year_rows} == {f"chinesecalendar {version}"}


def test_shipped_days_are_the_sources(script, shipped):
    year_rows, day_rows = shipped
    expected = [
        (f"{day:%Y-%m-%d}", kind, holiday)
        for row in year_rows
        for day, kind, holiday in script.dated_days(chinese_calendar, int(row["year"]))
    ]
    assert [(r["date"], r["kind"], r["holiday"]) for r in day_rows] == expected
    # The National Day week of 2026 and its make-up working days (调休).
    days = {r["date"]: r["kind"] for r in day_rows}
    assert all(days[f"2026-10-0{d}"] == "holiday" for d in range(1, 8))
    assert days["2026-09-20"] == days["2026-10-10"] == "workday"


def test_the_addon_loads_the_files(manifests):
    data = manifests["techdept_org"]["data"]
    assert "data/techdept.calendar.year.csv" in data
    assert "data/techdept.calendar.day.csv" in data
    assert data.index("data/techdept_calendar_data.xml") < data.index(
        "data/techdept.calendar.year.csv"
    )
