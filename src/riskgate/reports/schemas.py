"""Request and response bodies of complaints, whistleblower reports and enterprise reports.

The portal forms validate with the same models as the API, so both accept exactly the same
values. Attachments travel in JSON as base64 (the pages send them as multipart files). Rules
across fields (an identity when not anonymous, a result for a self-inspection, no future dates)
are checked by the service, so their messages are translated like every other.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import EmailStr, Field

from riskgate.core.schemas import InputModel, OutputModel
from riskgate.records.enums import InjurySeverity
from riskgate.reports.enums import (
    AgeGroup,
    EnterpriseReportKind,
    InspectionResult,
    ReportKind,
    ReportRoute,
    ReportStatus,
    RewardStatus,
)

Phone = Annotated[str, Field(max_length=30, pattern=r"^[0-9+()\- ]{5,30}$")]
# 4 MiB of file is about 5.6 million base64 characters; the body limit caps the total anyway.
MAX_BASE64 = 14_000_000


class AttachmentIn(InputModel):
    file_name: str = Field(min_length=1, max_length=255)
    content_base64: str = Field(min_length=1, max_length=MAX_BASE64)


class ProductFields(InputModel):
    """What every report says about the product and the event."""

    route: ReportRoute = ReportRoute.market
    product_name: str = Field(min_length=1, max_length=200)
    brand: str | None = Field(default=None, max_length=200)
    model: str | None = Field(default=None, max_length=200)
    batch_number: str | None = Field(default=None, max_length=200)
    region_code: str | None = Field(default=None, pattern=r"^[0-9]{6}$")
    occurred_on: dt.date | None = None
    origin_country: str | None = Field(default=None, max_length=60)
    description: str = Field(min_length=5, max_length=5000)
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=10)


class ComplaintIn(ProductFields):
    """A consumer complaint (12315 / 12360). Contact details are optional: anonymous is fine."""

    purchase_place: str | None = Field(default=None, max_length=300,
                                       description="Shop, online store or address")
    injuries_count: int | None = Field(default=None, ge=0, le=100_000)
    injury_severity: InjurySeverity | None = None
    injury_age_group: AgeGroup | None = None
    contact_name: str | None = Field(default=None, max_length=100)
    contact_phone: Phone | None = None
    contact_email: EmailStr | None = None


class IdentityIn(InputModel):
    name: str = Field(min_length=1, max_length=100)
    phone: Phone | None = None
    email: EmailStr | None = None
    id_number: str | None = Field(default=None, max_length=40)


class WhistleblowerIn(ProductFields):
    """A whistleblower report (吹哨人): anonymous unless an identity is given."""

    enterprise_name: str | None = Field(default=None, max_length=300)
    enterprise_uscc: str | None = Field(default=None, max_length=18)
    anonymous: bool = True
    identity: IdentityIn | None = None


class EnterpriseReportIn(ProductFields):
    """An accident report (mandatory) or a self-inspection result, from an enterprise account."""

    kind: EnterpriseReportKind
    barcode: str | None = Field(default=None, max_length=100)
    hs_code: str | None = Field(default=None, max_length=20)
    quantity: str | None = Field(default=None, max_length=200)
    injuries_count: int | None = Field(default=None, ge=0, le=100_000)
    injury_severity: InjurySeverity | None = None
    injury_age_group: AgeGroup | None = None
    measures_taken: str | None = Field(default=None, max_length=5000)
    result: InspectionResult | None = None
    test_items: str | None = Field(default=None, max_length=2000)
    standard: str | None = Field(default=None, max_length=300)
    laboratory: str | None = Field(default=None, max_length=300)


class TransitionIn(InputModel):
    status: ReportStatus
    reason: str | None = Field(default=None, max_length=2000)
    public_note: str | None = Field(default=None, max_length=2000,
                                    description="Shown to the reporter on the tracking page")


class NoteIn(InputModel):
    body: str = Field(min_length=1, max_length=2000)
    public: bool = False


class RevealIn(InputModel):
    reason: str = Field(min_length=5, max_length=500)


class RewardIn(InputModel):
    status: RewardStatus
    amount: int | None = Field(default=None, ge=1, le=10_000_000, description="Yuan")
    reason: str | None = Field(default=None, max_length=2000)


# --- Out ---------------------------------------------------------------------------------


class SubmittedOut(OutputModel):
    """Shown once: the tracking number and the access code needed to look the report up."""

    tracking_number: str
    access_code: str
    status: ReportStatus
    receiving_organisation: str


class PublicNoteOut(OutputModel):
    created_at: dt.datetime
    status: ReportStatus | None
    body: str


class TrackOut(OutputModel):
    """What the reporter sees: status and public progress notes, nothing about anyone else."""

    tracking_number: str
    kind: ReportKind
    status: ReportStatus
    status_label: str
    submitted_at: dt.datetime
    receiving_organisation: str
    reason: str | None
    reward_status: RewardStatus | None
    notes: list[PublicNoteOut]


class NoteOut(OutputModel):
    id: int
    created_at: dt.datetime
    author_name: str
    body: str
    public: bool
    status: ReportStatus | None


class AttachmentOut(OutputModel):
    id: int
    record_id: int
    media_type: str
    size: int
    original_name: str
    sha256: str
    created_at: dt.datetime


class ReportOut(OutputModel):
    id: int
    kind: ReportKind
    tracking_number: str
    record_id: int
    organisation_id: int
    route: ReportRoute
    status: ReportStatus
    status_reason: str | None
    anonymous: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class ReportDetail(ReportOut):
    """Contact details of a complaint are shown to staff; a whistleblower's identity never is
    here (`identity: "withheld"`); it is opened by its own audited request."""

    purchase_place: str | None
    contact_name: str | None
    contact_phone: str | None
    contact_email: str | None
    identity: str | None
    reward_status: RewardStatus
    reward_eligible: bool | None
    reward_amount: int | None
    notes: list[NoteOut]
    attachments: list[AttachmentOut]


class IdentityOut(OutputModel):
    name: str
    phone: str | None
    email: str | None
    id_number: str | None


class EnterpriseReportOut(OutputModel):
    id: int
    kind: EnterpriseReportKind
    reference: str
    record_id: int
    record_number: str
    enterprise_organisation_id: int
    organisation_id: int
    receiving_organisation: str
    route: ReportRoute
    details: dict[str, Any]
    created_at: dt.datetime
