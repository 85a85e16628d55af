"""Ranking: entry scores by method, juror severity, tie-breaks, reliability, charts."""
import os

# Single-threaded BLAS for the small solves of the severity fit: multi-threaded BLAS made
# them 15-35x slower and erratic on 2 cores (see fit.py). Effective when numpy is first
# imported after this package, as in create_app; the worker sets the same.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
