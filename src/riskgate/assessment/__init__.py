"""Risk assessment (A1): harm scenarios, the severity × probability risk matrix, sensitivity
analysis, the recommended warning, and the assessment workflow up to a conclusion."""
