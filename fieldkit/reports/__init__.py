"""Report drafts: types as data files, drafts and revisions, consent, suppression, export."""
