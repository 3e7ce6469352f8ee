import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bpo_kit import providers as P
from bpo_kit.errors import InputFileError

SCOPE = P.Scope(fte=10.0, languages=("en", "es"), max_sensitivity=5, locations=("PH",))


def vendor(
    name, scores=(3,) * 7, price=20000.0, basis="per_fte_year", currency="USD", certs="ISO 27001", langs="en;es"
):
    row = {
        "provider": name,
        "delivery_locations": "PH",
        "price": price,
        "price_basis": basis,
        "currency": currency,
        "certifications": certs,
        "languages": langs,
    }
    row.update(dict(zip(P.SCORED, scores, strict=False)))
    return row


def test_gates_disqualify_with_the_reason_and_are_never_ranked():
    v = pd.DataFrame([vendor("Good"), vendor("NoIso", certs="SOC 2"), vendor("NoSpanish", langs="en")])
    r = P.evaluate(v, SCOPE, P.DEFAULT_WEIGHTS, "USD").set_index("provider")
    assert r.at["NoIso", "disqualified_because"] == "no ISO 27001 while processes with data sensitivity 5 are in scope"
    assert r.at["NoSpanish", "disqualified_because"] == "does not deliver in es"
    assert r["rank"].dropna().to_dict() == {"Good": 1.0}
    shares = P.win_shares(r.reset_index(), P.DEFAULT_WEIGHTS, 200, 1)
    assert shares["provider"].tolist() == ["Good"]


def test_cost_effectiveness_from_price():
    v = pd.DataFrame(
        [
            vendor("Cheap", price=10000),
            vendor("Mid", price=15000),
            vendor("Dear", price=20000),
            vendor("Total", price=150000, basis="total_per_year"),
        ]
    )
    r = P.evaluate(v, SCOPE, P.DEFAULT_WEIGHTS, "USD").set_index("provider")
    # 10 FTE in scope: 100k, 150k, 200k, 150k a year
    assert r["annual_price"].to_dict() == {"Cheap": 100000, "Mid": 150000, "Dear": 200000, "Total": 150000}
    assert r["cost_effectiveness"].to_dict() == {"Cheap": 5.0, "Mid": 3.0, "Dear": 1.0, "Total": 3.0}


def test_weighted_score_worked_by_hand():
    v = pd.DataFrame([vendor("A", scores=(5, 1, 1, 1, 1, 1, 1), price=10000)])
    weights = {c: 0.0 for c in P.CRITERIA} | {"business_objectives": 0.5, "cost_effectiveness": 0.5}
    r = P.evaluate(v, SCOPE, weights, "USD")
    assert r.at[0, "weighted_score"] == pytest.approx(5.0)  # 0.5 x 5 + 0.5 x 5 (only bid: cost-effectiveness 5)


scores = st.lists(st.integers(1, 5), min_size=7, max_size=7)


@settings(max_examples=60, deadline=None)
@given(st.lists(scores, min_size=1, max_size=4), scores, st.integers(0, 10_000))
def test_a_provider_worse_on_every_criterion_never_ranks_first(others, best, seed):
    best = [max(s, 2) for s in best]
    worse = [s - 1 for s in best]
    rows = [vendor("Best", best, price=20000), vendor("Worse", worse, price=25000)]
    rows += [vendor(f"O{i}", s, price=20000 + 100 * i) for i, s in enumerate(others)]
    r = P.evaluate(pd.DataFrame(rows), SCOPE, P.DEFAULT_WEIGHTS, "USD")
    assert r.loc[r["rank"] == 1, "provider"].item() != "Worse"
    shares = P.win_shares(r, P.DEFAULT_WEIGHTS, 300, seed).set_index("provider")["win_share"]
    assert shares["Worse"] == 0.0
    assert shares.sum() == pytest.approx(1.0)


def test_win_shares_are_seeded():
    v = pd.DataFrame([vendor("A", (5, 3, 3, 3, 3, 3, 3)), vendor("B", (3, 5, 5, 3, 3, 3, 3))])
    r = P.evaluate(v, SCOPE, P.DEFAULT_WEIGHTS, "USD")
    a = P.win_shares(r, P.DEFAULT_WEIGHTS, 1000, 3)
    b = P.win_shares(r, P.DEFAULT_WEIGHTS, 1000, 3)
    pd.testing.assert_frame_equal(a, b)
    assert 0 < a["win_share"].min() < a["win_share"].max() < 1


def test_bad_vendors_file_lists_every_problem(tmp_path):
    path = tmp_path / "vendors.csv"
    header = (
        "provider,delivery_locations,business_objectives,agilty,flexibility,innovation,differentiation,"
        "capabilities,expertise,price,price_basis,currency,certifications,languages\n"
    )
    path.write_text(
        header + "A,PH,4,3,3,3,3,3,3,20000,per_fte_year,USD,ISO 27001,en\nB,XX,6,3,3,3,3,3,3,20000,per hour,ABC,,en\n"
    )
    with pytest.raises(InputFileError) as exc:
        P.load_vendors(path)
    assert exc.value.problems == [
        "vendors.csv, row 1, column agility: required column is missing (is 'agilty' meant to be 'agility'?); "
        "expected a whole number from 1 to 5"
    ]
    path.write_text(
        header.replace("agilty", "agility").replace("languages\n", "languages,cost_efectiveness\n")
        + "A,PH,4,3,3,3,3,3,3,20000,per_fte_year,USD,ISO 27001,en,4\n"
    )
    with pytest.raises(InputFileError) as exc:
        P.load_vendors(path)
    assert exc.value.problems == [
        "vendors.csv, row 1, column cost_efectiveness: unknown criterion (did you mean 'cost_effectiveness'?); "
        "expected criteria named business_objectives, agility, flexibility, innovation, differentiation, "
        "capabilities, expertise (cost_effectiveness is computed from the price)"
    ]
    path.write_text(
        header.replace("agilty", "agility") + "A,PH,4,3,3,3,3,3,3,20000,per_fte_year,USD,ISO 27001,en\n"
        "B,XX,6,3,3,3,3,3,3,20000,per hour,ABC,,en\n"
    )
    with pytest.raises(InputFileError) as exc:
        P.load_vendors(path)
    # by row, then in the order of the columns
    assert exc.value.problems == [
        "vendors.csv, row 3, column delivery_locations: XX not ISO 3166 alpha-2; expected codes such as 'PH; IN'",
        "vendors.csv, row 3, column business_objectives: '6' is outside 1 to 5; expected a whole number from 1 to 5",
        "vendors.csv, row 3, column price_basis: 'per hour' is not a price basis; expected per_fte_year or "
        "total_per_year",
        "vendors.csv, row 3, column currency: 'ABC' has no exchange rate in the kit; expected an ISO "
        "4217 code the kit can convert, e.g. USD, EUR, GBP",
    ]


@pytest.mark.parametrize(
    "weights,message",
    [
        ({"price": 0.3}, "unknown criterion name(s) price"),
        ({"agility": -0.1}, "negative weight for agility"),
    ],
)
def test_bad_weights(weights, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        P.validate_weights(weights)


def test_demo_ranking(demo):
    r = demo.provider_ranking()
    assert r.loc[r["rank"] == 1, "provider"].item() == "Global Nearshore Group"
    assert set(r.loc[~r["qualified"], "provider"]) == {"QuickDesk Services", "Vistula Shared Services"}
    assert demo.provider_win_shares()["win_share"].sum() == pytest.approx(1.0)
