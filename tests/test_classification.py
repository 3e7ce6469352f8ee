import pandas as pd
import pytest
from helpers import make_client
from hypothesis import given, settings
from hypothesis import strategies as st

from bpo_kit import classification as C
from bpo_kit.client import load_client
from bpo_kit.errors import ConfigError


def process(
    pid,
    name,
    function,
    customer_facing=False,
    si=2,
    std=4,
    meas=4,
    sens=2,
    know=2,
    inter=2,
    auto=0.0,
    fte=5.0,
    cost=350_000.0,
):
    return {
        "process_id": pid,
        "process_name": name,
        "function": function,
        "fte": fte,
        "annual_cost": cost,
        "customer_facing": customer_facing,
        "strategic_importance": si,
        "standardization": std,
        "measurability": meas,
        "data_sensitivity": sens,
        "knowledge_intensity": know,
        "interdependence": inter,
        "automation_potential": auto,
        "languages": "en",
        "coverage": "business_hours",
        "volume": float("nan"),
    }


KNOWN = pd.DataFrame(
    [
        process("PAY", "Payroll run", "human_resources", si=2, std=5, meas=5, sens=4, know=2, inter=2, auto=0.3),
        process("MNA", "M&A legal advice", "legal", si=5, std=1, meas=2, sens=5, know=5, inter=5),
        process("SUP", "Inbound customer support line", "customer_service", customer_facing=True, si=2, std=4, meas=5),
        process("INV", "Invoice data entry", "finance_accounting", si=1, std=5, meas=5, sens=2, know=1, auto=0.8),
    ]
)


def test_answers_known_in_advance():
    out = C.classify(KNOWN).set_index("process_id")
    assert out.loc["PAY", ["bpo_type", "recommendation"]].tolist() == ["back_office", "outsource"]
    assert out.loc["MNA", ["bpo_type", "recommendation", "process_category"]].tolist() == ["kpo", "retain", "core"]
    assert out.loc["MNA", "rationale"] == "core competency: strategic importance 5 of 5; keep in-house"
    assert out.loc["SUP", "bpo_type"] == "front_office"
    assert out.loc["INV", "recommendation"] == "automate"
    assert out.loc["INV", "rationale"].startswith("rule-based (standardization 5 of 5) with 80% automation potential")


def test_scores_worked_by_hand():
    # payroll: SI 2 -> 0.75, STD 5 -> 1, MEAS 5 -> 1, SENS 4 -> 0.25, INTER 2 -> 0.75 (inverted where marked)
    # outsourceability = 0.30*0.75 + 0.2 + 0.2 + 0.15*0.25 + 0.15*0.75 = 0.775
    s = C.scores(KNOWN).iloc[0]
    assert s["outsourceability"] == pytest.approx(77.5)
    assert s["operational_risk"] == 0.0
    assert s["structural_risk"] == pytest.approx(100 * (0.75 + 0.25 + 0.25) / 3, abs=0.05)
    assert s["readiness"] == 100.0


def test_high_risk_means_hybrid_with_a_reason():
    p = pd.DataFrame([process("X", "Loss investigations", "operations", si=3, std=2, meas=2, sens=4, inter=4)])
    out = C.classify(p).iloc[0]
    assert out["recommendation"] == "hybrid"
    # operational: mean(0.75, 0.75) = 75; structural: mean(0.75, 0.75, 0.5) = 67; both high
    assert out["rationale"].startswith("high operational and structural risk (75 and 67 of 100)")
    assert out["aron_singh_form"] == "keep in-house"


def test_aron_singh_forms():
    op = pd.Series([10.0, 80.0, 10.0, 80.0, 50.0])
    st_ = pd.Series([10.0, 80.0, 80.0, 10.0, 50.0])
    assert C.aron_singh_form(op, st_).tolist() == [
        "offshore outsourcing",
        "keep in-house",
        "captive centre",
        "onshore or nearshore provider",
        "extended organisation",
    ]


def test_every_input_column_is_carried_through():
    p = KNOWN.assign(cost_centre=["A", "B", "C", "D"])
    out = C.classify(p)
    assert list(out.columns[: len(p.columns)]) == list(p.columns)
    assert out["cost_centre"].tolist() == ["A", "B", "C", "D"]


def test_addressable_spend_adds_up():
    out = C.classify(KNOWN)
    spend = C.addressable_spend(out)
    assert spend["annual_cost"].sum() == KNOWN["annual_cost"].sum()
    assert spend["recommendation"].tolist() == ["retain", "automate", "outsource"]


def test_sensitivity_counts_changes_against_a_rerun():
    table = C.sensitivity(KNOWN).set_index("parameter")
    # automation threshold 0.6 -> 0.75 still below 0.8: no change; -> 0.45 also no change
    assert table.loc["automate_potential", ["changed_at_low", "changed_at_high"]].tolist() == [0, 0]
    # retain threshold 4 -> 5: nothing with SI 4; -> 3: no process with SI 3
    assert table.loc["retain_threshold", "changed_at_low"] == 0
    moved = C.classify(KNOWN, C.Rules().with_value("outsource_min_score", 62.5))["recommendation"]
    base = C.classify(KNOWN)["recommendation"]
    assert table.loc["outsource_min_score", "changed_at_high"] == int((moved != base).sum())


def test_borderline_lists_processes_near_a_threshold():
    p = pd.DataFrame([process("B", "Near", "operations", si=2, std=5, meas=5, auto=0.58)])
    near = C.borderline(C.classify(p))
    assert near[["process_id", "threshold", "distance"]].values.tolist() == [["B", "automate_potential", -2.0]]


def test_client_can_override_weights_and_thresholds(tmp_path):
    folder = make_client(
        tmp_path / "c", [], classification={"weights": {"strategic_importance": 0.5}, "retain_threshold": 5}
    )
    rules = load_client(folder).config.classification.rules()
    assert rules.weights["strategic_importance"] == 0.5 and rules.weights["measurability"] == 0.2
    assert rules.retain_threshold == 5


@pytest.mark.parametrize(
    "classification,expected",
    [
        (
            {"weights": {"strategic_importance": -1}},
            "key 'classification.weights': negative weight for strategic_importance; expected weights >= 0",
        ),
        (
            {
                "weights": dict.fromkeys(
                    ["strategic_importance", "standardization", "measurability", "data_sensitivity", "interdependence"],
                    0,
                )
            },
            "key 'classification.weights': every weight is 0; expected at least one positive weight",
        ),
        (
            {"weights": {"cost": 1}},
            "key 'classification.weights': unknown factor(s) cost; expected some of strategic_importance, "
            "standardization, measurability, data_sensitivity, interdependence",
        ),
        (
            {"retain_treshold": 4},
            "key 'classification.retain_treshold': unknown key; expected one of: weights, kpo_knowledge_threshold",
        ),
    ],
)
def test_bad_overrides_are_named(tmp_path, classification, expected):
    folder = make_client(tmp_path / "c", [], classification=classification)
    with pytest.raises(ConfigError) as exc:
        load_client(folder)
    assert exc.value.problems[0].startswith("client.yaml: " + expected)


# --- properties ----------------------------------------------------------------------------------------

score = st.integers(1, 5)
rows = st.lists(
    st.fixed_dictionaries(
        {
            "customer_facing": st.booleans(),
            "strategic_importance": score,
            "standardization": score,
            "measurability": score,
            "data_sensitivity": score,
            "knowledge_intensity": score,
            "interdependence": score,
            "automation_potential": st.floats(0, 1),
            "function": st.sampled_from(["legal", "sales", "operations"]),
        }
    ),
    min_size=1,
    max_size=30,
)


def frame(items):
    df = pd.DataFrame(items)
    df.insert(0, "process_id", [f"P{i}" for i in range(len(df))])
    df["process_name"] = df["process_id"]
    df["fte"] = 1.0
    df["annual_cost"] = 1000.0
    return df


@settings(max_examples=60, deadline=None)
@given(rows)
def test_scores_stay_within_0_and_100(items):
    s = C.scores(frame(items))
    assert ((s >= 0) & (s <= 100)).all().all()


@settings(max_examples=60, deadline=None)
@given(rows)
def test_raising_strategic_importance_never_leaves_retain(items):
    df = frame(items)
    before = C.classify(df)["recommendation"]
    raised = C.classify(df.assign(strategic_importance=(df["strategic_importance"] + 1).clip(upper=5)))
    assert (raised["recommendation"][before == "retain"] == "retain").all()


@settings(max_examples=40, deadline=None)
@given(rows, st.randoms(use_true_random=False))
def test_row_order_never_changes_a_result(items, rnd):
    df = frame(items)
    order = list(range(len(df)))
    rnd.shuffle(order)
    a = C.classify(df).set_index("process_id").sort_index()
    b = C.classify(df.iloc[order].reset_index(drop=True)).set_index("process_id").sort_index()
    pd.testing.assert_frame_equal(a, b)
