"""Sampling results: entered or imported, judged against their limits, failures stored as risk
records (channel `monitoring_plan_sampling`).

Every result is kept in `sampling_result` (it is the plan's evidence and drives its progress); a
*failing* result is risk information and becomes a risk record through `store_drafts`. Passing
results do not: a record per conforming test would make every count series measure sampling
effort instead of risk. Entering the same (task, sample, test item) again changes nothing and
returns the stored result, so retries and re-imports are idempotent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import IO, Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from riskgate.audit import service as audit
from riskgate.catalog.enums import HazardType, SourceChannel
from riskgate.catalog.reference import country_resolve, hazard_type, port, region
from riskgate.core.context import Actor
from riskgate.core.errors import Conflict, FieldProblem, NotFound, ValidationFailed
from riskgate.core.i18n import N_, gettext
from riskgate.core.workflow import move
from riskgate.identity.scope import get_in_scope, scoped
from riskgate.identity.service import validate_uscc
from riskgate.intake.readers import FileRefused, open_csv
from riskgate.intake.xlsx import open_xlsx, sniff
from riskgate.monitoring import points as point_service
from riskgate.monitoring.enums import (
    COMPARISON_SYMBOLS,
    OPEN_TASK_STATUSES,
    Comparison,
    TaskStatus,
)
from riskgate.monitoring.models import MonitoringPoint, SamplingResult, SamplingTask
from riskgate.monitoring.service import get_task, target_label, task_target
from riskgate.monitoring.workflow import TASK_FLOW
from riskgate.records.normalise import RowProblem, parse_date
from riskgate.records.service import store_drafts

MAX_IMPORT_ROWS = 20_000


# --- Verdict (pure) ------------------------------------------------------------------------


def verdict(measured: float, limit: float | None, comparison: Comparison) -> bool:
    """Whether a measured value passes: `absent` passes when nothing was detected (value 0);
    without a limit there is nothing to fail against, so the value passes."""
    if comparison == Comparison.absent:
        return measured == 0
    if limit is None:
        return True
    return {
        Comparison.le: measured <= limit, Comparison.lt: measured < limit,
        Comparison.ge: measured >= limit, Comparison.gt: measured > limit,
        Comparison.eq: measured == limit,
    }[comparison]  # fmt: skip


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}"


# --- One result ----------------------------------------------------------------------------


def _test_item(target: dict[str, Any], name: str) -> dict[str, Any]:
    wanted = name.strip().casefold()
    return next((t for t in target.get("test_items") or []
                 if t["name"].strip().casefold() == wanted), {})


def prepare(db: Session, actor: Actor, task: SamplingTask, target: dict[str, Any],
            item: dict[str, Any], prefix: str = "") -> tuple[dict[str, Any], list[FieldProblem]]:
    """The stored values of one result (defaults from the target) and what is wrong with it."""
    problems: list[FieldProblem] = []
    spec = _test_item(target, item["test_item"])
    comparison = Comparison(item.get("comparison") or spec.get("comparison") or Comparison.le)
    limit = item["limit"] if item.get("limit") is not None else spec.get("limit")
    hazard = item.get("hazard_type") or spec.get("hazard_type")
    computed = verdict(item["measured_value"], limit, comparison)
    passed = computed if item.get("passed") is None else bool(item["passed"])
    if passed != computed and not item.get("override_reason"):
        problems.append(FieldProblem(prefix + "override_reason",
                                     N_("Give the reason for overriding the computed verdict.")))
    origin = item.get("origin_country")
    if origin:
        resolved = country_resolve(origin)
        if resolved is None:
            problems.append(FieldProblem(prefix + "origin_country",
                                         N_("Unknown country {value}."), {"value": origin}))
        origin = resolved
    elif len(target.get("origin_countries") or []) == 1:
        origin = target["origin_countries"][0]
    port_code = item.get("port_code") or (
        target["port_codes"][0] if len(target.get("port_codes") or []) == 1 else None)
    if port_code and port(port_code) is None:
        problems.append(FieldProblem(prefix + "port_code", N_("Unknown port code {value}."),
                                     {"value": port_code}))
    region_code = item.get("region_code") or (
        target["region_codes"][0] if len(target.get("region_codes") or []) == 1 else None)
    if region_code and region(region_code) is None:
        problems.append(FieldProblem(prefix + "region_code", N_("Unknown region code {value}."),
                                     {"value": region_code}))
    uscc = item.get("enterprise_uscc")
    if uscc:
        try:
            uscc = validate_uscc(uscc)
        except ValidationFailed:
            problems.append(FieldProblem(prefix + "enterprise_uscc",
                                         N_("Invalid unified social credit code {value}."),
                                         {"value": uscc}))
    point_id = item.get("monitoring_point_id") or task.monitoring_point_id
    if item.get("monitoring_point_id"):
        try:
            get_in_scope(db, MonitoringPoint, item["monitoring_point_id"], actor,
                         MonitoringPoint.organisation_id, object_name=N_("monitoring point"))
        except NotFound:
            problems.append(FieldProblem(prefix + "monitoring_point_id",
                                         N_("Unknown monitoring point {value}."),
                                         {"value": item["monitoring_point_id"]}))
    values = {
        "task_id": task.id, "organisation_id": task.organisation_id,
        "sample_code": item["sample_code"], "test_item": item["test_item"],
        "hazard_type": HazardType(hazard) if hazard else None,
        "measured_value": item["measured_value"], "unit": item.get("unit") or spec.get("unit"),
        "limit_value": limit, "comparison": comparison, "computed_passed": computed,
        "passed": passed, "override_reason": item.get("override_reason"),
        "lab_name": item.get("lab_name"), "tested_on": item.get("tested_on"),
        "product_name": item.get("product_name") or target_label(target),
        "origin_country": origin, "port_code": port_code, "region_code": region_code,
        "enterprise_uscc": uscc, "enterprise_name": item.get("enterprise_name"),
        "monitoring_point_id": point_id, "entered_by": actor.username,
    }  # fmt: skip
    return values, problems


def record_draft(task: SamplingTask, target: dict[str, Any],
                 result: SamplingResult) -> dict[str, Any]:
    """The risk record of a failing result, in the unified standard's fields."""
    symbol = COMPARISON_SYMBOLS[result.comparison]
    unit = result.unit or ""
    measured = f"{_number(result.measured_value)}{unit}"
    limit = "未检出" if result.comparison == Comparison.absent else \
        f"{symbol}{_number(result.limit_value)}{unit}"
    lines = [
        f"监测计划抽样任务 {task.number}，样品 {result.sample_code}。",
        f"检测项目：{result.test_item}；检测值：{measured}；限量要求：{limit}；判定：不合格。",
    ]
    if result.lab_name:
        lines.append(f"检测机构：{result.lab_name}。")
    if result.override_reason:
        lines.append(f"人工判定理由：{result.override_reason}")
    enterprises = []
    if result.enterprise_uscc or result.enterprise_name:
        enterprises.append({"role": "importer" if result.port_code else "other",
                            "uscc": result.enterprise_uscc, "name": result.enterprise_name,
                            "country": "CN" if result.enterprise_uscc else None})
    hazard = result.hazard_type
    return {
        "external_reference": f"{task.number}/{result.sample_code}/{result.id}"[:100],
        "title": f"抽检不合格：{result.product_name} {result.test_item} {measured}"[:500],
        "description": "\n".join(lines), "language": "zh",
        "product_name": result.product_name, "product_category": target.get("product_category"),
        "hs_code": target.get("hs_code"), "hazard_type": hazard,
        "hazard_types": [str(hazard)] if hazard else [],
        "hazard_class": _hazard_class(hazard) or target.get("hazard_class"),
        "hazard_substance": result.test_item, "occurred_on": result.tested_on,
        "origin_country": result.origin_country, "port_code": result.port_code,
        "region_code": result.region_code,
        "trade_direction": "import" if result.port_code else "unknown",
        "confidentiality": "internal", "enterprises": enterprises,
    }  # fmt: skip


def _hazard_class(hazard: HazardType | None) -> str | None:
    entry = hazard_type(str(hazard)) if hazard else None
    return str(entry.hazard_class) if entry else None


@dataclass
class Entered:
    result: SamplingResult
    created: bool


def _store(db: Session, actor: Actor, task: SamplingTask, target: dict[str, Any],
           prepared: list[dict[str, Any]], *, audited: bool = True) -> list[Entered]:
    """Insert the new results, store the failing ones as records, move the task along
    (an import audits once for the whole file: `audited=False`)."""
    if task.status not in OPEN_TASK_STATUSES:
        raise Conflict(N_("Results can only be entered for an open task; this one is {status}."),
                       status=TaskStatus(task.status).msgid)
    entered: list[Entered] = []
    fresh: list[SamplingResult] = []
    for values in prepared:
        existing = db.execute(select(SamplingResult).where(
            SamplingResult.task_id == task.id, SamplingResult.sample_code == values["sample_code"],
            SamplingResult.test_item == values["test_item"])).scalar_one_or_none()
        if existing is None and any(r.sample_code == values["sample_code"]
                                    and r.test_item == values["test_item"] for r in fresh):
            continue  # the same result twice in one request
        if existing is not None:
            entered.append(Entered(existing, False))
            continue
        result = SamplingResult(**values)
        db.add(result)
        fresh.append(result)
        entered.append(Entered(result, True))
    if not fresh:
        return entered
    db.flush()
    failing = [r for r in fresh if not r.passed]
    drafts = [(record_draft(task, target, r), json.dumps(
        {"task": task.number, "sample": r.sample_code, "test_item": r.test_item,
         "value": r.measured_value}, ensure_ascii=False)) for r in failing]
    stored = store_drafts(db, drafts, channel=SourceChannel.monitoring_plan_sampling,
                          organisation_id=task.organisation_id) if drafts else []
    for result, outcome in zip(failing, stored, strict=True):
        result.record_id = outcome.record_id
        if result.monitoring_point_id and outcome.record_id:
            point_service.link_records(db, result.monitoring_point_id, [outcome.record_id])
    samples = {code for (code,) in db.execute(select(SamplingResult.sample_code).where(
        SamplingResult.task_id == task.id).distinct())}
    taken = max(task.samples_taken, len(samples))
    noted: dict[str, Any] = {"results": len(fresh), "failed": len(failing),
                             "records": [s.record_number for s in stored if s.created][:100]}
    if task.status != TaskStatus.tested:
        # Results make an assigned or sampled task tested: the move's entry is the results'
        # entry (an import's too, for the task its rows moved).
        move(db, TASK_FLOW, task, TaskStatus.tested, actor=actor,
             action="monitoring.results.enter", samples_taken=taken, noted=noted)
        return entered
    taken_before = task.samples_taken
    task.samples_taken = taken
    db.flush()
    if audited:
        audit.record(db, actor, "monitoring.results.enter", object_type="sampling_task",
                     object_id=task.id,
                     before={"status": task.status, "samples_taken": taken_before},
                     after={"status": task.status, "samples_taken": task.samples_taken, **noted},
                     organisation_id=task.organisation_id)
    return entered


def enter_results(db: Session, actor: Actor, task_id: int,
                  items: list[dict[str, Any]]) -> list[Entered]:
    """Enter results for one task: all valid, or none (422 naming each bad field)."""
    task = get_task(db, actor, task_id)
    target = task_target(db, task)
    prepared, problems = [], []
    for index, item in enumerate(items):
        values, found = prepare(db, actor, task, target, item, f"items.{index}.")
        prepared.append(values)
        problems.extend(found)
    if problems:
        raise ValidationFailed(fields=problems)
    return _store(db, actor, task, target, prepared)


def enter_result(db: Session, actor: Actor, task_id: int, item: dict[str, Any]) -> Entered:
    """Enter one result (the console's form): as `enter_results`, its problems named by the
    result's own fields."""
    task = get_task(db, actor, task_id)
    target = task_target(db, task)
    values, problems = prepare(db, actor, task, target, item)
    if problems:
        raise ValidationFailed(fields=problems)
    (entered,) = _store(db, actor, task, target, [values])
    return entered


def results_statement(actor: Actor, *, task_id: int | None = None,
                      failed_only: bool = False) -> Select[Any]:
    stmt = scoped(select(SamplingResult), actor, SamplingResult.organisation_id)
    if task_id is not None:
        stmt = stmt.where(SamplingResult.task_id == task_id)
    if failed_only:
        stmt = stmt.where(SamplingResult.passed.is_(False))
    return stmt


# --- Import --------------------------------------------------------------------------------

# Column -> result field; Chinese headers of the results sheet are accepted as well.
COLUMNS = {
    "task": "task", "任务编号": "task",
    "sample_code": "sample_code", "样品编号": "sample_code",
    "test_item": "test_item", "检测项目": "test_item",
    "measured_value": "measured_value", "检测值": "measured_value",
    "unit": "unit", "单位": "unit",
    "limit": "limit", "限量": "limit",
    "comparison": "comparison", "判定方式": "comparison",
    "passed": "passed", "人工判定": "passed",
    "override_reason": "override_reason", "判定理由": "override_reason",
    "lab_name": "lab_name", "检测机构": "lab_name",
    "tested_on": "tested_on", "检测日期": "tested_on",
    "product_name": "product_name", "产品名称": "product_name",
    "origin_country": "origin_country", "原产国": "origin_country",
    "port_code": "port_code", "口岸": "port_code",
    "region_code": "region_code", "地区": "region_code",
    "enterprise_uscc": "enterprise_uscc", "企业信用代码": "enterprise_uscc",
    "enterprise_name": "enterprise_name", "企业名称": "enterprise_name",
    "monitoring_point": "monitoring_point", "监测点": "monitoring_point",
}
REQUIRED = ("task", "sample_code", "test_item", "measured_value")
TRUE = {"true", "1", "yes", "pass", "passed", "合格", "是"}
FALSE = {"false", "0", "no", "fail", "failed", "不合格", "否"}


@dataclass
class ImportReport:
    rows_read: int = 0
    stored: int = 0
    duplicates: int = 0
    failed: int = 0
    records: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)


# A problem of an import row: its field, the message (a msgid) and the message's parameters.
RowIssue = tuple[str, str, dict[str, Any]]


def _row_item(fields: dict[str, Any]) -> tuple[dict[str, Any], list[RowIssue]]:
    """A row's cells as a result item, and the problems of cells that cannot be read."""
    row = {COLUMNS[k.strip()]: (str(v).strip() if v is not None else "")
           for k, v in fields.items() if k and k.strip() in COLUMNS}
    problems: list[RowIssue] = []
    item: dict[str, Any] = {k: v or None for k, v in row.items()
                            if k not in ("measured_value", "limit", "passed", "tested_on")}
    for name in ("task", "sample_code", "test_item", "measured_value"):
        if not row.get(name):
            problems.append((name, N_("This field is required."), {}))
    for name in ("measured_value", "limit"):
        text = (row.get(name) or "").replace(",", "")
        if not text:
            item[name] = None
            continue
        if text in ("未检出", "ND", "nd", "n.d."):
            item[name] = 0.0
            continue
        try:
            number = float(text)
            if number != number or abs(number) > 1e12:
                raise ValueError(text)
            item[name] = number
        except ValueError:
            problems.append((name, N_("Must be a number."), {}))
    comparison = row.get("comparison")
    if comparison and comparison not in Comparison.__members__:
        problems.append(("comparison", N_("Must be one of: {expected}."),
                         {"expected": ", ".join(Comparison)}))
    verdict_text = (row.get("passed") or "").casefold()
    item["passed"] = True if verdict_text in TRUE else False if verdict_text in FALSE else None
    if verdict_text and item["passed"] is None:
        problems.append(("passed", N_("Must be true or false."), {}))
    if row.get("tested_on"):
        try:
            item["tested_on"] = parse_date(row["tested_on"], "tested_on")
        except RowProblem as problem:
            problems.append((problem.field, problem.message, problem.params))
    for name, limit in (("sample_code", 60), ("test_item", 200), ("unit", 40),
                        ("lab_name", 200), ("product_name", 500), ("enterprise_name", 300)):
        if item.get(name) and len(item[name]) > limit:
            problems.append((name, N_("Must have at most {max_length} characters."),
                             {"max_length": limit}))
    return item, problems


def _find_task(db: Session, actor: Actor, number: str) -> SamplingTask | None:
    digits = number.rsplit("-", 1)[-1]
    if not digits.isdigit() or not 0 < int(digits) < 2**31:
        return None
    try:
        task = get_task(db, actor, int(digits))
    except NotFound:
        return None
    return task if task.number == number.strip() else None


def import_results(db: Session, actor: Actor, binary: IO[bytes], file_name: str) -> ImportReport:
    """Import a results sheet (CSV in UTF-8/GB18030, or .xlsx): good rows are entered like
    results typed in, bad rows are reported with their line, text and problems."""
    try:
        source = open_xlsx(binary) if sniff(binary) == "xlsx" else open_csv(binary)
    except FileRefused as refused:
        raise ValidationFailed(refused.message, **refused.params) from refused
    columns = {COLUMNS.get(c.strip()) for c in source.columns}
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise ValidationFailed(N_("The file lacks the required columns: {columns}."),
                               columns=", ".join(missing))
    report = ImportReport()
    language = actor.language
    points = {p.code: p.id for p in db.execute(
        point_service.points_statement(actor)).scalars()}
    for row in source.rows:
        report.rows_read += 1
        if report.rows_read > MAX_IMPORT_ROWS:
            raise ValidationFailed(N_("At most {max} rows per file."), max=MAX_IMPORT_ROWS)
        problems: list[RowIssue] = list(
            (p["field"], p["message"], p.get("params") or {}) for p in row.problems)
        item, found = _row_item(row.fields or {}) if row.fields is not None else ({}, [])
        problems.extend(found)
        task = None
        if not problems:
            task = _find_task(db, actor, item["task"])
            if task is None:
                problems.append(("task", N_("Unknown sampling task {value}."),
                                 {"value": item["task"]}))
            elif task.status not in OPEN_TASK_STATUSES:
                problems.append(("task", N_("The task {value} is {status}."),
                                 {"value": item["task"],
                                  "status": TaskStatus(task.status).label(language)}))
        code = item.pop("monitoring_point", None)
        if code and not problems:
            if code not in points:
                problems.append(("monitoring_point", N_("Unknown monitoring point {value}."),
                                 {"value": code}))
            item["monitoring_point_id"] = points.get(code)
        values: dict[str, Any] = {}
        if not problems and task is not None:
            item.pop("task", None)
            target = task_target(db, task)
            values, field_problems = prepare(db, actor, task, target, item)
            problems.extend((p.loc, p.message, p.params) for p in field_problems)
        if problems or task is None:
            report.rejected.append({
                "line": row.line_number, "raw": row.raw.rstrip("\r\n")[:2000],
                "problems": [f"{name}: {gettext(message, language, **params)}"
                             for name, message, params in problems],
            })  # fmt: skip
            continue
        (outcome,) = _store(db, actor, task, target, [values], audited=False)
        if outcome.created:
            report.stored += 1
            report.failed += 0 if outcome.result.passed else 1
            report.records += 1 if outcome.result.record_id else 0
        else:
            report.duplicates += 1
    audit.record(db, actor, "monitoring.results.import", object_type="sampling_result",
                 after={"file": file_name[:200], "rows_read": report.rows_read,
                        "stored": report.stored, "duplicates": report.duplicates,
                        "failed": report.failed, "rejected": len(report.rejected)})
    return report
