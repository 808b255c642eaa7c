"""Plan import: everything is checked first; a refusal names row and column and imports nothing."""
import json

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from consult.core.importing import ImportRefused
from consult.extensions import db
from consult.plan import importer
from consult.plan.models import ItemKind, PlanItem

HEADER = "code,parent_code,kind,title,description,previous_progress\n"
GOOD = HEADER + (
    "1,,goal,قم شهر زیارت,شرح هدف,\n"
    "1.1,1,strategy,خدمات زائران,شرح راهبرد,\n"
    "1.1.1,1.1,policy,اسکان ارزان,شرح سیاست,\n"
    "1.1.1.1,1.1.1,project,زائرسرای پردیسان,ساخت ۵۰۰ تخت,۶۵\n"
)


def run_import(runner, tmp_path, text, name="plan.csv", encoding="utf-8", *extra):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return runner.invoke(args=["plan", "import", str(path), *extra])


def count_items():
    return db.session.scalar(sa.select(sa.func.count()).select_from(PlanItem))


def test_imports_csv_with_bom(runner, tmp_path):
    result = run_import(runner, tmp_path, "\ufeff" + GOOD)
    assert result.exit_code == 0, result.output
    assert "4 created" in result.output
    project = db.session.scalar(sa.select(PlanItem).filter_by(code="1.1.1.1"))
    assert project.kind == ItemKind.PROJECT
    assert project.parent.code == "1.1.1"
    assert float(project.previous_progress) == 65
    assert project.search_key.startswith("1.1.1.1 ")


def test_persian_kind_names(runner, tmp_path):
    text = (GOOD.replace(",goal,", ",هدف,").replace(",strategy,", ",راهبرد,").replace(",policy,", ",سیاست,")
            .replace(",project,", ",طرح,"))
    assert run_import(runner, tmp_path, text).exit_code == 0
    assert count_items() == 4


def test_imports_xlsx_and_json(runner, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    for line in GOOD.strip().split("\n"):
        sheet.append(line.split(","))
    workbook.save(tmp_path / "plan.xlsx")
    assert runner.invoke(args=["plan", "import", str(tmp_path / "plan.xlsx"), "--plan", "x"]).exit_code == 0
    rows = [dict(zip(HEADER.strip().split(","), line.split(","))) for line in GOOD.strip().split("\n")[1:]]
    result = run_import(runner, tmp_path, json.dumps(rows, ensure_ascii=False), "plan.json", "utf-8", "--plan", "y")
    assert result.exit_code == 0, result.output
    assert count_items() == 8


@pytest.mark.parametrize(("change", "row", "column", "english"), [
    (lambda t: t.replace("1.1.1.1,1.1.1,", "1.1.1.1,9.9,"), 5, "parent_code", "unknown parent"),
    (lambda t: t + "1.1,1,strategy,تکراری,,\n", 6, "code", "duplicate code"),
    (lambda t: t.replace("1.1.1,1.1,policy", "1.1.1,1,policy"), 4, "kind", "cannot sit under"),
    (lambda t: t.replace("زائرسرای پردیسان", ""), 5, "title", "title is empty"),
    (lambda t: t.replace(",strategy,", ",chapter,"), 3, "kind", "unknown kind"),
    (lambda t: t.replace(",۶۵", ",140"), 5, "previous_progress", "0 to 100"),
    (lambda t: t.replace("1,,goal", "1,1.1.1.1,goal"), 2, "parent_code", "cycle"),
    (lambda t: t.replace("شرح هدف", "شرح\x07هدف"), 2, "description", "control characters"),
    (lambda t: t.replace("خدمات زائران", "خدمات\u202eزائران"), 3, "title", "control characters"),
])
def test_refusals_name_row_and_column_and_import_nothing(runner, tmp_path, change, row, column, english):
    result = run_import(runner, tmp_path, change(GOOD))
    assert result.exit_code == 2
    assert english in result.output
    assert f"row {row}" in result.output and f"column {column}" in result.output
    assert "ردیف" in result.output
    assert "Traceback" not in result.output
    assert count_items() == 0


def test_unreadable_files_exit_2_with_one_line(runner, tmp_path):
    for name, data in [("plan.csv", GOOD.encode("cp1256", errors="replace")), ("plan.xlsx", b"not a zip"),
                       ("plan.json", b"{oops"), ("plan.csv", b"")]:
        result = run_import(runner, tmp_path, data, name)
        assert result.exit_code == 2, (name, result.output)
        assert len(result.output.strip().splitlines()) == 1
    assert run_import(runner, tmp_path, "code,title\n1,x\n").exit_code == 2
    assert runner.invoke(args=["plan", "import", str(tmp_path / "missing.csv")]).exit_code == 2


def test_reimport_updates_in_place_and_keeps_commented_items(runner, tmp_path, factory):
    assert run_import(runner, tmp_path, GOOD).exit_code == 0
    project = db.session.scalar(sa.select(PlanItem).filter_by(code="1.1.1.1"))
    first_id = project.id
    consultation = factory.make_consultation(project.plan)
    factory.make_comment(consultation, factory.make_user(), project)
    renamed = GOOD.replace("زائرسرای پردیسان", "زائرسرای بزرگ پردیسان")
    assert run_import(runner, tmp_path, renamed).exit_code == 0
    project = db.session.scalar(sa.select(PlanItem).filter_by(code="1.1.1.1"))
    assert project.id == first_id and project.title == "زائرسرای بزرگ پردیسان"
    # Dropping a commented project from the file keeps it, even with --prune.
    shorter = "\n".join(GOOD.strip().split("\n")[:-1]) + "\n"
    result = run_import(runner, tmp_path, shorter, "plan.csv", "utf-8", "--prune")
    assert result.exit_code == 0 and "1 kept" in result.output
    assert db.session.get(PlanItem, first_id) is not None


def test_prune_deletes_uncommented_items(runner, tmp_path):
    assert run_import(runner, tmp_path, GOOD).exit_code == 0
    shorter = "\n".join(GOOD.strip().split("\n")[:-1]) + "\n"
    result = run_import(runner, tmp_path, shorter, "plan.csv", "utf-8", "--prune")
    assert "1 deleted" in result.output
    assert count_items() == 3


def test_child_before_parent_is_fine():
    lines = GOOD.strip().split("\n")
    reordered = "\n".join([lines[0], *reversed(lines[1:])]) + "\n"
    rows = importer.parse_plan_file(reordered.encode(), "plan.csv")
    assert [r.code for r in rows][0] == "1.1.1.1"


def test_parse_reports_every_problem():
    bad = GOOD.replace("قم شهر زیارت", "").replace(",strategy,", ",x,")
    with pytest.raises(ImportRefused) as caught:
        importer.parse_plan_file(bad.encode(), "plan.csv")
    assert len(caught.value.problems) == 2


def test_kind_spellings_share_parse_choice(runner, tmp_path):
    # English in any case, the Persian label, and the older word «پروژه» for a project
    text = GOOD.replace(",goal,", ",Goal,").replace(",project,", ",پروژه,")
    assert run_import(runner, tmp_path, text).exit_code == 0
    assert count_items() == 4


def test_unclosed_quote_is_refused_naming_its_row(runner, tmp_path):
    result = run_import(runner, tmp_path, GOOD.replace(",شرح راهبرد,", ',"شرح راهبرد,'))
    assert result.exit_code == 2, result.output
    assert "row 3, column description" in result.output and "quote" in result.output
    assert count_items() == 0


@pytest.mark.parametrize(("change", "row", "column"), [
    (lambda t: t.replace(",۶۵", ",NaN"), 5, "previous_progress"),
    (lambda t: t.replace(",۶۵", ",sNaN"), 5, "previous_progress"),
    (lambda t: t.replace("1.1.1.1,1.1.1,", "9/2,1.1.1,"), 5, "code"),
    (lambda t: t.replace("1.1.1.1,1.1.1,", "..,1.1.1,"), 5, "code"),
    (lambda t: t.replace("1.1.1.1,1.1.1,", "1.1.1.,1.1.1,"), 5, "code"),
    (lambda t: t.replace("1.1.1.1,1.1.1,", "1.1.1.1\u200c,1.1.1,"), 5, "code"),
    (lambda t: t.replace("1.1.1.1,1.1.1,", "1" * 51 + ",1.1.1,"), 5, "code"),
    (lambda t: t.replace("زائرسرای پردیسان", "ب" * 501), 5, "title"),
])
def test_bad_values_exit_2_with_one_line(runner, tmp_path, change, row, column):
    result = run_import(runner, tmp_path, change(GOOD))
    assert result.exit_code == 2, result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert f"row {row}" in result.output and f"column {column}" in result.output
    assert count_items() == 0


def test_codes_of_letters_and_digits_between_dots_import(runner, tmp_path):
    text = GOOD.replace("1.1.1.1,1.1.1,", "1.1.1.A2,1.1.1,")
    assert run_import(runner, tmp_path, text).exit_code == 0
    assert db.session.scalar(sa.select(PlanItem).filter_by(code="1.1.1.A2")) is not None


def json_rows():
    return [dict(zip(HEADER.strip().split(","), line.split(","))) for line in GOOD.strip().split("\n")[1:]]


@pytest.mark.parametrize(("payload", "expected"), [
    ('[{"code": "1", "title": "\\ud800", "kind": "goal", "parent_code": "", "description": ""}]', "surrogate"),
    ("[" * 100_000 + "]" * 100_000, "unreadable JSON"),
    ('[{"code": ' + "9" * 5000 + "}]", "unreadable JSON"),
])
def test_unreadable_json_exits_2_with_one_line(runner, tmp_path, payload, expected):
    result = run_import(runner, tmp_path, payload, "plan.json")
    assert result.exit_code == 2, result.output
    assert len(result.output.strip().splitlines()) == 1 and expected in result.output
    assert count_items() == 0


def test_json_value_that_is_not_text_is_refused_naming_record_and_key(runner, tmp_path):
    rows = json_rows()
    rows[1]["title"] = {"nested": [1, 2]}
    result = run_import(runner, tmp_path, json.dumps(rows, ensure_ascii=False), "plan.json")
    assert result.exit_code == 2, result.output
    assert "row 3, column title" in result.output and "text or a number" in result.output
    assert count_items() == 0


def test_json_record_missing_a_key_is_refused_naming_it(runner, tmp_path):
    rows = json_rows()
    del rows[2]["title"]
    result = run_import(runner, tmp_path, json.dumps(rows, ensure_ascii=False), "plan.json")
    assert result.exit_code == 2, result.output
    assert "row 4, column title" in result.output and "Traceback" not in result.output
    assert count_items() == 0


def test_json_numbers_and_missing_optional_keys_are_fine(runner, tmp_path):
    rows = json_rows()
    rows[3]["previous_progress"] = 65
    for row in rows[:3]:
        del row["previous_progress"]
    result = run_import(runner, tmp_path, json.dumps(rows, ensure_ascii=False), "plan.json")
    assert result.exit_code == 0, result.output
    assert float(db.session.scalar(sa.select(PlanItem.previous_progress).filter_by(code="1.1.1.1"))) == 65


def test_quote_open_past_the_field_size_limit_names_its_row(runner, tmp_path):
    long_tail = "".join(f"9.{i},1,strategy,ردیف {i},شرح,\n" for i in range(6000))  # past 131,072 characters
    result = run_import(runner, tmp_path, GOOD.replace(",شرح راهبرد,", ',"شرح راهبرد,') + long_tail)
    assert result.exit_code == 2, result.output
    assert "row 3" in result.output and len(result.output.strip().splitlines()) == 1
    assert count_items() == 0


@pytest.mark.parametrize("change", [
    lambda t: t.replace("1.1.1.1,1.1.1,", '"1.1\n1.1",1.1.1,'),
    lambda t: t.replace(",strategy,", ',"str\nategy",'),
    lambda t: t.replace("1.1.1.1,1.1.1,", '1.1.1.1,"1.1\n.1",'),
])
def test_a_line_break_in_a_quoted_value_keeps_the_message_on_one_line(runner, tmp_path, change):
    result = run_import(runner, tmp_path, change(GOOD))
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1 and "\\n" in result.output
    assert count_items() == 0


@pytest.mark.parametrize(("option", "english"), [
    (["--plan", "p" * 101], "--plan is longer"), (["--title", "ع" * 301], "--title is longer"),
    (["--title", "نام\x00"], "--title: text contains control characters"),
    (["--title", "نام\tبرنامه"], "--title: a line break or tab"),
    (["--plan", "plan\n"], "--plan: a line break or tab"),
])
def test_plan_slug_and_title_options_are_checked(runner, tmp_path, option, english):
    result = run_import(runner, tmp_path, GOOD, "plan.csv", "utf-8", *option)
    assert result.exit_code == 2, result.output
    assert english in result.output and len(result.output.strip().splitlines()) == 1
    assert count_items() == 0


def test_codes_typed_with_persian_or_arabic_digits_are_the_same_codes(runner, tmp_path):
    assert run_import(runner, tmp_path, GOOD).exit_code == 0
    ids = dict(db.session.execute(sa.select(PlanItem.code, PlanItem.id)).all())
    persian = GOOD.replace("1.1.1.1,1.1.1,", "۱.۱.۱.۱,١.١.١,").replace("1.1,1,", "۱.۱,۱,")
    result = run_import(runner, tmp_path, persian.replace("زائرسرای پردیسان", "زائرسرای تازه"))
    assert result.exit_code == 0, result.output
    assert "0 created" in result.output and "4 updated" in result.output
    assert dict(db.session.execute(sa.select(PlanItem.code, PlanItem.id)).all()) == ids
    assert db.session.get(PlanItem, ids["1.1.1.1"]).title == "زائرسرای تازه"


def test_nine_in_four_scripts_is_one_goal_or_a_refusal(runner, tmp_path):
    same = HEADER + "9,,goal,الف,,\n۹,,goal,ب,,\n"
    result = run_import(runner, tmp_path, same)
    assert result.exit_code == 2 and "row 3" in result.output and "duplicate code '9'" in result.output
    for numeral in ("Ⅸ", "९", "９", "²"):
        result = run_import(runner, tmp_path, HEADER + f"1,,goal,الف,,\n1.{numeral},1,strategy,ب,,\n")
        assert result.exit_code == 2, result.output
        assert "row 3" in result.output and "column code" in result.output and f"U+{ord(numeral):04X}" in result.output
        result = run_import(runner, tmp_path, HEADER + f"1,,goal,الف,,\n1.1,{numeral},strategy,ب,,\n")
        assert "row 3" in result.output and "column parent_code" in result.output
    assert count_items() == 0


def test_json_key_missing_from_every_record_names_the_first_record_as_row_2(runner, tmp_path):
    rows = json_rows()[:1]
    del rows[0]["title"]
    result = run_import(runner, tmp_path, json.dumps(rows, ensure_ascii=False), "plan.json")
    assert result.exit_code == 2, result.output
    assert "row 2, column title" in result.output and "ردیف ۲، ستون title" in result.output
    assert "ردیف ۱" not in result.output


def test_json_true_or_false_is_refused_as_not_text(runner, tmp_path):
    rows = json_rows()
    rows[0]["code"] = True
    result = run_import(runner, tmp_path, json.dumps(rows, ensure_ascii=False), "plan.json")
    assert result.exit_code == 2, result.output
    assert "row 2, column code" in result.output and "not true or false" in result.output
    assert "list or object" not in result.output and "فهرست" not in result.output


def test_a_plan_slug_that_names_no_plan_says_a_new_plan_was_created(runner, tmp_path):
    first = run_import(runner, tmp_path, GOOD)
    assert first.exit_code == 0 and "new plan 'qom-third-plan' created" in first.output
    again = run_import(runner, tmp_path, GOOD)
    assert again.exit_code == 0 and "new plan" not in again.output
    typo = run_import(runner, tmp_path, GOOD, "plan.csv", "utf-8", "--plan", "third-plan")
    assert typo.exit_code == 0
    assert "new plan 'third-plan' created; existing plans: qom-third-plan" in typo.output
