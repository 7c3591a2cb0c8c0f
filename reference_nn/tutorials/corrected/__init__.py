"""Corrected editions of the tutorials' programs: our edit of each transcription in ``reference_nn.tutorials``.

Each module starts from the transcription of the same name and changes only what the claims registry
(``tests/claims/``) finds wrong in the code; every change carries a comment naming the claim it fixes,
and says so where the fix is one choice among several. The docs site shows each edition as a diff
against its transcription, each change linked to its claim.
"""
