"""The client folder: ``client.yaml`` (its schema composes each domain module's settings) and the files it names.

A client folder holds ``client.yaml`` plus the client's input files. It may live anywhere on disk; the kit only
ever reads from it, and only the files ``client.yaml`` names inside it: an absolute path, a ``..`` or a link
leading out of the folder is refused, and nothing of a refused file is ever shown.

``client.yaml`` is read strictly: duplicate keys are an error naming both lines; anchors and aliases are bounded
(:data:`YAML_LIMITS`) so that a "billion laughs" file is refused at once; nesting deeper than a real file needs
is refused; only ``true``/``false`` are yes/no and ``9:00`` is a time, not a number of minutes.

This module sits above the domain modules (it imports them for their settings models); none imports it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Annotated, Any, Literal

import pycountry
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .business_case import AssumptionOverride, assumption_names
from .classification import ClassificationSettings
from .config import CLIENT_FILE, CLIENTS_DIR, DEMO_CLIENT_DIR, PROJECT_DIR
from .errors import BpoKitError, ConfigError
from .inventory import Inventory, load_client_inventory
from .kpis import KpiSettings, ServiceCredits
from .locations import LocationSettings
from .providers import Gates, ProviderSettings
from .risks import RiskSettings
from .sourcing_plan import SourcingSettings
from .tables import decode

#: what client.yaml may hold at most: a real one is a few hundred bytes, a dozen keys, three levels deep
YAML_LIMITS = {"bytes": 1_000_000, "depth": 20, "aliases": 50, "nodes": 100_000}
#: the most Monte Carlo draws a client may ask for (a run's time and memory grow with them)
MAX_MONTE_CARLO_DRAWS = 200_000
SECTORS = ("financial_services", "insurance", "healthcare", "public_sector", "other")


# --- reading YAML ----------------------------------------------------------------------------------------


class _Refused(yaml.YAMLError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class _StrictYamlLoader(yaml.SafeLoader):
    """YAML 1.2-like scalars (only true/false are booleans, 9:00 is text: YAML 1.1 turns the country code NO
    into False and 9:00 into 540), bounded nesting and aliases, duplicate keys refused."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > YAML_LIMITS["aliases"]:
                mark = self.peek_event().start_mark
                raise _Refused(
                    f"line {mark.line + 1}: more than {YAML_LIMITS['aliases']} aliases (*name); "
                    "expected plain keys and values"
                )
        self._depth += 1
        try:
            if self._depth > YAML_LIMITS["depth"]:
                mark = self.peek_event().start_mark
                raise _Refused(
                    f"line {mark.line + 1}: nested more than {YAML_LIMITS['depth']} levels deep; "
                    "expected keys a few levels deep, as in the demo's client.yaml"
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                continue
            line = key_node.start_mark.line + 1
            if key_node.value in seen:
                raise _Refused(
                    f"key '{key_node.value}' appears twice (lines {seen[key_node.value]} and {line}); "
                    "expected each key once"
                )
            seen[key_node.value] = line
        return super().construct_mapping(node, deep=deep)


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


def _expanded_size(node: Any, memo: dict[int, int]) -> int:
    """How many nodes the document has once every alias is expanded (aliases share nodes, so a small file can
    stand for billions of them)."""
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = 1  # a recursive alias counts once
    if isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded_size(n, memo) for n in node.value)
    elif isinstance(node, yaml.MappingNode):
        size = 1 + sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    else:
        size = 1
    memo[key] = size
    return size


def read_yaml(path: Path, name: str | None = None) -> Any:
    """Read a YAML file with the kit's strict rules; a problem names the line. UTF-8 (BOM or not) and UTF-16
    with a BOM (Notepad's "Unicode") are read."""
    name = name or path.name
    size = path.stat().st_size
    if size > YAML_LIMITS["bytes"]:
        raise ConfigError(f"{name}: is {size:,} bytes; expected at most {YAML_LIMITS['bytes']:,} (a few keys)")
    try:
        text, encoding = decode(path.read_bytes(), name)
    except Exception as exc:  # an InputFileError: binary or undecodable, said without showing the content
        raise ConfigError(f"{name}: is not a text file saved as UTF-8; save it as UTF-8") from exc
    if encoding == "windows-1252":
        raise ConfigError(f"{name}: is not UTF-8 text; save it as UTF-8")
    text = text.lstrip("\ufeff")
    try:
        loader = _StrictYamlLoader(text)
        try:
            node = loader.get_single_node()
            if node is not None and _expanded_size(node, {}) > YAML_LIMITS["nodes"]:
                raise _Refused(
                    f"its aliases expand to more than {YAML_LIMITS['nodes']:,} values; expected plain keys and values"
                )
            return loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except _Refused as exc:
        raise ConfigError(f"{name}: {exc.message}") from None
    except RecursionError:
        raise ConfigError(f"{name}: nested too deeply; expected keys a few levels deep") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{name}{where}: not valid YAML ({problem})") from None


# --- the schema ------------------------------------------------------------------------------------------


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
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{v!r} is not an IANA time zone; expected a name such as 'America/New_York'") from None
        return v

    @model_validator(mode="after")
    def _end_after_start(self) -> BusinessHours:
        if self.end < self.start:
            raise ValueError(
                f"end {self.end:%H:%M} is before start {self.start:%H:%M}: a working day over midnight (a night "
                "shift) is not supported; expected the client's day shift, whose end is after its start"
            )
        if self.end == self.start:
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
            f"{code} has no exchange rate in the kit (ECB reference rates, euro changeovers, dated central-bank "
            "rates), which it needs to convert published costs; "
            f"expected one of {', '.join(sorted(currencies()))}"
        )
    return code


def _language(v: Any) -> str:
    code = str(v).strip().lower()
    if len(code) != 2 or pycountry.languages.get(alpha_2=code) is None:
        raise ValueError(f"{v!r} is not an ISO 639-1 language code; expected e.g. 'en', 'es', 'de'")
    return code


CountryCode = Annotated[str, Field(description="ISO 3166 alpha-2")]
FileName = Annotated[str, Field(min_length=1)]
_KPI_FIELDS = KpiSettings.model_fields


class ClientConfig(BaseModel):
    """Everything ``client.yaml`` may say. Unknown keys are refused so that a typo never goes unnoticed."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, description="client name as it appears on the report")
    home_country: CountryCode = Field(description="ISO 3166 alpha-2 code of the client's home country")
    currency: str = Field(description="ISO 4217 code of the client's reporting currency")
    business_hours: BusinessHours
    inventory: FileName = Field(description="process inventory file in the client folder (.xlsx or .csv)")
    sector: Literal["financial_services", "insurance", "healthcare", "public_sector", "other"] = Field(
        default="other", description="the client's sector: " + ", ".join(SECTORS)
    )
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
    seed: int = Field(
        default=42, ge=0, le=2**32 - 1, description="seed of every random draw (Monte Carlo, robustness), 0 or more"
    )
    monte_carlo_draws: int = Field(
        default=2000, ge=100, le=MAX_MONTE_CARLO_DRAWS, description="Monte Carlo draws (100 to 200,000)"
    )
    vendors: FileName | None = Field(default=None, description="providers' table (vendors.csv) in the folder")
    provider_weights: dict[str, float] | None = Field(
        default=None, description="weights of the provider-selection criteria; default: the kit's"
    )
    kpis: FileName | None = Field(default=None, description="monthly KPI reports (kpis.csv) in the folder")
    rag_amber_tolerance: float = Field(
        default=_KPI_FIELDS["rag_amber_tolerance"].default,
        ge=0,
        le=1,
        description=_KPI_FIELDS["rag_amber_tolerance"].description,
    )
    service_credits: ServiceCredits | None = Field(default=None, description=_KPI_FIELDS["service_credits"].description)
    locations: LocationSettings = Field(
        default_factory=LocationSettings,
        description="nearshore thresholds, language-pool threshold, attractiveness weights (see bpo_kit.locations)",
    )
    classification: ClassificationSettings = Field(
        default_factory=ClassificationSettings,
        description="overrides of the classification's weights and thresholds (see bpo_kit.classification)",
    )
    risks: RiskSettings = Field(
        default_factory=RiskSettings,
        description="risk bands, exposure, conditions, exit and service-level terms (see bpo_kit.risks)",
    )
    sourcing: SourcingSettings = Field(
        default_factory=SourcingSettings,
        description="how processes are grouped into towers (see bpo_kit.sourcing_plan)",
    )

    _currency = field_validator("currency", mode="before")(lambda cls, v: _currency(v))

    @field_validator("home_country", mode="before")
    @classmethod
    def _home(cls, v: Any) -> str:
        code = _country(v)
        from .locations import load_locations

        known = load_locations().index
        if code not in known:
            raise ValueError(
                f"{code} is not in the kit's reference table of countries (data/reference/locations.csv), "
                f"which tiers and time zones need; expected one of {', '.join(sorted(known))}"
            )
        return code

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
        unknown = sorted(set(v) - set(assumption_names()))
        if unknown:
            raise ValueError(
                f"unknown assumption(s) {', '.join(unknown)}; expected some of {', '.join(assumption_names())}"
            )
        return v

    @field_validator("provider_weights")
    @classmethod
    def _provider_weights(cls, v: dict[str, float] | None) -> dict[str, float] | None:
        if v is not None:
            ProviderSettings.model_validate({"weights": v})
        return v

    @field_validator("language", mode="before")
    @classmethod
    def _lang(cls, v: Any) -> str | None:
        return None if v is None else _language(v)

    # --- each domain's own settings, composed from the keys above ---------------------------------------

    @property
    def provider_settings(self) -> ProviderSettings:
        return ProviderSettings.model_validate({"weights": self.provider_weights, "gates": Gates()})

    @property
    def kpi_settings(self) -> KpiSettings:
        return KpiSettings(rag_amber_tolerance=self.rag_amber_tolerance, service_credits=self.service_credits)

    @property
    def risk_settings(self) -> RiskSettings:
        return self.risks


#: keys whose value names a file that must exist in the client folder
FILE_KEYS = ("inventory", "rates", "vendors", "kpis")


def _outside(folder: Path, name: str) -> str | None:
    """Why ``name`` is not a file name inside ``folder``, or None when it is."""
    pure = name.replace("\\", "/")
    if pure.startswith("/") or re.match(r"^[A-Za-z]:", pure) or Path(name).is_absolute():
        return "is an absolute path"
    if ".." in pure.split("/"):
        return "leads out of the client folder (..)"
    try:
        (folder / pure).resolve().relative_to(folder.resolve())
    except ValueError:
        return "is a link to a file outside the client folder"
    except OSError:
        return "cannot be resolved (a loop of links)"
    return None


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
        """The file ``file_name`` inside the client folder; anything leading outside it is refused."""
        why = _outside(self.folder, file_name)
        if why:
            raise ConfigError(f"{CLIENT_FILE}: '{file_name}' {why}; expected a file name inside the client folder")
        return self.folder / file_name.replace("\\", "/")

    def files(self) -> dict[str, Path]:
        """Every input file a run reads, by its client.yaml key (client.yaml itself included)."""
        out = {"client.yaml": self.folder / CLIENT_FILE}
        for key in FILE_KEYS:
            name = getattr(self.config, key)
            if name:
                out[key] = self.path(name)
        return out

    @property
    def language(self) -> str:
        if self.config.language:
            return self.config.language
        from .locations import main_language  # reference data lives with locations

        return main_language(self.config.home_country)

    def inventory(self) -> Inventory:
        """The inventory, checked, with the client's language as default."""
        return load_client_inventory(self)

    def __repr__(self) -> str:
        return f"Client({self.slug!r})"


@dataclass
class FileCheck:
    """What checking one of a client's files found: its problems (a run would stop on them), how it was read."""

    key: str  # the client.yaml key: inventory, rates, vendors, kpis
    file: str
    problems: list[str] = field(default_factory=list)
    summary: str = ""
    notes: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)  # defaults applied, extra columns kept


def check_files(client: Client) -> list[FileCheck]:
    """Read every file a run reads (the inventory, and the rate card, vendors and KPI files where given) with
    the same readers a run uses, and collect their problems instead of stopping at the first file."""
    from .business_case import load_rates
    from .kpis import load_kpis
    from .locations import load_locations
    from .providers import load_vendors

    cfg = client.config
    checks = []
    check = FileCheck("inventory", cfg.inventory)
    try:
        inv = client.inventory()
    except BpoKitError as exc:
        check.problems = list(exc.problems)
    else:
        s = inv.summary()
        check.problems = inv.problems
        check.notes = inv.notes
        check.summary = f"{s['processes']} processes, {s['fte']:,.1f} FTE, annual cost {s['annual_cost']:,.0f}"
        if s["blank_rows_ignored"]:
            check.details.append(f"{s['blank_rows_ignored']} fully blank row(s) ignored")
        defaults = inv.defaults.set_index("column")["default"]
        for column, rows in s["defaults_applied"].items():
            check.details.append(f"default applied: {column} = {defaults[column]} on {rows} row(s)")
        if s["extra_columns"]:
            check.details.append(f"extra columns kept: {', '.join(s['extra_columns'])}")
    checks.append(check)
    known = cfg.candidate_locations or list(load_locations().index)
    readers = {
        "rates": (lambda p: load_rates(p, known), "price(s)"),
        "vendors": (load_vendors, "provider(s)"),
        "kpis": (load_kpis, "KPI report row(s)"),
    }
    for key, (reader, noun) in readers.items():
        name = getattr(cfg, key)
        if not name:
            continue
        check = FileCheck(key, name)
        try:
            table = reader(client.path(name))
        except BpoKitError as exc:
            check.problems = list(exc.problems)
        else:
            check.summary = f"{len(table)} {noun}"
            check.notes = list(table.attrs.get("notes", []))
        checks.append(check)
    return checks


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


def _describe(err: Any, model: type[BaseModel]) -> str:
    loc = _format_loc(err["loc"])
    kind = err["type"]
    if kind == "extra_forbidden":
        parent: type[BaseModel] | None = model
        for part in err["loc"][:-1]:
            field = parent.model_fields.get(str(part)) if parent else None
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
    config: ClientConfig | None = None
    try:
        config = ClientConfig.model_validate(raw)
    except ValidationError as exc:
        problems = [f"{CLIENT_FILE}: {_describe(e, ClientConfig)}" for e in exc.errors()]
    for key in FILE_KEYS:
        name = raw.get(key)
        if not (isinstance(name, str) and name):
            continue
        why = _outside(folder, name)
        if why:
            problems.append(
                f"{CLIENT_FILE}: key '{key}': '{name}' {why}; expected the name of a file inside the client folder"
            )
        elif not (folder / name).is_file():
            problems.append(f"{CLIENT_FILE}: key '{key}': file '{name}' not found in the client folder")
    if problems or config is None:
        raise ConfigError(problems)
    client = Client(folder, config)
    try:
        _ = client.language  # resolve now so that an unknown language is a config error, not a mid-run failure
    except LookupError as exc:
        raise ConfigError(f"{CLIENT_FILE}: key 'language': {exc}") from None
    return client
