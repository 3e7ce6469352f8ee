import pytest
from conftest import make_client

from bpo_kit.config import load_client
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
    folder = make_client(tmp_path / "c", [])
    text = (folder / "client.yaml").read_text()
    text = text.replace("home_country: US", "home_country: XX").replace("currency: USD", "currency: USX")
    text = text.replace("America/New_York", "America/New_Yrok")
    (folder / "client.yaml").write_text(text)
    problems = problems_of(folder)
    assert len(problems) == 3
    assert "key 'home_country': 'XX' is not an ISO 3166 alpha-2 country code" in problems[0]
    assert "key 'currency': 'USX' is not an ISO 4217 currency code" in problems[1]
    assert "key 'business_hours.timezone': 'America/New_Yrok' is not an IANA time zone" in problems[2]


def test_wrong_type_and_missing_file(tmp_path):
    folder = make_client(tmp_path / "c", [])
    text = (folder / "client.yaml").read_text().replace("inventory: inventory.csv", "inventory: missing.xlsx")
    text = text.replace("name: 'Test Client Ltd'", "name: [1, 2]")
    (folder / "client.yaml").write_text(text)
    problems = problems_of(folder)
    assert any(p.startswith("client.yaml: key 'name': [1, 2] has the wrong type") for p in problems)
    assert "client.yaml: key 'inventory': file 'missing.xlsx' not found in the client folder" in problems


def test_norway_and_unquoted_times_survive_yaml(tmp_path):
    folder = make_client(tmp_path / "c", [], extra_yaml="language: 'no'\n")
    text = (folder / "client.yaml").read_text().replace("home_country: US", "home_country: NO")
    text = text.replace("start: '09:00'", "start: 9:00").replace("currency: USD", "currency: NOK")
    (folder / "client.yaml").write_text(text)
    client = load_client(folder)
    assert client.config.home_country == "NO"
    assert client.config.business_hours.start.hour == 9


def test_home_country_without_language_asks_for_one(tmp_path):
    folder = make_client(tmp_path / "c", [])
    text = (folder / "client.yaml").read_text().replace("home_country: US", "home_country: NO")
    (folder / "client.yaml").write_text(text)
    (p,) = problems_of(folder)
    assert "key 'language'" in p and "set 'language'" in p


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
    folder = make_client(tmp_path / "c", [])
    text = (folder / "client.yaml").read_text().replace("end: '17:00'", "end: '08:00'")
    (folder / "client.yaml").write_text(text)
    (p,) = problems_of(folder)
    assert p == "client.yaml: key 'business_hours': end 08:00 is not after start 09:00"


def test_a_currency_without_an_ecb_rate_is_refused_up_front(tmp_path):
    folder = make_client(tmp_path / "c", [])
    (folder / "client.yaml").write_text((folder / "client.yaml").read_text().replace("currency: USD", "currency: COP"))
    (p,) = problems_of(folder)
    assert p.startswith(
        "client.yaml: key 'currency': COP has no ECB reference rate, which the kit needs to convert "
        "published costs; expected one of AUD, BGN, BRL"
    )
