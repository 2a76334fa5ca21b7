"""Printable materials (posters, wallet cards, leaflets), built on fieldkit.typeset."""
