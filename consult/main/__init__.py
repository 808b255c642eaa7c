"""The home page and the site-wide routes (favicon, health check)."""
