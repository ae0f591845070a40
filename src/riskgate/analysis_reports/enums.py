"""Vocabularies of the assessment reports: what kind of report, over which category, in which
file format."""

from __future__ import annotations

from enum import StrEnum

from riskgate.core.i18n import N_


class ReportKind(StrEnum):
    quarterly = "quarterly"  # 季度风险评估报告: everything in the actor's scope for a quarter
    category = "category"  # 专题报告: one hazard class, HS chapter or product category


class CategoryDimension(StrEnum):
    """How a per-category report chooses its records, signals and assessments."""

    hazard_class = "hazard_class"
    hs_chapter = "hs_chapter"
    product_category = "product_category"


class ReportStatus(StrEnum):
    """pending (requested, waiting for the worker) → ready (file stored) or failed (error kept);
    changes only through `service.TRANSITIONS`."""

    pending = "pending"
    ready = "ready"
    failed = "failed"


class ReportFormat(StrEnum):
    pdf = "pdf"
    xlsx = "xlsx"


MEDIA_TYPES = {
    ReportFormat.pdf: "application/pdf",
    ReportFormat.xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

KIND_LABELS = {
    ReportKind.quarterly: N_("Quarterly risk assessment report"),
    ReportKind.category: N_("Risk assessment report by category"),
}
DIMENSION_LABELS = {
    CategoryDimension.hazard_class: N_("Hazard class"),
    CategoryDimension.hs_chapter: N_("HS chapter"),
    CategoryDimension.product_category: N_("Product category"),
}
STATUS_LABELS = {
    ReportStatus.pending: N_("Being generated"),
    ReportStatus.ready: N_("Ready"),
    ReportStatus.failed: N_("Failed"),
}
FORMAT_LABELS = {ReportFormat.pdf: N_("PDF"), ReportFormat.xlsx: N_("Excel")}
