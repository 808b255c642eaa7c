"""The plan tree (goal > strategy > policy > project), its import and search."""
