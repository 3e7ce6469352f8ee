import subprocess
import sys

import pytest
from helpers import GOOD_ROW, copy_demo, edit_client, make_client, replace_in, write_csv

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


# --- validate checks everything a run reads --------------------------------------------------------------


def test_validate_prints_every_file_a_run_reads(tmp_path, capsys):
    folder = copy_demo(tmp_path / "acme")
    assert main(["validate", str(folder)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "client.yaml: ok (Harbor & Pine Outfitters)",
        "inventory.csv: 62 processes, 437.0 FTE, annual cost 37,670,000",
        "  default applied: onsite_share = 0.0 on 62 row(s)",
        "  extra columns kept: process_owner, apqc_pcf",
        "rates.csv: 15 price(s)",
        "vendors.csv: 5 provider(s)",
        "kpis.csv: 168 KPI report row(s)",
    ]


def test_a_vendor_score_of_9_fails_validate_with_the_run_s_message(tmp_path, capsys):
    folder = copy_demo(tmp_path / "acme")
    replace_in(folder / "vendors.csv", "Pura Vida Contact,CR; CO,4,", "Pura Vida Contact,CR; CO,9,")
    assert main(["validate", str(folder)]) == 1
    err = capsys.readouterr().err.splitlines()
    expected = (
        "vendors.csv, row 2, column business_objectives: '9' is outside 1 to 5; expected a whole number from 1 to 5"
    )
    assert err == [expected, "1 file(s) with problems; a run would stop on them"]
    # the run stops on the very same line
    from bpo_kit.errors import InputFileError
    from bpo_kit.providers import load_vendors

    with pytest.raises(InputFileError) as exc:
        load_vendors(folder / "vendors.csv")
    assert exc.value.problems == [expected]


def test_validate_checks_rates_and_kpis_and_a_kpi_file_named_with_row_in_it(tmp_path, capsys):
    folder = copy_demo(tmp_path / "acme")
    replace_in(folder / "rates.csv", "PL,back_office_transactional,38000,EUR", "PL,back_office_transactional,38000,XYZ")
    kpis = (folder / "kpis.csv").read_text().splitlines()
    kpis[3] = kpis[3].replace("2025-11", "2025-13")
    kpis[1] = kpis[1].replace(",higher,", ",sideways,")
    (folder / "kpi row data.csv").write_text("\n".join(kpis) + "\n")
    (folder / "kpis.csv").unlink()
    edit_client(folder, kpis="kpi row data.csv")
    assert main(["validate", str(folder)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(
        "rates.csv, row 3, column currency: 'XYZ' has no exchange rate in the kit; expected one of "
    )
    assert err[1:] == [
        "kpi row data.csv, row 2, column direction: 'sideways' is neither higher nor lower; expected higher or lower "
        "(which is better)",
        "kpi row data.csv, row 4, column month: '2025-13' is not a month; expected a month as YYYY-MM, e.g. 2026-03",
        "2 file(s) with problems; a run would stop on them",
    ]


def test_validate_refuses_a_file_outside_the_folder_without_showing_it(tmp_path):
    (tmp_path / "secret.csv").write_text("root:x:0:0:root:/root:/bin/bash\n")
    folder = make_client(tmp_path / "c", [GOOD_ROW], vendors="../secret.csv")
    proc = subprocess.run(
        [sys.executable, "-m", "bpo_kit.cli", "validate", str(folder)], capture_output=True, text=True
    )
    assert proc.returncode == 1
    assert proc.stderr == (
        "error: client.yaml: key 'vendors': '../secret.csv' leads out of the client folder (..); "
        "expected the name of a file inside the client folder\n"
    )
    assert "root:x" not in proc.stdout + proc.stderr


def test_validate_says_when_a_file_was_read_as_windows_1252(tmp_path, capsys):
    folder = copy_demo(tmp_path / "acme")
    text = (folder / "vendors.csv").read_text().replace("Pura Vida Contact", "Pura Vida Contáct")
    (folder / "vendors.csv").write_bytes(text.encode("cp1252"))
    assert main(["validate", str(folder)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert (
        "note: vendors.csv: not UTF-8, read as Windows-1252 (Excel's plain CSV); check accented names, or save it "
        "as 'CSV UTF-8' to be sure"
    ) in out
