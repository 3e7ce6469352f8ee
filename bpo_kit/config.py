"""Project paths and the client folder: ``client.yaml`` and its validation.

A client folder holds ``client.yaml`` plus the client's input files. It may live anywhere on disk; the kit
only ever reads from it.
"""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pycountry
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .classification import ClassificationSettings
from .errors import ConfigError
from .kpis import ServiceCredits
from .resources import PACKAGE_DIR as PACKAGE_DIR  # where the kit's code is (re-exported for the runner)
from .resources import PROJECT_DIR, kit_folder, reports_folder

DATA_DIR = kit_folder("data")  # the repository's data/, or its copy inside an installed wheel
REFERENCE_DIR = DATA_DIR / "reference"
CLIENTS_DIR = DATA_DIR / "clients"
DEMO_CLIENT_DIR = CLIENTS_DIR / "demo"
NOTEBOOKS_DIR = kit_folder("notebooks")
REPORTS_DIR = reports_folder()
CLIENT_FILE = "client.yaml"


class _StrictYamlLoader(yaml.SafeLoader):
    """YAML 1.2-like scalars: only true/false are booleans and 9:00 is text, not 540 minutes.

    YAML 1.1 turns the country code NO (Norway) into False and an unquoted 9:00 into a number.
    """


_StrictYamlLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_StrictYamlLoader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
_StrictYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)


def read_yaml(path: Path) -> Any:
    """Read a YAML file with the kit's strict scalar rules; a syntax error names the line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(f"{path.name}: is not UTF-8 text; save it as UTF-8") from None
    try:
        return yaml.load(text, Loader=_StrictYamlLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{path.name}{where}: not valid YAML ({problem})") from None


def _hhmm(value: Any) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        m = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", value)
        if m and int(m[1]) < 24 and int(m[2]) < 60:
            return time(int(m[1]), int(m[2]))
    raise ValueError(f"{value!r} is not a time of day; expected HH:MM such as '09:00'")


class BusinessHours(BaseModel):
    """The client's working day: when its own teams work with the provider."""

    model_config = ConfigDict(extra="forbid")
    start: time = Field(description="start of the working day, HH:MM local time")
    end: time = Field(description="end of the working day, HH:MM local time")
    timezone: str = Field(description="IANA time zone of the client's main office, e.g. America/New_York")

    _parse_times = field_validator("start", "end", mode="before")(lambda cls, v: _hhmm(v))

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{v!r} is not an IANA time zone; expected a name such as 'America/New_York'") from None
        return v

    @model_validator(mode="after")
    def _end_after_start(self) -> BusinessHours:
        if self.end <= self.start:
            raise ValueError(f"end {self.end:%H:%M} is not after start {self.start:%H:%M}")
        return self

    @property
    def hours(self) -> float:
        return (self.end.hour * 60 + self.end.minute - self.start.hour * 60 - self.start.minute) / 60


def _country(v: Any) -> str:
    code = str(v).strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise ValueError(f"{v!r} is not an ISO 3166 alpha-2 country code; expected e.g. 'US', 'DE', 'GB'")
    return code


def _currency(v: Any) -> str:
    code = str(v).strip().upper()
    if len(code) != 3 or pycountry.currencies.get(alpha_3=code) is None:
        raise ValueError(f"{v!r} is not an ISO 4217 currency code; expected e.g. 'USD', 'EUR', 'GBP'")
    from .fx import currencies

    if code not in currencies():
        raise ValueError(
            f"{code} has no ECB reference rate, which the kit needs to convert published costs; "
            f"expected one of {', '.join(sorted(currencies()))}"
        )
    return code


def _language(v: Any) -> str:
    code = str(v).strip().lower()
    if len(code) != 2 or pycountry.languages.get(alpha_2=code) is None:
        raise ValueError(f"{v!r} is not an ISO 639-1 language code; expected e.g. 'en', 'es', 'de'")
    return code


CountryCode = Annotated[str, Field(description="ISO 3166 alpha-2")]


class AssumptionOverride(BaseModel):
    """A business-case assumption set by the client: a value, and optionally its low-high range."""

    model_config = ConfigDict(extra="forbid")
    value: float
    low: float | None = None
    high: float | None = None

    @model_validator(mode="after")
    def _ordered(self) -> AssumptionOverride:
        lo = self.value if self.low is None else self.low
        hi = self.value if self.high is None else self.high
        if not lo <= self.value <= hi:
            raise ValueError(f"expected low <= value <= high, got {lo:g}, {self.value:g}, {hi:g}")
        return self


FileName = Annotated[str, Field(min_length=1)]


class ClientConfig(BaseModel):
    """Everything ``client.yaml`` may say. Unknown keys are refused so that a typo never goes unnoticed."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, description="client name as it appears on the report")
    home_country: CountryCode = Field(description="ISO 3166 alpha-2 code of the client's home country")
    currency: str = Field(description="ISO 4217 code of the client's reporting currency")
    business_hours: BusinessHours
    inventory: FileName = Field(description="process inventory file in the client folder (.xlsx or .csv)")
    language: str | None = Field(
        default=None, description="ISO 639-1 main language; default: the home country's first business language"
    )
    candidate_locations: list[str] | None = Field(
        default=None, description="ISO codes of the locations to assess; default: every location with cost data"
    )
    contract_years: int = Field(default=5, ge=1, le=15, description="length of the contract in years")
    discount_rate: float = Field(default=0.08, ge=0, le=0.5, description="yearly discount rate for NPV")
    allow_sensitive_offshore: bool = Field(
        default=False, description="let processes with data sensitivity 5 go where data protection is inadequate"
    )
    rates: FileName | None = Field(default=None, description="rate card file (providers' quotes) in the folder")
    assumptions: dict[str, AssumptionOverride] | None = Field(
        default=None, description="overrides of business-case assumptions, by name"
    )
    seed: int = Field(default=42, description="seed of every random draw (Monte Carlo, robustness)")
    monte_carlo_draws: int = Field(default=2000, ge=100, le=200_000, description="Monte Carlo draws")
    vendors: FileName | None = Field(default=None, description="providers' table (vendors.csv) in the folder")
    provider_weights: dict[str, float] | None = Field(
        default=None, description="weights of the provider-selection criteria; default: the kit's"
    )
    kpis: FileName | None = Field(default=None, description="monthly KPI reports (kpis.csv) in the folder")
    rag_amber_tolerance: float = Field(
        default=0.05, ge=0, le=1, description="how far below target (share of it) a KPI is amber, not red"
    )
    service_credits: ServiceCredits | None = Field(default=None, description="the contract's credit rule")
    classification: ClassificationSettings = Field(
        default_factory=ClassificationSettings,
        description="overrides of the classification's weights and thresholds (see bpo_kit.classification)",
    )

    _country = field_validator("home_country", mode="before")(lambda cls, v: _country(v))
    _currency = field_validator("currency", mode="before")(lambda cls, v: _currency(v))

    @field_validator("candidate_locations", mode="before")
    @classmethod
    def _candidates(cls, v: Any) -> list[str] | None:
        if v is None:
            return None
        if isinstance(v, str):
            v = [part for part in re.split(r"[\s,;]+", v) if part]
        if not isinstance(v, list) or not v:
            raise ValueError("expected a list of ISO country codes such as [MX, PH, PL]")
        from .locations import load_locations

        known = load_locations().index
        codes = [_country(c) for c in v]
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise ValueError(
                f"{', '.join(unknown)} not in data/reference/locations.csv; expected some of {', '.join(known)}"
            )
        return list(dict.fromkeys(codes))

    @field_validator("assumptions", mode="before")
    @classmethod
    def _numbers_are_values(cls, v: Any) -> Any:
        if isinstance(v, dict):
            return {
                k: {"value": x} if isinstance(x, (int, float)) and not isinstance(x, bool) else x for k, x in v.items()
            }
        return v

    @field_validator("assumptions")
    @classmethod
    def _known_assumptions(cls, v: dict | None) -> dict | None:
        if v is None:
            return v
        from .business_case import assumption_names

        unknown = sorted(set(v) - set(assumption_names()))
        if unknown:
            raise ValueError(
                f"unknown assumption(s) {', '.join(unknown)}; expected some of {', '.join(assumption_names())}"
            )
        return v

    @field_validator("provider_weights")
    @classmethod
    def _provider_weights(cls, v: dict[str, float] | None) -> dict[str, float] | None:
        if v is None:
            return v
        from .providers import validate_weights

        validate_weights(v)
        return v

    @field_validator("language", mode="before")
    @classmethod
    def _lang(cls, v: Any) -> str | None:
        return None if v is None else _language(v)


#: keys whose value names a file that must exist in the client folder
FILE_KEYS = ("inventory", "rates", "vendors", "kpis")


class Client:
    """A validated client folder: its configuration and where its files are."""

    def __init__(self, folder: Path, config: ClientConfig):
        self.folder = folder
        self.config = config

    @property
    def slug(self) -> str:
        """Folder name, used as the client's report folder name."""
        return self.folder.name

    def path(self, file_name: str) -> Path:
        return self.folder / file_name

    @property
    def language(self) -> str:
        if self.config.language:
            return self.config.language
        from .locations import main_language  # reference data lives with locations

        return main_language(self.config.home_country)

    def __repr__(self) -> str:
        return f"Client({self.slug!r})"


def resolve_client_dir(client_dir: str | Path | None = None) -> Path:
    """Where a client folder is: an absolute path, a path relative to the working directory or to the
    project, or a folder name under ``data/clients/``. ``None`` or ``""`` means the demo client."""
    if client_dir in (None, ""):
        return DEMO_CLIENT_DIR
    p = Path(client_dir).expanduser()
    if p.name == CLIENT_FILE:
        p = p.parent
    for candidate in (p, PROJECT_DIR / p, CLIENTS_DIR / p):
        if candidate.is_dir():
            return candidate.resolve()
    raise ConfigError(f"{client_dir}: no such client folder; expected a folder holding {CLIENT_FILE}")


def _format_loc(loc: tuple) -> str:
    return ".".join(str(part) for part in loc)


def _describe(err: dict, model: type[BaseModel]) -> str:
    loc = _format_loc(err["loc"])
    kind = err["type"]
    if kind == "extra_forbidden":
        parent = model
        for part in err["loc"][:-1]:
            field = parent.model_fields.get(str(part))
            ann = getattr(field, "annotation", None)
            parent = ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None
            if parent is None:
                break
        known = ", ".join(parent.model_fields) if parent else ""
        return f"key '{loc}': unknown key; expected one of: {known}"
    if kind == "missing":
        return f"key '{loc}': missing; this key is required"
    msg = err["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return f"key '{loc}': {err.get('input')!r} has the wrong type; {msg.lower()}"
    return f"key '{loc or '(top level)'}': {msg}"


def load_client(client_dir: str | Path | None = None) -> Client:
    """Read and validate a client folder's ``client.yaml``; every problem is reported at once."""
    folder = resolve_client_dir(client_dir)
    cfg_path = folder / CLIENT_FILE
    if not cfg_path.is_file():
        raise ConfigError(
            f"{folder.name}/{CLIENT_FILE}: not found; every client folder needs one "
            f"(copy data/clients/demo/{CLIENT_FILE} and edit it)"
        )
    raw = read_yaml(cfg_path)
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{CLIENT_FILE}: expected keys such as 'name: ...', found a {type(raw).__name__}")
    problems = []
    try:
        config = ClientConfig.model_validate(raw)
    except ValidationError as exc:
        problems = [f"{CLIENT_FILE}: {_describe(e, ClientConfig)}" for e in exc.errors()]
        config = None
    for key in FILE_KEYS:
        name = raw.get(key)
        if isinstance(name, str) and name and not (folder / name).is_file():
            problems.append(f"{CLIENT_FILE}: key '{key}': file '{name}' not found in the client folder")
    if problems:
        raise ConfigError(problems)
    client = Client(folder, config)
    try:
        _ = client.language  # resolve now so that an unknown language is a config error, not a mid-run failure
    except LookupError as exc:
        raise ConfigError(f"{CLIENT_FILE}: key 'language': {exc}") from None
    return client
