"""Entry point: `flask --app run ...` and WSGI servers import `app` from here."""
from consult import create_app

app = create_app()
