"""Imports run one way: consult/core imports no feature, a feature's core never imports a web module nor a
later feature's core, and loading models or running a background job loads no view.

Cores in order: auth -> plan -> consultations -> feedback -> review -> export, then demo (it loads them all).
Web modules: consult/web/*, and each feature's blueprint.py, forms.py, views*.py and manage*.py.
"""
import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "consult"
CORES = ("auth", "plan", "consultations", "feedback", "review", "export", "demo")
WEB_ONLY = ("main", "admin")
# What a core may not take from Flask: the request, the response and the screens.
REQUEST_MACHINERY = {"request", "session", "g", "flash", "redirect", "url_for", "render_template", "abort",
                     "make_response", "Blueprint", "Response"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_view(name: str) -> bool:
    leaf = name.split(".")[-1]
    return leaf in ("blueprint", "forms") or leaf.startswith(("views", "manage"))


def is_web(name: str) -> bool:
    parts = name.split(".")
    return (len(parts) > 1 and parts[1] in ("web", *WEB_ONLY)) or is_view(name)


def feature(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in CORES else None


def imports(path: Path) -> list[tuple[str, set[str], int]]:
    """(module, names taken from it, line) for every import in the file, inside functions too."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, set(), node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = {alias.name for alias in node.names}
            found.append((node.module, names, node.lineno))
            # `from consult.x import y` may name the module consult.x.y
            found += [(f"{node.module}.{n}", set(), node.lineno) for n in names if node.module.startswith("consult")]
    return found


def own_modules() -> set[str]:
    return {module_name(p) for p in PACKAGE.rglob("*.py")}


def violations(files=None) -> list[str]:
    """Every import that breaks the direction, as 'module:line imports target (why)'."""
    known = own_modules()
    found = []
    for path in files or sorted(PACKAGE.rglob("*.py")):
        name = module_name(path)
        if name.startswith("consult.nlp") or name in ("consult", "consult.extensions"):
            continue  # the factory wires every layer; extensions are created unbound, CSRFProtect among them
        for target, names, line in imports(path):
            where = f"{name}:{line} imports {target}"
            if target.startswith("consult.nlp"):
                continue
            if target.startswith("consult") and target not in known:
                continue  # a name, not a module
            if name.startswith("consult.core") and feature(target):
                found.append(f"{where} (consult/core imports no feature)")
            if is_web(name):
                continue
            if target.startswith("consult") and is_web(target):
                found.append(f"{where} (a core imports a web module)")
            if target in ("flask_wtf", "wtforms") or target.startswith(("flask_wtf.", "wtforms.")):
                found.append(f"{where} (a core imports forms)")
            if target == "flask" and names & REQUEST_MACHINERY:
                found.append(f"{where} (a core takes {sorted(names & REQUEST_MACHINERY)} from Flask)")
            mine, theirs = feature(name), feature(target)
            if mine and theirs and CORES.index(theirs) > CORES.index(mine):
                found.append(f"{where} (the {mine} core imports the later {theirs} core)")
    return found


def test_imports_run_one_way():
    assert violations() == []


def test_the_check_sees_each_kind_of_violation(tmp_path, monkeypatch):
    # The rule itself is checked on a small tree, so a broken check cannot pass silently.
    fake = tmp_path / "consult"
    for folder in ("core", "plan", "feedback", "web"):
        (fake / folder).mkdir(parents=True)
        (fake / folder / "__init__.py").write_text("")
    (fake / "__init__.py").write_text("")
    (fake / "web" / "filters.py").write_text("")
    (fake / "feedback" / "models.py").write_text("")
    (fake / "plan" / "views.py").write_text("")
    (fake / "core" / "time.py").write_text("from consult.plan import models\n")
    (fake / "plan" / "models.py").write_text("from consult.feedback.models import x\n")
    (fake / "plan" / "services.py").write_text("from consult.web import filters\nfrom flask import request\n")
    (fake / "plan" / "importer.py").write_text("def f():\n    from consult.plan import views\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)
    found = " ".join(violations())
    for why in ("consult/core imports no feature", "imports the later feedback core", "a core imports a web module",
                "takes ['request'] from Flask"):
        assert why in found
    assert "consult.plan.importer:2 imports consult.plan.views" in found


LOADED = """
import json, sys
{setup}
own = sorted(m for m in sys.modules if m == "consult" or m.startswith("consult."))
print(json.dumps(own))
"""


def loaded_after(setup: str) -> list[str]:
    result = subprocess.run([sys.executable, "-c", LOADED.format(setup=setup)], cwd=ROOT, capture_output=True,
                            text=True, check=True, env={"PATH": "", "CONSULT_CONFIG": "config.TestingConfig"})
    return json.loads(result.stdout.splitlines()[-1])


@pytest.mark.parametrize("models", ["consult.plan.models", "consult.feedback.models", "consult.review.models",
                                    "consult.models"])
def test_importing_models_loads_no_web_module(models):
    loaded = loaded_after(f"import {models}")
    assert [m for m in loaded if is_web(m)] == []


def test_a_background_job_loads_no_web_module():
    # What an RQ worker does: build the worker app, then run a job inside it.
    loaded = loaded_after(
        "from consult.core import jobs\n"
        "jobs.run_in_app('consult.auth.mail.send_mail', 'a@example.ir', 'subject', '')\n"
    )
    assert "consult.auth.mail" in loaded and "consult.models" in loaded
    assert [m for m in loaded if is_view(m)] == []  # template filters for the mail text are all it takes of the web
