"""Faithful Python 3 transcriptions of the tutorials' programs.

They exist to reproduce what each tutorial printed, not to be used: they keep the
tutorials' global random stream, shapes and update rules. Only syntax was changed
(``print`` as a function, ``range`` for ``xrange``). Where a program cannot run as printed,
the module says why and transcribes the nearest program that can.
"""
