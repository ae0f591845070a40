"""Vocabularies of the assessment reports, each member with its label: what kind of report, over
which category, in which file format, and where its generation stands."""

from __future__ import annotations

from riskgate.core.enums import LabelledEnum
from riskgate.core.i18n import N_


class ReportKind(LabelledEnum):
    # 季度风险评估报告: everything in the actor's scope for a quarter
    quarterly = "quarterly", N_("Quarterly risk assessment report")
    # 专题报告: one hazard class, HS chapter or product category
    category = "category", N_("Risk assessment report by category")


class CategoryDimension(LabelledEnum):
    """How a per-category report chooses its records, signals and assessments."""

    hazard_class = "hazard_class", N_("Hazard class")
    hs_chapter = "hs_chapter", N_("HS chapter")
    product_category = "product_category", N_("Product category")


class ReportStatus(LabelledEnum):
    """pending (requested, waiting for the worker) → ready (file stored) or failed (error kept);
    changes only through its workflow (`analysis_reports.workflow`)."""

    pending = "pending", N_("Being generated")
    ready = "ready", N_("Ready")
    failed = "failed", N_("Failed")


class ReportFormat(LabelledEnum):
    pdf = "pdf", N_("PDF")
    xlsx = "xlsx", N_("Excel")


MEDIA_TYPES = {
    ReportFormat.pdf: "application/pdf",
    ReportFormat.xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# What its audit entries' actions and object types are called on the audit pages
# (declared in domain.py, merged by riskgate.audit.labels).
AUDIT_LABELS: dict[str, str] = {
    "analysis_report.request": N_("Assessment report requested"),
    "analysis_report.generate": N_("Assessment report generated"),
    "analysis_report": N_("Assessment report"),
}
