import pytest
from helpers import edit_client, make_client, replace_in

from bpo_kit.client import load_client
from bpo_kit.errors import ConfigError


def problems_of(folder):
    with pytest.raises(ConfigError) as exc:
        load_client(folder)
    return exc.value.problems


def test_demo_client_loads():
    client = load_client("demo")
    assert client.config.name == "Harbor & Pine Outfitters"
    assert client.config.home_country == "US"
    assert client.config.business_hours.hours == 9.0
    assert client.language == "en"


def test_unknown_key_is_named_with_the_keys_expected(tmp_path):
    folder = make_client(tmp_path / "c", [], extra_yaml="colour: blue\n")
    (p,) = problems_of(folder)
    assert p.startswith("client.yaml: key 'colour': unknown key; expected one of: name, home_country")


def test_unknown_country_currency_and_zone_each_give_one_line(tmp_path):
    folder = make_client(
        tmp_path / "c", [], home_country="XX", currency="USX", business_hours={"timezone": "America/New_Yrok"}
    )
    problems = problems_of(folder)
    assert len(problems) == 3
    assert "key 'home_country': 'XX' is not an ISO 3166 alpha-2 country code" in problems[0]
    assert "key 'currency': 'USX' is not an ISO 4217 currency code" in problems[1]
    assert "key 'business_hours.timezone': 'America/New_Yrok' is not an IANA time zone" in problems[2]


def test_wrong_type_and_missing_file(tmp_path):
    folder = make_client(tmp_path / "c", [], inventory="missing.xlsx", name=[1, 2])
    problems = problems_of(folder)
    assert any(p.startswith("client.yaml: key 'name': [1, 2] has the wrong type") for p in problems)
    assert "client.yaml: key 'inventory': file 'missing.xlsx' not found in the client folder" in problems


def test_norway_and_unquoted_times_survive_yaml(tmp_path):
    # NO stays the text 'NO' (YAML 1.1 would make it False) and 9:00 a time (not 540); written as text because
    # yaml.safe_dump would quote them, and unquoted is how a consultant types them
    folder = make_client(
        tmp_path / "c",
        [],
        business_hours=None,
        extra_yaml="business_hours:\n  start: 9:00\n  end: '17:00'\n  timezone: America/New_York\n"
        "language: 'no'\ncandidate_locations: [NO, PL]\n",
    )
    (p,) = problems_of(folder)
    assert p.startswith("client.yaml: key 'candidate_locations': NO not in data/reference/locations.csv")
    replace_in(folder / "client.yaml", "[NO, PL]", "[PL]")
    client = load_client(folder)
    assert client.config.language == "no"
    assert client.config.business_hours.start.hour == 9


def test_home_country_outside_the_reference_table_is_refused_naming_the_known_ones(tmp_path):
    folder = make_client(tmp_path / "c", [], home_country="IS")
    (p,) = problems_of(folder)
    from bpo_kit.locations import load_locations

    known = sorted(load_locations().index)
    assert "IS" not in known  # the day the table gains Iceland, this test must pick another country
    assert p == (
        "client.yaml: key 'home_country': IS is not in the kit's reference table of countries "
        "(data/reference/locations.csv), which tiers and time zones need; expected one of " + ", ".join(known)
    )


def test_missing_client_yaml_and_bad_yaml(tmp_path):
    (tmp_path / "empty").mkdir()
    (p,) = problems_of(tmp_path / "empty")
    assert (
        p == "empty/client.yaml: not found; every client folder needs one "
        "(copy data/clients/demo/client.yaml and edit it)"
    )
    folder = make_client(tmp_path / "c", [])
    (folder / "client.yaml").write_text("name: [unclosed\n")
    (p,) = problems_of(folder)
    assert p.startswith("client.yaml, line 2: not valid YAML")


def test_end_before_start(tmp_path):
    folder = make_client(tmp_path / "c", [], business_hours={"end": "08:00"})
    (p,) = problems_of(folder)
    assert p == (
        "client.yaml: key 'business_hours': end 08:00 is before start 09:00: a working day over midnight (a night "
        "shift) is not supported; expected the client's day shift, whose end is after its start"
    )
    edit_client(folder, business_hours={"end": "09:00"})
    (p,) = problems_of(folder)
    assert p == "client.yaml: key 'business_hours': end 09:00 is not after start 09:00"


def test_a_currency_without_any_rate_is_refused_up_front(tmp_path):
    from bpo_kit import fx

    assert "COP" in fx.currencies()  # a dated central-bank rate: accepted
    assert "KZT" not in fx.currencies()  # the day the kit gains a tenge rate, this test must pick another currency
    folder = make_client(tmp_path / "c", [], currency="KZT")
    (p,) = problems_of(folder)
    assert p.startswith(
        "client.yaml: key 'currency': KZT has no exchange rate in the kit (ECB reference rates, euro changeovers, "
        "dated central-bank rates), which it needs to convert published costs; expected one of ARS, "
    )


# --- strict YAML -----------------------------------------------------------------------------------------


def test_duplicate_keys_name_the_key_and_both_lines(tmp_path):
    folder = make_client(tmp_path / "c", [], extra_yaml="seed: 1\nseed: 2\n")
    (p,) = problems_of(folder)
    assert p == "client.yaml: key 'seed' appears twice (lines 9 and 10); expected each key once"


def test_billion_laughs_is_refused(tmp_path):
    folder = make_client(tmp_path / "c", [])
    lol = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lol += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    (folder / "client.yaml").write_text("\n".join(lol) + "\n")
    (p,) = problems_of(folder)
    assert p == "client.yaml: line 7: more than 50 aliases (*name); expected plain keys and values"
    # few aliases that still expand to millions of values
    few = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    few += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 5)]
    (folder / "client.yaml").write_text("\n".join(few) + "\n")
    (p,) = problems_of(folder)
    assert p == "client.yaml: its aliases expand to more than 100,000 values; expected plain keys and values"


def test_deep_nesting_is_a_clear_error_not_a_recursion_error(tmp_path):
    folder = make_client(tmp_path / "c", [])
    (folder / "client.yaml").write_text("name: " + "[" * 5000 + "]" * 5000 + "\n")
    (p,) = problems_of(folder)
    assert p == (
        "client.yaml: line 1: nested more than 20 levels deep; expected keys a few levels deep, as in the demo's "
        "client.yaml"
    )


def test_utf16_client_yaml_from_notepad_is_read(tmp_path):
    folder = make_client(tmp_path / "c", [], name="Société Générale d'Essai")
    text = (folder / "client.yaml").read_text(encoding="utf-8")
    (folder / "client.yaml").write_bytes(text.encode("utf-16"))  # BOM + UTF-16 LE, as Notepad saves "Unicode"
    assert load_client(folder).config.name == "Société Générale d'Essai"
    (folder / "client.yaml").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert load_client(folder).config.name == "Société Générale d'Essai"


def test_seed_sector_and_draws_are_bounded(tmp_path):
    folder = make_client(tmp_path / "c", [], extra_yaml="seed: -1\nmonte_carlo_draws: 200001\nsector: retail\n")
    problems = problems_of(folder)
    assert problems == [
        "client.yaml: key 'sector': Input should be 'financial_services', 'insurance', 'healthcare', "
        "'public_sector' or 'other'",
        "client.yaml: key 'seed': Input should be greater than or equal to 0",
        "client.yaml: key 'monte_carlo_draws': Input should be less than or equal to 200000",
    ]
    folder = make_client(tmp_path / "d", [], extra_yaml="sector: insurance\n")
    assert load_client(folder).config.sector == "insurance"
    assert load_client(make_client(tmp_path / "e", [])).config.sector == "other"


# --- files stay inside the client folder ---------------------------------------------------------------


SECRET = "root:x:0:0:root:/root:/bin/bash"


@pytest.mark.parametrize(
    "name,why",
    [
        ("/etc/passwd", "is an absolute path"),
        ("C:\\Users\\me\\inventory.csv", "is an absolute path"),
        ("../other/inventory.csv", "leads out of the client folder (..)"),
        ("sub/../../other/inventory.csv", "leads out of the client folder (..)"),
        ("link.csv", "is a link to a file outside the client folder"),
    ],
)
def test_files_outside_the_client_folder_are_refused_and_never_shown(tmp_path, name, why):
    other = tmp_path / "other"
    other.mkdir()
    (other / "inventory.csv").write_text(SECRET + "\n")
    folder = make_client(tmp_path / "c", [], inventory=name)
    (folder / "link.csv").symlink_to(other / "inventory.csv")
    (p,) = problems_of(folder)
    assert p == (f"client.yaml: key 'inventory': '{name}' {why}; expected the name of a file inside the client folder")
    assert "root:x" not in p


def test_a_link_inside_the_folder_and_a_subfolder_are_fine(tmp_path):
    folder = make_client(tmp_path / "c", [])
    (folder / "data").mkdir()
    (folder / "inventory.csv").rename(folder / "data" / "inventory.csv")
    (folder / "inv.csv").symlink_to(folder / "data" / "inventory.csv")
    edit_client(folder, inventory="data/inventory.csv")
    assert load_client(folder).files()["inventory"] == folder / "data" / "inventory.csv"
    edit_client(folder, inventory="inv.csv")
    assert load_client(folder).config.inventory == "inv.csv"


# --- settings at the bottom ------------------------------------------------------------------------------


def _kit_imports(path):
    import ast

    tree = ast.parse(path.read_text())
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            out.add(node.module or "")
            out.update(f"{node.module or ''}.{a.name}".strip(".") for a in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("bpo_kit"):
            out.add(node.module.removeprefix("bpo_kit.") if node.module else "")
    return out


def test_config_holds_paths_only_and_no_domain_module_reads_the_client():
    from bpo_kit.config import PACKAGE_DIR

    # config reads paths from resources (where the kit's files are, in a clone or a wheel) and nothing else
    assert {i.split(".")[0] for i in _kit_imports(PACKAGE_DIR / "config.py")} == {"resources"}
    assert _kit_imports(PACKAGE_DIR / "resources.py") == set()
    domain = ["tables", "inventory", "classification", "locations", "business_case", "providers", "risks", "kpis"]
    domain += ["labour_costs", "location_index", "regulations", "fx"]
    for name in domain:
        imports = _kit_imports(PACKAGE_DIR / f"{name}.py")
        assert not any(i.split(".")[0] in ("client", "assessment", "report", "plots") for i in imports), name
        assert not any(i.startswith("config.") and i != "config.REFERENCE_DIR" for i in imports), (name, imports)


def test_each_domain_owns_its_settings_and_the_client_composes_them(tmp_path):
    from bpo_kit.classification import Rules
    from bpo_kit.client import ClientConfig
    from bpo_kit.kpis import KpiSettings
    from bpo_kit.providers import ProviderSettings

    folder = make_client(
        tmp_path / "c",
        [],
        classification={"weights": {"strategic_importance": 0.5}, "retain_threshold": 5},
        provider_weights={"agility": 0.3},
        rag_amber_tolerance=0.1,
    )
    cfg = load_client(folder).config
    assert isinstance(cfg.classification, Rules)
    assert cfg.classification.weights["strategic_importance"] == 0.5
    assert cfg.classification.weights["measurability"] == Rules().weights["measurability"]
    assert cfg.provider_settings == ProviderSettings(weights={"agility": 0.3})
    assert cfg.provider_settings.weights["expertise"] == 0.15
    assert cfg.kpi_settings == KpiSettings(rag_amber_tolerance=0.1)
    # one description, written once, reaches the client model and the report's parameter table
    field = KpiSettings.model_fields["rag_amber_tolerance"]
    assert ClientConfig.model_fields["rag_amber_tolerance"].description == field.description
    table = cfg.classification.parameters().set_index("parameter")
    assert table.loc["retain_threshold", "value"] == 5
    assert table.loc["retain_threshold", "meaning"] == Rules.model_fields["retain_threshold"].description
    assert table.loc["weights.strategic_importance", "meaning"] == "weight of strategic importance in outsourceability"
    # the sensitivity analysis moves every weight and every threshold marked for it, not the borderline margin
    assert cfg.classification.tested() == [f"weights.{k}" for k in Rules().weights] + [
        "kpo_knowledge_threshold",
        "retain_threshold",
        "critical_threshold",
        "automate_standardization",
        "automate_potential",
        "high_risk",
        "low_risk",
        "outsource_min_score",
    ]
