"""Paper sizes by name and the default for a region (no ReportLab: cheap to import)."""

from __future__ import annotations

PAPER_NAMES = ("a4", "a3", "letter")
# Territories whose paper is US Letter (CLDR supplemental measurementData, paperSize).
LETTER_TERRITORIES = frozenset({"US", "CA", "MX", "BZ", "CL", "CO", "CR", "GT", "NI", "PA",
                                "PH", "PR", "SV", "VE"})


def default_paper(territory: str | None) -> str:
    """'letter' for the territories that use US Letter, otherwise 'a4'."""
    return "letter" if (territory or "").upper() in LETTER_TERRITORIES else "a4"
