"""The bundled formulary: drugs, their names and classes, and the products that exist.

Loaded once from ``regimens/data/formulary.json``. The table is plain reference data; each drug's
products are built as :class:`regimens.products.Product` models the first time they are asked for.
Lookups are case- and space-insensitive and
know brand names and synonyms ("Cymbalta", " OxyCODONE ", "paracetamol").
"""

from __future__ import annotations

import difflib
import json
import re
from decimal import Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

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


def normalise_name(text: str) -> str:
    """The lookup key for a name: case-folded, single spaces, no ® or ™."""
    text = text.replace("®", "").replace("™", "")
    return " ".join(text.casefold().split()).replace(" / ", "/")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def product_id(drug: str, form: Form, release: Release, strength: str) -> str:
    rel = {Release.IMMEDIATE: "", Release.EXTENDED: "-er", Release.DELAYED: "-dr"}[release]
    return f"{_slug(drug)}-{form.value}{rel}-{_slug(strength).replace('-', '')}"


class Match(NamedTuple):
    """A name lookup result: the drug, and the brand when a brand name was typed."""

    drug: Drug
    brand: str | None = None


class Formulary:
    """Indexed access to the bundled drugs and products."""

    def __init__(self, drugs: list[Drug], sources: dict[str, str], version: str) -> None:
        self.drugs = drugs
        self.sources = sources
        self.version = version
        self.by_name: dict[str, Drug] = {d.name: d for d in drugs}
        self._products: dict[str, Product] | None = None
        self._index: dict[str, Match] = {}
        self.conflicts: list[str] = []
        for drug in drugs:
            self._add(drug.name, Match(drug))
            for synonym in drug.synonyms:
                self._add(synonym, Match(drug))
            for brand in drug.brands:
                self._add(brand, Match(drug, brand))

    @property
    def products(self) -> dict[str, Product]:
        """Every product by id (built on first use)."""
        if self._products is None:
            self._products = {p.id: p for d in self.drugs for p in d.products}
        return self._products

    def _add(self, name: str, match: Match) -> None:
        key = normalise_name(name)
        existing = self._index.get(key)
        if existing and existing.drug.name != match.drug.name:
            self.conflicts.append(f"{name!r} names both {existing.drug.name} and {match.drug.name}")
            return
        self._index.setdefault(key, match)

    def lookup(self, name: str) -> Match | None:
        """Find a drug by generic, brand or synonym; combinations in either ingredient order."""
        key = normalise_name(name)
        if not key:
            return None
        if key in self._index:
            return self._index[key]
        if "/" in key:
            parts = [p.strip() for p in key.split("/")]
            resolved = [self._index.get(p) for p in parts]
            if all(resolved):
                wanted = {m.drug.name for m in resolved if m}
                for drug in self.drugs:
                    if drug.is_combination and set(drug.ingredients) == wanted:
                        return Match(drug)
        return None

    def get(self, name: str) -> Drug:
        """Like :meth:`lookup`, but an unknown name is an error with suggestions."""
        match = self.lookup(name)
        if match is None:
            raise TaperInputError(self.unknown_message(name))
        return match.drug

    def unknown_message(self, name: str) -> str:
        close = difflib.get_close_matches(normalise_name(name), list(self._index), n=3, cutoff=0.75)
        text = f"{name.strip()!r} is not in the formulary"
        if close:
            text += " (did you mean " + " or ".join(repr(c) for c in close) + "?)"
        return text

    def search(self, query: str) -> list[Drug]:
        """Drugs whose generic, brand or synonym contains ``query`` (exact matches first)."""
        key = normalise_name(query)
        if not key:
            return []
        exact = self.lookup(query)
        found: dict[str, Drug] = {}
        if exact:
            found[exact.drug.name] = exact.drug
        for name, match in sorted(self._index.items()):
            if key in name:
                found.setdefault(match.drug.name, match.drug)
        if not found:
            for name in difflib.get_close_matches(key, list(self._index), n=5, cutoff=0.75):
                found.setdefault(self._index[name].drug.name, self._index[name].drug)
        return list(found.values())

    def combinations_with(self, ingredient: str) -> list[Drug]:
        return [d for d in self.drugs if d.is_combination and ingredient in d.ingredients]

    def classes_of(self, ingredient: str) -> frozenset[str]:
        """Class tags of a drug by its formulary name (empty when unknown)."""
        drug = self.by_name.get(ingredient)
        return drug.classes if drug else frozenset()

    def product(self, drug: str, product_id: str) -> Product | None:
        """The product of ``drug`` with this id (builds only that drug's products), or None."""
        entry = self.by_name.get(drug)
        return next((p for p in entry.products if p.id == product_id), None) if entry else None


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
                source=p.get("source") or raw["source"]))
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
    return Formulary(drugs, dict(data.get("sources", {})), str(data.get("version", "")))


@cache
def get_formulary() -> Formulary:
    """The bundled formulary (loaded once per process)."""
    text = (Path(__file__).parent / "data" / "formulary.json").read_text("utf-8")
    return load_formulary_data(json.loads(text))



def classes_of(ingredient: str) -> frozenset[str]:
    """Class tags of a drug in the bundled formulary (empty when unknown)."""
    return get_formulary().classes_of(ingredient)
