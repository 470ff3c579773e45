"""Data-quality expectations: which checks every table must pass, and the run report."""
