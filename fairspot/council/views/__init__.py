"""Staff pages of the joint meeting, by topic: ``members``, ``meetings``, ``minutes``, ``ledger``."""
