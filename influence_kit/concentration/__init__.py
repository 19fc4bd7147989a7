"""Concentration and calibration (placeholder, rewritten below)."""
