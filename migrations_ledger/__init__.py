"""The ledger of applied plans: every plan pgmt applies is recorded here (a later issue)."""
