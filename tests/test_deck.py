"""The summary deck: it opens, tells the story in order with action titles, shows the kit's charts as PNG pictures,
and writes client text as text, whatever the client typed."""

from __future__ import annotations

import copy
import dataclasses
import re
import subprocess
import unicodedata
import zipfile
from datetime import date
from pathlib import Path

import matplotlib as mpl
import pytest
from helpers import GOOD_ROW, HEADER, copy_demo, make_client
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from bpo_kit import style
from bpo_kit.assessment import Assessment, assess
from bpo_kit.report import deck

ON = date(2026, 11, 24)


@pytest.fixture(scope="module")
def demo_deck(demo, tmp_path_factory) -> Path:
    return deck.write_deck(demo, tmp_path_factory.mktemp("deck") / "summary.pptx", on=ON)


def renamed(a: Assessment, name: str) -> Assessment:
    """The same assessment for a client of another name."""
    client = copy.copy(a.client)
    client.config = a.client.config.model_copy(update={"name": name})
    return dataclasses.replace(a, client=client)


def titles(path: Path) -> list[str]:
    return [s.shapes.title.text_frame.text for s in Presentation(str(path)).slides]


def texts(path: Path) -> list[str]:
    """Every piece of text in the deck: text frames, table cells and speaker notes."""
    out = []
    for slide in Presentation(str(path)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                out.append(shape.text_frame.text)
            if shape.has_table:
                out.extend(cell.text_frame.text for row in shape.table.rows for cell in row.cells)
        if slide.has_notes_slide:
            out.append(slide.notes_slide.notes_text_frame.text)
    return out


def pictures(path: Path) -> list:
    return [
        shape
        for slide in Presentation(str(path)).slides
        for shape in slide.shapes
        if shape.shape_type == MSO_SHAPE_TYPE.PICTURE
    ]


def test_the_demo_deck_tells_the_story_in_order_with_action_titles(demo, demo_deck):
    prs = Presentation(str(demo_deck))
    assert [s._element.cSld.get("name") for s in prs.slides] == list(deck.SLIDE_NAMES)
    for slide in prs.slides:  # each title sits in the slide's title placeholder, as PowerPoint's outline reads it
        assert slide.shapes.title is not None and slide.shapes.title.is_placeholder

    h = deck.headline(demo)
    cur, got = h["currency"], titles(demo_deck)
    assert got[0] == "Harbor & Pine Outfitters"
    moved = h["processes_moved"]  # the sourcing plan's towers, as the executive summary counts them
    assert got[1] == (f"Moving {moved} processes saves {style.millions(h['net_savings']['p50'], cur)} over five years")
    tiers = demo.by_tier().sort_values("net_savings", ascending=False)
    assert got[2].startswith(f"{tiers['processes'].iloc[0]} of the {tiers['processes'].sum()} processes moved go ")
    steps = demo.waterfall()
    assert got[3].endswith(f"labour saving; {style.millions(steps['amount'].iloc[-1], cur)} remains")
    assert style.millions(steps["amount"].iloc[0], cur) in got[3]
    assert got[4].startswith(
        f"Nine outcomes in ten keep the net present value above {style.millions(h['npv']['p10'], cur)}"
    )
    first = demo.by_location().sort_values("net_savings", ascending=False).iloc[0]
    country = demo.profile.set_index("country").loc[first["recommended_location"], "country_name"]
    assert got[5].startswith(f"{country} takes the most work: {first['processes']} processes and ")
    assert got[6].startswith(f"{h['recommended_provider']} is the strongest bid")
    assert got[7].endswith(f"{demo.risk_register()['label'].iloc[0].lower()} leads")
    assert (
        got[8] == f"{deck.NUMBER_WORDS[len(demo.next_steps())].capitalize()} steps take the plan to a signed contract"
    )


def test_the_demo_deck_holds_its_figures_as_text_and_tables(demo, demo_deck):
    prs = Presentation(str(demo_deck))
    by_name = {s._element.cSld.get("name"): s for s in prs.slides}
    tables = [shape.table for shape in by_name["recommended moves"].shapes if shape.has_table]
    assert len(tables) == 1  # the demo has no towers yet
    rows = [[c.text_frame.text for c in r.cells] for r in tables[0].rows]
    tiers = demo.by_tier()
    assert [r[0] for r in rows] == ["Tier", *[t.capitalize() for t in tiers["tier"]], "Total"]
    assert rows[-1][1] == str(tiers["processes"].sum())
    assert rows[-1][3] == f"{tiers['net_savings'].sum() / 1e6:,.1f}"
    steps = [p.text for s in by_name["next steps"].shapes if s.has_text_frame for p in s.text_frame.paragraphs]
    assert all(step in steps for step in demo.next_steps())
    risk_rows = [shape.table for shape in by_name["risks"].shapes if shape.has_table][0].rows
    assert [r.cells[0].text_frame.text for r in list(risk_rows)[1:]] == demo.risk_register().head(5)["label"].tolist()


def test_every_picture_is_a_png_at_twice_screen_resolution_with_alt_text(demo_deck):
    with mpl.rc_context():
        style.apply()
        dpi = 2 * mpl.rcParams["figure.dpi"]
    shown = pictures(demo_deck)
    # waterfall, NPV distribution, tornado, location ranges, provider win shares
    assert len(shown) == 5
    for pic in shown:
        assert pic.image.content_type == "image/png"
        assert pic.image.blob.startswith(b"\x89PNG\r\n\x1a\n")
        assert pic.image.dpi == (round(dpi), round(dpi))
        assert len(pic._element.nvPicPr.cNvPr.get("descr", "")) > 40


def test_no_text_in_the_deck_holds_a_control_character(demo_deck):
    every = texts(demo_deck)
    assert len(every) > 100
    bad = [t for t in every if any(unicodedata.category(c) == "Cc" and c != "\n" for c in t)]
    assert bad == []


def test_the_slides_use_words_not_code_names(demo_deck):
    on_slides = []
    for slide in Presentation(str(demo_deck)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                on_slides.append(shape.text_frame.text)
            if shape.has_table:
                on_slides.extend(cell.text_frame.text for row in shape.table.rows for cell in row.cells)
    assert [t for t in on_slides if re.search(r"\b[a-z]+_[a-z_]+\b", t)] == []


def test_a_client_named_with_markup_and_control_characters_reads_as_text(demo, tmp_path):
    name = 'Acme <b>Corp</b> & "Sons"\x07\x00\x1b\nLtd'
    path = deck.write_deck(renamed(demo, name), tmp_path / "summary.pptx", on=ON)
    assert titles(path)[0] == 'Acme <b>Corp</b> & "Sons" Ltd'
    footers = [t for t in texts(path) if t.startswith("Acme")]
    assert len(footers) == len(deck.SLIDE_NAMES)  # the title and eight footers
    assert Presentation(str(path)).core_properties.title == 'Acme <b>Corp</b> & "Sons" Ltd: outsourcing assessment'
    with zipfile.ZipFile(path) as z:
        xml = z.read("ppt/slides/slide1.xml")
    assert b"&lt;b&gt;Corp&lt;/b&gt; &amp;" in xml
    assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", xml)


def test_clean_text_keeps_words_apart_and_isolates_right_to_left_text():
    assert deck.clean("Accounts\tpayable\r\nEMEA\x0bteam\x7f\x85") == "Accounts payable EMEA team "
    assert deck.clean("lone \ud800surrogate \ufffe") == "lone surrogate "
    assert deck.clean("Shop \u202eevil") == "\u2068Shop \u202eevil\u2069"
    assert deck.clean("شركة") == "\u2068شركة\u2069"


def test_the_same_assessment_and_date_give_the_same_file(demo, demo_deck, tmp_path):
    again = deck.write_deck(demo, tmp_path / "again.pptx", on=ON)
    assert again.read_bytes() == demo_deck.read_bytes()


def test_a_client_without_bids_gets_one_line_saying_what_would_fill_the_provider_slide(tmp_path):
    a = assess(copy_demo(tmp_path / "no-bids", vendors=None))
    assert a.provider_ranking() is None
    path = deck.write_deck(a, tmp_path / "summary.pptx", on=ON)
    slide = Presentation(str(path)).slides[deck.SLIDE_NAMES.index("provider")]
    assert (
        slide.shapes.title.text_frame.text == "No provider has bid yet: a tender for the recommended moves comes next"
    )
    body = [s.text_frame.text for s in slide.shapes if s.has_text_frame and s.text_frame.text.startswith("Once")]
    moved = a.headline()["processes_moved"]
    assert body == [
        "Once providers have bid, this slide ranks them on price, capability and fit for the "
        f"{moved} processes to move, and shows how robust the ranking is."
    ]
    assert not any(s.has_table for s in slide.shapes)
    assert len(pictures(path)) == 4  # no ranking chart


def test_a_client_that_moves_nothing_gets_sentences_not_empty_charts(tmp_path):
    retained = list(GOOD_ROW)
    retained[HEADER.index("strategic_importance")] = "5"  # core: kept in-house
    a = assess(make_client(tmp_path / "core-only", [retained]))
    assert a.plan["recommended_location"].notna().sum() == 0
    path = deck.write_deck(a, tmp_path / "summary.pptx", on=ON)
    got = titles(path)
    assert got[1] == "No process has a place to go yet, so there are no savings to show"
    assert got[3] == "There is no business case yet: no process has a place to go"
    assert got[6] == "No provider is needed until a process has a place to go"
    assert got[8] == f"{deck.NUMBER_WORDS[len(a.next_steps())].capitalize()} steps come next"
    assert pictures(path) == []


def test_towers_get_their_own_table_when_the_inventory_has_them(demo, tmp_path):
    towers = {"finance_accounting": "Finance", "customer_service": "Customer care"}
    processes = demo.processes.assign(tower=demo.processes["function"].map(towers).fillna(""))
    path = deck.write_deck(dataclasses.replace(demo, processes=processes), tmp_path / "summary.pptx", on=ON)
    slide = Presentation(str(path)).slides[deck.SLIDE_NAMES.index("recommended moves")]
    tables = [s.table for s in slide.shapes if s.has_table]
    assert len(tables) == 2
    rows = [[c.text_frame.text for c in r.cells] for r in tables[1].rows]
    assert rows[0][0] == "Tower"
    moved = demo.plan.dropna(subset=["recommended_location"]).merge(processes[["process_id", "tower"]])
    expected = (
        moved.assign(tower=moved["tower"].replace("", "Other (no tower given)")).groupby("tower")["process_id"].count()
    )
    assert {r[0]: int(r[1]) for r in rows[1:]} == expected.to_dict()


@pytest.mark.e2e
def test_libreoffice_opens_the_deck_and_prints_every_slide(demo_deck, tmp_path):
    profile = tmp_path / "lo-profile"  # a private profile: another soffice on the machine cannot lock ours
    result = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(demo_deck),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    pdf = tmp_path / "summary.pdf"
    assert result.returncode == 0, result.stderr
    assert pdf.exists(), result.stdout + result.stderr
    pages = re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes())
    assert len(pages) == len(deck.SLIDE_NAMES)
