"""The consultation summary and its downloads."""
