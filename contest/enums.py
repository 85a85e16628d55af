"""Enums shared across domains (stored by value as short strings)."""
import enum


class Role(enum.StrEnum):
    STUDENT = "student"
    JUROR = "juror"
    ORGANIZER = "organizer"
    COORDINATOR = "coordinator"  # a teacher who submits for the pupils of their school


class Language(enum.StrEnum):
    KK = "kk"
    RU = "ru"
    EN = "en"
