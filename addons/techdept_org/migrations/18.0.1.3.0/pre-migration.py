from odoo.tools import sql


def migrate(cr, version):
    """An approval line shows its step's name from the configured step, in
    the reader's language; the name stored at submission becomes the
    fallback for deleted steps."""
    table = "techdept_approval_line"
    if sql.column_exists(cr, table, "step_name") and not sql.column_exists(
        cr, table, "step_label"
    ):
        sql.rename_column(cr, table, "step_name", "step_label")
