"""Backups: the whole installation (every table, every blob) into a folder and back into an
empty installation. Operators' work: the `backup` CLI group (registered by `app/cli.py`), no
pages. `records.py` turns rows into portable JSON and back; `services.py` writes and reads the
folder.
"""
