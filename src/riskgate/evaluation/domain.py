"""The evaluation domain's contributions (listed by the composition root, riskgate.composition).

The loop's last stage: effect evaluation of response cases and enterprises' lifting petitions.
Its section on a response case's page shows the evaluations (the page asks `ShownOnCase`; the
composition root lists `effect.service.case_page_section` as its answerer).
"""

from riskgate.core.domain import Domain

DOMAIN = Domain(
    name="evaluation",
    models=("riskgate.evaluation.models",),
    api=("riskgate.evaluation.effect.api", "riskgate.evaluation.petitions.api",),
    pages=("riskgate.evaluation.effect.pages", "riskgate.evaluation.petitions.pages",),
    sections=(("response_case", "console/evaluation/_case_section.html"),),
    demo=("riskgate.evaluation.demo:load_evaluation_demo",),
    audit_labels=("riskgate.evaluation.enums:AUDIT_LABELS",),
)
