"""headlamp-lint: an offline linter for Headlamp installations."""

__version__ = "0.1.0"
