"""Product names as RxNorm and pharmacies write them, matched to formulary products.

:func:`match_product_name` reads "Acetaminophen 325 MG / Hydrocodone Bitartrate 5 MG Oral Tablet",
"24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet", "atorvastatin 20 MG Oral Tablet
[Lipitor]" or "hydrocodone-acetaminophen 5-325 mg tab" into ingredients with amounts, a dose form, a
release and a brand, and finds the formulary product they describe:

- ingredients in any order, any case and spacing, with or without their salt ("hydrochloride",
  "bitartrate", "sodium"...), by generic, brand or synonym;
- amounts compared as quantities: "20 MG/ML" is "100 mg/5 mL", "0.025 MG/HR" is "25 mcg/hr", "10 MG/ML"
  cream is "1%", "0.09 MG/ACTUAT" is an inhaler's "90 mcg", "3 ML insulin ... 100 UNT/ML Pen Injector"
  is the pen of "100 units/mL";
- a strength RxNorm rounds ("carvedilol 3.13 MG", for 3.125 mg) matches the product it rounds (within
  1%), reported as :attr:`NameMatchKind.ROUNDED`;
- a code wins over the name: when ``rxcui`` is a product's code, that product is the answer, and a name
  that says something else puts a notice of the disagreement on the result.

The index of products by ingredient set and by code is built the first time the function is called.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import NamedTuple

from regimens.forms import MASS_UNITS, Form, Release
from regimens.formulary import Drug, Formulary, get_formulary, normalise_name
from regimens.products import Product
from regimens.quantity import format_number

#: Salt and hydrate words RxNorm and pharmacies add to an ingredient's name; dropped when the full name
#: is not itself a formulary name ("potassium chloride" stays whole).
SALT_WORDS = frozenset({
    "hydrochloride", "hcl", "dihydrochloride", "hydrobromide", "hbr", "bitartrate", "tartrate", "sodium",
    "potassium", "calcium", "magnesium", "maleate", "mesylate", "besylate", "succinate", "fumarate",
    "sulfate", "citrate", "acetate", "phosphate", "bromide", "chloride", "malate", "hyclate", "monohydrate",
    "dihydrate", "trihydrate", "anhydrous", "dipropionate", "propionate", "furoate", "xinafoate",
    "tosylate", "lactate", "gluconate", "carbonate", "oxalate", "napsylate", "pamoate", "medoxomil",
    "disodium", "hemihydrate", "sesquihydrate", "monosodium", "free", "base", "as",
    # pharmacy abbreviations of salts, and a propellant written after the name ("albuterol HFA")
    "succ", "tart", "prop", "besyl", "hfa",
})

#: Words RxNorm adds to a name that no formulary name has ("Regular Insulin Human").
NOISE_WORDS = frozenset({"regular", "usp"})

#: RxNorm dose forms (and pharmacy words) to a form, longest phrase first; release words are read apart.
DOSE_FORMS: tuple[tuple[str, Form], ...] = (
    ("disintegrating oral tablet", Form.ODT), ("orally disintegrating tablet", Form.ODT), ("odt", Form.ODT),
    ("chewable tablet", Form.CHEWABLE), ("sublingual tablet", Form.SUBLINGUAL),
    ("sublingual film", Form.FILM), ("buccal film", Form.FILM), ("oral film", Form.FILM), ("film", Form.FILM),
    ("metered dose nasal spray", Form.NASAL_SPRAY), ("nasal spray", Form.NASAL_SPRAY),
    ("nasal solution", Form.NASAL_SPRAY), ("nasal suspension", Form.NASAL_SPRAY),
    ("mucosal spray", Form.ORAL_SPRAY), ("oral spray", Form.ORAL_SPRAY), ("sublingual spray", Form.ORAL_SPRAY),
    ("metered dose inhaler", Form.INHALER), ("dry powder inhaler", Form.INHALER), ("inhalation powder", Form.INHALER),
    ("inhalation spray", Form.INHALER), ("inhaler", Form.INHALER), ("hfa", Form.INHALER),
    ("inhalation solution", Form.NEBULIZER_SOLUTION), ("inhalation suspension", Form.NEBULIZER_SOLUTION),
    ("nebulizer solution", Form.NEBULIZER_SOLUTION),
    ("ophthalmic solution", Form.EYE_DROPS), ("ophthalmic suspension", Form.EYE_DROPS),
    ("ophthalmic emulsion", Form.EYE_DROPS), ("ophthalmic gel", Form.EYE_DROPS),
    ("ophthalmic ointment", Form.EYE_DROPS), ("eye drops", Form.EYE_DROPS), ("ophthalmic", Form.EYE_DROPS),
    ("otic solution", Form.EAR_DROPS), ("otic suspension", Form.EAR_DROPS), ("ear drops", Form.EAR_DROPS),
    ("otic", Form.EAR_DROPS),
    ("vaginal cream", Form.VAGINAL_CREAM), ("vaginal gel", Form.VAGINAL_CREAM),
    ("vaginal ring", Form.VAGINAL_RING), ("vaginal system", Form.VAGINAL_RING),
    ("vaginal insert", Form.VAGINAL_INSERT), ("vaginal tablet", Form.VAGINAL_INSERT),
    ("vaginal suppository", Form.VAGINAL_INSERT), ("vaginal capsule", Form.VAGINAL_INSERT),
    ("rectal suppository", Form.SUPPOSITORY), ("suppository", Form.SUPPOSITORY), ("enema", Form.ENEMA),
    ("rectal suspension", Form.ENEMA), ("rectal foam", Form.FOAM),
    ("topical cream", Form.CREAM), ("cream", Form.CREAM), ("topical ointment", Form.OINTMENT),
    ("ointment", Form.OINTMENT), ("topical gel", Form.GEL), ("gel", Form.GEL), ("topical lotion", Form.LOTION),
    ("lotion", Form.LOTION), ("topical foam", Form.FOAM), ("foam", Form.FOAM),
    ("topical solution", Form.TOPICAL_SOLUTION), ("topical spray", Form.TOPICAL_SOLUTION),
    ("transdermal system", Form.PATCH), ("transdermal patch", Form.PATCH), ("medicated patch", Form.PATCH),
    ("topical patch", Form.PATCH), ("patch", Form.PATCH),
    ("drug implant", Form.IMPLANT), ("implant", Form.IMPLANT),
    ("mouthwash", Form.RINSE), ("oral rinse", Form.RINSE), ("rinse", Form.RINSE),
    ("oral troche", Form.TROCHE), ("troche", Form.TROCHE), ("lozenge", Form.TROCHE),
    ("oral granules", Form.GRANULES), ("granules", Form.GRANULES), ("oral pellet", Form.GRANULES),
    ("powder for oral solution", Form.POWDER), ("oral powder", Form.POWDER), ("topical powder", Form.POWDER),
    ("powder", Form.POWDER),
    ("pen injector", Form.PEN), ("auto-injector", Form.PEN), ("autoinjector", Form.PEN), ("pen", Form.PEN),
    ("prefilled syringe", Form.INJECTION), ("injectable solution", Form.INJECTION),
    ("injectable suspension", Form.INJECTION), ("injection", Form.INJECTION), ("injectable", Form.INJECTION),
    ("cartridge", Form.INJECTION), ("inj", Form.INJECTION),
    ("oral concentrate", Form.CONCENTRATE), ("concentrate", Form.CONCENTRATE),
    ("oral solution", Form.SOLUTION), ("oral syrup", Form.SOLUTION), ("oral elixir", Form.SOLUTION),
    ("solution", Form.SOLUTION), ("syrup", Form.SOLUTION), ("elixir", Form.SOLUTION), ("soln", Form.SOLUTION),
    ("oral suspension", Form.SUSPENSION), ("suspension", Form.SUSPENSION), ("susp", Form.SUSPENSION),
    ("oral capsule", Form.CAPSULE), ("capsule", Form.CAPSULE), ("cap", Form.CAPSULE), ("softgel", Form.CAPSULE),
    ("oral tablet", Form.TABLET), ("tablet", Form.TABLET), ("tab", Form.TABLET), ("caplet", Form.TABLET),
)
_FORM_WORDS = frozenset(w for phrase, _ in DOSE_FORMS for w in phrase.split()) | {"oral", "tablets", "capsules", "tabs",
                                                                                "caps"}
RELEASE_PHRASES: tuple[tuple[str, Release], ...] = (
    ("extended release", Release.EXTENDED), ("extended-release", Release.EXTENDED),
    ("sustained release", Release.EXTENDED), ("controlled release", Release.EXTENDED),
    ("delayed release", Release.DELAYED), ("delayed-release", Release.DELAYED),
    ("enteric coated", Release.DELAYED),
    ("er", Release.EXTENDED), ("xr", Release.EXTENDED), ("xl", Release.EXTENDED), ("sr", Release.EXTENDED),
    ("cr", Release.EXTENDED), ("la", Release.EXTENDED), ("dr", Release.DELAYED), ("ec", Release.DELAYED),
    ("ir", Release.IMMEDIATE), ("immediate release", Release.IMMEDIATE),
)
#: Forms a name may give for a product the formulary writes as another form, tried when the form named
#: has no product of the strength: RxNorm calls a concentrate an oral solution, a pen a prefilled syringe.
COMPATIBLE_FORMS: dict[Form, tuple[Form, ...]] = {
    Form.SOLUTION: (Form.CONCENTRATE,), Form.CONCENTRATE: (Form.SOLUTION,),
    Form.INJECTION: (Form.PEN,), Form.PEN: (Form.INJECTION,),
    Form.CHEWABLE: (Form.TABLET,), Form.SUBLINGUAL: (Form.TABLET,),
}
#: How far a written amount may be from a product's and still be the product it rounds (RxNorm writes
#: 3.125 mg as 3.13, 2.5 mg/3 mL as 0.833 MG/ML).
ROUNDING = Fraction(1, 100)

#: mg in one of each mass unit, and mcg/hr in one of each rate unit.
RATE_MCG_HR: dict[str, Fraction] = {"mcg/hr": Fraction(1), "mg/24 hr": Fraction(1000, 24), "mcg/24 hr": Fraction(1, 24)}

_NUM = r"(?:\d[\d,]*(?:\.\d+)?|\.\d+)"
_NUM_UNIT = r"mg|mcg|µg|ug|g|gm|ml|unt|units?|iu|meq|%"
_DENOM = r"ml|hr|h|24\s*hr|day|d|actuat|actuation|spray|puff|inhal|mg|g|gm"
_STRENGTH = re.compile(
    rf"(?<![a-z0-9.])(?P<value>{_NUM})\s*(?P<unit>{_NUM_UNIT})(?![a-z])"
    rf"(?:\s*/\s*(?:(?P<dvalue>{_NUM})\s*(?P<dunit2>ml|hr|h|day|d)|(?P<dunit>{_DENOM}))(?![a-z]))?")


class NameMatchKind(StrEnum):
    """How a product name found its product."""

    RXCUI = "rxcui"
    """The RxNorm code is a formulary product's code."""
    NAME = "name"
    """The name's ingredients, amounts, form and release are a product's."""
    ROUNDED = "rounded"
    """As NAME, with an amount the name rounds (RxNorm's 3.13 mg for 3.125 mg)."""
    DRUG = "drug"
    """The drug is known, but no product it lists has the name's strength, form and release."""
    NONE = "none"
    """The name names no formulary drug."""


@dataclass(frozen=True)
class ParsedName:
    """What a product name says, before it is matched."""

    text: str
    ingredients: tuple[tuple[str, tuple[tuple[Fraction, str], ...]], ...] = ()
    """(name as written, amounts) per named ingredient or combination; each amount a canonical quantity."""
    form: Form | None = None
    release: Release | None = None
    brand: str | None = None
    form_text: str = ""
    package_ml: Fraction | None = None
    """A leading volume ("0.4 ML enoxaparin sodium 100 MG/ML Prefilled Syringe"): the syringe's or pen's."""
    volume_ml: Fraction | None = None
    """The volume the amounts are written in when it is not 1 mL ("40 mg/0.4 mL", "100 mg/5 mL")."""
    unit_assumed: bool = False
    """True when a combination's amounts were written without a unit and read as mg."""
    strength_text: str = ""
    """The amounts in the formulary's notation ("5 mg/325 mg", "20 mg/mL"), for a line kept as written."""

    @property
    def name_text(self) -> str:
        return "/".join(n for n, _ in self.ingredients)


@dataclass(frozen=True)
class ProductNameMatch:
    """The product (or only the drug) a product name describes, and how it was found."""

    text: str
    kind: NameMatchKind
    product: Product | None = None
    drug: Drug | None = None
    notice: str = ""
    """A disagreement between code and name, or why only the drug (or nothing) matched."""
    parsed: ParsedName = field(default_factory=lambda: ParsedName(""))

    @property
    def matched(self) -> bool:
        return self.product is not None


class _Index(NamedTuple):
    formulary: Formulary
    by_rxcui: dict[str, Product]
    drug_by_rxcui: dict[str, Drug]
    by_ingredients: dict[frozenset[str], list[Drug]]


_INDEX: list[_Index] = []


def code_index(formulary: Formulary) -> tuple[dict[str, Product], dict[str, Drug]]:
    """The formulary's RxNorm codes: clinical-drug code -> product, ingredient code -> drug (built once)."""
    built = _index(formulary)
    return built.by_rxcui, built.drug_by_rxcui


def _index(formulary: Formulary) -> _Index:
    for built in _INDEX:
        if built.formulary is formulary:
            return built
    by_rxcui: dict[str, Product] = {}
    drug_by_rxcui: dict[str, Drug] = {}
    by_ingredients: dict[frozenset[str], list[Drug]] = {}
    for drug in formulary.drugs:
        by_ingredients.setdefault(frozenset(drug.ingredients), []).append(drug)
        if drug.rxcui:
            drug_by_rxcui.setdefault(drug.rxcui, drug)
        for product in drug.products:
            if product.rxcui:
                by_rxcui.setdefault(product.rxcui, product)
    built = _Index(formulary, by_rxcui, drug_by_rxcui, by_ingredients)
    _INDEX[:] = [built]
    return built


def _number(text: str) -> Fraction:
    return Fraction(text.replace(",", ""))


def _quantity(value: Fraction, unit: str, dvalue: Fraction | None, dunit: str | None) -> tuple[Fraction, str]:
    """A written amount as a canonical quantity: ("mg", per unit), ("mg/mL"), ("mcg/hr"), ("units"),
    ("units/mL"), ("mEq"), ("mEq/mL"); a percent is read as 10 mg/mL (w/v, as RxNorm writes it)."""
    unit = {"µg": "mcg", "ug": "mcg", "gm": "g", "unt": "units", "unit": "units", "iu": "units"}.get(unit, unit)
    dunit = re.sub(r"\s+", " ", dunit) if dunit else None
    if unit == "%":
        return value * 10, "mg/mL"
    if unit in ("mg", "mcg", "g"):
        mg = value * MASS_UNITS[unit]
        if dunit is None or dunit in ("actuat", "actuation", "spray", "puff", "inhal"):
            return mg, "mg"
        if dunit == "ml":
            return mg / (dvalue or 1), "mg/mL"
        if dunit in ("mg", "g", "gm"):
            return mg / ((dvalue or 1) * (1 if dunit == "mg" else 1000)) * 1000, "mg/mL"
        hours = (dvalue or 1) * (24 if dunit in ("day", "d", "24 hr", "24hr") else 1)
        return mg * 1000 / hours, "mcg/hr"
    kind = "units" if unit == "units" else "mEq" if unit == "meq" else "mL"
    if dunit == "ml":
        return value / (dvalue or 1), f"{kind}/mL"
    return value, kind


def product_quantities(product: Product, delivered: bool = False) -> dict[str, tuple[Fraction, str]]:
    """Each ingredient's amount in a product as a canonical quantity (the shape :func:`_quantity` gives):
    as labelled, or (``delivered``) what it delivers, which RxNorm writes (fentanyl "0.0125 MG/HR" for the
    patch labelled 12 mcg/hr)."""
    out = {}
    for ing in product.ingredients:
        value = Fraction(ing.exact) if delivered else Fraction(ing.amount)
        if ing.unit == "%":
            out[ing.drug] = (value * 10, "mg/mL")
            continue
        if ing.unit in ("mcg/hr", "mg/24 hr", "mcg/24 hr"):
            out[ing.drug] = (value * RATE_MCG_HR[ing.unit], "mcg/hr")
            continue
        if ing.unit in ("mg", "mcg", "g"):
            value, kind = value * MASS_UNITS[ing.unit], "mg"
        else:
            kind = "units" if ing.unit == "units" else "mEq"
        if product.volume_ml is not None:
            out[ing.drug] = (value / Fraction(product.volume_ml), f"{kind}/mL")
        else:
            out[ing.drug] = (value, kind)
    return out


def _strength_text(amounts: list[tuple[Fraction, str]]) -> str:
    """Amounts in the formulary's notation, for a line kept as written."""
    parts = []
    per_ml = False
    for value, kind in amounts:
        base = kind.removesuffix("/mL")
        per_ml = per_ml or kind.endswith("/mL")
        parts.append(f"{format_number(value)} {base}")
    return "/".join(parts) + ("/mL" if per_ml else "")


def parse_product_name(text: str) -> ParsedName:
    """Read a product name into ingredients with amounts, form, release and brand (never raises)."""
    raw = " ".join(text.replace("®", "").replace("™", "").split())
    brand = None
    found = re.search(r"\[([^\]]+)\]", raw)
    if found:
        brand = found.group(1).strip()
        raw = (raw[:found.start()] + " " + raw[found.end():]).strip()
    lowered = raw.lower()
    # "5-325 mg", "10/325 mg": two amounts in the unit written after the second.
    lowered = re.sub(rf"(?<![\d.])({_NUM})\s*[-/]\s*({_NUM})\s*(mg|mcg|g)\b", r"\1 \3/\2 \3", lowered)
    unit_assumed = False
    if not _STRENGTH.search(lowered):
        # A combination written without a unit ("Norco 5-325 tablet", "hydrocodone/APAP 10/325"): read as mg,
        # said so in the notice, and only ever matched to a product exactly.
        combined = re.sub(rf"(?<![\d.])({_NUM})\s*[-/]\s*({_NUM})(?![\d.])", r"\1 mg/\2 mg", lowered, count=1)
        if combined != lowered and _STRENGTH.search(combined):
            lowered, unit_assumed = combined, True
    package: Fraction | None = None
    hours_prefix = False
    # RxNorm's leading qualifiers: an application number ("NDA020800"), "Abuse-Deterrent", a count of
    # actuations ("120 ACTUAT"), a duration ("24 HR", "168 HR") and a syringe's or pen's volume ("0.4 ML").
    while True:
        prefix = re.match(rf"\s*(?:(?:nda|anda|bla)\d+|abuse-deterrent|\d+\s*actuat|(\d+)\s*hr|({_NUM})\s*ml)\s+",
                          lowered)
        if not prefix:
            break
        hours_prefix = hours_prefix or prefix.group(1) is not None
        if prefix.group(2):
            package = _number(prefix.group(2))
        lowered = lowered[prefix.end():]
    groups: list[tuple[str, list[tuple[Fraction, str, Fraction | None, str | None]]]] = []
    position = 0
    volume: Fraction | None = None
    for m in _STRENGTH.finditer(lowered):
        between = lowered[position:m.start()].strip(" /+,-")
        dvalue = _number(m.group("dvalue")) if m.group("dvalue") else None
        dunit = m.group("dunit") or m.group("dunit2")
        if dunit == "ml" and dvalue is not None and dvalue != 1:
            volume = dvalue
        written = (_number(m.group("value")), m.group("unit"), dvalue, dunit)
        if between or not groups:
            groups.append((between, [written]))
        else:
            groups[-1][1].append(written)
        position = m.end()
    pieces: list[tuple[str, list[tuple[Fraction, str]]]] = []
    for between, written_amounts in groups:
        # "7.5 mg/325 mg/15 mL": the volume written after the last amount is every amount's.
        last = written_amounts[-1]
        if last[3] == "ml":
            written_amounts = [(v, u, last[2], last[3]) if d is None and u != "%" else (v, u, dv, d)
                               for v, u, dv, d in written_amounts]
        quantities = []
        for value, unit, dvalue, dunit in written_amounts:
            quantity = _quantity(value, unit, dvalue, dunit)
            if package is not None and quantity[1] == "mg/mL":
                quantity = (quantity[0], "mg/mL@" + format_number(package))
            quantities.append(quantity)
        pieces.append((between, quantities))
    rest = lowered[position:] if pieces else ""
    release: Release | None = None
    for phrase, rel in RELEASE_PHRASES:
        if re.search(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])", rest):
            release = rel
            rest = re.sub(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])", " ", rest)
            break
    form = None
    for phrase, named in DOSE_FORMS:
        if re.search(rf"(?<![a-z]){re.escape(phrase)}s?(?![a-z])", rest):
            form = named
            break
    # A brand written in parentheses after the name ("(Lipitor)") is read like one in brackets.
    ingredients = []
    for name, amounts in pieces:
        paren = re.search(r"\(([^)]+)\)", name)
        if paren:
            brand = brand or paren.group(1).strip()
            name = (name[:paren.start()] + name[paren.end():]).strip()
        for phrase, rel in RELEASE_PHRASES:  # "metformin HCl ER 500 mg": the release after the name
            pattern = rf"(?<![a-z]){re.escape(phrase)}(?![a-z])"
            if re.search(pattern, name):
                release = release or rel
                name = re.sub(pattern, " ", name)
        ingredients.append((" ".join(name.split()), tuple(amounts)))
    if form is None:  # "oxycodone tablet 10 mg": the form written before the strength
        names = " ".join(n for n, _ in ingredients)
        form = next((named for phrase, named in DOSE_FORMS
                     if re.search(rf"(?<![a-z]){re.escape(phrase)}s?(?![a-z])", names)), None)
    if release is None and hours_prefix and form in (Form.TABLET, Form.CAPSULE, Form.ODT):
        release = Release.EXTENDED
    all_amounts = [a for _, amounts in ingredients for a in amounts]
    return ParsedName(
        text=text, ingredients=tuple(ingredients), form=form, release=release, brand=brand, package_ml=package,
        volume_ml=volume, unit_assumed=unit_assumed,
        form_text=" ".join(rest.split()) if rest.strip() else "",
        strength_text=_strength_text([(v, k.split("@")[0]) for v, k in all_amounts]) if all_amounts else "")


def _resolve(formulary: Formulary, name: str) -> Drug | None:
    """The drug an ingredient (or combination) name identifies, salts dropped when needed."""
    tries = [name, name.replace("-", "/").replace(" and ", "/").replace(" with ", "/")]
    for attempt in tries:
        parts = [p.strip() for p in attempt.split("/") if p.strip()]
        stripped = "/".join(" ".join(w for w in p.split() if w not in SALT_WORDS) or p for p in parts)
        # "Lipitor tablet 20 mg": form words written before the strength.
        bare = "/".join(" ".join(w for w in p.split() if w not in SALT_WORDS and w not in _FORM_WORDS) or p
                        for p in parts)
        for candidate in (attempt, stripped, bare):
            match = formulary.lookup(candidate)
            if match is not None:
                return match.drug
    # The same words in another order ("insulin human isophane" for "insulin isophane human").
    words = frozenset(w for w in normalise_name(name).split() if w not in SALT_WORDS and w not in NOISE_WORDS)
    return _words_index(formulary).get(words) if words else None


_WORDS: list[tuple[Formulary, dict[frozenset[str], Drug]]] = []


def _words_index(formulary: Formulary) -> dict[frozenset[str], Drug]:
    """Each single-drug name (generic and synonyms) by its set of words; a set two drugs share is left out."""
    for built, known in _WORDS:
        if built is formulary:
            return known
    index: dict[frozenset[str], Drug] = {}
    shared: set[frozenset[str]] = set()
    for drug in formulary.drugs:
        if drug.is_combination:
            continue
        for name in (drug.name, *drug.synonyms):
            key = frozenset(normalise_name(name).split())
            if key in index and index[key].name != drug.name:
                shared.add(key)
            index.setdefault(key, drug)
    for key in shared:
        del index[key]
    _WORDS[:] = [(formulary, index)]
    return index


def _close(written: Fraction, listed: Fraction) -> bool:
    return listed != 0 and abs(written - listed) <= abs(listed) * ROUNDING


def _amount_fits(written: tuple[Fraction, str], listed: tuple[Fraction, str], exact: bool) -> bool:
    value, kind = written
    package = None
    if "@" in kind:
        kind, package_text = kind.split("@")
        package = Fraction(package_text)
    options = [(value, kind)]
    if package is not None:
        options.append((value * package, kind.removesuffix("/mL")))
    return any(k == listed[1] and (v == listed[0] or not exact and _close(v, listed[0])) for v, k in options)


def _describe(product: Product) -> str:
    release = "" if product.release is Release.IMMEDIATE else f" ({product.release.value} release)"
    return f"{product.drug} {product.strength} {product.form.label}{release}"


def _match_parsed(formulary: Formulary, parsed: ParsedName) -> ProductNameMatch:
    index = _index(formulary)
    if not parsed.ingredients:
        drug = _resolve(formulary, normalise_name(parsed.text)) if parsed.text.strip() else None
        return ProductNameMatch(parsed.text, NameMatchKind.DRUG if drug else NameMatchKind.NONE, None, drug,
                                "the name gives no strength", parsed)
    # Each written name resolved to drugs, and the amounts given to each single ingredient.
    amounts: dict[str, tuple[Fraction, str]] = {}
    named: set[str] = set()
    for name, written in parsed.ingredients:
        drug = _resolve(formulary, name)
        if drug is None:
            return ProductNameMatch(parsed.text, NameMatchKind.NONE, None, None,
                                    f"{name!r} is not in the formulary", parsed)
        if len(drug.ingredients) != len(written):
            return ProductNameMatch(parsed.text, NameMatchKind.DRUG, None, drug,
                                    f"{name!r} has {len(drug.ingredients)} ingredient(s) but the name gives "
                                    f"{len(written)} amount(s)", parsed)
        for ingredient, amount in zip(drug.ingredients, written, strict=True):
            amounts[ingredient] = amount
            named.add(ingredient)
    drugs = index.by_ingredients.get(frozenset(named), [])
    if not drugs:
        return ProductNameMatch(parsed.text, NameMatchKind.NONE, None, None,
                                f"no formulary drug has exactly the ingredients {', '.join(sorted(named))}",
                                parsed)
    brand_drug = formulary.lookup(parsed.brand) if parsed.brand else None
    for exact in (True, False):
        found = []
        for drug in drugs:
            for product in drug.products:
                if parsed.release is not None and product.release is not parsed.release:
                    continue
                if parsed.release is None and product.release is not Release.IMMEDIATE \
                        and not product.form.is_interval_only:
                    continue
                listed = product_quantities(product)
                delivered = product_quantities(product, delivered=True)
                if all(_amount_fits(amounts[i], listed[i], exact) for i in listed) or \
                        all(_amount_fits(amounts[i], delivered[i], exact) for i in delivered):
                    found.append(product)
        if parsed.form is not None:
            same = [p for p in found if p.form is parsed.form]
            found = same or [p for p in found if p.form in COMPATIBLE_FORMS.get(parsed.form, ())]
        if found:
            if len(found) > 1:
                # Syringes of one concentration differ by volume: the one the name's volume gives, else 1 mL.
                volume = parsed.package_ml or parsed.volume_ml or Fraction(1)
                found = [p for p in found if p.volume_ml is not None and Fraction(p.volume_ml) == volume] or found
            if len(found) > 1 and parsed.brand:
                branded = [p for p in found if p.brand and normalise_name(p.brand) == normalise_name(parsed.brand)]
                found = branded or [p for p in found if p.brand is None] or found
            elif len(found) > 1:
                found = [p for p in found if p.brand is None] or found
            if len({(p.form, p.release) for p in found}) > 1 and parsed.form is None:
                break
            product = found[0]
            notice = ""
            if parsed.unit_assumed:
                if not exact:
                    break
                notice = "the strength has no unit: read as mg"
            if parsed.form is None:
                notice = "; ".join(n for n in (notice, f"the name gives no form: the {product.form.label} is the "
                                                         "only product of this strength") if n)
            if brand_drug is not None and brand_drug.drug.name != product.drug:
                notice = f"the brand {parsed.brand!r} is {brand_drug.drug.name}, not {product.drug}"
            return ProductNameMatch(parsed.text, NameMatchKind.NAME if exact else NameMatchKind.ROUNDED,
                                    product, formulary.by_name[product.drug], notice, parsed)
    drug = drugs[0]
    return ProductNameMatch(parsed.text, NameMatchKind.DRUG, None, drug,
                            f"no {drug.name} product the formulary lists has this strength, form and release",
                            parsed)


def match_product_name(text: str, rxcui: str | None = None, formulary: Formulary | None = None) -> ProductNameMatch:
    """The formulary product (or drug) a product name describes; ``rxcui`` wins when it is a product's code."""
    formulary = formulary or get_formulary()
    index = _index(formulary)
    parsed = parse_product_name(text)
    by_name = _match_parsed(formulary, parsed)
    code = (rxcui or "").strip()
    coded = index.by_rxcui.get(code) if code else None
    if coded is None:
        coded_drug = index.drug_by_rxcui.get(code) if code else None
        if coded_drug is not None and by_name.drug is not None and by_name.drug.name != coded_drug.name:
            return ProductNameMatch(text, by_name.kind, None, coded_drug,
                                    f"RxNorm code {code} is {coded_drug.name} but the name says "
                                    f"{by_name.drug.name}: the code was used", parsed)
        return by_name
    if by_name.product is not None and by_name.product.id == coded.id:
        return ProductNameMatch(text, NameMatchKind.RXCUI, coded, formulary.by_name[coded.drug], by_name.notice, parsed)
    said = _describe(by_name.product) if by_name.product is not None else (
        by_name.drug.name if by_name.drug is not None else (text.strip() or "nothing"))
    notice = (f"RxNorm code {code} is {_describe(coded)} but the name says {said}: the code was used"
              if text.strip() else "")
    return ProductNameMatch(text, NameMatchKind.RXCUI, coded, formulary.by_name[coded.drug], notice, parsed)
