"""The ledger of applied plans: every plan pgmt applies is recorded here (filled by a later issue)."""
