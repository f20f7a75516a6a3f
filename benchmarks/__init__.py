"""Speed benchmarks of cnnlib against scipy and PyTorch (``make bench``).

Run ``python -m benchmarks`` for the full report, or ``python -m benchmarks
--quick`` for a few-second smoke run. Each benchmark prints time ratios measured
in the same run on the same seeded inputs, checks both sides agree before timing
anything, and says whether the targets in DESIGN.md ("Targets") are met. A
missed target is reported ("MISSED"), not an error: the exit code is 0. A wrong
answer from cnnlib is an error (``WrongAnswerError``, non-zero exit).
"""
