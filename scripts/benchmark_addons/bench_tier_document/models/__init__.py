from . import bench_tier_document
