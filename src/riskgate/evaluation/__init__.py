"""Evaluation (效果评估 and 解除申请, R2), the loop's last stage: the effect of a response case
(`effect`: the figures measured at the border, in recalls, in new risk records and in the
case's tasks, and what they propose for the warning) and enterprises' petitions to lift a
measure or a control rule that names them (`petitions`)."""
