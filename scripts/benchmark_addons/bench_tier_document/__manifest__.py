{
    "name": "Benchmark: a document under OCA tier validation",
    "summary": "The reference side of scripts/benchmark.py, not part of the suite.",
    "version": "18.0.1.0.0",
    "author": "techdept",
    "license": "LGPL-3",
    "depends": ["base_tier_validation"],
    "data": ["security/ir.model.access.csv"],
    "installable": True,
}
