"""The product-name matcher: every formulary product written the RxNorm way, and real names."""

from __future__ import annotations

import pytest

from regimens.formulary import get_formulary
from regimens.product_names import NameMatchKind, match_product_name, parse_product_name
from tests.helpers.rxnorm_names import rxnorm_name

PRODUCTS = sorted(get_formulary().products.values(), key=lambda p: p.id)


def test_every_product_written_the_rxnorm_way_matches_itself_in_both_orders() -> None:
    missed = []
    for product in PRODUCTS:
        for reverse in (False, True):
            name = rxnorm_name(product, reverse)
            found = match_product_name(name)
            if found.product is None or found.product.id != product.id:
                missed.append(f"{name!r} -> {found.product.id if found.product else found.kind}: {found.notice}")
    assert not missed, f"{len(missed)} of {2 * len(PRODUCTS)} missed:\n" + "\n".join(missed[:40])


def test_every_product_written_the_formulary_way_matches_itself() -> None:
    missed = []
    for product in PRODUCTS:
        release = {"extended": " ER", "delayed": " DR"}.get(product.release.value, "")
        name = f"{product.drug} {product.strength} {product.form.label}{release}"
        if product.brand:
            name += f" [{product.brand}]"
        found = match_product_name(name)
        if found.product is None or found.product.id != product.id:
            missed.append(f"{name!r} -> {found.product.id if found.product else found.kind}: {found.notice}")
    assert not missed, f"{len(missed)} of {len(PRODUCTS)} missed:\n" + "\n".join(missed[:40])


def test_every_coded_product_is_found_by_its_code_alone() -> None:
    coded = [p for p in PRODUCTS if p.rxcui]
    assert coded
    for product in coded:
        found = match_product_name("", rxcui=product.rxcui)
        assert found.kind is NameMatchKind.RXCUI
        assert found.product is not None and found.product.rxcui == product.rxcui
        assert found.notice == ""


@pytest.mark.parametrize(("name", "product_id"), [
    ("Acetaminophen 325 MG / Hydrocodone Bitartrate 5 MG Oral Tablet", "hydrocodone-acetaminophen-tablet-5mg325mg"),
    ("Hydrocodone Bitartrate 5 MG / Acetaminophen 325 MG Oral Tablet", "hydrocodone-acetaminophen-tablet-5mg325mg"),
    ("hydrocodone-acetaminophen 5-325 mg tab", "hydrocodone-acetaminophen-tablet-5mg325mg"),
    ("24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet", "metformin-tablet-er-500mg"),
    ("metformin HCl ER 500 mg tablet", "metformin-tablet-er-500mg"),
    ("Metformin Hydrochloride 500 MG Oral Tablet", "metformin-tablet-500mg"),
    ("carvedilol 3.125 MG Oral Tablet", "carvedilol-tablet-3p125mg"),
    ("carvedilol 3.13 MG Oral Tablet", "carvedilol-tablet-3p125mg"),
    ("atorvastatin 20 MG Oral Tablet [Lipitor]", "atorvastatin-tablet-20mg"),
    ("ATORVASTATIN CALCIUM 20 MG ORAL TABLET", "atorvastatin-tablet-20mg"),
    ("  atorvastatin   20mg   oral   tablet ", "atorvastatin-tablet-20mg"),
    ("Hydrochlorothiazide 12.5 MG / Lisinopril 20 MG Oral Tablet", "lisinopril-hydrochlorothiazide-tablet-20mg12p5mg"),
    ("lisinopril 10 MG Oral Tablet", "lisinopril-tablet-10mg"),
    ("72 HR fentanyl 0.025 MG/HR Transdermal System", "fentanyl-patch-25mcghr"),
    ("fentanyl 25 mcg/hr patch", "fentanyl-patch-25mcghr"),
    ("albuterol 0.09 MG/ACTUAT Metered Dose Inhaler", "albuterol-inhaler-90mcg"),
    ("3 ML insulin glargine 100 UNT/ML Pen Injector", "insulin-glargine-pen-100unitsml"),
    ("sertraline 20 MG/ML Oral Solution", "sertraline-concentrate-20mgml"),
    ("Levothyroxine Sodium 0.05 MG Oral Tablet", "levothyroxine-tablet-50mcg"),
    ("omeprazole 20 MG Delayed Release Oral Capsule", "omeprazole-capsule-dr-20mg"),
    ("oxycodone hydrochloride 5 MG Oral Tablet", "oxycodone-tablet-5mg"),
    ("12 HR oxycodone hydrochloride 10 MG Extended Release Oral Tablet", "oxycodone-tablet-er-10mg"),
    ("0.4 ML enoxaparin sodium 100 MG/ML Prefilled Syringe", "enoxaparin-injection-40mg0p4ml"),
    ("HYDROCODONE-APAP 5-325 MG TAB", "hydrocodone-acetaminophen-tablet-5mg325mg"),
    ("Norco 5 mg-325 mg tablet", "hydrocodone-acetaminophen-tablet-5mg325mg"),
    ("AMLODIPINE BESYLATE 5 MG TAB", "amlodipine-tablet-5mg"),
    ("OMEPRAZOLE DR 20 MG CAP", "omeprazole-capsule-dr-20mg"),
    ("METOPROLOL SUCC ER 25 MG TAB", "metoprolol-tablet-er-25mg"),
    ("Metoprolol Succinate 25 MG Extended Release Oral Tablet", "metoprolol-tablet-er-25mg"),
    ("metoprolol tartrate 25 MG Oral Tablet", "metoprolol-tablet-25mg"),
    ("POTASSIUM CHLORIDE ER 20 MEQ TAB", "potassium-chloride-tablet-er-20meq"),
    ("FLUTICASONE PROP 50 MCG SPRAY", "fluticasone-nasal-spray-50mcg"),
    ("fluticasone propionate 0.05 MG/ACTUAT Metered Dose Nasal Spray", "fluticasone-nasal-spray-50mcg"),
    ("ALBUTEROL HFA 90 MCG INHALER", "albuterol-inhaler-90mcg"),
    ("albuterol sulfate HFA 90 mcg/actuation inhaler", "albuterol-inhaler-90mcg"),
    ("INSULIN GLARGINE 100 UNIT/ML PEN", "insulin-glargine-pen-100unitsml"),
    ("Eliquis 5 mg tablet", "apixaban-tablet-5mg"),
    ("Lipitor tablet 20 mg", "atorvastatin-tablet-20mg"),
    ("oxycodone tablet 10 mg", "oxycodone-tablet-10mg"),
    ("METFORMIN HCL ER 500 MG 24HR TAB", "metformin-tablet-er-500mg"),
    ("duloxetine 30 MG Delayed Release Oral Capsule [Cymbalta]", "duloxetine-capsule-dr-30mg"),
    ("ESTRADIOL 0.1 MG/24HR PATCH", "estradiol-patch-100mcg24hr"),
    ("AMOXICILLIN 400 MG/5 ML SUSP", "amoxicillin-suspension-400mg5ml"),
    ("amoxicillin 80 MG/ML Oral Suspension", "amoxicillin-suspension-400mg5ml"),
    ("amoxicillin 875 MG / clavulanate potassium 125 MG Oral Tablet", "amoxicillin-clavulanate-tablet-875mg125mg"),
    ("Oxycodone Hydrochloride 5 MG / Acetaminophen 325 MG Oral Tablet [Percocet]",
     "oxycodone-acetaminophen-tablet-5mg325mg"),
    ("lidocaine 50 MG/ML Medicated Patch", "lidocaine-patch-5"),
    ("lidocaine 5 % Topical Patch", "lidocaine-patch-5"),
    ("latanoprost 0.05 MG/ML Ophthalmic Solution", "latanoprost-eye-drops-0p005"),
    ("Buprenorphine 8 MG / Naloxone 2 MG Sublingual Film", "buprenorphine-naloxone-film-8mg2mg"),
    ("clonazepam 0.5 MG Disintegrating Oral Tablet", "clonazepam-odt-0p5mg"),
    ("24 HR rivastigmine 0.396 MG/HR Transdermal System", "rivastigmine-patch-9p5mg24hr"),
    ("nitroglycerin 0.4 MG Sublingual Tablet", "nitroglycerin-sublingual-0p4mg"),
    ("0.5 ML dulaglutide 3 MG/ML Auto-Injector", "dulaglutide-pen-1p5mg"),
    ("insulin lispro 100 UNT/ML Injectable Solution", "insulin-lispro-injection-100unitsml"),
    ("Budesonide 0.16 MG/ACTUAT / formoterol fumarate 0.0045 MG/ACTUAT Metered Dose Inhaler",
     "budesonide-formoterol-inhaler-160mcg4p5mcg"),
    ("tiotropium 0.018 MG Inhalation Powder", "tiotropium-inhaler-18mcg"),
    ("levothyroxine sodium 0.088 MG Oral Tablet [Synthroid]", "levothyroxine-tablet-88mcg"),
    ("bupropion hydrochloride 150 MG 24HR Extended Release Oral Tablet [Wellbutrin XL]", "bupropion-tablet-er-150mg"),
])
def test_real_names(name: str, product_id: str) -> None:
    found = match_product_name(name)
    assert found.product is not None, (name, found.kind, found.notice)
    assert found.product.id == product_id


def test_equal_concentrations_in_other_units() -> None:
    liquids = [p for p in PRODUCTS if p.volume_ml is not None and p.volume_ml == 5 and len(p.ingredients) == 1
               and p.ingredients[0].unit == "mg" and p.form.value in ("solution", "suspension")]
    assert liquids
    for product in liquids[:20]:
        amount = product.ingredients[0].amount
        per_ml = amount / 5
        form = "Oral Solution" if product.form.value == "solution" else "Oral Suspension"
        found = match_product_name(f"{product.drug} {per_ml.normalize():f} MG/ML {form}")
        assert found.product is not None and found.product.id == product.id


def test_rounded_strength_is_marked_rounded() -> None:
    assert match_product_name("carvedilol 3.13 MG Oral Tablet").kind is NameMatchKind.ROUNDED
    assert match_product_name("carvedilol 3.125 MG Oral Tablet").kind is NameMatchKind.NAME


@pytest.mark.parametrize("name", [
    "lisinopril 15 MG Oral Tablet",  # a strength that does not exist
    "carvedilol 3.2 MG Oral Tablet",  # too far from 3.125 to be its rounding
    "metformin 500 MG Oral Capsule",  # a form not listed
    "1 ML semaglutide 1.34 MG/ML Pen Injector",  # the formulary lists the pen by its dose per injection
])
def test_known_drug_without_such_product_is_only_the_drug(name: str) -> None:
    found = match_product_name(name)
    assert found.product is None
    assert found.kind is NameMatchKind.DRUG
    assert found.drug is not None
    assert found.notice


def test_immediate_release_name_never_matches_extended_release() -> None:
    found = match_product_name("oxycodone 10 MG Oral Tablet")
    assert found.product is not None and found.product.release.value == "immediate"


def test_unknown_medicine_is_none() -> None:
    found = match_product_name("Ashwagandha 500 MG Oral Capsule")
    assert found.kind is NameMatchKind.NONE and found.product is None and found.drug is None
    parsed = found.parsed
    assert parsed.name_text == "ashwagandha"
    assert parsed.strength_text == "500 mg"


def test_code_wins_and_a_disagreeing_name_carries_a_notice() -> None:
    coded = next(p for p in PRODUCTS if p.rxcui and p.drug != "lisinopril")
    found = match_product_name("lisinopril 10 MG Oral Tablet", rxcui=coded.rxcui)
    assert found.kind is NameMatchKind.RXCUI
    assert found.product is not None and found.product.id == coded.id
    assert "code was used" in found.notice and "lisinopril" in found.notice
    agreeing = match_product_name(rxnorm_name(coded), rxcui=coded.rxcui)
    assert agreeing.kind is NameMatchKind.RXCUI and agreeing.notice == ""


def test_unknown_code_falls_back_to_the_name() -> None:
    found = match_product_name("lisinopril 10 MG Oral Tablet", rxcui="999999999")
    assert found.product is not None and found.product.id == "lisinopril-tablet-10mg"


def test_brand_in_brackets_is_read() -> None:
    parsed = parse_product_name("atorvastatin 20 MG Oral Tablet [Lipitor]")
    assert parsed.brand == "Lipitor"
    found = match_product_name("simvastatin 20 MG Oral Tablet [Lipitor]")
    assert found.product is not None and "Lipitor" in found.notice


@pytest.mark.parametrize("name", ["Norco 5-325 tablet", "hydrocodone/APAP 5/325 tab", "HYDROCODONE-APAP 5-325 TAB"])
def test_combination_without_a_unit_is_read_as_mg_and_said_so(name: str) -> None:
    found = match_product_name(name)
    assert found.product is not None and found.product.id == "hydrocodone-acetaminophen-tablet-5mg325mg"
    assert "no unit" in found.notice


def test_combination_strength_with_the_unit_once() -> None:
    found = match_product_name("hydrocodone/acetaminophen 10/325 mg tablet")
    assert found.product is not None and found.product.id == "hydrocodone-acetaminophen-tablet-10mg325mg"
    assert found.notice == ""


#: Real RxNorm display names with their codes, as Synthea's cost table quotes them
#: (synthetichealth/synthea, src/main/resources/costs/medications.csv), and the product each is; None where
#: the formulary does not list that product (the drug may still be known).
SYNTHEA_NAMES = [
    ('312617', 'predniSONE 5 MG Oral Tablet', 'prednisone-tablet-5mg'),
    ('1870230', 'NDA020800 0.3 ML Epinephrine 1 MG/ML Auto-Injector', 'epinephrine-pen-0p3mg'),
    ('895994', '120 ACTUAT Fluticasone propionate 0.044 MG/ACTUAT Metered Dose Inhaler', 'fluticasone-inhaler-44mcg'),
    ('2123111', 'NDA020503 200 ACTUAT Albuterol 0.09 MG/ACTUAT Metered Dose Inhaler', 'albuterol-inhaler-90mcg'),
    ('1091392', 'Methylphenidate Hydrochloride 20 MG Oral Tablet', 'methylphenidate-tablet-20mg'),
    ('608139', 'atomoxetine 100 MG Oral Capsule', 'atomoxetine-capsule-100mg'),
    ('313782', 'Acetaminophen 325 MG Oral Tablet', 'acetaminophen-tablet-325mg'),
    ('1000126', '1 ML medroxyprogesterone acetate 150 MG/ML Injection', 'medroxyprogesterone-injection-150mgml'),
    ('1534809', '168 HR Ethinyl Estradiol 0.00146 MG/HR / norelgestromin 0.00625 MG/HR Transdermal System', 'norelgestromin-ethinyl-estradiol-patch-150mcg24hr35mcg24hr'),
    ('896209', '60 ACTUAT Fluticasone propionate 0.25 MG/ACTUAT / salmeterol 0.05 MG/ACTUAT Dry Powder Inhaler', 'fluticasone-salmeterol-inhaler-250mcg50mcg'),
    ('310436', 'Galantamine 4 MG Oral Tablet', 'galantamine-tablet-4mg'),
    ('997223', 'Donepezil hydrochloride 10 MG Oral Tablet', 'donepezil-tablet-10mg'),
    ('1599803', '24 HR Donepezil hydrochloride 10 MG / Memantine hydrochloride 28 MG Extended Release Oral Capsule', None),
    ('996740', 'Memantine hydrochloride 2 MG/ML Oral Solution', 'memantine-solution-2mgml'),
    ('1100184', 'Donepezil hydrochloride 23 MG Oral Tablet', 'donepezil-tablet-23mg'),
    ('106258', 'Hydrocortisone 10 MG/ML Topical Cream', None),
    ('197591', 'Diazepam 5 MG Oral Tablet', 'diazepam-tablet-5mg'),
    ('204892', 'clonazePAM 0.25 MG Oral Tablet', None),
    ('198014', 'Naproxen 500 MG Oral Tablet', 'naproxen-tablet-500mg'),
    ('483438', 'pregabalin 100 MG Oral Capsule', 'pregabalin-capsule-100mg'),
    ('596926', 'duloxetine 20 MG Delayed Release Oral Capsule', 'duloxetine-capsule-dr-20mg'),
    ('1049635', 'Acetaminophen 325 MG / oxyCODONE Hydrochloride 2.5 MG Oral Tablet', 'oxycodone-acetaminophen-tablet-2p5mg325mg'),
    ('197541', 'Colchicine 0.6 MG Oral Tablet', 'colchicine-tablet-0p6mg'),
    ('197319', 'Allopurinol 100 MG Oral Tablet', 'allopurinol-tablet-100mg'),
    ('849574', 'Naproxen sodium 220 MG Oral Tablet', 'naproxen-tablet-220mg'),
    ('312615', 'predniSONE 20 MG Oral Tablet', 'prednisone-tablet-20mg'),
    ('1650142', 'Doxycycline Monohydrate 100 MG Oral Tablet', 'doxycycline-tablet-100mg'),
    ('308182', 'Amoxicillin 250 MG Oral Capsule', 'amoxicillin-capsule-250mg'),
    ('308192', 'Amoxicillin 500 MG Oral Tablet', 'amoxicillin-tablet-500mg'),
    ('309097', 'Cefuroxime 250 MG Oral Tablet', 'cefuroxime-tablet-250mg'),
    ('861467', 'Meperidine Hydrochloride 50 MG Oral Tablet', 'meperidine-tablet-50mg'),
    ('1049221', 'Acetaminophen 325 MG / oxyCODONE Hydrochloride 5 MG Oral Tablet', 'oxycodone-acetaminophen-tablet-5mg325mg'),
    ('857005', 'Acetaminophen 325 MG / HYDROcodone Bitartrate 7.5 MG Oral Tablet', 'hydrocodone-acetaminophen-tablet-7p5mg325mg'),
    ('1049630', 'diphenhydrAMINE Hydrochloride 25 MG Oral Tablet', 'diphenhydramine-tablet-25mg'),
    ('665078', 'Loratadine 5 MG Chewable Tablet', 'loratadine-chewable-5mg'),
    ('311372', 'Loratadine 10 MG Oral Tablet', 'loratadine-tablet-10mg'),
    ('1014678', 'cetirizine hydrochloride 10 MG Oral Tablet', 'cetirizine-tablet-10mg'),
    ('243670', 'Aspirin 81 MG Oral Tablet', 'aspirin-tablet-81mg'),
    ('313820', 'Acetaminophen 160 MG Chewable Tablet', None),
    ('310965', 'Ibuprofen 200 MG Oral Tablet', 'ibuprofen-tablet-200mg'),
    ('1049683', 'oxyCODONE Hydrochloride 10 MG Oral Tablet', 'oxycodone-tablet-10mg'),
    ('864718', 'Methadone Hydrochloride 5 MG Oral Tablet', 'methadone-tablet-5mg'),
    ('860975', '24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet', 'metformin-tablet-er-500mg'),
    ('897122', '3 ML liraglutide 6 MG/ML Pen Injector', None),
    ('1373463', 'canagliflozin 100 MG Oral Tablet', 'canagliflozin-tablet-100mg'),
    ('106892', 'insulin human isophane 70 UNT/ML / Regular Insulin Human 30 UNT/ML Injectable Suspension [Humulin]', 'insulin-isophane-human-insulin-human-injection-70units30unitsml'),
    ('865098', 'Insulin Lispro 100 UNT/ML Injectable Solution [Humalog]', 'insulin-lispro-injection-100unitsml'),
    ('856987', 'Acetaminophen 300 MG / HYDROcodone Bitartrate 5 MG Oral Tablet', None),
    ('1860154', 'Abuse-Deterrent 12 HR Oxycodone Hydrochloride 15 MG Extended Release Oral Tablet', 'oxycodone-tablet-er-15mg'),
    ('904419', 'Alendronic acid 10 MG Oral Tablet', 'alendronate-tablet-10mg'),
    ('105585', 'Methotrexate 2.5 MG Oral Tablet', 'methotrexate-tablet-2p5mg'),
    ('562251', 'Amoxicillin 250 MG / Clavulanate 125 MG Oral Tablet', 'amoxicillin-clavulanate-tablet-250mg125mg'),
    ('834061', 'Penicillin V Potassium 250 MG Oral Tablet', 'penicillin-v-tablet-250mg'),
    ('311989', 'Nitrofurantoin 5 MG/ML Oral Suspension', 'nitrofurantoin-suspension-25mg5ml'),
    ('309362', 'Clopidogrel 75 MG Oral Tablet', 'clopidogrel-tablet-75mg'),
    ('197361', 'Amlodipine 5 MG Oral Tablet', 'amlodipine-tablet-5mg'),
    ('705129', 'Nitroglycerin 0.4 MG/ACTUAT Mucosal Spray', 'nitroglycerin-oral-spray-0p4mg'),
    ('312961', 'Simvastatin 20 MG Oral Tablet', 'simvastatin-tablet-20mg'),
    ('197604', 'Digoxin 0.125 MG Oral Tablet', 'digoxin-tablet-0p125mg'),
    ('259255', 'Atorvastatin 80 MG Oral Tablet', 'atorvastatin-tablet-80mg'),
    ('855332', 'Warfarin Sodium 5 MG Oral Tablet', 'warfarin-tablet-5mg'),
    ('833036', 'Captopril 25 MG Oral Tablet', 'captopril-tablet-25mg'),
    ('198240', 'Tamoxifen 10 MG Oral Tablet', None),
    ('198440', 'Acetaminophen 500 MG Oral Tablet', 'acetaminophen-tablet-500mg'),
    ('199224', 'anastrozole 1 MG Oral Tablet', 'anastrozole-tablet-1mg'),
    ('200064', 'letrozole 2.5 MG Oral Tablet', None),
    ('238100', 'Lorazepam 2 MG/ML Injectable Solution', None),
    ('245314', 'Albuterol 5 MG/ML Inhalation Solution', 'albuterol-nebulizer-solution-5mgml'),
    ('308136', 'amLODIPine 2.5 MG Oral Tablet', 'amlodipine-tablet-2p5mg'),
]


@pytest.mark.parametrize(("code", "name", "product_id"), SYNTHEA_NAMES)
def test_real_rxnorm_names_from_synthea(code: str, name: str, product_id: str | None) -> None:
    found = match_product_name(name)
    assert (found.product.id if found.product is not None else None) == product_id
    coded = match_product_name("", rxcui=code)
    if coded.product is not None:  # where the formulary has the code, code and name agree
        assert coded.product.id == product_id


def test_a_name_without_a_form_takes_the_only_product_of_its_strength_and_says_so() -> None:
    found = match_product_name("oxycodone 10 mg")
    assert found.product is not None and found.product.id == "oxycodone-tablet-10mg"
    assert "no form" in found.notice


@pytest.mark.parametrize("name", ["fentanyl 0.0125 MG/HR Transdermal System",
                                  "72 HR fentanyl 0.0125 MG/HR Transdermal System", "fentanyl 12 mcg/hr patch"])
def test_a_patch_named_by_what_it_delivers_is_the_patch_labelled_otherwise(name):
    """RxNorm names the fentanyl patch labelled 12 mcg/hr by what it delivers, 0.0125 mg/hr (Duragesic PI)."""
    found = match_product_name(name)
    assert found.product is not None and found.product.id == "fentanyl-patch-12mcghr"
