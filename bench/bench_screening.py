"""Declaration screening: the rule index + lane decisions against a naive loop and DuckDB.

    .venv/bin/python bench/bench_screening.py [--lines 1000000] [--rules 10000] [--seed 6]
        [--naive-sample 2000] [--no-duckdb] [--counting-sql] [--screen-repeats 0]

Synthetic, seeded data. Rules: HS prefixes of 2–10 digits cut from real HS 2022 subheadings
(the catalogue, extended to 10-digit national codes), origin countries from the catalogue,
USCC-like enterprise codes, Chinese keywords from a fixed vocabulary of risky goods, EAN-13
barcodes, some restricted to ports or a direction; single-field and two-field (AND) rules,
several values per field (OR). Lines: declarations of 1–9 lines sharing trader, origin, port
and direction; Chinese descriptions built from a vocabulary (5 % in traditional characters,
some full-width), 10-digit HS codes; about 2 % of lines copy the values of a random rule.

Measured: (a) the engine — `compile_rules`, `match_many` alone, then `screen` (which matches
again on a fresh index and decides the lanes) on all lines; (b) the naive loop over every rule
for every line (`NaiveMatcher`, rules normalised once) on a sample, extrapolated; (c) DuckDB:
the same matching as SQL joins (HS prefixes with `starts_with` over the distinct codes,
keywords with `contains` over the distinct folded texts, equi-joins for the other fields, AND
by counting matched fields per (line, rule)), checked to give the same (line, rule) pairs.
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
import time

from riskgate.border.screening.lanes import screen
from riskgate.border.screening.match import (
    BARCODE,
    COUNTRY,
    DIRECTION,
    ENTERPRISE,
    HS,
    KEYWORD,
    PORT,
    NaiveMatcher,
    compile_rules,
)
from riskgate.border.screening.normalise import line_text, norm_hs
from riskgate.border.screening.types import LineInput, Policy, PortLedger, PortTarget, RuleSpec
from riskgate.catalog import reference

MODIFIERS = ["儿童", "婴儿", "家用", "便携式", "电动", "充电式", "迷你", "多功能", "户外", "智能",
             "无线", "折叠", "商用", "车载", "学生", "宠物", "厨房", "卫浴", "办公", "节能"]
MATERIALS = ["塑料", "不锈钢", "陶瓷", "玻璃", "木质", "棉质", "硅胶", "铝合金", "皮革", "竹制",
             "橡胶", "尼龙", "铁质", "纸质", "聚酯"]
PRODUCTS = ["玩具", "水杯", "餐具", "背包", "台灯", "风扇", "收纳盒", "拖鞋", "手套", "雨伞",
            "毛巾", "衣架", "笔记本", "文具盒", "插线板", "耳机", "数据线", "鼠标", "键盘",
            "保温杯",
            "砧板", "饭盒", "梳子", "闹钟", "相框", "花瓶", "靠垫", "窗帘", "地毯", "鞋柜"]
# Words rules target; they appear in background lines only when a line copies a rule.
RISKY = ["磁力珠", "含铅油漆", "邻苯二甲酸酯", "锂电池", "充电宝", "电热毯", "奶嘴", "学步车",
         "电动滑板车", "激光笔", "取暖器", "电热水壶", "婴儿床", "安全座椅", "化妆品", "染发剂",
         "美白霜", "减肥胶囊", "保健品", "奶粉", "米粉", "辣条", "冷冻虾", "牛肉", "榴莲", "燕窝",
         "黄曲霉", "甲醛", "荧光剂", "石棉", "汞", "镉", "烟花", "打火机", "指尖陀螺", "水晶泥",
         "气球", "烟雾报警器", "插头", "转换器"]
TRADITIONAL = str.maketrans({"儿": "兒", "电": "電", "动": "動", "铝": "鋁", "钢": "鋼",
                             "婴": "嬰", "灯": "燈", "风": "風", "伞": "傘", "线": "線"})
ACTIONS = ["physical_inspection", "documentary_check", "sampling", "hold", "refuse_entry"]
GRADES = ["certified"] * 2 + ["ordinary"] * 7 + ["dishonest"]


def _uscc(rng: random.Random) -> str:
    return "91" + "".join(rng.choices("0123456789ABCDEFGHJKLMNPQRTUWXY", k=16))


def _ean(rng: random.Random) -> str:
    return "69" + "".join(rng.choices("0123456789", k=11))


class World:
    """The seeded universe both rules and lines are drawn from."""

    def __init__(self, seed: int) -> None:
        rng = self.rng = random.Random(seed)
        sub = [e.code for e in reference.hs_entries() if e.level == 6]
        self.hs10 = [c + rng.choice(["0000", "1000", "9000", "1010", "9090", "2000", "3000"])
                     for c in sub]
        weights = [rng.paretovariate(1.2) for _ in self.hs10]  # trade concentrates
        self.hs_common = rng.choices(self.hs10, weights=weights, k=20_000)
        codes = [c.code for c in reference.countries() if c.kind == "sovereign"]
        self.countries = codes
        self.origins = rng.choices(codes[:], weights=[rng.paretovariate(1.0) for _ in codes],
                                   k=5_000)
        self.ports = [p.code for p in reference.ports()][:40] or ["CNSHA"]
        self.traders = [_uscc(rng) for _ in range(30_000)]
        self.flagged = [_uscc(rng) for _ in range(5_000)]  # traders rules name
        self.grade = {t: rng.choice(GRADES) for t in self.traders + self.flagged}


def make_rules(world: World, count: int) -> list[RuleSpec]:
    rng = world.rng
    rules = []
    for rule_id in range(1, count + 1):
        kind = rng.random()
        fields: dict[str, object] = {}

        def hs(lengths: list[int]) -> tuple[str, ...]:
            n = rng.choice([1, 1, 1, 2, 3])
            return tuple(rng.choice(world.hs10)[:rng.choice(lengths)] for _ in range(n))

        if kind < 0.25:
            fields["enterprise_codes"] = tuple(rng.sample(world.flagged, rng.choice([1, 1, 2])))
            if rng.random() < 0.3:
                fields["hs_prefixes"] = hs([2, 4])
        elif kind < 0.45:
            fields["hs_prefixes"] = hs([6, 8, 10])
            fields["countries"] = tuple(rng.sample(world.countries, rng.choice([1, 2, 3])))
        elif kind < 0.65:
            fields["keywords"] = tuple(rng.sample(RISKY, rng.choice([1, 1, 2])))
            if rng.random() < 0.5:
                fields["countries"] = tuple(rng.sample(world.countries, rng.choice([1, 2])))
            else:
                fields["hs_prefixes"] = hs([2, 4])
        elif kind < 0.8:
            fields["barcodes"] = tuple(_ean(rng) for _ in range(rng.choice([1, 1, 3])))
        elif kind < 0.93:  # national sub-codes that ordinary trade rarely declares
            fields["hs_prefixes"] = tuple(
                rng.choice(world.hs10)[:6] + rng.choice(["1100", "2900", "3990", "9910"])[:n - 6]
                for n in rng.choices([8, 10], k=rng.choice([1, 1, 2])))
        else:
            fields["keywords"] = (rng.choice(RISKY) + rng.choice(["套装", "配件", "原料"]),)
        if rng.random() < 0.1:
            fields["ports"] = tuple(rng.sample(world.ports, 2))
        if rng.random() < 0.1:
            fields["direction"] = rng.choice(["import", "export"])
        rules.append(RuleSpec(
            id=rule_id, action=rng.choice(ACTIONS), priority=rng.choice([10, 50, 50, 80, 90]),
            sampling_rate=rng.choice([1.0, 1.0, 1.0, 0.5, 0.1]), **fields,  # type: ignore[arg-type]
        ))
    return rules


def make_lines(world: World, rules: list[RuleSpec], count: int, hit_rate: float = 0.02
               ) -> list[LineInput]:
    rng = world.rng
    lines: list[LineInput] = []
    while len(lines) < count:
        seed = rng.getrandbits(63)
        trader = rng.choice(world.traders)
        origin = rng.choice(world.origins)
        port = rng.choice(world.ports)
        direction = "import" if rng.random() < 0.8 else "export"
        for line_no in range(1, min(rng.randint(1, 9), count - len(lines)) + 1):
            desc = rng.choice(MODIFIERS) + rng.choice(MATERIALS) + rng.choice(PRODUCTS)
            if rng.random() < 0.3:
                desc += f" 型号{rng.randint(1, 999)}"
            if rng.random() < 0.05:
                desc = desc.translate(TRADITIONAL)
            fields = dict(hs_code=rng.choice(world.hs_common), description=desc,
                          trader_code=trader, origin_country=origin, port_code=port,
                          direction=direction, barcode=None)
            if rng.random() < hit_rate:  # copy a rule's values so that the line matches it
                rule = rng.choice(rules)
                if rule.hs_prefixes:
                    prefix = rng.choice(rule.hs_prefixes)
                    fields["hs_code"] = prefix + rng.choice(world.hs10)[len(prefix):]
                if rule.keywords:
                    fields["description"] = rng.choice(MODIFIERS) + rng.choice(rule.keywords)
                if rule.countries:
                    fields["origin_country"] = rng.choice(rule.countries)
                if rule.enterprise_codes:
                    fields["trader_code"] = rng.choice(rule.enterprise_codes)
                if rule.barcodes:
                    fields["barcode"] = rng.choice(rule.barcodes)
                if rule.ports:
                    fields["port_code"] = rng.choice(rule.ports)
                if rule.direction:
                    fields["direction"] = rule.direction
            lines.append(LineInput(
                line_no=line_no, seed=seed, credit_grade=world.grade[fields["trader_code"]],
                brand=None, model=None, **fields,  # type: ignore[arg-type]
            ))
    return lines


def make_policy(world: World) -> Policy:
    rng = world.rng
    return Policy(
        country_scores={c: round(rng.betavariate(2, 5), 3) for c in world.countries},
        commodity_scores={c[:rng.choice([2, 4, 6])]: round(rng.betavariate(2, 5), 3)
                          for c in rng.sample(world.hs10, 800)},
        port_targets={p: PortTarget(red_rate=rng.choice([0.02, 0.03, 0.05])) for p in world.ports},
    )


def timed(label: str, fn):  # type: ignore[no-untyped-def]
    """Run fn; print wall and CPU seconds (the machine is shared: CPU time is the steadier
    figure for the single-threaded engine). Returns (result, wall seconds)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"{label}: {elapsed:.2f} s wall, {cpu:.2f} s CPU", flush=True)
    CPU[label] = cpu
    return result, elapsed


CPU: dict[str, float] = {}


FIELD_OF_BIT = {HS: "hs", COUNTRY: "country", ENTERPRISE: "trader", KEYWORD: "keyword",
                BARCODE: "barcode", PORT: "port", DIRECTION: "direction"}

# Plain SQL: every field's hits, AND by counting the fields matched per (line, rule).
COUNTING_SQL = """
WITH hs_hit AS (
    SELECT c.hs, f.rule_id FROM (SELECT DISTINCT hs FROM lines) c
    JOIN rule_field f ON f.field = 'hs' AND starts_with(c.hs, f.value)),
kw_hit AS (
    SELECT DISTINCT t.text_id, f.rule_id FROM texts t
    JOIN rule_field f ON f.field = 'keyword' AND contains(t.text, f.value)),
hits AS (
    SELECT l.line_idx, h.rule_id, 'hs' AS field FROM lines l JOIN hs_hit h USING (hs)
    UNION ALL
    SELECT l.line_idx, k.rule_id, 'keyword' FROM lines l JOIN kw_hit k USING (text_id)
    UNION ALL
    SELECT l.line_idx, f.rule_id, f.field FROM lines l JOIN rule_field f
        ON (f.field = 'country' AND f.value = l.country)
    UNION ALL
    SELECT l.line_idx, f.rule_id, f.field FROM lines l JOIN rule_field f
        ON (f.field = 'trader' AND f.value = l.trader)
    UNION ALL
    SELECT l.line_idx, f.rule_id, f.field FROM lines l JOIN rule_field f
        ON (f.field = 'barcode' AND f.value = l.barcode)
    UNION ALL
    SELECT l.line_idx, f.rule_id, f.field FROM lines l JOIN rule_field f
        ON (f.field = 'port' AND f.value = l.port)
    UNION ALL
    SELECT l.line_idx, f.rule_id, f.field FROM lines l JOIN rule_field f
        ON (f.field = 'direction' AND f.value = l.direction))
SELECT h.line_idx, h.rule_id FROM hits h JOIN rule_need n USING (rule_id)
GROUP BY h.line_idx, h.rule_id, n.n HAVING count(DISTINCT h.field) = n.n
"""

# The engine's own plan in SQL: candidates from each rule's anchor field only, then every
# field the rule constrains checked with a (decorrelated) NOT EXISTS.
ANCHORED_SQL = """
WITH anchor_field AS (
    SELECT f.* FROM rule_field f JOIN rule_anchor a USING (rule_id, field)),
hs_hit AS (
    SELECT c.hs, f.rule_id FROM (SELECT DISTINCT hs FROM lines) c
    JOIN anchor_field f ON f.field = 'hs' AND starts_with(c.hs, f.value)),
kw_hit AS (
    SELECT DISTINCT t.text_id, f.rule_id FROM texts t
    JOIN anchor_field f ON f.field = 'keyword' AND contains(t.text, f.value)),
cand AS (
    SELECT l.line_idx, h.rule_id FROM lines l JOIN hs_hit h USING (hs)
    UNION
    SELECT l.line_idx, k.rule_id FROM lines l JOIN kw_hit k USING (text_id)
    UNION
    SELECT l.line_idx, f.rule_id FROM lines l JOIN anchor_field f
        ON (f.field = 'country' AND f.value = l.country)
        OR (f.field = 'trader' AND f.value = l.trader)
        OR (f.field = 'barcode' AND f.value = l.barcode)
        OR (f.field = 'port' AND f.value = l.port)
        OR (f.field = 'direction' AND f.value = l.direction))
SELECT c.line_idx, c.rule_id FROM cand c JOIN lines l USING (line_idx) JOIN texts t USING (text_id)
WHERE NOT EXISTS (
    SELECT 1 FROM rule_fields o WHERE o.rule_id = c.rule_id AND NOT EXISTS (
        SELECT 1 FROM rule_field f WHERE f.rule_id = o.rule_id AND f.field = o.field AND (
            (f.field = 'hs' AND starts_with(l.hs, f.value))
            OR (f.field = 'keyword' AND contains(t.text, f.value))
            OR (f.field = 'country' AND f.value = l.country)
            OR (f.field = 'trader' AND f.value = l.trader)
            OR (f.field = 'barcode' AND f.value = l.barcode)
            OR (f.field = 'port' AND f.value = l.port)
            OR (f.field = 'direction' AND f.value = l.direction))))
"""


def duckdb_pairs(rules: list[RuleSpec], lines: list[LineInput], anchors: dict[int, int],
                 counting: bool) -> tuple[float, dict[str, tuple[set, float]]]:
    """Load rules and lines into DuckDB and match with SQL; (load s, {variant: (pairs, s)})."""
    import duckdb
    import pandas as pd

    start = time.perf_counter()
    texts = {}
    text_ids = []
    for line in lines:  # DuckDB gets the folded text (NFKC, lower, t2s) computed here
        key = line.description
        if key not in texts:
            texts[key] = (len(texts), line_text(line))
        text_ids.append(texts[key][0])
    lines_df = pd.DataFrame({
        "line_idx": range(len(lines)),
        "hs": [norm_hs(ln.hs_code) for ln in lines],
        "text_id": text_ids,
        "country": [ln.origin_country or "" for ln in lines],
        "trader": [ln.trader_code for ln in lines],
        "barcode": [ln.barcode or "" for ln in lines],
        "port": [ln.port_code for ln in lines],
        "direction": [ln.direction for ln in lines],
    })
    texts_df = pd.DataFrame({"text_id": [v[0] for v in texts.values()],
                             "text": [v[1] for v in texts.values()]})
    rows = []
    for r in rules:
        for field, values in (("hs", r.hs_prefixes), ("country", r.countries),
                              ("trader", r.enterprise_codes), ("keyword", r.keywords),
                              ("barcode", r.barcodes), ("port", r.ports),
                              ("direction", (r.direction,) if r.direction else ())):
            rows.extend((r.id, field, v) for v in values)
    rule_df = pd.DataFrame(rows, columns=["rule_id", "field", "value"])
    con = duckdb.connect()
    con.execute("SET threads TO 2")
    con.register("lines_df", lines_df)
    con.register("texts_df", texts_df)
    con.register("rule_df", rule_df)
    con.execute("CREATE TABLE lines AS SELECT * FROM lines_df")
    con.execute("CREATE TABLE texts AS SELECT * FROM texts_df")
    con.execute("CREATE TABLE rule_field AS SELECT * FROM rule_df")
    con.execute("CREATE TABLE rule_need AS SELECT rule_id, count(DISTINCT field) AS n "
                "FROM rule_field GROUP BY rule_id")
    con.execute("CREATE TABLE rule_fields AS SELECT DISTINCT rule_id, field FROM rule_field")
    anchor_df = pd.DataFrame({"rule_id": list(anchors),
                              "field": [FIELD_OF_BIT[b] for b in anchors.values()]})
    con.register("anchor_df", anchor_df)
    con.execute("CREATE TABLE rule_anchor AS SELECT * FROM anchor_df")
    load = time.perf_counter() - start
    results = {}
    variants = [("anchored", ANCHORED_SQL)] + ([("counting", COUNTING_SQL)] if counting else [])
    for name, sql in variants:
        start = time.perf_counter()
        found = set(con.execute(sql).fetchall())
        results[name] = (found, time.perf_counter() - start)
        print(f"duckdb {name} query: {results[name][1]:.2f} s, {len(found)} pairs", flush=True)
    return load, results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--rules", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--naive-sample", type=int, default=2_000)
    parser.add_argument("--no-duckdb", action="store_true")
    parser.add_argument("--screen-repeats", type=int, default=0,
                        help="run `screen` alone this many more times (steadier figures)")
    parser.add_argument("--counting-sql", action="store_true",
                        help="also run the plain counting SQL (slow: ~12 min at 1M lines)")
    args = parser.parse_args()
    print(f"python {platform.python_version()} on {platform.machine()}, "
          f"{platform.processor() or 'cpu'}", flush=True)
    world = World(args.seed)
    rules, _ = timed(f"generate {args.rules} rules", lambda: make_rules(world, args.rules))
    lines, _ = timed(f"generate {args.lines} lines", lambda: make_lines(world, rules, args.lines))
    policy = make_policy(world)

    compiled, t_compile = timed("compile_rules", lambda: compile_rules(rules))
    matches, t_match = timed("match_many (all lines)", lambda: compiled.match_many(lines))
    matched_lines = sum(1 for m in matches if m)
    cpu_match = CPU["match_many (all lines)"]
    print(f"  lines matching ≥ 1 rule: {matched_lines} ({matched_lines / len(lines):.2%}); "
          f"{len(lines) / t_match:,.0f} lines/s wall, {len(lines) / cpu_match:,.0f} per CPU s",
          flush=True)
    fresh = compile_rules(rules)
    decisions, t_screen = timed("screen (fresh index: match + lanes)",
                                lambda: screen(lines, fresh, policy, PortLedger()))
    lanes: dict[str, int] = {}
    for d in decisions:
        lanes[d.lane] = lanes.get(d.lane, 0) + 1
    print("  lanes: " + ", ".join(f"{k} {v / len(lines):.2%}" for k, v in sorted(lanes.items()))
          + f"; {len(lines) / t_screen:,.0f} lines/s wall, "
          f"{len(lines) / CPU['screen (fresh index: match + lanes)']:,.0f} per CPU s", flush=True)

    for run in range(args.screen_repeats):  # `screen` alone, nothing else held in memory
        del decisions
        decisions, _ = timed(f"screen again ({run + 1})",
                             lambda: screen(lines, compile_rules(rules), policy, PortLedger()))

    naive = NaiveMatcher(rules)
    sample = lines[: args.naive_sample]
    naive_out, t_naive_sample = timed(f"naive loop on {len(sample)} lines",
                                      lambda: [naive.match(line) for line in sample])
    assert naive_out == matches[: len(sample)], "index and naive loop disagree"
    t_naive = t_naive_sample * len(lines) / len(sample)
    print(f"  naive extrapolated to {len(lines)} lines: {t_naive:,.0f} s; "
          f"match_many is {t_naive / t_match:,.0f}× faster, screen {t_naive / t_screen:,.0f}×")

    if not args.no_duckdb:
        load, results = duckdb_pairs(rules, lines, compiled._index.anchors, args.counting_sql)
        print(f"duckdb load {load:.2f} s (not counted)")
        engine_pairs = {(i, rid) for i, ids in enumerate(matches) for rid in ids}
        for name, (pairs, seconds) in results.items():
            print(f"  {name}: same (line, rule) pairs as the engine: {pairs == engine_pairs}; "
                  f"match_many / duckdb = {t_match / seconds:.2f}, "
                  f"screen / duckdb = {t_screen / seconds:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
