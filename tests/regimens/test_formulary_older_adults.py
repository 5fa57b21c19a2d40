"""The formulary covers the drugs of the older-adult review lists (issue 14).

Sources of the lists below (names written from the compiler's knowledge of each list; where a list's
membership is uncertain, the comment says so):

- AGS Beers Criteria 2023: 2023 American Geriatrics Society Beers Criteria Update Expert Panel,
  American Geriatrics Society 2023 updated AGS Beers Criteria for potentially inappropriate medication
  use in older adults, J Am Geriatr Soc 2023;71(7):2052-2081, doi:10.1111/jgs.18372 (author manuscript
  https://pmc.ncbi.nlm.nih.gov/articles/PMC12478568), Tables 2 to 7.
- Anticholinergic Cognitive Burden scale: Boustani M, Campbell N, Munger S, Maidment I, Fox C. Impact of
  anticholinergics on the aging brain: a review and practical application. Aging Health 2008;4(3):311-320,
  doi:10.2217/1745509X.4.3.311, and its 2012 update; the scored drugs as compiled in the public dataset
  g-b-f/ACB-data (its "Boustani2008" column, which also holds drugs of the update such as fesoterodine,
  solifenacin, paliperidone and iloperidone), the compilation interactions/data/acb.json already cites.
- ONC high-priority drug-drug interactions: Phansalkar S, Desai AA, Bell D, et al. High-priority
  drug-drug interactions for use in electronic health records. J Am Med Inform Assoc 2012;19(5):735-743,
  doi:10.1136/amiajnl-2011-000612, Table 2 (the 15 pairs; ../shared/reference/interactions.md section 6.2).
- Deprescribing classes: the class groups of issue 14 (US-marketed members, from FDA labels listed in
  DailyMed, https://dailymed.nlm.nih.gov, recalled, not re-read).

Names of drugs that other branches add (top-300 drugs, insulins, GLP-1 agonists, topicals and
contraceptives) are listed too: in this branch alone their lookups fail until those branches merge.
"""

from __future__ import annotations

import pytest

from regimens.formulary import CLASS_TAGS, get_formulary


def names(text: str) -> list[str]:
    """One name per line (names may contain spaces)."""
    return [line.strip() for line in text.strip().splitlines() if line.strip()]


#: Beers 2023 Table 2: potentially inappropriate in most older adults.
BEERS_TABLE_2 = names("""
brompheniramine
carbinoxamine
chlorpheniramine
clemastine
cyproheptadine
dexbrompheniramine
dexchlorpheniramine
dimenhydrinate
diphenhydramine
doxylamine
hydroxyzine
meclizine
promethazine
pyrilamine
triprolidine
benztropine
trihexyphenidyl
atropine
belladonna alkaloids
clidinium
chlordiazepoxide/clidinium
dicyclomine
hyoscyamine
methscopolamine
propantheline
scopolamine
aspirin
warfarin
rivaroxaban
dipyridamole
nitrofurantoin
doxazosin
prazosin
terazosin
clonidine
guanabenz
guanfacine
methyldopa
reserpine
disopyramide
digoxin
dronedarone
nifedipine
amiodarone
amitriptyline
amoxapine
clomipramine
desipramine
doxepin
imipramine
nortriptyline
paroxetine
protriptyline
trimipramine
haloperidol
olanzapine
quetiapine
risperidone
aripiprazole
butalbital
phenobarbital
primidone
amobarbital
butabarbital
mephobarbital
pentobarbital
secobarbital
alprazolam
estazolam
lorazepam
oxazepam
temazepam
triazolam
chlordiazepoxide
clonazepam
clorazepate
diazepam
flurazepam
quazepam
eszopiclone
zaleplon
zolpidem
meprobamate
ergoloid mesylates
isoxsuprine
methyltestosterone
testosterone
thyroid
estradiol
conjugated estrogens
esterified estrogens
somatropin
megestrol
glimepiride
glipizide
glyburide
chlorpropamide
tolazamide
tolbutamide
metoclopramide
mineral oil
omeprazole
esomeprazole
lansoprazole
dexlansoprazole
pantoprazole
rabeprazole
meperidine
pentazocine
diclofenac
diflunisal
etodolac
fenoprofen
flurbiprofen
ibuprofen
ketoprofen
meclofenamate
mefenamic acid
meloxicam
nabumetone
naproxen
oxaprozin
piroxicam
sulindac
tolmetin
salsalate
indomethacin
ketorolac
carisoprodol
chlorzoxazone
cyclobenzaprine
metaxalone
methocarbamol
orphenadrine
desmopressin
""")

#: Beers 2023 Table 3: drug-disease interactions (heart failure, syncope, seizures, delirium, dementia,
#: falls, Parkinson disease, GI bleeding, CKD, urinary incontinence, BPH) beyond Table 2 names.
BEERS_TABLE_3 = names("""
cilostazol
diltiazem
verapamil
pioglitazone
rosiglitazone
donepezil
rivastigmine
galantamine
bupropion
chlorpromazine
clozapine
maprotiline
thioridazine
thiothixene
tramadol
prochlorperazine
pimavanserin
gabapentin
pregabalin
carbamazepine
lamotrigine
levetiracetam
topiramate
valproic acid
sertraline
citalopram
escitalopram
fluoxetine
duloxetine
venlafaxine
oxycodone
hydrocodone
morphine
prednisone
dexamethasone
""")

#: Beers 2023 Table 4: use with caution.
BEERS_TABLE_4 = names("""
dabigatran
prasugrel
ticagrelor
empagliflozin
dapagliflozin
canagliflozin
ertugliflozin
dextromethorphan/quinidine
mirtazapine
oxcarbazepine
furosemide
hydrochlorothiazide
chlorthalidone
spironolactone
""")

#: Beers 2023 Table 5: drug-drug interactions to avoid.
BEERS_TABLE_5 = names("""
lisinopril
losartan
aliskiren
amiloride
triamterene
lithium
phenytoin
theophylline
cimetidine
ciprofloxacin
clarithromycin
erythromycin
azithromycin
sulfamethoxazole
trimethoprim
""")

#: Beers 2023 Table 6: dose or avoid by kidney function.
BEERS_TABLE_6 = names("""
apixaban
edoxaban
enoxaparin
fondaparinux
dofetilide
baclofen
famotidine
nizatidine
colchicine
probenecid
""")

#: Beers 2023 Table 7: strongly anticholinergic drugs beyond Table 2 names.
BEERS_TABLE_7 = names("""
darifenacin
fesoterodine
flavoxate
oxybutynin
solifenacin
tolterodine
trospium
perphenazine
""")

#: Anticholinergic Cognitive Burden scale: every scored drug marketed in the US, and procyclidine (a UK drug,
#: listed by name with no US product); left out: non-US drugs (alimemazine, alverine, methotrimeprazine,
#: nefopam, promazine, propiverine).
ACB = names("""
amitriptyline
amoxapine
atropine
benztropine
brompheniramine
carbinoxamine
chlorpheniramine
chlorpromazine
clemastine
clomipramine
clozapine
darifenacin
desipramine
dicyclomine
dimenhydrinate
diphenhydramine
doxepin
doxylamine
fesoterodine
flavoxate
hydroxyzine
hyoscyamine
imipramine
meclizine
nortriptyline
olanzapine
orphenadrine
oxybutynin
paroxetine
perphenazine
procyclidine
promethazine
propantheline
quetiapine
scopolamine
solifenacin
thioridazine
tolterodine
trifluoperazine
trihexyphenidyl
trimipramine
trospium
amantadine
belladonna alkaloids
carbamazepine
cyclobenzaprine
cyproheptadine
loxapine
meperidine
molindone
oxcarbazepine
pimozide
alprazolam
atenolol
bupropion
captopril
cetirizine
chlorthalidone
cimetidine
clorazepate
codeine
colchicine
diazepam
digoxin
dipyridamole
disopyramide
fentanyl
fluvoxamine
furosemide
haloperidol
hydralazine
hydrocortisone
isosorbide mononitrate
isosorbide dinitrate
loperamide
loratadine
metoprolol
morphine
nifedipine
prednisone
quinidine
ranitidine
risperidone
theophylline
trazodone
triamterene
warfarin
aripiprazole
asenapine
iloperidone
paliperidone
pyrilamine
clidinium
levocetirizine
desloratadine
""")

#: ONC high-priority DDI list (Phansalkar 2012): the drugs its 15 class pairs name.
ONC = names("""
amphetamine
dextroamphetamine
methamphetamine
lisdexamfetamine
pseudoephedrine
atomoxetine
phenelzine
tranylcypromine
isocarboxazid
procarbazine
selegiline
atazanavir
omeprazole
esomeprazole
lansoprazole
dexlansoprazole
pantoprazole
rabeprazole
febuxostat
azathioprine
mercaptopurine
fluoxetine
sertraline
paroxetine
citalopram
escitalopram
fluvoxamine
duloxetine
desvenlafaxine
milnacipran
venlafaxine
nefazodone
irinotecan
ketoconazole
itraconazole
clarithromycin
ritonavir
cobicistat
morphine
oxycodone
hydrocodone
hydromorphone
oxymorphone
fentanyl
methadone
codeine
meperidine
tapentadol
tramadol
amitriptyline
nortriptyline
imipramine
desipramine
clomipramine
doxepin
trimipramine
protriptyline
amoxapine
ramelteon
ciprofloxacin
rifampin
carbamazepine
phenytoin
darunavir
lopinavir
saquinavir
indinavir
nelfinavir
fosamprenavir
tipranavir
simvastatin
lovastatin
atorvastatin
ergotamine
dihydroergotamine
methylergonovine
tizanidine
sumatriptan
rizatriptan
zolmitriptan
eletriptan
naratriptan
almotriptan
frovatriptan
""")

#: Deprescribing classes for older adults: (class tag, US members).
CLASSES: dict[str, list[str]] = {
    "PPI": names("omeprazole\nesomeprazole\nlansoprazole\ndexlansoprazole\npantoprazole\nrabeprazole"),
    "H2-blocker": names("famotidine\ncimetidine\nnizatidine\nranitidine"),
    "sulfonylurea": names("glimepiride\nglipizide\nglyburide\nchlorpropamide\ntolazamide\ntolbutamide"),
    "insulin": names("insulin glargine\ninsulin lispro\ninsulin aspart\ninsulin degludec\ninsulin detemir"),
    "cholinesterase-inhibitor": names("donepezil\nrivastigmine\ngalantamine"),
    "NMDA-antagonist": names("memantine"),
    "bladder-antimuscarinic": names("oxybutynin\ntolterodine\nsolifenacin\ndarifenacin\nfesoterodine\n"
                                    "trospium\nflavoxate"),
    "antiparkinson-anticholinergic": names("benztropine\ntrihexyphenidyl"),
    "benzodiazepine": names("alprazolam\nchlordiazepoxide\nclobazam\nclonazepam\nclorazepate\ndiazepam\n"
                            "estazolam\nflurazepam\nlorazepam\nmidazolam\noxazepam\nquazepam\ntemazepam\n"
                            "triazolam"),
    "statin": names("atorvastatin\nfluvastatin\nlovastatin\npitavastatin\npravastatin\nrosuvastatin\n"
                    "simvastatin"),
    "anticoagulant": names("warfarin\napixaban\nrivaroxaban\ndabigatran\nedoxaban\nenoxaparin\nheparin\n"
                           "fondaparinux\ndalteparin"),
    "stimulant": names("amphetamine\ndextroamphetamine\nlisdexamfetamine\nmethamphetamine\n"
                       "methylphenidate\ndexmethylphenidate\nmodafinil\narmodafinil\nsolriamfetol"),
    "antipsychotic": names("aripiprazole\nasenapine\nbrexpiprazole\ncariprazine\nchlorpromazine\nclozapine\n"
                           "fluphenazine\nhaloperidol\niloperidone\nloxapine\nlumateperone\nlurasidone\n"
                           "molindone\nolanzapine\npaliperidone\nperphenazine\npimavanserin\npimozide\n"
                           "quetiapine\nrisperidone\nthioridazine\nthiothixene\ntrifluoperazine\nziprasidone"),
    "sedating-antihistamine": names("brompheniramine\ncarbinoxamine\nchlorpheniramine\nclemastine\n"
                                    "cyproheptadine\ndexbrompheniramine\ndexchlorpheniramine\n"
                                    "dimenhydrinate\ndiphenhydramine\ndoxylamine\nhydroxyzine\nmeclizine\n"
                                    "promethazine\npyrilamine\ntriprolidine"),
}

#: Other drugs of the brief's deprescribing groups, without a class tag to check.
OTHER_GROUP_DRUGS = names("""
hyoscyamine
scopolamine
chlordiazepoxide/clidinium
belladonna alkaloids
butalbital
amobarbital
butabarbital
pentobarbital
secobarbital
phenobarbital
digoxin
amiodarone
dronedarone
disopyramide
dipyridamole
methyldopa
guanfacine
nifedipine
megestrol
mineral oil
desmopressin
meprobamate
conjugated estrogens
esterified estrogens
estradiol
""")

LISTS = {"Beers 2023 Table 2": BEERS_TABLE_2, "Beers 2023 Table 3": BEERS_TABLE_3,
         "Beers 2023 Table 4": BEERS_TABLE_4, "Beers 2023 Table 5": BEERS_TABLE_5,
         "Beers 2023 Table 6": BEERS_TABLE_6, "Beers 2023 Table 7": BEERS_TABLE_7,
         "ACB": ACB, "ONC": ONC, "other groups": OTHER_GROUP_DRUGS,
         **{f"class {tag}": members for tag, members in CLASSES.items()}}

ALL_NAMES = sorted({name for members in LISTS.values() for name in members})
CLASS_MEMBERS = sorted((tag, name) for tag, members in CLASSES.items() for name in members)


def test_the_lists_are_lowercase_and_without_repeats():
    for title, members in LISTS.items():
        assert len(set(members)) == len(members), title
        assert all(name == name.lower() for name in members), title


def test_the_class_tags_exist():
    assert set(CLASSES) <= CLASS_TAGS


@pytest.mark.parametrize("name", ALL_NAMES)
def test_each_listed_drug_is_in_the_formulary(name):
    match = get_formulary().lookup(name)
    assert match is not None, f"{name} is not in the formulary"
    assert match.drug.name == name


@pytest.mark.parametrize(("tag", "name"), CLASS_MEMBERS)
def test_class_members_carry_the_class_tag(tag, name):
    match = get_formulary().lookup(name)
    assert match is not None, f"{name} is not in the formulary"
    assert tag in match.drug.classes
