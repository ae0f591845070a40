"""Declaration screening (U3), a pure algorithm: no database, no HTTP.

The engine's parts: `types` (what it is given and decides), `normalise` (how values compare),
`match` (`compile_rules`, `CompiledRules`, `naive_match`) and `lanes` (`screen`, the draws).

CONTRACT (written first so that the service and the engine can be built side by side; the
bodies are filled in by the engine's owner, who may add fields with defaults but not rename):

* `compile_rules(rules)` builds an index of the live control rules once per rule-set version.
* `CompiledRules.match(line)` gives the ids of the rules a line matches, highest priority first.
  Within a rule's field the values are alternatives (OR); across the fields the rule gives, all
  must match (AND); an empty field does not constrain. HS prefixes match the start of the line's
  code; keywords match anywhere in description + brand + model, case-insensitively after NFKC and
  traditional→simplified folding; countries match the line's origin country; enterprise codes the
  trader's code; barcodes exactly; `ports` and `direction`, when given, restrict the rule.
* `screen(lines, compiled, policy, ledger)` decides each line's lane with its reasons:
  a matched rule's action routes red (physical inspection, sampling, hold, refuse entry) or yellow
  (documentary check), subject to the rule's sampling rate drawn with the line's deterministic
  draw; otherwise a risk score from credit grade, origin-country risk and commodity risk sets the
  probability of red/yellow/blue; a minimum random rate applies to every line; per-port expected
  rates are kept by topping up or holding back score-based and random selections (never rule
  selections), using and updating `ledger`. Same inputs, same seed, same ledger → same decisions.

IMPLEMENTATION: the index and its reference matcher (`naive_match`) are in `match`; the lane
formula, the draws, top-up and hold-back are documented and implemented in `lanes`. Both are
pure and import only `types` and `normalise`. `bench/bench_screening.py` measures them.
"""

