from odoo import api, fields, models
from odoo.exceptions import ValidationError


class TechdeptGradeBand(models.Model):
    """A grade (A ≥ 90, B ≥ 80 …) and the bonus coefficient it carries."""

    _name = "techdept.grade.band"
    _description = "Grade Band"
    _order = "min_score desc, id"

    name = fields.Char(string="Grade", required=True, translate=True)
    min_score = fields.Float(string="From Score", required=True, digits=(5, 2))
    coefficient = fields.Float(string="Bonus Coefficient", required=True, digits=(5, 2))
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)

    _sql_constraints = [
        (
            "min_score_company_uniq",
            "UNIQUE(min_score, company_id)",
            "Two grades cannot start at the same score.",
        ),
    ]

    @api.constrains("min_score", "coefficient")
    def _check_values(self):
        for band in self:
            if not 0 <= band.min_score <= 100:
                raise ValidationError(
                    self.env._(
                        "Grade %(grade)s must start between 0 and 100.", grade=band.name
                    )
                )
            if band.coefficient < 0:
                raise ValidationError(
                    self.env._(
                        "The bonus coefficient of grade %(grade)s cannot be negative.",
                        grade=band.name,
                    )
                )

    @api.model
    def _company_bands(self):
        return self.search([("company_id", "in", [False, *self.env.companies.ids])])

    @api.model
    def _band_for(self, score, bands=None):
        """The band of ``score``: the highest band it reaches."""
        bands = bands if bands is not None else self._company_bands()
        for band in bands.sorted("min_score", reverse=True):
            if score >= band.min_score:
                return band
        return self.browse()
