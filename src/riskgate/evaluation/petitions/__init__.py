"""Lifting petitions (解除申请): an enterprise named by a warning, or listed by a control rule,
asks the issuer to lift the measure, with evidence; the issuer accepts or rejects."""
