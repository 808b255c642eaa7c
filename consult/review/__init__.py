"""Review of the comments: topics, links to plan items, decisions and clustering runs."""
