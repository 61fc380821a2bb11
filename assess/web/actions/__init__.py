"""What the API and the pages both do, so that the two give the same answer: opening and
closing an assessment (lifecycle.py), erasing and exporting personal data (erasure.py),
joining an organisation (joining.py), a study's public link (public_link.py) and the mark
of a study answered in this browser (answered.py)."""
