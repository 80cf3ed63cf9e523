"""Evaluation of a call's applications and the balanced selection (issue 14)."""
