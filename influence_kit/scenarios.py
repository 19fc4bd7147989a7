"""Scenario files: every assumption of the accounting model, explicit and validated.

A scenario is a YAML file (see ``data/scenarios/forrester-us-2009.yaml``). Every
numeric input is a *quantity*: a ``base`` value with a ``low``/``high`` range and
an optional ``distribution`` for sensitivity work, plus its unit and source.
A bare number is accepted as shorthand for a quantity whose range is the single
point ``base``.

Validation is strict: unknown keys, strings where numbers are expected (PyYAML
reads ``256e9`` as a string), negative counts, shares outside [0, 1] and ranges
that do not contain their base value are refused with a message naming the
key. Compositions (network shares, post-type shares) must sum to 1 within
:data:`SHARE_TOLERANCE`, which admits published rounding (Forrester's network
shares sum to 0.99, its post-type shares to 1.01); they are then renormalised
and a note is recorded in :attr:`Scenario.notes`.

Overrides use dotted keys: ``readers_per_post=300`` sets the base value of a
quantity, ``readers_per_post.high=2000`` one of its fields,
``network_shares.facebook=0.5`` one share.
"""

from __future__ import annotations

import copy
import logging
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from .errors import ScenarioError
from .resources import resource, resource_path
from .validation import check_input_file, path_kind

logger = logging.getLogger(__name__)

#: Largest absolute deviation of a composition's sum from 1 that is treated as
#: published rounding (and renormalised) rather than an error.
SHARE_TOLERANCE = 0.02

_STRICT = ConfigDict(extra="forbid", strict=True, frozen=True)

Number = float


class Distribution(BaseModel):
    """A probability distribution for Monte Carlo and global sensitivity work.

    Parameters not given are taken from the owning quantity: ``uniform`` spans
    ``low``..``high``; ``triangular`` and ``pert`` use ``low``/``base``/``high``
    (mode = base); ``lognormal`` has median ``base`` and, unless ``sigma`` is
    given, puts ``low`` and ``high`` at its 5th and 95th percentiles (geometric
    mean of the two implied sigmas); ``normal`` has mean ``base`` and, unless
    ``sd`` is given, ``(high - low) / (2 * 1.645)``.
    """

    model_config = _STRICT

    kind: Literal["uniform", "triangular", "pert", "lognormal", "normal", "fixed"]
    sigma: Annotated[float, Field(gt=0)] | None = None
    sd: Annotated[float, Field(gt=0)] | None = None
    lamb: Annotated[float, Field(gt=0)] = 4.0
    note: str | None = None


class Quantity(BaseModel):
    """A numeric input: base value, plausible range, distribution and provenance."""

    model_config = _STRICT

    base: Number
    low: Number | None = None
    high: Number | None = None
    unit: str | None = None
    source: str | None = None
    note: str | None = None
    distribution: Distribution | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_number(cls, data: Any) -> Any:
        if isinstance(data, (int, float)) and not isinstance(data, bool):
            return {"base": float(data)}
        return data

    @model_validator(mode="after")
    def _check_range(self) -> Quantity:
        for name in ("base", "low", "high"):
            value = getattr(self, name)
            if value is not None and not math.isfinite(value):
                raise ValueError(f"{name} must be a finite number, got {value}")
        low = self.base if self.low is None else self.low
        high = self.base if self.high is None else self.high
        if low > high:
            raise ValueError(f"low ({low:g}) is greater than high ({high:g})")
        if not low <= self.base <= high:
            raise ValueError(f"base ({self.base:g}) lies outside its range [{low:g}, {high:g}]")
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "high", high)
        dist = self.distribution
        if dist is not None:
            if dist.kind in ("uniform", "triangular", "pert") and not low < high:
                raise ValueError(f"a {dist.kind} distribution needs low < high")
            if dist.kind == "lognormal":
                if self.base <= 0:
                    raise ValueError("a lognormal distribution needs base > 0")
                if dist.sigma is None and not (0 < low < self.base < high):
                    raise ValueError(
                        "a lognormal distribution without sigma needs 0 < low < base < high"
                    )
            if dist.kind == "normal" and dist.sd is None and not low < high:
                raise ValueError("a normal distribution without sd needs low < high")
        return self

    @property
    def range(self) -> tuple[float, float]:
        """The ``(low, high)`` range (equal to ``(base, base)`` for a fixed input)."""
        low, high = self.low, self.high
        assert low is not None and high is not None  # filled in by _check_range
        return (float(low), float(high))


def _check_nonnegative(name: str, q: Quantity, *, positive: bool = False) -> None:
    bound = q.low if q.low is not None else q.base
    if positive and bound <= 0:
        raise ValueError(f"{name} must be positive, got {bound:g}")
    if bound < 0:
        raise ValueError(f"{name} must not be negative, got {bound:g}")


def _check_fraction(name: str, q: Quantity) -> None:
    low, high = q.range
    if low < 0 or high > 1:
        raise ValueError(
            f"{name} must lie in [0, 1], got base {q.base:g} range [{q.low:g}, {q.high:g}]"
        )


class Meta(BaseModel):
    """Descriptive information about a scenario."""

    model_config = _STRICT

    name: str
    title: str
    region: str
    year: int
    description: str | None = None


class Segments(BaseModel):
    """Published segment figures (shares of online adults and their audience)."""

    model_config = _STRICT

    mass_connectors_share: Quantity
    mass_mavens_share: Quantity | None = None
    overlap_share: Quantity | None = None
    concentration_share: Quantity
    connectors_mean_friends: Quantity | None = None

    @model_validator(mode="after")
    def _check(self) -> Segments:
        for name in (
            "mass_connectors_share",
            "mass_mavens_share",
            "overlap_share",
            "concentration_share",
        ):
            q = getattr(self, name)
            if q is not None:
                _check_fraction(f"segments.{name}", q)
        if self.connectors_mean_friends is not None:
            _check_nonnegative("segments.connectors_mean_friends", self.connectors_mean_friends)
        if self.overlap_share is not None:
            smaller = min(
                self.mass_connectors_share.base,
                self.mass_mavens_share.base if self.mass_mavens_share else 1.0,
            )
            if self.overlap_share.base > smaller:
                raise ValueError(
                    f"segments.overlap_share ({self.overlap_share.base:g}) exceeds the smaller "
                    f"segment ({smaller:g})"
                )
        return self

    @property
    def mass_influencers_share(self) -> float | None:
        """Share of adults in either segment (union), if both segments are given."""
        if self.mass_mavens_share is None or self.overlap_share is None:
            return None
        return (
            self.mass_connectors_share.base + self.mass_mavens_share.base - self.overlap_share.base
        )


class Headline(BaseModel):
    """The published headline claims the scenario is meant to reproduce."""

    model_config = _STRICT

    total_impressions_claim: Number | None = None
    influencers_share: Number | None = None
    impressions_share: Number | None = None
    source: str | None = None


def _normalise_shares(
    field: str, shares: Mapping[str, Quantity], notes: list[str]
) -> dict[str, Quantity]:
    if not shares:
        raise ValueError(f"{field} must name at least one category")
    for name, q in shares.items():
        _check_fraction(f"{field}.{name}", q)
    total = math.fsum(q.base for q in shares.values())
    if abs(total - 1.0) > SHARE_TOLERANCE + 1e-9:
        raise ValueError(
            f"{field} sum to {total:.4g}; they must sum to 1 (within {SHARE_TOLERANCE} for "
            "published rounding)"
        )
    if total == 1.0:
        return dict(shares)
    notes.append(
        f"{field} summed to {total:.4g} (published rounding) and were renormalised to sum to 1"
    )
    return {
        name: q.model_copy(
            update={"base": q.base / total, "low": q.range[0] / total, "high": q.range[1] / total}
        )
        for name, q in shares.items()
    }


class Scenario(BaseModel):
    """Every input of the influence-impression accounting model.

    Attributes
    ----------
    online_adults
        Number of online adults in the population.
    network_impressions
        Influence impressions per year in social networks (updates x audience).
    network_shares
        Composition of network impressions by network (sums to 1).
    influence_posts
        Influence posts per year (reviews, forum posts, blog comments, blog posts).
    post_type_shares
        Composition of influence posts by type (sums to 1).
    readers_per_post
        Average readers of one influence post (Forrester's assumption: 150).
    readers_per_post_by_type
        Optional readers per post for each post type; missing types use
        ``readers_per_post``.
    advertiser_impressions
        Online advertising impressions per year, for comparison.
    notes
        Normalisations and adjustments made while loading.
    """

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    meta: Meta
    online_adults: Quantity
    network_impressions: Quantity
    network_shares: dict[str, Quantity]
    influence_posts: Quantity
    post_type_shares: dict[str, Quantity]
    readers_per_post: Quantity
    readers_per_post_by_type: dict[str, Quantity] = Field(default_factory=dict)
    advertiser_impressions: Quantity
    segments: Segments | None = None
    headline: Headline | None = None
    sources: dict[str, str] = Field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @field_validator(
        "online_adults",
        "network_impressions",
        "influence_posts",
        "readers_per_post",
        "advertiser_impressions",
    )
    @classmethod
    def _nonnegative(cls, q: Quantity, info: Any) -> Quantity:
        _check_nonnegative(info.field_name, q, positive=info.field_name == "online_adults")
        return q

    @field_validator("advertiser_impressions")
    @classmethod
    def _positive_ads(cls, q: Quantity) -> Quantity:
        if q.range[0] <= 0:
            raise ValueError(f"advertiser_impressions must be positive, got {q.low:g}")
        return q

    @model_validator(mode="after")
    def _compositions(self) -> Scenario:
        notes = list(self.notes)
        net = _normalise_shares("network_shares", self.network_shares, notes)
        posts = _normalise_shares("post_type_shares", self.post_type_shares, notes)
        for name, q in self.readers_per_post_by_type.items():
            if name not in posts:
                raise ValueError(
                    f"readers_per_post_by_type.{name} is not one of the post types {sorted(posts)}"
                )
            _check_nonnegative(f"readers_per_post_by_type.{name}", q)
        object.__setattr__(self, "network_shares", net)
        object.__setattr__(self, "post_type_shares", posts)
        object.__setattr__(self, "notes", tuple(dict.fromkeys(notes)))
        return self

    @property
    def name(self) -> str:
        """Short name of the scenario (``meta.name``)."""
        return self.meta.name

    def quantities(self) -> dict[str, Quantity]:
        """Every numeric input as a flat mapping of dotted key -> quantity."""
        out: dict[str, Quantity] = {}
        for key in (
            "online_adults",
            "network_impressions",
            "influence_posts",
            "readers_per_post",
            "advertiser_impressions",
        ):
            out[key] = getattr(self, key)
        for group in ("network_shares", "post_type_shares", "readers_per_post_by_type"):
            for name, q in getattr(self, group).items():
                out[f"{group}.{name}"] = q
        if self.segments is not None:
            for fname in type(self.segments).model_fields:
                q = getattr(self.segments, fname)
                if q is not None:
                    out[f"segments.{fname}"] = q
        return out

    def base_values(self) -> dict[str, float]:
        """Base value of every numeric input, keyed as in :meth:`quantities`."""
        return {k: float(q.base) for k, q in self.quantities().items()}

    def to_dict(self) -> dict[str, Any]:
        """The validated scenario as plain data (what would be written back to YAML)."""
        return self.model_dump(mode="json", exclude_none=True)


# ---------------------------------------------------------------------------
# Loading and overriding


def _format_validation_error(err: ValidationError, origin: str) -> str:
    first = err.errors()[0]
    loc = ".".join(str(p) for p in first["loc"] if p not in ("function-after",))
    msg = first["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    if first["type"] == "extra_forbidden":
        msg = "unknown key"
    elif first["type"] == "missing":
        msg = "required key is missing"
    elif first["type"] in ("float_type", "int_type") and isinstance(first.get("input"), str):
        msg = (
            f"expected a number, got the string {first['input']!r} (write large numbers as "
            "256_000_000_000 or 2.56e+11)"
        )
    where = f"{loc}: " if loc else ""
    extra = f" (and {len(err.errors()) - 1} more problems)" if len(err.errors()) > 1 else ""
    return f"{origin}: {where}{msg}{extra}"


#: Deepest nesting a scenario document may have (the schema needs four levels).
MAX_DEPTH = 12


def _check_document(data: Any, origin: str, path: str = "", depth: int = 0) -> None:
    """Refuse what no schema field can hold: non-finite numbers and absurd nesting.

    Every number in a scenario is a finite count, share, rate or parameter, so NaN and
    infinities are refused wherever they stand (one line naming the key).
    """
    if depth > MAX_DEPTH:
        raise ScenarioError(f"{origin}: {path or 'document'}: nested more than {MAX_DEPTH} deep")
    if isinstance(data, Mapping):
        for key, value in data.items():
            _check_document(value, origin, f"{path}.{key}" if path else str(key), depth + 1)
    elif isinstance(data, (list, tuple)):
        for i, value in enumerate(data):
            _check_document(value, origin, f"{path}[{i}]", depth + 1)
    elif isinstance(data, float) and not math.isfinite(data):
        raise ScenarioError(f"{origin}: {path}: must be a finite number, got {data}")


def scenario_from_dict(data: Mapping[str, Any], origin: str = "<scenario>") -> Scenario:
    """Validate a mapping as a :class:`Scenario`.

    Parameters
    ----------
    data
        The parsed YAML content.
    origin
        Where the data came from, used in error messages.

    Raises
    ------
    ScenarioError
        With a one-line message naming ``origin`` and the offending key.
    """
    if not isinstance(data, Mapping):
        raise ScenarioError(f"{origin}: a scenario must be a mapping of keys to values")
    _check_document(data, origin)
    try:
        scenario = Scenario.model_validate(dict(data))
    except ValidationError as err:
        raise ScenarioError(_format_validation_error(err, origin)) from None
    for note in scenario.notes:
        logger.info("%s: %s", origin, note)
    return scenario


def list_scenarios() -> list[str]:
    """Names of the scenarios shipped with the package, sorted.

    Each name can be passed to :func:`load_scenario` in place of a path.

    Examples
    --------
    >>> "forrester-us-2009" in list_scenarios()
    True
    """
    folder = resource("data", "scenarios")
    return sorted(
        entry.name.removesuffix(".yaml")
        for entry in folder.iterdir()
        if entry.name.endswith(".yaml") and entry.is_file()
    )


def scenario_file(name_or_path: str | Path) -> Path:
    """The scenario file named by a path or by a shipped scenario's name.

    A path wins when the file exists; otherwise a name from :func:`list_scenarios`
    selects the shipped file.

    Raises
    ------
    ScenarioError
        If ``name_or_path`` is neither an existing file nor a shipped scenario name,
        or names something that is not a readable regular file (a folder, a FIFO,
        ``/dev/stdin``...; see :func:`~influence_kit.validation.check_input_file`).
    """
    path = Path(name_or_path)
    name = str(name_or_path)
    kind = path_kind(path)
    if kind == "regular file":
        return check_input_file(path, "scenario YAML file", error=ScenarioError)
    shipped = list_scenarios()
    if name in shipped:
        return resource_path("data", "scenarios", f"{name}.yaml")
    if kind is not None:  # a folder, a FIFO, /dev/stdin...: say what it is, never open it
        check_input_file(path, "scenario YAML file", error=ScenarioError)
    raise ScenarioError(
        f"{name}: scenario file not found and not a shipped scenario "
        f"(shipped: {', '.join(shipped)})"
    )


class _UniqueKeyLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing a key written twice in one mapping (YAML says a key
    is unique; PyYAML would silently keep the last value)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} appears twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def read_scenario_data(name_or_path: str | Path) -> dict[str, Any]:
    """Read a scenario (a YAML file or a shipped name) into a dictionary, without validating it."""
    p = scenario_file(name_or_path)
    try:
        # _UniqueKeyLoader is a SafeLoader: no tags, no code.
        data = yaml.load(p.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except RecursionError:
        raise ScenarioError(f"{p}: nested too deeply to be a scenario") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ScenarioError(f"{p}: not valid YAML{where}: {getattr(err, 'problem', err)}") from None
    except UnicodeDecodeError:
        raise ScenarioError(f"{p}: not a UTF-8 text file") from None
    if not isinstance(data, dict):
        raise ScenarioError(f"{p}: a scenario must be a mapping of keys to values")
    return data


def parse_override_value(text: str) -> Any:
    """Parse the value part of ``KEY=VALUE``: a number if it looks like one.

    Unlike YAML 1.1, ``256e9`` is read as a number.
    """
    raw = text.strip()
    compact = raw.replace("_", "")
    for convert in (int, float):
        try:
            return convert(compact)
        except ValueError:
            pass
    if raw.lower() in ("true", "false"):
        return raw.lower() == "true"
    if raw.lower() in ("null", "none", "~"):
        return None
    return raw


def parse_overrides(items: Iterable[str] | Mapping[str, Any] | None) -> dict[str, Any]:
    """Turn ``["a.b=1", ...]`` (or a mapping) into ``{"a.b": 1, ...}``."""
    if items is None:
        return {}
    if isinstance(items, Mapping):
        return {
            str(k): parse_override_value(v) if isinstance(v, str) else v for k, v in items.items()
        }
    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = str(item).partition("=")
        if not sep or not key.strip():
            raise ScenarioError(f"override {item!r} must have the form KEY=VALUE")
        if not value.strip():
            raise ScenarioError(f"override {item!r} has no value")
        out[key.strip()] = parse_override_value(value)
    return out


_QUANTITY_FIELDS = set(Quantity.model_fields)
_DISTRIBUTION_FIELDS = set(Distribution.model_fields)


def apply_overrides(
    data: Mapping[str, Any], overrides: Mapping[str, Any], origin: str = "<scenario>"
) -> dict[str, Any]:
    """Return a copy of raw scenario ``data`` with dotted-key ``overrides`` applied.

    Setting a quantity to a number sets its ``base``; if the new base falls
    outside the quantity's range, the range is widened to include it (the
    range describes plausible values, the override is the user's assumption).
    """
    out = copy.deepcopy(dict(data))
    for key, value in overrides.items():
        parts = key.split(".")
        node: Any = out
        for i, part in enumerate(parts[:-1]):
            if not isinstance(node, dict):
                raise ScenarioError(f"override {key}: {'.'.join(parts[:i])} is not a mapping")
            if part not in node:
                # Only a quantity's distribution is a mapping one can create on the way.
                if part == "distribution" and "base" in node:
                    node[part] = {}
                else:
                    unknown = ".".join(parts[: i + 1])
                    raise ScenarioError(f"override {key}: unknown key {unknown!r}")
            elif not isinstance(node[part], dict):
                if part in _QUANTITY_FIELDS and "base" in node:
                    raise ScenarioError(
                        f"override {key}: {'.'.join(parts[: i + 1])} is a plain value, "
                        "it has no fields"
                    )
                node[part] = {"base": node[part]}
            node = node[part]
        last = parts[-1]
        if not isinstance(node, dict):
            raise ScenarioError(f"override {key}: cannot set a field of a plain value")
        in_distribution = len(parts) >= 2 and parts[-2] == "distribution"
        if not (
            last in node
            or (last in _QUANTITY_FIELDS and "base" in node)
            or (in_distribution and last in _DISTRIBUTION_FIELDS)
        ):
            raise ScenarioError(f"override {key}: unknown key {key!r}")
        current = node.get(last)
        if isinstance(current, dict) and "base" in current and not isinstance(value, dict):
            current["base"] = value
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                if "low" in current and isinstance(current["low"], (int, float)):
                    current["low"] = min(current["low"], value)
                if "high" in current and isinstance(current["high"], (int, float)):
                    current["high"] = max(current["high"], value)
        else:
            node[last] = value
    return out


def load_scenario(
    name_or_path: str | Path, overrides: Iterable[str] | Mapping[str, Any] | None = None
) -> Scenario:
    """Load, override and validate a scenario.

    Parameters
    ----------
    name_or_path
        A YAML scenario file, or the name of a shipped scenario (see
        :func:`list_scenarios`); an existing file wins over a name.
    overrides
        ``["readers_per_post=300", ...]`` or ``{"readers_per_post": 300}``.

    Returns
    -------
    Scenario
        The validated scenario.

    Raises
    ------
    ScenarioError
        If the file is missing (and the name is not shipped), not YAML, or fails
        validation.

    Examples
    --------
    >>> s = load_scenario("forrester-us-2009", ["readers_per_post=300"])
    >>> s.readers_per_post.base
    300.0
    """
    origin = str(name_or_path)
    data = read_scenario_data(name_or_path)
    parsed = parse_overrides(overrides)
    if parsed:
        data = apply_overrides(data, parsed, origin=origin)
    return scenario_from_dict(data, origin=origin)
