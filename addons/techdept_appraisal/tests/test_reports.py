import base64
import http.server
import io
import json
import re
import subprocess
import tempfile
import threading
from datetime import date, datetime
from urllib.parse import unquote, urlencode

import openpyxl
from freezegun import freeze_time
from markupsafe import escape
from PIL import Image
from PyPDF2 import PdfReader

from odoo.tests import HttpCase, tagged
from odoo.tests.common import TransactionCase
from odoo.tools import mute_logger

from odoo.addons.techdept_org.tests.common import techdept_person

from .test_appraisal import clear_fixed_months

REPORT = "techdept_appraisal.report_appraisal"


class AppraisalReportData:
    """A month with two engineers' forms scored, one of them approved."""

    @classmethod
    def _setup_report_data(cls):
        clear_fixed_months(cls.env)
        cls.env["hr.employee"].search([("techdept_role", "!=", False)]).job_id = False
        cls.env["techdept.delegation"].search([]).unlink()
        # Scored by the appraisers alone (the demo asks for self-assessment).
        cls.env["techdept.kpi.template"].search([]).self_assessment = False

        def person(login, groups, job=None, department=None, manages=None):
            return techdept_person(cls.env, login, groups, job, department, manages)

        cls.user_director, cls.emp_director = person(
            "rp_director",
            "techdept_org.group_director",
            "director",
            "dept_technical",
            "dept_technical",
        )
        cls.user_om, cls.emp_om = person(
            "rp_om", "techdept_org.group_manager", "om_manager", "dept_om", "dept_om"
        )
        cls.user_impl, cls.emp_impl = person(
            "rp_impl",
            "techdept_org.group_manager",
            "implementation_manager",
            "dept_implementation",
            "dept_implementation",
        )
        cls.user_presales_mgr, cls.emp_presales_mgr = person(
            "rp_presales_mgr",
            "techdept_org.group_manager",
            "presales_manager",
            "dept_presales",
            "dept_presales",
        )
        cls.user_eng, cls.emp_eng = person(
            "rp_engineer",
            "techdept_org.group_engineer",
            "aftersales_engineer",
            "dept_om",
        )
        cls.user_eng2, cls.emp_eng2 = person(
            "rp_engineer2", "techdept_org.group_engineer", "onsite_engineer", "dept_om"
        )
        project = cls.env["project.project"].create(
            {
                "name": "Data centre",
                "techdept_kind": "implementation",
                "techdept_implementation_manager_id": cls.emp_impl.id,
            }
        )
        cls.env["techdept.assignment"].create(
            {
                "project_id": project.id,
                "employee_id": cls.emp_eng.id,
                "date_from": date(2026, 10, 20),
                "date_to": date(2026, 11, 10),
            }
        )
        with freeze_time("2026-12-01"):
            cls.period = cls.env["techdept.appraisal.period"].create(
                {"date_from": date(2026, 11, 1)}
            )
            cls.period.action_generate()
        cls.appraisals = cls.period.appraisal_ids
        cls.form = cls.appraisals.filtered(lambda a: a.employee_id == cls.emp_eng)
        cls.form2 = cls.appraisals.filtered(lambda a: a.employee_id == cls.emp_eng2)
        cls._score(cls.form, cls.user_om, 93)
        cls._score(cls.form2, cls.user_om, 71.5)
        cls.form.with_user(cls.user_om).action_mark_scored()
        with freeze_time("2026-12-03"):
            cls.form.with_user(cls.user_om).action_approval_submit()
            cls.form.with_user(cls.user_director).action_approval_approve()

    @classmethod
    def _score(cls, appraisal, user, score):
        for line in appraisal.line_ids:
            scorer = user
            if line.scorer == "co_appraiser":
                scorer = appraisal.co_appraiser_user_id
            line.with_user(scorer).write(
                {"score": min(score, line.max_score), "comment": "ok"}
            )


@tagged("post_install", "-at_install")
class TestAppraisalReports(AppraisalReportData, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_report_data()

    def test_report_action_is_bound(self):
        action = self.env.ref("techdept_appraisal.action_report_techdept_appraisal")
        self.assertEqual(action.report_type, "qweb-pdf")
        self.assertEqual(action.binding_model_id.model, "techdept.appraisal")

    def test_html_has_items_and_signatures(self):
        self.assertEqual(self.form.state, "approved")
        html, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.user_om)
            ._render_qweb_html(REPORT, self.form.ids)
        )
        html = html.decode()
        for label in (
            "Monthly Appraisal Form",
            "Appraiser Signature",
            "Technical Director Signature",
            "Employee Signature",
            "WenQuanYi Micro Hei",
        ):
            self.assertIn(label, html)
        for name in self.form.line_ids.mapped("name"):
            self.assertIn(escape(name), html)
        # The names known at this stage: appraiser, deciding director, employee.
        for name in ("Rp Om", "Rp Director", "Rp Engineer", "Rp Impl"):
            self.assertIn(name, html)
        self.assertIn(f"{self.form.total_score:.2f}", html)
        self.assertIn(self.form.grade_band_id.name, html)
        self.assertNotIn("o_main_navbar", html)

    def test_xlsx_sheet(self):
        period = self.period.with_user(self.user_director)
        workbook = openpyxl.load_workbook(io.BytesIO(period._techdept_xlsx_sheet()))
        sheet = workbook.active
        # A title row: company, department and month.
        self.assertIn(self.env.company.name, sheet["A1"].value)
        self.assertIn(self.period.name, sheet["A1"].value)
        self.assertIn(
            self.env.ref("techdept_org.dept_technical").name, sheet["A1"].value
        )
        header = [cell.value for cell in sheet[2]]
        self.assertEqual(
            header[:4], ["Employee", "Position", "Department", "Appraiser"]
        )
        self.assertEqual(
            header[4:8],
            ["Work Performance", "Quality", "Project Work", "Teamwork and Attitude"],
        )
        self.assertEqual(
            header[8:],
            [
                "Self Score",
                "Total Score",
                "Grade",
                "Bonus Coefficient",
                "Rank",
                "Late",
                "Status",
            ],
        )
        self.assertTrue(sheet["A2"].font.b)
        self.assertEqual(sheet.freeze_panes, "A3")
        count = len(self.appraisals)
        self.assertEqual(sheet.auto_filter.ref, f"A2:O{count + 2}")
        # Columns fit their text (a Chinese character counts double).
        self.assertGreaterEqual(
            sheet.column_dimensions["L"].width, len("Bonus Coefficient")
        )
        self.assertEqual(sheet.max_row, count + 3)
        names = [sheet.cell(row=r, column=1).value for r in range(3, count + 3)]
        self.assertCountEqual(names, self.appraisals.employee_id.mapped("name"))
        row = names.index("Rp Engineer") + 3
        values = {
            header[c - 1]: sheet.cell(row=row, column=c).value
            for c in range(1, len(header) + 1)
        }
        self.assertEqual(values["Total Score"], self.form.total_score)
        # No self-assessment asked: no self score.
        self.assertIsNone(values["Self Score"])
        self.assertEqual(values["Grade"], self.form.grade_band_id.name)
        self.assertEqual(values["Rank"], self.form.rank)
        self.assertEqual(values["Status"], "Approved")
        self.assertAlmostEqual(
            sum(values[h] for h in header[4:8]), self.form.total_score, places=1
        )
        # The footer averages the scores.
        footer = count + 3
        self.assertEqual(sheet.cell(row=footer, column=1).value, "Average")
        self.assertEqual(
            sheet.cell(row=footer, column=10).value,
            f'=IFERROR(AVERAGE(J3:J{count + 2}),"")',
        )
        cached = openpyxl.load_workbook(
            io.BytesIO(period._techdept_xlsx_sheet()), data_only=True
        )
        # Forms not scored yet are blank and left out of the average.
        scored = self.appraisals.filtered("is_scored")
        self.assertLess(len(scored), count)
        self.assertAlmostEqual(
            cached.active.cell(row=footer, column=10).value,
            sum(scored.mapped("total_score")) / len(scored),
            places=2,
        )
        unscored = (self.appraisals - scored)[0]
        row = names.index(unscored.employee_id.name) + 3
        for column in range(5, 14):
            self.assertIsNone(sheet.cell(row=row, column=column).value)
        ranges = [str(cf.sqref) for cf in sheet.conditional_formatting]
        self.assertIn(f"J3:J{count + 2}", ranges)
        self.assertIn(f"K3:K{count + 2}", ranges)

    def test_export_is_streamed_not_stored(self):
        action = self.period.with_user(self.user_director).action_export_xlsx()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertEqual(
            action["url"], f"/techdept_appraisal/xlsx/period/{self.period.id}"
        )
        self.assertFalse(
            self.env["ir.attachment"].search(
                [
                    ("res_model", "=", "techdept.appraisal.period"),
                    ("res_id", "=", self.period.id),
                ]
            )
        )
        filename, content = self.period._techdept_xlsx_file()
        self.assertEqual(filename, "appraisals-2026-11.xlsx")
        self.assertTrue(content.startswith(b"PK"))


@tagged("post_install", "-at_install")
class TestAppraisalPdf(AppraisalReportData, HttpCase):
    """The printed form, read back from the PDF's text as a person copying or
    searching it would. The report's style sheets are inside the page: no
    running server is needed for them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_report_data()
        cls.company = cls.form.company_id
        # The form that the employee has acknowledged, with the company's logo.
        cls.company.write({"name": "华信系统集成有限公司", "logo": _png()})
        # 04:00 on 5 December in China.
        with freeze_time("2026-12-04 20:00:00"):
            cls.form.with_user(cls.user_eng).action_acknowledge()

    def _pdf(self, forms, user):
        # An unpatched-Qt wkhtmltopdf (Debian's) warns on stderr that it ignores
        # the header and footer Odoo always passes; the report needs neither.
        with mute_logger("odoo.addons.base.models.ir_actions_report"):
            pdf, _kind = (
                self.env["ir.actions.report"]
                .with_user(user)
                .with_context(force_report_rendering=True)
                ._render_qweb_pdf(REPORT, res_ids=forms.ids)
            )
        self.assertTrue(pdf.startswith(b"%PDF"))
        return pdf

    def _poppler(self, pdf, *command):
        """The output of a poppler tool run on the PDF, named {pdf} in the command."""
        with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
            file.write(pdf)
            file.flush()
            return subprocess.run(
                [part if part != "{pdf}" else file.name for part in command],
                check=True,
                capture_output=True,
                text=True,
                encoding="utf-8",
            ).stdout

    def _pdf_text(self, pdf):
        text = self._poppler(pdf, "pdftotext", "-enc", "UTF-8", "{pdf}", "-")
        radicals = {char for char in text if 0x2E80 <= ord(char) <= 0x2FDF}
        self.assertFalse(radicals, "the PDF's text holds radicals, not ideographs")
        return text

    def _image_count(self, pdf):
        # "page num type ..." header, a rule, then one line per image.
        return len(self._poppler(pdf, "pdfimages", "-list", "{pdf}").splitlines()) - 2

    def _assert_text_has(self, text, strings):
        for string in strings:
            self.assertIn(string, text)

    def _paths_asked_while_printing(self):
        """The paths wkhtmltopdf asks of the reports' address while the form
        prints, the address being a bare HTTP server of the test's own."""
        asked = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                asked.append(self.path)
                self.send_error(404)

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            self.env["ir.config_parameter"].sudo().set_param(
                "report.url", f"http://127.0.0.1:{server.server_port}"
            )
            self._pdf(self.form, self.user_om)
        finally:
            server.shutdown()
            server.server_close()
            thread.join()
        return asked

    def test_pdf_asks_the_server_for_nothing(self):
        """The form's style sheets are inside its page: printing asks the
        server for nothing, so prints at the same moment never wait for a
        free worker. The same print with links (the field off) asks for the
        two style sheets."""
        self.assertEqual(self._paths_asked_while_printing(), [])
        self.env.ref(
            "techdept_appraisal.action_report_techdept_appraisal"
        ).techdept_self_contained = False
        asked = self._paths_asked_while_printing()
        self.assertTrue(asked)
        self.assertTrue(all(path.startswith("/web/assets/") for path in asked), asked)

    def test_pdf_pages(self):
        pdf = self._pdf(self.form | self.form2, self.user_om)
        reader = PdfReader(io.BytesIO(pdf))
        self.assertEqual(len(reader.pages), 2)
        text = reader.pages[0].extract_text().replace("\t", " ")
        self.assertIn("Rp Engineer", text)
        self.assertIn(f"{self.form.total_score:.2f}", text)
        self.assertIn("Rp Director", text)
        self.assertIn(
            f"{self.form2.total_score:.2f}",
            reader.pages[1].extract_text().replace("\t", " "),
        )

    def test_pdf_in_chinese(self):
        """An employee who reads Chinese gets his form in Chinese, and its
        text copies as the characters printed."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["techdept_org", "techdept_appraisal"], ["zh_CN"]
        )
        self.user_eng.write({"lang": "zh_CN", "tz": "Asia/Shanghai"})
        self.emp_eng.name = "张三"
        pdf = self._pdf(self.form, self.user_eng)
        text = self._pdf_text(pdf)
        zh_form = self.form.with_context(lang="zh_CN")
        self._assert_text_has(
            text,
            [
                "华信系统集成有限公司",
                "月度考核表",
                "员工",
                "张三",
                "岗位",
                self.emp_eng.job_id.with_context(lang="zh_CN").name,
                "部门",
                "技术部 / 售后运维组",
                "月份",
                "2026-11",
                "考核人",
                "Rp Om",
                "考核项",
                "类别",
                "权重",
                "满分",
                "得分",
                "评语",
                "总分",
                f"{self.form.total_score:.2f}",
                "等级",
                zh_form.grade_band_id.name,
                "奖金系数",
                "排名",
                "考核人签字",
                "技术总监签字",
                "员工签字",
                "Rp Director",
            ],
        )
        # Submitted and approved on the 3rd, acknowledged on the 5th in China.
        self.assertEqual(len(re.findall(r"日期：\s*2026-12-03", text)), 2)
        self.assertEqual(len(re.findall(r"日期：\s*2026-12-05", text)), 1)
        self._assert_text_has(text, zh_form.line_ids.mapped("name"))
        groups = dict(
            zh_form.line_ids._fields["group"]._description_selection(zh_form.env)
        )
        self._assert_text_has(
            text, [groups[g] for g in zh_form.line_ids.mapped("group")]
        )
        self.assertNotIn("Monthly Appraisal Form", text)
        self.assertEqual(self._image_count(pdf), 1)

    def test_pdf_in_english(self):
        self.company.logo = False
        self.user_eng.lang = "en_US"
        self.user_om.tz = "UTC"
        pdf = self._pdf(self.form | self.form2, self.user_om)
        text = self._pdf_text(pdf)
        self._assert_text_has(
            text,
            [
                "华信系统集成有限公司",
                "Monthly Appraisal Form",
                "Employee",
                "Rp Engineer",
                "Department",
                "Technical Department / After-sales O&M Group",
                "Month",
                "2026-11",
                "Total Score",
                f"{self.form.total_score:.2f}",
                f"{self.form2.total_score:.2f}",
                self.form.grade_band_id.name,
                "Employee Signature",
                "Date: 2026-12-03",
                "Date: 2026-12-04",
            ],
        )
        self._assert_text_has(text, self.form.line_ids.mapped("name"))
        self.assertEqual(self.form.date_acknowledged, datetime(2026, 12, 4, 20, 0))
        # The second form is not acknowledged yet: no date to sign.
        self.assertFalse(self.form2.date_acknowledged)
        self.assertEqual(text.count("Date: 2026-12-04"), 1)
        # No logo, no picture.
        self.assertEqual(self._image_count(pdf), 0)

    def _download_name(self, user):
        """The file name the web client saves the PDF as (under --test-enable
        the body is the report's HTML; the name is the same)."""
        self.authenticate(user.login, user.login)
        data = json.dumps([f"/report/pdf/{REPORT}/{self.form.id}", "qweb-pdf"])
        response = self.url_open(
            "/report/download?" + urlencode({"data": data, "context": "{}"})
        )
        self.assertEqual(response.status_code, 200)
        disposition = response.headers["Content-Disposition"]
        self.assertTrue(disposition.startswith("attachment; filename*=UTF-8''"))
        return unquote(disposition.split("''", 1)[1])

    def test_download_name_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["techdept_appraisal"], ["zh_CN"]
        )
        self.emp_eng.name = "张三"
        self.assertEqual(
            self._download_name(self.user_eng),
            "Monthly Appraisal - 张三 - 2026-11.pdf",
        )
        self.user_eng.lang = "zh_CN"
        self.assertEqual(
            self._download_name(self.user_eng), "月度考核表 - 张三 - 2026-11.pdf"
        )


def _png():
    """A small logo, as Odoo stores images (base64)."""
    image = Image.new("RGB", (120, 40), (200, 30, 30))
    stream = io.BytesIO()
    image.save(stream, "PNG")
    return base64.b64encode(stream.getvalue())
