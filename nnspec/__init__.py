"""nnspec: the engine of the reference_nn specification.

It judges an implementation (or a learner's program) against the content in the checkout's ``tests/``
(claims, evidence, goldens, spec tests) and writes the reports the site reads. ``reference_nn`` is the
NumPy reference it judges by default; nothing there imports this package.
"""
