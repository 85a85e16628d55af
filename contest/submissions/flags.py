"""What each extraction flag means, in plain words for the student and the organizer.

A flag is a dict stored on the version: {"code": ..., "level": "attention" | "warning",
...parameters}. "attention" flags put the entry in the organizer's queue; "warning"
flags are shown but the entry is ready for judging.
"""
from __future__ import annotations

from flask_babel import gettext


def N_(message: str) -> str:
    """Marks a message for extraction (Babel's default keywords include N_); translated
    when shown, with its parameters."""
    return message


ATTENTION, WARNING = "attention", "warning"

# code -> (title, what it means and what to do next, for the student)
EXPLANATIONS = {
    "no_text": (N_("No text layer"), N_(
        "Your file looks like a scan or a photo: we could not find any text in it. If you can, "
        "upload the file you typed (PDF saved from Word, or DOCX). Otherwise an organizer will "
        "look at it.")),
    "encrypted": (N_("Password-protected"), N_(
        "Your file is protected with a password, so we cannot open it. Remove the password "
        "and upload it again.")),
    "corrupt": (N_("Unreadable file"), N_(
        "Your file seems damaged and could not be read. Open it on your computer, save it again "
        "(or export it as PDF) and upload it again.")),
    "too_complex": (N_("File too complex"), N_(
        "Your file is too large or too complex to read (very many pages, huge images or "
        "unusual structure). Save it again as a simple PDF or DOCX and upload it again.")),
    "timeout": (N_("File took too long to read"), N_(
        "Reading your file took too long. Save it again as a simple PDF or DOCX and upload it "
        "again.")),
    "crashed": (N_("File could not be processed"), N_(
        "We tried several times and could not process your file. An organizer will look at it; "
        "you may also upload it again in another format.")),
    "truncated": (N_("Text cut"), N_(
        "Your text is extremely long; only its beginning was kept.")),
    "too_short": (N_("Too short"), N_(
        "Your essay has %(words)s words; the contest asks for at least %(limit)s. You can upload "
        "a longer version before the deadline.")),
    "too_long": (N_("Too long"), N_(
        "Your essay has %(words)s words; the contest allows at most %(limit)s. You can upload "
        "a shorter version before the deadline.")),
    "too_many_pages": (N_("Too many pages"), N_(
        "Your file has %(pages)s pages; the contest allows at most %(limit)s.")),
    "wrong_language": (N_("Language not accepted"), N_(
        "Your essay seems to be written in %(language)s, which this contest does not accept. An "
        "organizer will check it.")),
    # Told to the later of two similar uploads: nothing about the other entry, no figure.
    "near_duplicate": (N_("Being reviewed"), N_(
        "An organizer is reviewing your essay before it goes to the jury. You do not need to "
        "do anything now; you will be told if something is needed.")),
    "bad_chars": (N_("Some characters could not be read"), N_(
        "%(count)s characters of your file could not be read. If your text looks wrong, save it "
        "again as UTF-8 (or as DOCX or PDF) and upload it again.")),
    "notes": (N_("Footnotes not counted"), N_(
        "Your footnotes and endnotes (%(words)s words) are shown to the jury after the essay but "
        "are not counted toward the word limit.")),
    "empty": (N_("Empty file"), N_(
        "Your file contains no text. Check that you chose the right file and upload it again.")),
    "ocr": (N_("Read from a photo or scan"), N_(
        "Your essay was read from images by text recognition (confidence %(confidence)s%%). The "
        "jury reads the recognised text.")),
    "needs_transcription": (N_("Needs transcription"), N_(
        "Your pages could not be read reliably by text recognition (confidence %(confidence)s%%). "
        "An organizer will type or correct the text before it goes to the jury.")),
    "transcribed": (N_("Text typed by the organizers"), N_(
        "Your pages were transcribed by the organizers; the jury reads that text.")),
    "organizer_entered": (N_("Entered by the organizers"), N_(
        "This essay was received on paper or by e-mail and entered by the organizers.")),
    "replacement_unreadable": (N_("Replacement not used"), N_(
        "This file could not be read, so your previous version stays the one that will be "
        "judged. You can upload another file before the deadline.")),
}

LANGUAGE_LABELS = {
    "kk": N_("Kazakh"), "ru": N_("Russian"), "en": N_("English"), "de": N_("German"),
    "fr": N_("French"), "es": N_("Spanish"), "it": N_("Italian"), "tr": N_("Turkish"),
    "uz": N_("Uzbek"), "ky": N_("Kyrgyz"), "uk": N_("Ukrainian"), "zh": N_("Chinese"),
    "ja": N_("Japanese"), "ko": N_("Korean"), "ar": N_("Arabic"),
}


# Flags that describe how an entry came in, not what was read: kept when a version is read again.
STICKY = ("organizer_entered",)


def make_flag(code: str, level: str, **params) -> dict:
    return {"code": code, "level": level, **params}


def needs_attention(flags: list[dict]) -> bool:
    return any(f.get("level") == ATTENTION for f in flags)


def only_under_review(flags: list[dict]) -> bool:
    """True when the only attention flag is a near-duplicate: the student is told that the
    entry is being reviewed and nothing else."""
    attention = [f for f in flags if f.get("level") == ATTENTION]
    return bool(attention) and all(f.get("code") == "near_duplicate" for f in attention)


def title(flag: dict) -> str:
    return gettext(EXPLANATIONS.get(flag.get("code"), (N_("Problem"), ""))[0])


def explain(flag: dict) -> str:
    """The student's explanation, translated, with the flag's numbers filled in."""
    text = EXPLANATIONS.get(flag.get("code"), ("", N_("An organizer will look at your entry.")))[1]
    params = {"words": flag.get("words", ""), "limit": flag.get("limit", ""),
              "pages": flag.get("pages", ""), "count": flag.get("count", ""),
              "confidence": _percent(flag.get("confidence")),
              "language": language_label(flag.get("language"))}
    return gettext(text, **params)


def _percent(value) -> str:
    return f"{value:.0f}" if isinstance(value, int | float) else ""


def language_label(code: str | None) -> str:
    if code in LANGUAGE_LABELS:
        return gettext(LANGUAGE_LABELS[code])
    return code or gettext(N_("an unrecognised language"))


# The reader's outcome for a version (EntryVersion.extraction_status), for the organizer.
READER_LABELS = {
    "ok": N_("Text read"), "pending": N_("Waiting to be read"), "processing": N_("Being read"),
    "superseded": N_("Replaced by a later version"),
}


def reader_label(status: str | None) -> str:
    """A translated label for an extraction outcome; never the stored code."""
    if status in READER_LABELS:
        return gettext(READER_LABELS[status])
    return title({"code": status})
