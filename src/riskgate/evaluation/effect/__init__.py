"""Effect evaluation of a response case (效果评估, R2)."""
