"""The workflow of a unit's quarterly submission (see core.workflow).

A quarter is missing until the unit marks it submitted: on time when it does so by the due date
(quarter end + `quarterly_due_days`), late after it. Its two steps have names (`submit_on_time`,
`submit_late`); the service picks the one the date gives.
"""

from __future__ import annotations

from riskgate.channels.enums import SubmissionStatus as S
from riskgate.core.i18n import N_
from riskgate.core.workflow import Workflow

SUBMISSION_FLOW: Workflow[S] = Workflow(
    object_name=N_("quarterly submission"),
    audit_type="quarterly_submission",
    transitions={S.missing: {S.submitted, S.late}, S.submitted: set(), S.late: set()},
    events={(S.missing, "submit_on_time"): S.submitted, (S.missing, "submit_late"): S.late},
)
