"""Diplomas: the pure rendering core (layout, verification codes, logo checks)."""

from contest.diplomas.codes import new_verification_code, normalize_code
from contest.diplomas.layout import LABEL_KEYS, DiplomaContent, render_diploma, render_diplomas
from contest.diplomas.logo import LogoError, validate_logo

__all__ = [
    "LABEL_KEYS",
    "DiplomaContent",
    "LogoError",
    "new_verification_code",
    "normalize_code",
    "render_diploma",
    "render_diplomas",
    "validate_logo",
]
