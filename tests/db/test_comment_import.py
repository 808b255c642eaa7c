"""Comment import: all rows or none; authors become password-less experts and participants."""
from datetime import datetime

import pytest
import sqlalchemy as sa

from consult.auth.models import Role, User
from consult.extensions import db
from consult.feedback.models import Comment, Stance

HEADER = ("author_email,author_name,affiliation,plan_item_code,stance,body,amendment,submitted_at,"
          "importance,feasibility\n")
GOOD = HEADER + (
    "a.karimi@example.ir,علی کریمی,academic,1.1.1.1,agree,ساخت زائرسرا در پردیسان ضروري است.,,2026-11-01T10:00:00,5,3\n"
    "a.karimi@example.ir,علی کریمی,academic,,disagree,برنامه به کم‌آبی بی‌توجه است.,,۱۴۰۵/۰۸/۲۰,,\n"
    "m.sadeghi@example.ir,محمد صادقی,حوزوی,1.1.1.2,اصلاحی,پارکینگ باید زیرزمینی باشد.,پارکینگ طبقاتی زیرزمینی,,4,\n"
)


@pytest.fixture
def consultation(factory):
    return factory.make_consultation(slug="round")


def run_import(runner, tmp_path, text):
    path = tmp_path / "comments.csv"
    path.write_text(text, encoding="utf-8")
    return runner.invoke(args=["feedback", "import", str(path), "--consultation", "round"])


def comment_count():
    return db.session.scalar(sa.select(sa.func.count()).select_from(Comment))


def test_imports_rows_authors_and_ratings(runner, tmp_path, consultation):
    result = run_import(runner, tmp_path, GOOD)
    assert result.exit_code == 0, result.output
    assert comment_count() == 3
    author = db.session.scalar(sa.select(User).filter_by(email="a.karimi@example.ir"))
    assert author.role == Role.EXPERT and author.password_hash is None
    assert any(p.consultation_id == consultation.id for p in author.participations)
    first = db.session.scalar(sa.select(Comment).where(Comment.author_id == author.id, Comment.item_id.is_not(None)))
    assert first.body == "ساخت زائرسرا در پردیسان ضروري است."  # kept as written
    assert "ضروری" in first.body_normalized
    assert sorted(r.score for r in first.ratings) == [3, 5]
    amend = db.session.scalar(sa.select(Comment).filter_by(stance=Stance.AMEND))
    assert amend.amendment == "پارکینگ طبقاتی زیرزمینی"


@pytest.mark.parametrize(("change", "row", "column"), [
    (lambda t: t.replace("1.1.1.2,", "9.9.9,"), 4, "plan_item_code"),
    (lambda t: t.replace(",agree,", ",maybe,"), 2, "stance"),
    (lambda t: t.replace(",5,3", ",7,3"), 2, "importance"),
    (lambda t: t.replace("پارکینگ طبقاتی زیرزمینی", ""), 4, "amendment"),
    (lambda t: t.replace("a.karimi@example.ir,علی کریمی,academic,,", "not-an-email,علی کریمی,academic,,"),
     3, "author_email"),
    (lambda t: t.replace("2026-11-01T10:00:00", "دیروز"), 2, "submitted_at"),
    (lambda t: t.replace(",academic,1.1.1.1", ",martian,1.1.1.1"), 2, "affiliation"),
])
def test_refusals_import_nothing(runner, tmp_path, consultation, change, row, column):
    result = run_import(runner, tmp_path, change(GOOD))
    assert result.exit_code == 2, result.output
    assert f"row {row}" in result.output and f"column {column}" in result.output
    assert comment_count() == 0
    assert db.session.scalar(sa.select(User).filter_by(email="m.sadeghi@example.ir")) is None


def test_second_row_same_author_and_item_names_both_rows(runner, tmp_path, consultation):
    text = GOOD + "a.karimi@example.ir,علی کریمی,academic,1.1.1.1,agree,دوباره همین بند.,,,,\n"
    result = run_import(runner, tmp_path, text)
    assert result.exit_code == 2
    assert "rows 2 and 5" in result.output
    assert comment_count() == 0


def test_unknown_consultation(runner, tmp_path):
    result = run_import(runner, tmp_path, GOOD)
    assert result.exit_code == 2
    assert "no consultation" in result.output


# --- the same comment rules as the web form -----------------------------------------------------------

def with_row(body="متن نظری که به‌اندازهٔ کافی بلند است.", stance="agree", amendment="", extra=""):
    return HEADER + f"n.ahmadi@example.ir,نرگس احمدی,academic,1.1.1.1,{stance},{body},{amendment},,,{extra}\n"


@pytest.mark.parametrize(("body", "message"), [
    ("کوتاه است", "shorter than 10 characters"),        # 9 characters: the web's minimum is 10
    ("   کوتاه   ", "shorter than 10 characters"),      # surrounding spaces do not count
    ("ب" * 5001, "longer than 5,000 characters"),
])
def test_import_refuses_what_the_web_refuses(runner, tmp_path, consultation, body, message):
    result = run_import(runner, tmp_path, with_row(body=body))
    assert result.exit_code == 2, result.output
    assert "row 2" in result.output and "column body" in result.output and message in result.output
    assert comment_count() == 0


def test_import_counts_length_as_the_web_does(runner, tmp_path, consultation):
    # 5,000 characters as the writer sees them; a CR LF line break counts once, as in the web form
    body = '"' + ("ب" * 99 + "\r\n") * 50 + '"'
    result = run_import(runner, tmp_path, with_row(body=body))
    assert result.exit_code == 0, result.output
    assert comment_count() == 1


def test_import_ten_characters_is_enough(runner, tmp_path, consultation):
    assert run_import(runner, tmp_path, with_row(body="ده نویسه‌ا")).exit_code == 0
    assert comment_count() == 1


def test_import_accepts_the_older_spellings(runner, tmp_path, consultation):
    text = HEADER + (
        "n.ahmadi@example.ir,نرگس احمدی,اجرایی,1.1.1.1,اصلاح,متن نظری که به‌اندازهٔ کافی بلند است.,متن پیشنهادی,,,\n"
        "r.mousavi@example.ir,رضا موسوی,,1.1.1.2,Disagree,متن نظری که به‌اندازهٔ کافی بلند است.,,1405-08-20 14:30,,\n"
    )
    result = run_import(runner, tmp_path, text)
    assert result.exit_code == 0, result.output
    amend = db.session.scalar(sa.select(Comment).filter_by(stance=Stance.AMEND))
    assert amend.author.affiliation.value == "executive"
    disagree = db.session.scalar(sa.select(Comment).filter_by(stance=Stance.DISAGREE))
    assert disagree.author.affiliation.value == "other"
    assert disagree.created_at == datetime(2026, 11, 11, 11, 0)  # 14:30 in Tehran


def test_import_refuses_a_gregorian_date_written_with_slashes(runner, tmp_path, consultation):
    text = with_row().replace(",,,\n", ",2026/11/20,,\n")
    result = run_import(runner, tmp_path, text)
    assert result.exit_code == 2 and "column submitted_at" in result.output


# --- a quote left open swallows the rows after it ------------------------------------------------------

@pytest.mark.parametrize("text", [
    GOOD.replace(",برنامه به کم‌آبی", ',"برنامه به کم‌آبی'),  # row 3 of 4: swallows row 4 to the end
    GOOD.replace(",ساخت زائرسرا", ',"ساخت زائرسرا'),  # row 2: swallows rows 3 and 4
    GOOD.replace(",ساخت زائرسرا", ',"ساخت زائرسرا').replace(",پارکینگ طبقاتی زیرزمینی,", ',"پارکینگ طبقاتی",'),
], ids=["runs-to-end", "swallows-rows", "closed-by-a-later-quote"])
def test_unclosed_quote_is_refused_naming_its_row(runner, tmp_path, consultation, text):
    opened = 3 if '"برنامه' in text else 2
    result = run_import(runner, tmp_path, text)
    assert result.exit_code == 2, result.output
    assert len(result.output.strip().splitlines()) == 1
    assert f"row {opened}, column body" in result.output and "quote" in result.output and "ردیف" in result.output
    assert comment_count() == 0


def test_quoted_line_break_in_a_body_is_kept(runner, tmp_path, consultation):
    body = '"بند نخست نظر, با ویرگول\nبند دوم نظر، در سطر تازه"'
    second = "r.mousavi@example.ir,رضا موسوی,,1.1.1.2,agree,متن نظری که کافی است.,,,,\n"
    result = run_import(runner, tmp_path, with_row(body=body) + second)
    assert result.exit_code == 0, result.output
    assert comment_count() == 2
    assert db.session.scalar(sa.select(Comment.body).filter_by(stance=Stance.AGREE).where(Comment.body.contains("\n")))


@pytest.mark.parametrize(("change", "column"), [
    (lambda t: t.replace(",5,3", ",²,3"), "importance"),
    (lambda t: t.replace(",5,3", ",①,3"), "importance"),
    (lambda t: t.replace(",5,3", "," + "1" * 5000 + ",3"), "importance"),
    (lambda t: t.replace("2026-11-01T10:00:00", "0001-01-01T00:00:00+14:00"), "submitted_at"),
    (lambda t: t.replace("2026-11-01T10:00:00", "9999-12-31T23:59:59-14:00"), "submitted_at"),
    (lambda t: t.replace("2026-11-01T10:00:00", "0001-01-01T00:00:00"), "submitted_at"),
    (lambda t: t.replace("a.karimi@example.ir,علی کریمی,", "a.karimi@example.ir," + "ع" * 201 + ","), "author_name"),
])
def test_bad_values_exit_2_with_one_line(runner, tmp_path, consultation, change, column):
    result = run_import(runner, tmp_path, change(GOOD))
    assert result.exit_code == 2, result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert "row 2" in result.output and f"column {column}" in result.output
    assert comment_count() == 0


def test_json_record_missing_a_key_is_refused(runner, tmp_path, consultation):
    import json

    record = dict(zip(HEADER.strip().split(","), ["n.ahmadi@example.ir", "نرگس احمدی", "academic", "1.1.1.1",
                                                  "agree", "متن نظری که به‌اندازهٔ کافی بلند است.", "", "", "", ""]))
    missing = {k: v for k, v in record.items() if k != "stance"}
    path = tmp_path / "comments.json"
    path.write_text(json.dumps([record, missing], ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(args=["feedback", "import", str(path), "--consultation", "round"])
    assert result.exit_code == 2, result.output
    assert "row 3, column stance" in result.output and "Traceback" not in result.output
    assert comment_count() == 0


def test_item_codes_in_other_numerals_are_refused(runner, tmp_path, consultation):
    result = run_import(runner, tmp_path, GOOD.replace(",1.1.1.1,agree", ",1.1.1.Ⅰ,agree"))
    assert result.exit_code == 2 and "row 2" in result.output and "column plan_item_code" in result.output


def test_item_codes_in_persian_digits_find_the_item(runner, tmp_path, consultation):
    result = run_import(runner, tmp_path, GOOD.replace(",1.1.1.1,agree", ",۱.١.۱.۱,agree"))
    assert result.exit_code == 0, result.output
    assert db.session.scalar(sa.select(Comment.item_id).filter(Comment.item_id.isnot(None))
                             .order_by(Comment.id)) == factory_item(consultation, "1.1.1.1").id


def factory_item(consultation, code):
    from consult.plan.models import PlanItem

    return db.session.scalar(sa.select(PlanItem).filter_by(plan_id=consultation.plan_id, code=code))
