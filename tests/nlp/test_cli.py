"""python -m consult.nlp: happy paths on tiny files and one-line errors with status 2."""
import csv
import subprocess
import sys
from pathlib import Path

import pytest

from consult.nlp.__main__ import main

FIXTURES = Path(__file__).with_name("fixtures")
PLAN = str(FIXTURES / "link_plan.csv")
COMMENTS = str(FIXTURES / "link_comments.csv")
TEXTS = [
    "قطار شهری خط دو دیر افتتاح می‌شود", "ایستگاه‌های مترو نیمه‌کاره مانده‌اند", "واگن مترو کم است",
    "پارک محله ما آب ندارد", "درختان بوستان خشک شده‌اند", "فضای سبز محله کم است",
    "زباله‌ها دیر جمع می‌شوند", "سطل تفکیک زباله نداریم", "بازیافت پسماند ضعیف است",
]


def _write(path: Path, header: list[str], rows: list[list[str]], encoding: str = "utf-8") -> str:
    with open(path, "w", encoding=encoding, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return str(path)


def _read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _error_line(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    return err


@pytest.fixture
def texts_csv(tmp_path) -> str:
    return _write(tmp_path / "texts.csv", ["id", "text", "label"],
                  [[f"t{i}", text, str(i // 3)] for i, text in enumerate(TEXTS)])


def test_link_writes_ranked_suggestions(tmp_path, capsys):
    out = tmp_path / "links.csv"
    assert main(["link", "--items", PLAN, "--comments", COMMENTS, "--top", "2", "-o", str(out)]) == 0
    rows = _read(out)
    assert list(rows[0]) == ["id", "rank", "item_code", "score"]
    assert len(rows) == 2 * 24
    assert [r["rank"] for r in rows[:2]] == ["1", "2"]
    assert float(rows[0]["score"]) >= float(rows[1]["score"])
    assert "12 filed comments" in capsys.readouterr().out


def test_link_embeddings_switch(tmp_path, capsys, monkeypatch):
    out = str(tmp_path / "links.csv")
    assert main(["link", "--items", PLAN, "--comments", COMMENTS, "--embeddings", "off", "-o", out]) == 0
    assert "by words only" in capsys.readouterr().out
    monkeypatch.setenv("CONSULT_EMBEDDINGS", "bogus")
    assert main(["link", "--items", PLAN, "--comments", COMMENTS, "-o", out]) == 2
    assert capsys.readouterr().err.strip().startswith("error: unknown embedder 'bogus'")


def test_duplicates_writes_groups(tmp_path):
    body = "لطفاً ایستگاه‌های خط دوم قطار شهری را زودتر به بهره‌برداری برسانید چون مردم منتظرند"
    src = _write(tmp_path / "d.csv", ["id", "text"],
                 [["a", body], ["b", "متن دیگری درباره پارک"], ["c", "با سلام " + body + " با تشکر"]])
    out = tmp_path / "groups.csv"
    assert main(["duplicates", src, "--text-column", "text", "-o", str(out)]) == 0
    assert _read(out) == [{"group": "1", "id": "a"}, {"group": "1", "id": "c"}]


def test_duplicates_without_id_uses_row_numbers(tmp_path):
    src = _write(tmp_path / "d.csv", ["body"], [["موافقم"], ["مخالفم"], ["موافقم"]])
    out = tmp_path / "groups.csv"
    assert main(["duplicates", src, "--text-column", "body", "-o", str(out)]) == 0
    assert [r["id"] for r in _read(out)] == ["1", "3"]


def test_bom_is_tolerated(tmp_path):
    src = _write(tmp_path / "bom.csv", ["text"], [["موافقم"], ["موافقم"]], encoding="utf-8-sig")
    assert main(["duplicates", src, "-o", str(tmp_path / "o.csv")]) == 0


def test_cluster_and_evaluate(texts_csv, tmp_path, capsys):
    pytest.importorskip("consult.nlp.cluster")
    out = tmp_path / "topics.csv"
    assert main(["cluster", texts_csv, "--k", "3", "--seed", "1", "-o", str(out)]) == 0
    rows = _read(out)
    assert list(rows[0]) == ["id", "text", "label", "topic", "topic_label"]
    assert len(rows) == len(TEXTS) and all(r["topic_label"] for r in rows)
    assert main(["evaluate", texts_csv, "--label-column", "label", "--k", "3"]) == 0
    assert "NMI" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["duplicates", "{dir}/missing.csv", "-o", "{dir}/o.csv"], "not found"),
        (["duplicates", "{texts}", "--text-column", "body", "-o", "{dir}/o.csv"], "missing column body"),
        (["duplicates", "{empty}", "-o", "{dir}/o.csv"], "empty file"),
        (["duplicates", "{header_only}", "-o", "{dir}/o.csv"], "no data rows"),
        (["duplicates", "{cp1256}", "-o", "{dir}/o.csv"], "not UTF-8"),
        (["cluster", "{texts}", "--k", "five", "-o", "{dir}/o.csv"], "--k"),
        (["evaluate", "{texts}", "--k", "0"], "--k"),
        (["evaluate", "{texts}", "--label-column", "gold"], "missing column gold"),
        (["link", "--items", "{texts}", "--comments", "{texts}", "-o", "{dir}/o.csv"], "missing column code"),
        (["link", "--items", PLAN, "--comments", COMMENTS, "--top", "x", "-o", "{dir}/o.csv"], "--top"),
        (["link", "--items", PLAN, "--comments", COMMENTS, "-o", "{dir}/no/such/dir/o.csv"], "cannot write"),
        (["frobnicate"], "invalid choice"),
        (["duplicates", "{texts}", "--threshold", "nan", "-o", "{dir}/o.csv"], "from 0 to 1"),
        (["duplicates", "{texts}", "--threshold", "-5", "-o", "{dir}/o.csv"], "from 0 to 1"),
        (["duplicates", "{texts}", "--threshold", "7", "-o", "{dir}/o.csv"], "from 0 to 1"),
        (["duplicates", "{texts}", "--threshold", "inf", "-o", "{dir}/o.csv"], "from 0 to 1"),
    ],
)
def test_bad_input_is_one_line_and_status_2(argv, needle, tmp_path, texts_csv, capsys):
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "header.csv").write_text("id,text\n", encoding="utf-8")
    (tmp_path / "cp1256.csv").write_bytes("id,text\n1,نظر من درباره مترو\n".encode("cp1256"))
    names = {"dir": str(tmp_path), "texts": texts_csv, "empty": str(tmp_path / "empty.csv"),
             "header_only": str(tmp_path / "header.csv"), "cp1256": str(tmp_path / "cp1256.csv")}
    assert main([arg.format(**names) for arg in argv]) == 2
    assert needle in _error_line(capsys)


def test_module_entry_point_exit_status(tmp_path):
    result = subprocess.run([sys.executable, "-m", "consult.nlp", "duplicates", str(tmp_path / "none.csv"),
                             "-o", str(tmp_path / "o.csv")], capture_output=True, text=True,
                            cwd=Path(__file__).parents[2])
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "not found" in result.stderr
