"""Inspection results (查验结果) of red and yellow lines; a failure becomes a risk record."""
