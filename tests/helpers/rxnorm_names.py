"""RxNorm-style display names generated from formulary products, for the product-name matcher's tests."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from regimens.forms import Form, Release
from regimens.products import Product

DOSE_FORM_WORDS = {
    Form.TABLET: "Oral Tablet", Form.CAPSULE: "Oral Capsule", Form.ODT: "Disintegrating Oral Tablet",
    Form.FILM: "Sublingual Film", Form.SOLUTION: "Oral Solution", Form.SUSPENSION: "Oral Suspension",
    Form.CONCENTRATE: "Oral Solution", Form.PATCH: "Transdermal System", Form.GRANULES: "Oral Granules",
    Form.NASAL_SPRAY: "Metered Dose Nasal Spray", Form.CHEWABLE: "Chewable Tablet",
    Form.SUBLINGUAL: "Sublingual Tablet", Form.INHALER: "Metered Dose Inhaler",
    Form.NEBULIZER_SOLUTION: "Inhalation Solution", Form.INJECTION: "Injectable Solution",
    Form.PEN: "Pen Injector", Form.EYE_DROPS: "Ophthalmic Solution", Form.EAR_DROPS: "Otic Solution",
    Form.CREAM: "Topical Cream", Form.OINTMENT: "Topical Ointment", Form.GEL: "Topical Gel",
    Form.LOTION: "Topical Lotion", Form.TOPICAL_SOLUTION: "Topical Solution", Form.FOAM: "Topical Foam",
    Form.SUPPOSITORY: "Rectal Suppository", Form.ENEMA: "Enema", Form.VAGINAL_CREAM: "Vaginal Cream",
    Form.VAGINAL_INSERT: "Vaginal Insert", Form.VAGINAL_RING: "Vaginal System", Form.IMPLANT: "Drug Implant",
    Form.RINSE: "Mouthwash", Form.POWDER: "Oral Powder", Form.TROCHE: "Oral Troche",
    Form.ORAL_SPRAY: "Mucosal Spray",
}


def _figure(value: Fraction) -> str:
    """RxNorm's figures: at most three significant digits after the point, no trailing zeros."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    if exact == exact.to_integral_value():
        return str(int(exact))
    places = max(3, -exact.adjusted() + 2)
    text = str(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
    return text.rstrip("0").rstrip(".")


def _amount(product: Product, index: int) -> str:
    ing = product.ingredients[index]
    value = Fraction(ing.amount)
    if ing.unit == "%":
        return f"{_figure(value * 10)} MG/ML"
    if ing.unit == "mcg/hr":
        return f"{_figure(value / 1000)} MG/HR"
    if ing.unit == "mg/24 hr":
        return f"{_figure(value / 24)} MG/HR"
    if ing.unit == "mcg/24 hr":
        return f"{_figure(value / 1000)} MG/DAY"
    unit = {"mg": "MG", "mcg": "MG", "g": "MG", "units": "UNT", "mEq": "MEQ"}[ing.unit]
    scale: dict[str, Fraction] = {"mcg": Fraction(1, 1000), "g": Fraction(1000)}
    value *= scale.get(ing.unit, Fraction(1))
    if product.volume_ml is not None:
        return f"{_figure(value / Fraction(product.volume_ml))} {unit}/ML"
    if product.form in (Form.INHALER, Form.NASAL_SPRAY):
        return f"{_figure(value)} {unit}/ACTUAT"
    return f"{_figure(value)} {unit}"


def rxnorm_name(product: Product, reverse: bool = False) -> str:
    """"Acetaminophen 325 MG / Hydrocodone Bitartrate 5 MG Oral Tablet": the product written the RxNorm way,
    its ingredients in the formulary's order or (``reverse``) the other way round."""
    parts = [f"{ing.drug} {_amount(product, i)}" for i, ing in enumerate(product.ingredients)]
    if reverse:
        parts.reverse()
    form = DOSE_FORM_WORDS[product.form]
    if product.release is Release.EXTENDED:
        form = "Extended Release " + form
    elif product.release is Release.DELAYED:
        form = "Delayed Release " + form
    if product.form in (Form.INJECTION, Form.PEN) and product.volume_ml is not None and product.volume_ml != 1:
        form = "Prefilled Syringe"
        return f"{_figure(Fraction(product.volume_ml))} ML " + " / ".join(parts) + " " + form
    prefix = "24 HR " if product.release is Release.EXTENDED and product.form is Form.TABLET else ""
    return prefix + " / ".join(parts) + " " + form
