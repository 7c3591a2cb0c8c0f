"""Wire protocol v1: the implementation under test runs in a child process and answers JSON lines.

- :mod:`.protocol`: values and messages (float64 arrays as ``{"shape", "data"}``, floats exactly);
- :mod:`.serve`: ``python -m nnspec.wire.serve SPEC``, the Python server (an adapter or a learner's file);
- :mod:`.client`: the harness's side: one child per pytest worker, per-call time limits, crashes;
- :mod:`.check`: ``python -m nnspec.wire.check -- COMMAND``, for implementers: every message validated.

The published schema is ``nnspec/schemas/wire-v1.schema.json``; the book's page is
docs/implement_any_language.md.
"""
