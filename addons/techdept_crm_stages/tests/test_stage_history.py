from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import TechdeptCrmCase

# Measured on Odoo 18.0: recording a move costs the same for 1 or 20 leads
# (one statement closes the stays left and opens the new ones).
RECORD_QUERIES = 1


@tagged("post_install", "-at_install")
class TestStageHistory(TechdeptCrmCase):
    """Each lead keeps its stays in the stages: dates, who moved it, forced
    or not; the report averages the days per stage; leads from before the
    history existed get theirs from their chatter."""

    def _track(self):
        """Write the chatter's tracking now, as a commit would."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    def _move(self, lead, stage, when, user=None):
        with freeze_time(when):
            lead.with_user(user or self.user_sales).stage_id = stage
            self._track()

    def _force(self, lead, stage, when, reason="Tender brought forward", **context):
        with freeze_time(when):
            self.env["techdept.stage.force.wizard"].with_user(
                self.user_director
            ).with_context(**context).create(
                {
                    "lead_ids": [Command.set(lead.ids)],
                    "stage_id": stage.id,
                    "reason": reason,
                }
            ).action_confirm()
            self._track()

    def _story(self, name="Data centre upgrade"):
        """A lead 2 days in stage 1, 4 in stage 2, 1 in stage 3, then forced
        into stage 4 by the director."""
        with freeze_time("2027-01-04 09:00:00"):
            lead = self._lead(name=name)
            self._track()
        self._move(lead, self.stage2, "2027-01-06 09:00:00")
        self._deliver(lead, "2.2")
        self._deliver(lead, "2.5")
        self._move(lead, self.stage3, "2027-01-10 09:00:00")
        self._force(lead, self.stage4, "2027-01-11 09:00:00")
        return lead

    def test_stays_with_dates_movers_and_forced_moves(self):
        lead = self._story()
        stays = lead.techdept_stage_entry_ids
        self.assertEqual(
            stays.stage_id, self.stage1 | self.stage2 | self.stage3 | self.stage4
        )
        self.assertEqual(
            stays.mapped("date_in"),
            [
                datetime(2027, 1, 4, 9),
                datetime(2027, 1, 6, 9),
                datetime(2027, 1, 10, 9),
                datetime(2027, 1, 11, 9),
            ],
        )
        self.assertEqual(stays[:3].mapped("date_out"), stays[1:].mapped("date_in"))
        self.assertFalse(stays[3].date_out)
        self.assertEqual(stays[:3].mapped("duration_days"), [2.0, 4.0, 1.0])
        with freeze_time("2027-01-13 21:00:00"):
            stays.invalidate_recordset(["duration_days"])
            self.assertEqual(stays[3].duration_days, 2.5)
        self.assertEqual(stays.mapped("forced"), [False, False, False, True])
        self.assertEqual(stays[3].reason, "Tender brought forward")
        self.assertEqual(stays[3].user_id, self.user_director)
        self.assertEqual(stays[1].user_id, self.user_sales)
        self.assertEqual(stays[3].previous_stage_id, self.stage3)

        # A move back is a stay like any other.
        self._move(lead, self.stage2, "2027-01-12 09:00:00")
        last = lead.techdept_stage_entry_ids[-1]
        self.assertEqual(
            (last.stage_id, last.previous_stage_id, last.forced),
            (self.stage2, self.stage4, False),
        )
        self.assertEqual(lead.techdept_stage_entry_ids[3].duration_days, 1.0)

    def test_report_averages_days_per_stage(self):
        first = self._story()
        with freeze_time("2027-01-04 09:00:00"):
            second = self._lead(name="Campus network")
        self._move(second, self.stage2, "2027-01-08 09:00:00")
        Report = self.env["techdept.lead.stage.report"].with_user(self.user_director)
        groups = Report._read_group(
            [("lead_id", "in", (first | second).ids), ("is_current", "=", False)],
            ["stage_id"],
            ["days:avg", "__count"],
        )
        self.assertEqual(
            {stage: (round(days, 2), count) for stage, days, count in groups},
            {
                self.stage1: (3.0, 2),
                self.stage2: (4.0, 1),
                self.stage3: (1.0, 1),
            },
        )
        forced = Report.search([("lead_id", "=", first.id), ("forced", "=", True)])
        self.assertEqual(forced.stage_id, self.stage4)
        self.assertTrue(forced.is_current)
        # The pivot's own read.
        rows = Report.read_group(
            [("lead_id", "in", (first | second).ids), ("is_current", "=", False)],
            ["days:avg"],
            ["stage_id"],
        )
        self.assertEqual(len(rows), 3)

    def test_backfill_from_the_chatter(self):
        lead = self._story()
        # A lead moved without tracking: only its current stay is known.
        with freeze_time("2027-01-05 10:00:00"):
            quiet = self._lead(name="Quiet lead").with_context(mail_notrack=True)
            quiet.with_user(self.user_sales).stage_id = self.stage2
            self._track()
        # Forced without tracking: the wizard's note tells who and why.
        with freeze_time("2027-01-05 11:00:00"):
            pushed = self._lead(name="Pushed lead")
        self._force(
            pushed,
            self.stage3,
            "2027-01-07 11:00:00",
            reason="Customer asked",
            mail_notrack=True,
        )
        Entry = self.env["techdept.lead.stage.entry"]
        recorded = lead.techdept_stage_entry_ids.read(
            ["stage_id", "date_in", "date_out", "user_id", "forced", "reason"]
        )
        # As before the history existed.
        Entry.search([("lead_id", "in", (lead | quiet | pushed).ids)]).unlink()
        self.assertGreaterEqual(Entry._techdept_backfill(), 3)
        rebuilt = lead.techdept_stage_entry_ids.read(
            ["stage_id", "date_in", "date_out", "user_id", "forced", "reason"]
        )
        # The first stay starts when the lead was made; who made the lead
        # is not in the chatter's stage changes.
        self.assertEqual(rebuilt[0]["date_in"], lead.create_date)
        rebuilt[0]["date_in"] = recorded[0]["date_in"]
        rebuilt[0]["user_id"] = recorded[0]["user_id"]
        for row in recorded + rebuilt:
            row.pop("id")
        self.assertEqual(rebuilt, recorded)

        (stay,) = quiet.techdept_stage_entry_ids
        self.assertEqual(
            (stay.stage_id, stay.date_in, stay.date_out, stay.user_id),
            (self.stage2, quiet.date_last_stage_update, False, self.env["res.users"]),
        )
        self.assertFalse(stay.forced)
        (stay,) = pushed.techdept_stage_entry_ids
        self.assertEqual(
            (stay.stage_id, stay.user_id, stay.forced, stay.reason),
            (self.stage3, self.user_director, True, "Customer asked"),
        )
        # Once only.
        self.assertEqual(Entry._techdept_backfill(), 0)
        self.assertEqual(len(lead.techdept_stage_entry_ids), 4)

    def test_history_follows_the_lead_and_is_the_servers(self):
        lead = self._story()
        Entry = self.env["techdept.lead.stage.entry"]
        Report = self.env["techdept.lead.stage.report"]
        # Another salesperson may not read the lead, nor its history.
        self.assertFalse(
            Entry.with_user(self.user_sales2).search([("lead_id", "=", lead.id)])
        )
        self.assertFalse(
            Report.with_user(self.user_sales2).search([("lead_id", "=", lead.id)])
        )
        with self.assertRaises(AccessError):
            lead.techdept_stage_entry_ids.with_user(self.user_sales2).read(["stage_id"])
        with self.assertRaises(AccessError):
            Report.search([("lead_id", "=", lead.id)]).with_user(self.user_sales2).read(
                ["days"]
            )
        # Its salesperson and its presales engineer read it.
        for user in (self.user_sales, self.user_presales):
            self.assertEqual(
                len(Entry.with_user(user).search([("lead_id", "=", lead.id)])), 4
            )
        # Nobody writes it by hand, the director neither.
        stay = lead.techdept_stage_entry_ids[0]
        for user in (self.user_sales, self.user_director):
            with self.assertRaises(AccessError):
                stay.with_user(user).write({"forced": True})
            with self.assertRaises(AccessError):
                Entry.with_user(user).create(
                    {
                        "lead_id": lead.id,
                        "stage_id": self.stage1.id,
                        "date_in": "2027-01-01 00:00:00",
                    }
                )
            with self.assertRaises(AccessError):
                stay.with_user(user).unlink()
            with self.assertRaises(AccessError):
                lead.with_user(user).write(
                    {"techdept_stage_entry_ids": [Command.delete(stay.id)]}
                )

    def test_recording_costs_the_same_for_many_leads(self):
        for count in (1, 20):
            leads = self.env["crm.lead"].create(
                [{"name": f"Lead {n}", "type": "opportunity"} for n in range(count)]
            )
            self.env.flush_all()
            with self.assertQueryCount(__system__=RECORD_QUERIES):
                self.env["techdept.lead.stage.entry"]._techdept_record(leads)
                self.env.flush_all()
