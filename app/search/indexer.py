"""The index writer (stub; being built)."""


def drain_pending() -> int:
    return 0
