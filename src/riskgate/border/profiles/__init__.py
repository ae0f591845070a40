"""Risk profiles (风险参数): enterprise credit grades, origin-country and commodity risk scores and
port lane targets — national reference data that screening reads as one policy."""
