"""Benchmarks for reference_nn, run by one command: ``python -m benchmarks`` (from the repository root).

Each benchmark times two ways of doing the same computation side by side in one run (repeats
interleaved, best and median kept), checks that both give the same result, and reports their
ratio. The results, with the machine they came from, go to ``benchmarks/results.json`` and
``benchmarks/results.md`` (rendered by the docs). They are not tests: the suite stays untimed.
"""
