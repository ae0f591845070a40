"""Closed vocabularies of the reference catalogue.

Each enum's values are the snake_case codes stored in the database and in the packaged data files
(warning levels use the Roman numerals "I".."IV"). Labels in Chinese and English of the coded
entries (hazards, channels, measures…) live in the data files and are reached through the loaders
in `riskgate.catalog.reference`; the small closed vocabularies the catalogue pages show beside
them (owners, kinds, scopes, port types) are labelled enums (`value|label`).
"""

from __future__ import annotations

from enum import StrEnum

from riskgate.core.enums import LabelledEnum
from riskgate.core.i18n import N_


class HazardClass(StrEnum):
    """The six hazard classes of the monitoring framework (健康/物理/化学/生物/环境危害, 反欺诈)."""

    health = "health"
    physical = "physical"
    chemical = "chemical"
    biological = "biological"
    environmental = "environmental"
    fraud = "fraud"


class HazardType(StrEnum):
    """Finer hazard types; each belongs to exactly one `HazardClass` (see hazard_types.csv)."""

    # health
    damage_to_sight = "damage_to_sight"
    allergens = "allergens"
    food_additives = "food_additives"
    novel_food = "novel_food"
    composition = "composition"
    organoleptic = "organoleptic"
    security_privacy = "security_privacy"
    health_risk_other = "health_risk_other"
    # physical
    injuries = "injuries"
    choking = "choking"
    cuts = "cuts"
    burns = "burns"
    electric_shock = "electric_shock"
    fire = "fire"
    strangulation = "strangulation"
    suffocation = "suffocation"
    entrapment = "entrapment"
    drowning = "drowning"
    fall = "fall"
    hearing_damage = "hearing_damage"
    electromagnetic_disturbance = "electromagnetic_disturbance"
    foreign_bodies = "foreign_bodies"
    packaging_defect = "packaging_defect"
    # chemical
    pesticide_residues = "pesticide_residues"
    veterinary_drug_residues = "veterinary_drug_residues"
    heavy_metals = "heavy_metals"
    mycotoxins = "mycotoxins"
    natural_toxins = "natural_toxins"
    industrial_contaminants = "industrial_contaminants"
    process_contaminants = "process_contaminants"
    environmental_contaminants = "environmental_contaminants"
    food_contact_migration = "food_contact_migration"
    restricted_substances = "restricted_substances"
    phthalates = "phthalates"
    feed_additives = "feed_additives"
    radioactivity = "radioactivity"
    chemical_other = "chemical_other"
    # biological
    pathogenic_microorganisms = "pathogenic_microorganisms"
    microbial_contamination = "microbial_contamination"
    parasites = "parasites"
    gmo = "gmo"
    tse = "tse"
    quarantine_pests = "quarantine_pests"
    animal_plant_disease = "animal_plant_disease"
    # environmental
    environmental_risk = "environmental_risk"
    solid_waste = "solid_waste"
    emissions = "emissions"
    invasive_species = "invasive_species"
    energy_efficiency = "energy_efficiency"
    # fraud
    adulteration = "adulteration"
    counterfeit = "counterfeit"
    labelling = "labelling"
    documentation = "documentation"
    unauthorised_ingredient = "unauthorised_ingredient"
    false_origin = "false_origin"
    insufficient_controls = "insufficient_controls"


class SourceOwner(LabelledEnum):
    """Kind of organisation that owns an information source or channel."""

    customs = "customs", N_("Customs")
    market_regulator = "market_regulator", N_("Market regulator")
    food_drug = "food_drug", N_("Food and drug regulator")
    police = "police", N_("Police")
    environment = "environment", N_("Environment")
    health = "health", N_("Health")
    any = "any", N_("Any unit")
    enterprise = "enterprise", N_("Enterprise")
    lab = "lab", N_("Laboratory")
    public = "public", N_("The public")


class ChannelKind(LabelledEnum):
    """Whether a `SourceChannel` names an information source (M2), a channel (M3) or a feed."""

    source = "source", N_("Information source")
    channel = "channel", N_("Collection channel")
    feed = "feed", N_("Automated feed")


class SourceChannel(StrEnum):
    """Where risk information comes from (信息来源) and how it arrives (采集渠道), M2 + M3."""

    # customs (M2)
    inspection_supervision = "inspection_supervision"
    certification_supervision = "certification_supervision"
    foreign_notice = "foreign_notice"
    export_return = "export_return"
    foreign_government_notice = "foreign_government_notice"
    single_window = "single_window"
    # market regulator (M2)
    product_accident = "product_accident"
    market_spot_check = "market_spot_check"
    producer_report = "producer_report"
    # food and drug (M2)
    food_safety = "food_safety"
    cosmetic_injury = "cosmetic_injury"
    medical_device_adverse_event = "medical_device_adverse_event"
    # police (M2)
    traffic_accident = "traffic_accident"
    fire_accident = "fire_accident"
    # environment (M2)
    environmental_hazard = "environmental_hazard"
    # health (M2)
    foodborne_disease = "foodborne_disease"
    injury = "injury"
    # every unit, labs, enterprises (M2, M5)
    public_opinion = "public_opinion"
    lab_result = "lab_result"
    enterprise_self_inspection = "enterprise_self_inspection"
    enterprise_accident_report = "enterprise_accident_report"
    monitoring_plan_sampling = "monitoring_plan_sampling"
    quarterly_submission = "quarterly_submission"
    # channels (M3)
    hotline_12315 = "hotline_12315"
    hotline_12360 = "hotline_12360"
    hotline_12345 = "hotline_12345"
    portal = "portal"
    new_media = "new_media"
    mobile_app = "mobile_app"
    whistleblower = "whistleblower"
    foreign_partner_investigation = "foreign_partner_investigation"
    research_cooperation = "research_cooperation"
    # automated feeds of foreign notices
    feed_rasff = "feed_rasff"
    feed_safety_gate = "feed_safety_gate"
    feed_cpsc = "feed_cpsc"


class MeasureScope(LabelledEnum):
    """Where a rapid-response measure applies: at the border, in the market, or both."""

    border = "border", N_("At the border")
    market = "market", N_("In the market")
    both = "both", N_("Border and market")


class MeasureType(StrEnum):
    """Rapid-response measures (快速反应措施), requirement R2."""

    credit_downgrade = "credit_downgrade"
    trace_investigation = "trace_investigation"
    defect_recall = "defect_recall"
    targeted_supervision = "targeted_supervision"
    restrict_trade = "restrict_trade"
    ban_trade = "ban_trade"
    seal = "seal"
    seize = "seize"
    return_shipment = "return_shipment"
    suspend_sales = "suspend_sales"
    destroy = "destroy"
    port_control = "port_control"
    interview = "interview"


class WarningLevel(StrEnum):
    """Warning levels I (most severe, red) to IV (blue), requirement W1."""

    I = "I"  # noqa: E741 - the Roman numeral is the domain's own name
    II = "II"
    III = "III"
    IV = "IV"


class WarningType(StrEnum):
    """Warning types by audience, requirement W2."""

    bulletin = "bulletin"
    notice = "notice"
    announcement = "announcement"


class Audience(StrEnum):
    """Who a warning type is addressed to."""

    regulators = "regulators"
    producers_operators = "producers_operators"
    public = "public"


class PortType(LabelledEnum):
    """Mode of transport of a port of entry (口岸类型)."""

    sea = "sea", N_("Sea port")
    river = "river", N_("River port")
    air = "air", N_("Airport")
    land = "land", N_("Land crossing")
    rail = "rail", N_("Rail port")


class RegionLevel(StrEnum):
    """Level of a Chinese administrative division (GB/T 2260)."""

    province = "province"
    prefecture = "prefecture"
    county = "county"
