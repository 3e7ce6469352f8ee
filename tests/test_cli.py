import subprocess
import sys

from conftest import GOOD_ROW, make_client, write_csv

from bpo_kit.cli import main


def test_validate_ok_prints_a_summary(capsys):
    assert main(["validate", "data/clients/demo"]) == 0
    out = capsys.readouterr().out
    assert "client.yaml: ok (Harbor & Pine Outfitters)" in out
    assert "inventory.csv: 62 processes, 437.0 FTE, annual cost 37,670,000" in out


def test_validate_lists_every_problem_and_exits_1(tmp_path, capsys):
    bad = list(GOOD_ROW)
    bad[0] = "P-2"
    bad[3] = "-2"
    bad[6] = "9"
    path = write_csv(tmp_path / "inv.csv", [GOOD_ROW, bad])
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "inv.csv, row 3, column fte: -2 is negative; expected a number >= 0"
    assert err[1].startswith("inv.csv, row 3, column strategic_importance: '9' is outside 1 to 5")
    assert err[-1] == "inv.csv: 2 problem(s) on 1 row(s); 1 row(s) are fine"


def test_validate_reports_defaults(tmp_path, capsys):
    path = write_csv(tmp_path / "inv.csv", [GOOD_ROW])
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "default applied: interdependence = 3 on 1 row(s)" in out
    assert "default applied: coverage = business_hours on 1 row(s)" in out


def test_user_mistakes_never_show_a_traceback(tmp_path):
    folder = make_client(tmp_path / "c", [GOOD_ROW], extra_yaml="colour: blue\n")
    for args in (
        ["validate", str(folder)],
        ["run", str(folder), "--out", str(tmp_path / "out")],
        ["validate", str(tmp_path / "nope.csv")],
        ["template", str(tmp_path / "t.txt")],
    ):
        proc = subprocess.run([sys.executable, "-m", "bpo_kit.cli", *args], capture_output=True, text=True)
        assert proc.returncode == 1, args
        assert "Traceback" not in proc.stderr, proc.stderr
        assert proc.stderr.strip(), args
    assert not (tmp_path / "out" / "c").exists()


def test_template_writes_and_refuses_to_overwrite(tmp_path, capsys):
    target = tmp_path / "inv.xlsx"
    assert main(["template", str(target)]) == 0
    assert target.stat().st_size > 0
    assert main(["template", str(target)]) == 1
    assert "already exists" in capsys.readouterr().err
