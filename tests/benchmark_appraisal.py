"""Benchmark of the monthly appraisals: generation for 1,000 employees, the
department's XLSX sheet for them, and the PDF of 20 forms.

Run it in an Odoo shell on a database with the suite installed (the PDF's
style sheets are inside its page: no HTTP server is needed):

    $VENV/bin/python $ODOO_PATH/odoo-bin shell -d techdept \\
        --addons-path=$ODOO_PATH/addons,$ODOO_PATH/odoo/addons,addons \\
        < tests/benchmark_appraisal.py

Everything it creates is rolled back at the end.
"""

import time
from datetime import date

env = env  # noqa: F821,PLW0127 (provided by `odoo-bin shell`)


def timed(label, func):
    start = time.perf_counter()
    result = func()
    print(f"{label}: {time.perf_counter() - start:.2f} s")
    return result


job = env.ref("techdept_org.job_onsite_engineer")
department = env.ref("techdept_org.dept_om")
employees = timed(
    "create 1000 employees",
    lambda: env["hr.employee"].create(
        [
            {
                "name": f"Benchmark {i:04d}",
                "job_id": job.id,
                "department_id": department.id,
            }
            for i in range(1000)
        ]
    ),
)
period = env["techdept.appraisal.period"].create({"date_from": date(2031, 1, 1)})
env.flush_all()
queries = env.cr.sql_log_count
timed("generate the month", period.action_generate)
env.flush_all()
print(
    f"  {len(period.appraisal_ids)} appraisals, "
    f"{env.cr.sql_log_count - queries} queries"
)
content = timed("XLSX sheet of the month", period._techdept_xlsx_sheet)
print(f"  {len(content)} bytes")
forms = period.appraisal_ids[:20]
pdf, _ = timed(
    "PDF of 20 forms",
    lambda: (
        env["ir.actions.report"]
        .with_context(force_report_rendering=True)
        ._render_qweb_pdf("techdept_appraisal.report_appraisal", res_ids=forms.ids)
    ),
)
print(f"  {len(pdf)} bytes")
env.cr.rollback()
