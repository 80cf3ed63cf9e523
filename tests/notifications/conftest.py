"""The notification tests use the discussion team (a project with people in every role)."""
from ..discussion.conftest import team  # noqa: F401 - re-exported fixture
