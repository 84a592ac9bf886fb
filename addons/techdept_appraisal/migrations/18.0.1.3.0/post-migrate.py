"""The default KPI templates gain a learning item (业务学习培训, training
hours) and a progress-report item (reports on time; reviews on time for the
managers). The templates are data loaded once (noupdate): here they are
brought along.

A template still as shipped takes the new default weights. One the director
changed keeps his proportions: its items shrink by the share the new items
take, so that the weights still total 100. A template that does not total
100, or that has the new items already, is left as it is. The forms already
generated keep their items."""

import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import float_compare, float_round

_logger = logging.getLogger(__name__)

MODULE = "techdept_appraisal"
LEARNING = {
    "name": "Business learning and training",
    "group": "teamwork",
    "source": "training_hours",
    "target": 4.0,
    "guide": "Training hours attended this month; four earn the full score.",
}
REPORTS = {
    "name": "Progress reports submitted on time",
    "group": "performance",
    "source": "reports_on_time",
    "target": 100.0,
    "guide": "Share of the month's progress reports submitted by their due day.",
}
REVIEWS = {
    "name": "Team's progress reports reviewed on time",
    "group": "quality",
    "source": "reports_reviewed_on_time",
    "target": 100.0,
    "guide": "Share of the team's progress reports reviewed within their review days.",
}
# template: ({item number: (weight shipped before, weight shipped now)},
#            [(new item number, sequence, values)])
PLAN = {
    "presales": (
        {1: (25, 20), 2: (25, 20), 3: (15, 10), 4: (20, 15), 5: (15, 15)},
        [(6, 60, LEARNING), (7, 70, REPORTS)],
    ),
    "implementation": (
        {1: (25, 20), 2: (20, 15), 3: (15, 15), 4: (15, 10), 5: (10, 10), 6: (15, 10)},
        [(7, 70, LEARNING), (8, 80, REPORTS)],
    ),
    "om": (
        {1: (25, 20), 2: (20, 20), 3: (15, 10), 4: (20, 15), 5: (20, 15)},
        [(6, 60, LEARNING), (7, 70, REPORTS)],
    ),
    "supervision": (
        {1: (30, 25), 2: (30, 25), 3: (20, 15), 4: (20, 15)},
        [(5, 50, LEARNING), (6, 60, REPORTS)],
    ),
    "manager": (
        {1: (30, 25), 2: (20, 15), 3: (15, 15), 4: (15, 15), 5: (20, 10)},
        [(6, 60, LEARNING), (7, 70, REVIEWS)],
    ),
}
NEW_WEIGHT = 10.0


def _scaled(lines, share):
    """The weights of ``lines`` shrunk to total ``share``, to the hundredth,
    the rounding put on the heaviest item; None if an item would vanish."""
    total = sum(lines.mapped("weight"))
    weights = {
        line: float_round(line.weight * share / total, precision_digits=2)
        for line in lines
    }
    heaviest = max(lines, key=lambda line: line.weight)
    weights[heaviest] = float_round(
        weights[heaviest] + share - sum(weights.values()), precision_digits=2
    )
    if any(weight <= 0 for weight in weights.values()):
        return None
    return weights


def _migrate_template(env, key, shipped, additions):
    template = env.ref(f"{MODULE}.kpi_template_{key}", raise_if_not_found=False)
    if not template:
        return
    lines = template.with_context(active_test=False).line_ids
    if set(lines.mapped("source")) & {values["source"] for _n, _s, values in additions}:
        _logger.info("KPI template %s has its new items already", template.name)
        return
    if float_compare(sum(lines.mapped("weight")), 100.0, 2):
        _logger.info(
            "KPI template %s does not total 100: its items are left as they are",
            template.name,
        )
        return
    items = {
        number: env.ref(f"{MODULE}.kpi_template_{key}_item_{number}", False)
        for number in shipped
    }
    as_shipped = set(lines) == {item for item in items.values() if item} and all(
        item and not float_compare(item.weight, before, 2)
        for item, (before, _after) in zip(
            items.values(), shipped.values(), strict=False
        )
    )
    share = 100.0 - NEW_WEIGHT * len(additions)
    if as_shipped:
        weights = {items[number]: after for number, (_before, after) in shipped.items()}
    else:
        weights = _scaled(lines, share)
        if weights is None:
            _logger.info(
                "KPI template %s: its items are too light to make room for the "
                "new ones; left as it is",
                template.name,
            )
            return
    for line, weight in weights.items():
        line.weight = weight
    Line = env["techdept.kpi.template.line"]
    for number, sequence, values in additions:
        line = Line.create(
            dict(
                values,
                template_id=template.id,
                sequence=sequence,
                weight=NEW_WEIGHT,
                max_score=100.0,
                scorer="appraiser",
            )
        )
        env["ir.model.data"].create(
            {
                "module": MODULE,
                "name": f"kpi_template_{key}_item_{number}",
                "model": Line._name,
                "res_id": line.id,
                "noupdate": True,
            }
        )
    template.invalidate_recordset(["line_ids", "total_weight"])
    template._check_total_weight()
    _logger.info(
        "KPI template %s: learning and progress-report items added (%s)",
        template.name,
        "default weights" if as_shipped else "weights scaled",
    )


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    for key, (shipped, additions) in PLAN.items():
        _migrate_template(env, key, shipped, additions)
