"""The `assess` command: exit 0 on success, 1 with a message on bad input, 2 on bad usage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assess.cli.main import app

ROOT = Path(__file__).parent.parent.parent
DEFAULT = str(ROOT / "questionnaires" / "cx-maturity.yaml")
SERVICE = str(ROOT / "tests" / "questionnaires" / "service-check.yaml")
DEMO = str(ROOT / "examples" / "answers-demo-v1.csv")  # answers to version 1
NEWEST_DEMO = str(ROOT / "examples" / "answers-demo.csv")  # answers to the newest version
runner = CliRunner()


def test_validate_ok_and_broken(tmp_path: Path) -> None:
    ok = runner.invoke(app, ["validate", DEFAULT, SERVICE])
    assert ok.exit_code == 0
    assert "cx-maturity v1, 4 dimensions" in ok.output
    broken = tmp_path / "broken.yaml"
    broken.write_text(Path(SERVICE).read_text().replace("weight: 2\n", "wieght: 2\n", 1))
    result = runner.invoke(app, ["validate", str(broken)])
    assert result.exit_code == 1
    assert f"{broken}:" in result.output
    assert "unknown key 'wieght'" in result.output


def test_score_json_has_the_shape_of_the_format_document(tmp_path: Path) -> None:
    answers = tmp_path / "a.csv"
    answers.write_text(
        "respondent,team,listen-feedback,listen-nps,act-owner,share-wiki\n"
        "r1,front,6,yes,board,yes\n"
        "r2,back,2,no,nobody,no\n"
    )
    result = runner.invoke(app, ["score", "-q", SERVICE, "-a", str(answers), "-f", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert set(out) == {
        "questionnaire",
        "respondents",
        "overall",
        "dimensions",
        "groups",
        "divergence",
        "items",
        "recommendations",
    }
    # listening: r1 (2*60 + 100) / 3 = 73.33 (listen-ignore skipped, coverage 3/4)
    #            r2 (2*20 + 0) / 3 = 13.33; mean 43.33
    assert round(out["dimensions"]["listening"]["score"], 1) == 43.3
    # acting: act-speed skipped, coverage 3/4: r1 100, r2 0 -> mean 50
    assert out["dimensions"]["acting"]["score"] == 50.0
    assert out["respondents"] == 2
    assert out["groups"] == {}  # service-check has no `department` question


def test_score_table_in_german_uses_a_decimal_comma() -> None:
    result = runner.invoke(app, ["score", "-q", "cx-maturity", "-a", NEWEST_DEMO, "--lang", "de"])
    assert result.exit_code == 0, result.output
    assert "Strategie" in result.output
    assert "Vertrieb" in result.output
    assert "möglich" in result.output  # divergence the small groups may owe to chance
    scored = ["score", "-q", "cx-maturity", "-a", NEWEST_DEMO]
    figures = json.loads(runner.invoke(app, [*scored, "-f", "json"]).stdout)
    assert figures["questionnaire"]["version"] == 2  # the bundled id is its newest version
    strategy = figures["dimensions"]["strategy"]["score"]
    assert f"{strategy:.1f}".replace(".", ",") in result.output
    english = runner.invoke(app, [*scored, "--lang", "en"])
    assert "Strategy" in english.output
    assert "at least 20 points apart" in english.output  # the threshold as the file writes it
    assert "mindestens 20 Punkte auseinander" in result.output
    assert f"{strategy:.1f}" in english.output


def test_group_by_unknown_question_exits_1() -> None:
    result = runner.invoke(app, ["score", "-q", DEFAULT, "-a", DEMO, "--group-by", "region"])
    assert result.exit_code == 1
    assert "profile questions: industry" in result.output


def test_bad_answers_exit_1_with_the_cell_and_print_nothing_else(tmp_path: Path) -> None:
    answers = tmp_path / "bad.csv"
    answers.write_text("respondent,strategy-board-kpis\nr1,9\n")
    result = runner.invoke(app, ["score", "-q", DEFAULT, "-a", str(answers), "-f", "json"])
    assert result.exit_code == 1
    assert "row 2, column 'strategy-board-kpis'" in result.output
    assert "{" not in result.output


def test_usage_errors_exit_2_and_bad_input_1(tmp_path: Path) -> None:
    assert runner.invoke(app, ["score", "-q", DEFAULT, "-a", DEMO, "-f", "xml"]).exit_code == 2
    assert runner.invoke(app, ["score", "-q", DEFAULT]).exit_code == 2
    wrong_lang = runner.invoke(app, ["score", "-q", DEFAULT, "-a", DEMO, "--lang", "fr"])
    assert wrong_lang.exit_code == 1
    missing = runner.invoke(app, ["score", "-q", DEFAULT, "-a", str(tmp_path / "no.csv")])
    assert missing.exit_code == 1
    assert "cannot read file" in missing.output
    assert "Traceback" not in missing.output


def test_questionnaire_show_prints_an_outline() -> None:
    result = runner.invoke(app, ["questionnaire", "show", "cx-maturity", "--lang", "de"])
    assert result.exit_code == 0
    assert "strategy-board-kpis" in result.output
    assert "Lippenbekenntnis" in result.output


def test_report_writes_html_offline_and_refuses_bad_branding(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    made = runner.invoke(
        app,
        [
            *("report", "-q", DEFAULT, "-a", DEMO, "--lang", "de", "-o", str(out)),
            *("--organisation", "Muster GmbH", "--accent", "#0a7"),
        ],
    )
    assert made.exit_code == 0, made.output
    html = out.read_text()
    assert "Muster GmbH" in html
    assert "52,2" in html
    logo = tmp_path / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg"><use href="http://x/y"/></svg>')
    refused = tmp_path / "refused.pdf"
    for extra in (["--logo", str(logo)], ["--accent", "blue"], ["--lang", "fr"]):
        result = runner.invoke(
            app, ["report", "-q", DEFAULT, "-a", DEMO, "-o", str(refused), *extra]
        )
        assert result.exit_code == 1, extra
        assert not refused.exists()
    assert list(tmp_path.glob(".*partial")) == []


@pytest.mark.slow
def test_report_pdf_from_the_bundled_id(tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    made = runner.invoke(app, ["report", "-q", "cx-maturity", "-a", NEWEST_DEMO, "-o", str(out)])
    assert made.exit_code == 0, made.output
    assert out.read_bytes().startswith(b"%PDF")


def test_stats_prints_alpha_per_level_as_json_and_as_german_tables(tmp_path: Path) -> None:
    out = runner.invoke(app, ["stats", "-q", DEFAULT, "-a", DEMO, "--json"])
    assert out.exit_code == 0, out.output
    figures = json.loads(out.stdout)
    assert figures["respondents"] == 12
    strategy = figures["dimensions"]["strategy"]
    assert strategy["n"] == 9  # respondents who answered every strategy item
    assert 0.9 < strategy["alpha"] < 1.0
    tables = runner.invoke(app, ["stats", "-q", DEFAULT, "-a", DEMO, "--lang", "de"])
    assert tables.exit_code == 0
    assert f"alpha {strategy['alpha']:.3f}".replace(".", ",") in tables.output
    broken = tmp_path / "broken.csv"
    broken.write_text("respondent,strategy-board-kpis\nr1,9\n")
    refused = runner.invoke(app, ["stats", "-q", DEFAULT, "-a", str(broken)])
    assert refused.exit_code == 1
    assert "strategy-board-kpis" in refused.output
