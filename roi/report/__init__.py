"""Stakeholder reports: scenario files in, self-contained HTML (and PDF) reports out, in batch.

``roi report SCENARIO...`` validates every scenario, executes the report notebook for each with
papermill in worker processes on warm kernels (:mod:`roi.report.execute`), exports HTML without
code (:mod:`roi.report.export`), prints PDFs with chromium (:mod:`roi.report.pdf`), moves each
finished report into ``DIR/<slug>/`` atomically (:mod:`roi.report.batch`) and writes
``DIR/index.html`` (:mod:`roi.report.index`).

Importing this package is light: papermill, nbconvert and jupyter_client load in the modules that
use them, when they are used.
"""
