"""Hazard taxonomy and the RASFF / Safety Gate mappings."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from riskgate.catalog.enums import HazardClass, HazardType
from riskgate.catalog.reference import (
    hazard_class,
    hazard_classes,
    hazard_type,
    hazard_types,
    rasff_hazard,
    rasff_hazard_values,
    rasff_hazards,
    safety_gate_hazard,
    safety_gate_hazards,
    safety_gate_risk_values,
)

# Every value seen in the real exports (RASFF 2020-2024, Safety Gate sample), kept here so the
# coverage is tested even where /work/shared/data is absent.
RASFF_CATEGORIES_SEEN = [
    "Adulteration / fraud", "Allergens", "Biocontaminants", "Biological contaminants",
    "Biotoxins (other)", "Chemical contamination (other)", "Composition",
    "Environmental pollutants", "Feed additives", "Food additives and flavourings",
    "Foreign bodies", "GMO / novel food", "Genetically modified", "Heavy metals",
    "Industrial contaminants", "Labelling absent/incomplete/incorrect", "Migration",
    "Mycotoxins", "Natural toxins (other)", "Non-pathogenic micro-organisms",
    "Not determined (other)", "Novel food", "Organoleptic aspects",
    "Packaging defective / incorrect", "Parasitic infestation", "Pathogenic micro-organisms",
    "Pesticide residues", "Poor or insufficient controls", "Radiation",
    "Residues of veterinary medicinal products", "TSEs", "adulteration / fraud", "allergens",
    "biological contaminants (other)", "chemical contaminants (other)", "composition",
    "environmental pollutants", "feed additives", "food additives and flavourings",
    "foreign bodies", "genetically modified food or feed", "industrial contaminants",
    "labelling absent/incomplete/incorrect", "metals", "microbial contaminants (other)",
    "migration", "mycotoxins", "n/a", "natural toxins (other)", "not determined / other",
    "novel food", "organoleptic aspects", "packaging defective / incorrect",
    "parasitic infestation", "pathogenic micro-organisms", "pesticide residues",
    "poor or insufficient controls", "process contaminants", "radiation",
    "residues of veterinary medicinal products",
]  # fmt: skip
SAFETY_GATE_RISKS_SEEN = [
    "Injuries", "Fire", "Chemical", "Electric shock", "Environment", "Choking", "Strangulation",
    "Burns", "Damage to sight", "Drowning", "Cuts", "Entrapment", "Security", "Suffocation",
    "Microbiological",
]  # fmt: skip


def test_classes_match_the_enum() -> None:
    assert [entry.code for entry in hazard_classes()] == list(HazardClass)
    assert hazard_class("fraud").name_zh == "反欺诈"
    assert hazard_class("chemical").label("zh-CN") == "化学危害"
    assert hazard_class("nonsense") is None


def test_types_match_the_enum_and_each_class_has_types() -> None:
    assert {entry.code for entry in hazard_types()} == set(HazardType)
    assert len(hazard_types()) == len(HazardType)
    for entry in hazard_classes():
        assert hazard_types(entry.code), entry.code
    for entry in hazard_types():
        assert entry.name_zh and entry.name_en
        assert isinstance(entry.hazard_class, HazardClass)


@pytest.mark.parametrize(
    ("code", "hazard_class_code"),
    [("pesticide_residues", "chemical"), ("heavy_metals", "chemical"),
     ("mycotoxins", "chemical"), ("food_contact_migration", "chemical"),
     ("restricted_substances", "chemical"), ("phthalates", "chemical"),
     ("choking", "physical"), ("electric_shock", "physical"), ("hearing_damage", "physical"),
     ("pathogenic_microorganisms", "biological"), ("parasites", "biological"),
     ("gmo", "biological"), ("damage_to_sight", "health"), ("allergens", "health"),
     ("novel_food", "health"), ("environmental_risk", "environmental"),
     ("labelling", "fraud"), ("adulteration", "fraud"), ("unauthorised_ingredient", "fraud")],
)  # fmt: skip
def test_type_belongs_to_its_class(code: str, hazard_class_code: str) -> None:
    assert hazard_type(code).hazard_class == hazard_class_code


def test_mapping_values_are_unique() -> None:
    for values in (rasff_hazard_values(), safety_gate_risk_values()):
        folded = [value.casefold() for value in values]
        assert len(folded) == len(set(folded))


@pytest.mark.parametrize("value", RASFF_CATEGORIES_SEEN)
def test_every_rasff_category_seen_maps(value: str) -> None:
    assert rasff_hazard(value) is not None


@pytest.mark.parametrize("value", SAFETY_GATE_RISKS_SEEN)
def test_every_safety_gate_risk_seen_maps(value: str) -> None:
    assert safety_gate_hazard(value) is not None


def test_rasff_examples() -> None:
    assert rasff_hazard("Pesticide residues").code == "pesticide_residues"
    assert rasff_hazard("PESTICIDE  RESIDUES ").hazard_class == "chemical"
    assert rasff_hazard("pathogenic micro-organisms").hazard_class == "biological"
    assert rasff_hazard("GMO/novel food").code == "novel_food"
    assert rasff_hazard("labelling absent / incomplete / incorrect").hazard_class == "fraud"
    assert rasff_hazard("something new") is None
    assert rasff_hazard(None) is None
    field = "Mycotoxins;pesticide residues;Mycotoxins"
    assert [entry.code for entry in rasff_hazards(field)] == ["mycotoxins", "pesticide_residues"]


def test_safety_gate_examples() -> None:
    assert [entry.code for entry in safety_gate_hazards("Fire, Injuries")] == ["fire", "injuries"]
    codes = [entry.code for entry in safety_gate_hazards("Burns, Electric shock, Fire")]
    assert codes == ["burns", "electric_shock", "fire"]
    assert safety_gate_hazard("Chemical").hazard_class == "chemical"
    assert safety_gate_hazard("Damage to sight").hazard_class == "health"
    assert safety_gate_hazard("Environment").hazard_class == "environmental"
    assert safety_gate_hazard("Microbiological").hazard_class == "biological"
    assert safety_gate_hazards(None) == ()
    assert safety_gate_hazards("Unheard-of risk") == ()


@given(st.text())
def test_garbage_never_raises(text: str) -> None:
    rasff_hazard(text)
    safety_gate_hazard(text)
    assert isinstance(rasff_hazards(text), tuple)
    assert isinstance(safety_gate_hazards(text), tuple)


# --- real data ----------------------------------------------------------------------------


def test_every_rasff_category_in_the_real_file_maps(shared_csv) -> None:
    values = {
        part.strip()
        for row in shared_csv("rasff_2020_2024/*.csv")
        for part in row["Hazard Category"].split(";")
        if part.strip()
    }
    assert len(values) > 40
    assert sorted(value for value in values if rasff_hazard(value) is None) == []


def test_every_safety_gate_risk_type_in_the_real_file_maps(shared_csv) -> None:
    values = {
        part.strip()
        for row in shared_csv("eu_safety_gate_sample/safety_gate_alerts.csv")
        for part in row["risk_type"].split(",")
        if part.strip()
    }
    assert len(values) > 10
    assert sorted(value for value in values if safety_gate_hazard(value) is None) == []
