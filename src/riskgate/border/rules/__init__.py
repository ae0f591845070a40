"""Control rules (布控指令): written by hand or derived from warnings, versioned, suspended,
resumed and retired; served to screening as the engine's rule specs."""
