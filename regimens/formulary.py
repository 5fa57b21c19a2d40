"""The bundled formulary: drugs, their names and classes, and the products that exist.

Loaded once from the files in ``regimens/data/formulary/`` (one per area; each has ``version``,
``sources`` and ``drugs``, merged into one table). The table is plain reference data; each drug's
products are built as :class:`regimens.products.Product` models the first time they are asked for.
Lookups are case- and space-insensitive and know brand names and synonyms ("Cymbalta",
" OxyCODONE ", "paracetamol"). :meth:`Formulary.find` is the one way a typed name becomes a drug: only
the drug's own name, brand or synonym identifies it; a name that merely contains the query, or is
spelled like it, or is on ISMP's List of Confused Drug Names with it, is offered and marked as such,
never taken as the drug.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from regimens.confused_names import ConfusedNames, ConfusedPair, confused_names, name_key
from regimens.errors import TaperInputError
from regimens.forms import Form, Release, parse_strength
from regimens.products import Ingredient, Product
from regimens.quantity import QuantityError

#: The class-tag vocabulary of ``reference/interactions.md`` §2.1.
CLASS_TAGS = frozenset(
    {
        "opioid",
        "opioid-serotonergic",
        "opioid-prodrug-2D6",
        "cyp3a4-substrate-opioid",
        "benzodiazepine",
        "z-drug",
        "gabapentinoid",
        "SSRI",
        "SNRI",
        "TCA",
        "MAOI",
        "serotonergic",
        "triptan",
        "ergot",
        "NSAID",
        "COX2",
        "muscle-relaxant",
        "alpha2-agonist",
        "sedating-antihistamine",
        "antipsychotic",
        "antiepileptic",
        "lithium",
        "anticoagulant",
        "antiplatelet",
        "ACEi",
        "ARB",
        "RAS-inhibitor",
        "diuretic-loop",
        "diuretic-thiazide",
        "diuretic-K-sparing",
        "beta-blocker",
        "alpha1-blocker",
        "corticosteroid",
        "CNS-depressant",
        "CNS-active-Beers",
        "anticholinergic-strong",
        "QT",
        "CYP2D6-strong-inh",
        "CYP2D6-mod-inh",
        "CYP3A4-strong-inh",
        "CYP3A4-mod-inh",
        "CYP3A4-strong-ind",
        "CYP1A2-strong-inh",
        "CYP1A2-sensitive-substrate",
        "narrow-TI",
        "seizure-threshold-lowering",
        "opioid-antagonist/partial",
        # Classes that matter when deprescribing for older adults (issue 14): each is a group a
        # pharmacist reviews together, whether or not a rule names it yet.
        "PPI",
        "H2-blocker",
        "sulfonylurea",
        "insulin",
        "biguanide",
        "SGLT2-inhibitor",
        "GLP1-agonist",
        "DPP4-inhibitor",
        "thiazolidinedione",
        "statin",
        "lipid-lowering",
        "cholinesterase-inhibitor",
        "NMDA-antagonist",
        "bladder-antimuscarinic",
        "antiparkinson-anticholinergic",
        "dopamine-agonist",
        "stimulant",
        "thyroid-hormone",
        "antithyroid",
        "bisphosphonate",
        "estrogen",
        "progestin",
        "androgen",
        "5-alpha-reductase-inhibitor",
        "calcium-channel-blocker",
        "nitrate",
        "antiarrhythmic",
        "cardiac-glycoside",
        "potassium-supplement",
        "antihistamine",
        "antiemetic",
        "laxative",
        "antidiarrheal",
        "antibiotic",
        "fluoroquinolone",
        "macrolide",
        "antifungal",
        "antiviral",
        "antiretroviral",
        "corticosteroid-local",
        "beta2-agonist",
        "inhaled-antimuscarinic",
        "leukotriene-antagonist",
        "immunosuppressant",
        "DMARD",
        "biologic",
        "antigout",
        "vitamin-mineral",
        "glaucoma",
        "migraine-CGRP",
        "PDE5-inhibitor",
        "alpha-agonist-topical",
        "antispasmodic-GI",
        "aromatase-inhibitor",
        "antineoplastic",
    }
)


class Drug:
    """A formulary entry: one generic (or a two-ingredient combination) and its products.

    Products are built from the raw table the first time they are asked for, so looking up a
    few names does not pay for the whole formulary.
    """

    __slots__ = ("name", "brands", "synonyms", "rxcui", "classes", "ingredients", "source", "evidence", "_raw",
                 "_products")

    def __init__(self, raw: dict[str, Any], classes: frozenset[str]) -> None:
        self.name: str = raw["name"]
        self.brands: tuple[str, ...] = tuple(raw.get("brands", ()))
        self.synonyms: tuple[str, ...] = tuple(raw.get("synonyms", ()))
        self.rxcui: str | None = raw.get("rxcui")
        self.classes = classes
        self.ingredients: tuple[str, ...] = tuple(raw.get("ingredients") or (raw["name"],))
        self.source: str = raw["source"]
        self.evidence: str = raw.get("evidence", "U")
        self._raw = raw
        self._products: tuple[Product, ...] | None = None

    @property
    def is_combination(self) -> bool:
        return len(self.ingredients) > 1

    @property
    def products(self) -> tuple[Product, ...]:
        if self._products is None:
            self._products = _build_products(self._raw, self.ingredients)
        return self._products

    def __repr__(self) -> str:
        return f"Drug({self.name!r})"


#: The lookup key for a name: case-folded, single spaces, no ® or ™ (one rule for every name table).
normalise_name = name_key


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def product_id(drug: str, form: Form, release: Release, strength: str) -> str:
    """"oxycodone-tablet-er-15mg", "alprazolam-tablet-0p5mg": a decimal point is kept as "p", so 12.5 mcg and
    125 mcg never share an id."""
    return legacy_product_id(drug, form, release, re.sub(r"(?<=[0-9])[.](?=[0-9])", "p", strength))


def legacy_product_id(drug: str, form: Form, release: Release, strength: str) -> str:
    """The id case files before schema 5 used, which dropped the decimal point ("alprazolam-tablet-05mg")."""
    rel = {Release.IMMEDIATE: "", Release.EXTENDED: "-er", Release.DELAYED: "-dr"}[release]
    return f"{_slug(drug)}-{form.value}{rel}-{_slug(strength).replace('-', '')}"


class MatchKind(StrEnum):
    """How a typed name found a drug. Only the first three identify the drug; the last two are leads."""

    EXACT = "exact"
    """The generic name (or a combination's ingredients in either order)."""
    BRAND = "brand"
    """A brand name."""
    SYNONYM = "synonym"
    """Another name for the same drug (a salt, an international name)."""
    SUBSTRING = "substring"
    """A name of the drug contains what was typed (a search such as 'oxy')."""
    SUGGESTION = "suggestion"
    """What was typed names no drug; this one is spelled alike or listed by ISMP as confused with it."""


#: The kinds that identify a drug: the only ones a lookup may resolve a typed name to.
IDENTIFYING = frozenset({MatchKind.EXACT, MatchKind.BRAND, MatchKind.SYNONYM})
#: Fewest characters a search must have before names that merely contain it are listed.
MIN_SUBSTRING = 3
#: Most suggestions offered for a name that matches nothing.
MAX_SUGGESTIONS = 6


class Confusion(NamedTuple):
    """An ISMP pair between a name of a matched drug and another name."""

    name: str
    """The matched drug's name as ISMP writes it."""
    confused_with: str
    """The other name as ISMP writes it."""
    drug: str | None
    """The formulary drug the other name belongs to (None when it is not in the formulary)."""
    pair: ConfusedPair


class Match(NamedTuple):
    """A name lookup result: the drug, how the name found it, and the brand when a brand was typed."""

    drug: Drug
    brand: str | None = None
    kind: MatchKind = MatchKind.EXACT
    name: str = ""
    """The formulary name that matched (generic, brand or synonym, as the formulary writes it)."""
    ismp: tuple[Confusion, ...] = ()
    """For a suggestion: the ISMP pairs between the name typed and this drug's names (a lookalike
    offered for what was typed). For any other kind: every ISMP pair naming this drug."""


class Formulary:
    """Indexed access to the bundled drugs and products."""

    def __init__(self, drugs: list[Drug], sources: dict[str, str], version: str,
                 confused: ConfusedNames | None = None) -> None:
        self.drugs = drugs
        self.sources = sources
        self.version = version
        self.confused = confused if confused is not None else ConfusedNames([], {})
        self.by_name: dict[str, Drug] = {d.name: d for d in drugs}
        self._products: dict[str, Product] | None = None
        self._names: dict[str, Match] | None = None
        self._confusion_cache: dict[str, tuple[Confusion, ...]] = {}
        self._conflicts: list[str] = []

    @property
    def _index(self) -> dict[str, Match]:
        """Every name (generic, synonym, brand) by its lookup key, built when a name is first looked up: a
        review of a case file, which names its products by id, never pays for it."""
        if self._names is None:
            self._names = {}
            for drug in self.drugs:
                self._add(drug.name, Match(drug, kind=MatchKind.EXACT, name=drug.name))
                for synonym in drug.synonyms:
                    self._add(synonym, Match(drug, kind=MatchKind.SYNONYM, name=synonym))
                for brand in drug.brands:
                    self._add(brand, Match(drug, brand, MatchKind.BRAND, brand))
        return self._names

    @property
    def conflicts(self) -> list[str]:
        """Names that would point at two drugs (each kept for the first drug that has it)."""
        _ = self._index
        return self._conflicts

    @property
    def products(self) -> dict[str, Product]:
        """Every product by id (built on first use)."""
        if self._products is None:
            self._products = {p.id: p for d in self.drugs for p in d.products}
        return self._products

    def _add(self, name: str, match: Match) -> None:
        assert self._names is not None
        key = normalise_name(name)
        existing = self._names.get(key)
        if existing and existing.drug.name != match.drug.name:
            self._conflicts.append(f"{name!r} names both {existing.drug.name} and {match.drug.name}")
            return
        self._names.setdefault(key, match)

    def names_of(self, drug: Drug) -> tuple[str, ...]:
        """The drug's generic name, brands and synonyms."""
        return (drug.name, *drug.brands, *drug.synonyms)

    def find(self, query: str, *, identifying_only: bool = False) -> list[Match]:
        """Every drug a typed name can mean, best first; the one lookup every reader of a drug name uses.

        First the drug the name identifies (generic, brand or synonym; a combination in either
        ingredient order), then drugs with a name containing the query (at least
        :data:`MIN_SUBSTRING` characters). Only when neither finds anything: spelling suggestions
        and drugs ISMP lists as confused with the name typed, each marked
        :attr:`MatchKind.SUGGESTION`. A suggestion is never a match: readers that turn a name
        into a drug take only the identifying kinds. ``identifying_only`` stops after the first
        step.
        """
        key = normalise_name(query)
        if not key:
            return []
        own = self._identify(key)
        if identifying_only:
            return [own._replace(ismp=self._confusions(own.drug))] if own else []
        found: dict[str, Match] = {}
        if own:
            found[own.drug.name] = own
        if len(key) >= MIN_SUBSTRING:
            containing = sorted((not name.startswith(key), name, match.drug.name)
                                for name, match in self._index.items() if key in name)
            for _, _, drug_name in containing:
                if drug_name not in found:
                    drug = self.by_name[drug_name]
                    label = next(n for n in self.names_of(drug) if key in normalise_name(n))
                    found[drug_name] = Match(drug, kind=MatchKind.SUBSTRING, name=label)
        if found:
            return [m._replace(ismp=self._confusions(m.drug)) for m in found.values()]
        return self._suggestions(key)

    def _identify(self, key: str) -> Match | None:
        if key in self._index:
            return self._index[key]
        if "/" in key:
            parts = [p.strip() for p in key.split("/")]
            resolved = [self._index.get(p) for p in parts]
            if all(m is not None and not m.drug.is_combination for m in resolved):
                wanted = {m.drug.name for m in resolved if m}
                generic = all(m is not None and m.kind is MatchKind.EXACT for m in resolved)
                for drug in self.drugs:
                    if drug.is_combination and set(drug.ingredients) == wanted:
                        return Match(drug, kind=MatchKind.EXACT if generic else MatchKind.SYNONYM, name=drug.name)
        return None

    def _confusions(self, drug: Drug) -> tuple[Confusion, ...]:
        if drug.name not in self._confusion_cache:
            self._confusion_cache[drug.name] = self._find_confusions(drug)
        return self._confusion_cache[drug.name]

    def _find_confusions(self, drug: Drug) -> tuple[Confusion, ...]:
        out = []
        for name in self.names_of(drug):
            key = normalise_name(name)
            for pair in self.confused.pairs_of(name):
                other = pair.other(key)
                target = self._index.get(normalise_name(other))
                out.append(Confusion(next(n for n in pair.names if normalise_name(n) == key), other,
                                     target.drug.name if target else None, pair))
        return tuple(out)

    def _suggestions(self, key: str) -> list[Match]:
        found: dict[str, Match] = {}
        for pair in self.confused.pairs_of(key):
            other = pair.other(key)
            target = self._index.get(normalise_name(other))
            if target is None:
                continue
            listed = next(n for n in pair.names if normalise_name(n) == key)
            confusion = Confusion(other, listed, None, pair)
            previous = found.get(target.drug.name)
            ismp = (*previous.ismp, confusion) if previous else (confusion,)
            found[target.drug.name] = Match(target.drug, target.brand, MatchKind.SUGGESTION, target.name, ismp)
        limit = max_edits(key)
        close = sorted((edit_distance(key, name), name) for name in self._index
                       if abs(len(name) - len(key)) <= limit)
        for distance, name in close:
            if distance > limit:
                break
            target = self._index[name]
            if target.drug.name not in found:
                found[target.drug.name] = Match(target.drug, target.brand, MatchKind.SUGGESTION, target.name)
        return list(found.values())[:MAX_SUGGESTIONS]

    def lookup(self, name: str) -> Match | None:
        """The drug a name identifies (generic, brand or synonym), or None: never a lookalike."""
        found = self.find(name, identifying_only=True)
        return found[0] if found else None

    def get(self, name: str) -> Drug:
        """Like :meth:`lookup`, but an unknown name is an error with suggestions."""
        match = self.lookup(name)
        if match is None:
            raise TaperInputError(self.unknown_message(name))
        return match.drug

    def unknown_message(self, name: str) -> str:
        """Why ``name`` resolves to no drug, with marked suggestions (the same ones ``find`` gives)."""
        text = f"{name.strip()!r} is not in the formulary"
        found = self.find(name)
        suggestions = [m for m in found if m.kind is MatchKind.SUGGESTION]
        if found and not suggestions:
            shown = ", ".join(match_label(m) for m in found[:MAX_SUGGESTIONS])
            more = ", ..." if len(found) > MAX_SUGGESTIONS else ""
            text += f" (it is part of {shown}{more}: type the whole name)"
        if suggestions:
            text += " (did you mean " + " or ".join(match_label(m) for m in suggestions) + "?"
            text += "".join(f" {note}." for note in ismp_notes(suggestions)) + ")"
        return text

    def combinations_with(self, ingredient: str) -> list[Drug]:
        return [d for d in self.drugs if d.is_combination and ingredient in d.ingredients]

    def classes_of(self, ingredient: str) -> frozenset[str]:
        """Class tags of a drug by its formulary name (empty when unknown)."""
        drug = self.by_name.get(ingredient)
        return drug.classes if drug else frozenset()

    def legacy_ids(self) -> dict[str, str]:
        """Ids written before schema 5 (decimal point dropped) to today's, for migrating case files."""
        out: dict[str, str] = {}
        for p in self.products.values():
            old = legacy_product_id(p.drug, p.form, p.release, p.strength)
            if old not in self.products:  # an id that is still a product's own is never rewritten
                out.setdefault(old, p.id)
        return out

    def product(self, drug: str, product_id: str) -> Product | None:
        """The product of ``drug`` with this id (builds only that drug's products), or None."""
        entry = self.by_name.get(drug)
        return next((p for p in entry.products if p.id == product_id), None) if entry else None


def max_edits(key: str) -> int:
    """Most single-letter edits a spelling suggestion may be from the name typed (0 for short names)."""
    return 0 if len(key) < 4 else 1 if len(key) < 8 else 2


def edit_distance(a: str, b: str) -> int:
    """Letters inserted, deleted, changed or swapped with a neighbour to turn ``a`` into ``b``."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def match_label(match: Match) -> str:
    """The matched name, with the generic name after it when a brand or other name matched."""
    return match.name if match.name in ("", match.drug.name) else f"{match.name} ({match.drug.name})"


def ismp_note(match: Match, named: bool = False) -> str:
    """For a suggestion ISMP lists as confused with the name typed: the warning to print with it.

    It calls the suggestion "it" when printed next to its name; ``named`` names it instead.
    """
    if match.kind is not MatchKind.SUGGESTION or not match.ismp:
        return ""
    parts = []
    for c in match.ismp:
        who = "it" if not named and normalise_name(c.name) == normalise_name(match.name) else c.name
        parts.append(f"ISMP lists {who} as confused with {c.confused_with}")
    return "; ".join(parts) + "; check the name"


def ismp_notes(suggestions: list[Match]) -> list[str]:
    """One warning per name typed for all the suggestions ISMP lists as confused with it."""
    confused: dict[str, list[str]] = {}
    for match in suggestions:
        for c in match.ismp if match.kind is MatchKind.SUGGESTION else ():
            confused.setdefault(c.confused_with, []).append(c.name)
    notes = []
    for typed, names in confused.items():
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        notes.append(f"ISMP lists {listed} as confused with {typed}; check the name")
    return notes


def match_note(match: Match) -> str:
    """What a reader shows once a typed name has found its drug: which name matched, and the names
    ISMP lists as confused with the matched name, so a look-alike pick gets a second look."""
    parts = []
    if match.kind is MatchKind.BRAND:
        parts.append(f"{match.name} is a brand name of {match.drug.name}.")
    elif match.kind is MatchKind.SYNONYM:
        parts.append(f"{match.name} is another name for {match.drug.name}.")
    confused: dict[str, list[str]] = {}
    for c in match.ismp if match.kind is not MatchKind.SUGGESTION else ():
        if normalise_name(c.name) == normalise_name(match.name):
            confused.setdefault(c.name, []).append(c.confused_with)
    for name, others in confused.items():
        listed = others[0] if len(others) == 1 else ", ".join(others[:-1]) + " and " + others[-1]
        parts.append(f"ISMP lists {name} as confused with {listed}; check the name.")
    return " ".join(parts)


def suggestion_text(match: Match) -> str:
    """A suggestion as offered: its name, and the ISMP warning when there is one."""
    note = ismp_note(match)
    return match_label(match) + (f" \N{EM DASH} {note}" if note else "")


def _exact(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def _build_products(raw: dict[str, Any], ingredients: tuple[str, ...]) -> tuple[Product, ...]:
    name = raw["name"]
    products = []
    for p in raw["products"]:
        form = Form(p["form"])
        release = Release(p.get("release", "immediate"))
        strength = parse_strength(p["strength"])
        if len(strength.amounts) != len(ingredients):
            raise ValueError(f"{name}: strength {p['strength']!r} does not match {len(ingredients)} ingredient(s)")
        delivered: list[Decimal | None] = [None] * len(ingredients)
        if "delivers" in p:
            actual = parse_strength(p["delivers"])
            if [u for _, u in actual.amounts] != [u for _, u in strength.amounts]:
                raise ValueError(f"{name} {p['strength']}: delivers {p['delivers']!r} is not in the strength's units")
            delivered = [_exact(value) for value, _ in actual.amounts]
        ings = tuple(Ingredient(drug=ing, amount=_exact(value), unit=unit, delivers=real)
                     for ing, (value, unit), real in zip(ingredients, strength.amounts, delivered, strict=True))
        volume = _exact(strength.volume_ml) if strength.volume_ml is not None else None
        try:
            products.append(Product(
                id=product_id(name, form, release, p["strength"]), drug=name, form=form, release=release,
                ingredients=ings, volume_ml=volume, split=p.get("split", "none"),
                interval_hours=p.get("interval_hours"), brand=p.get("brand"),
                source=p.get("source") or raw["source"], evidence=p.get("evidence") or raw.get("evidence", "U"),
                rxcui=p.get("rxcui")))
        except ValidationError as exc:
            problem = "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
            raise ValueError(f"{name} {p['strength']} {form.value}: {problem}") from None
    return tuple(products)


def _build_drug(raw: dict[str, Any], singles: dict[str, dict[str, Any]]) -> Drug:
    ingredients = tuple(raw.get("ingredients") or (raw["name"],))
    classes = set(raw.get("classes", []))
    if len(ingredients) > 1:
        for ing in ingredients:
            classes.update(singles[ing].get("classes", []))
    if raw.get("evidence", "U") not in ("C", "S", "U"):
        raise ValueError(f"{raw['name']}: evidence must be C, S or U")
    return Drug(raw, frozenset(classes))


def validate_products(formulary: Formulary) -> list[str]:
    """Build every product; the problems found (empty when the table is sound)."""
    problems = []
    for drug in formulary.drugs:
        try:
            _ = drug.products
        except (KeyError, QuantityError, ValueError) as exc:
            problems.append(f"formulary entry {drug.name!r}: {exc}")
    return problems


def load_formulary_data(data: dict[str, Any]) -> Formulary:
    """Build a :class:`Formulary` from the JSON structure; raises ``ValueError`` when invalid."""
    singles = {d["name"]: d for d in data["drugs"] if not d.get("ingredients")}
    drugs = []
    for raw in data["drugs"]:
        try:
            drugs.append(_build_drug(raw, singles))
        except (KeyError, QuantityError, ValueError) as exc:
            raise ValueError(f"formulary entry {raw.get('name')!r}: {exc}") from exc
    return Formulary(drugs, dict(data.get("sources", {})), str(data.get("version", "")), confused_names())


#: The folder of formulary files; every ``*.json`` in it is part of the one table.
FORMULARY_DIR = Path(__file__).parent / "data" / "formulary"


def formulary_files() -> list[Path]:
    return sorted(FORMULARY_DIR.glob("*.json"))


def merge_formulary_files(parts: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """One table from the per-area files: sources and drugs joined, the newest version kept.

    A drug defined in two files, or a source id given two different texts, is an error naming both
    files: the table must say one thing about each.
    """
    sources: dict[str, str] = {}
    drugs: list[dict[str, Any]] = []
    where: dict[str, str] = {}
    versions = []
    for name, data in parts:
        versions.append(str(data.get("version", "")))
        for sid, text in data.get("sources", {}).items():
            if sid in sources and sources[sid] != text:
                raise ValueError(f"source {sid!r} is given two different texts ({where['source:' + sid]} and {name})")
            sources[sid] = text
            where.setdefault("source:" + sid, name)
        for raw in data.get("drugs", []):
            key = str(raw.get("name"))
            if key in where:
                raise ValueError(f"formulary entry {key!r} is defined in both {where[key]} and {name}")
            where[key] = name
            drugs.append(raw)
    return {"version": max(versions, default=""), "sources": sources, "drugs": drugs}


def read_formulary_data() -> dict[str, Any]:
    """The bundled formulary files merged into one JSON structure."""
    return merge_formulary_files([(p.name, json.loads(p.read_text("utf-8"))) for p in formulary_files()])


@cache
def get_formulary() -> Formulary:
    """The bundled formulary (loaded once per process)."""
    return load_formulary_data(read_formulary_data())



def classes_of(ingredient: str) -> frozenset[str]:
    """Class tags of a drug in the bundled formulary (empty when unknown)."""
    return get_formulary().classes_of(ingredient)
