"""consult.nlp is usable without Flask or a database."""
import subprocess
import sys


def test_nlp_cli_does_not_import_flask():
    code = "import sys, consult.nlp.__main__; sys.exit('flask' in sys.modules or 'sqlalchemy' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
