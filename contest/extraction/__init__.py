"""Pure extraction core: file-type sniffing, sandboxed text extraction, near-duplicate
signatures and redaction for blind judging. No Flask, database or Redis here.

Modules: filetype (sniff_format, safe_display_name), core (extract, runs in the child),
sandbox (run_extraction, preload), text (normalize_text, count_words, detect_language),
similarity (signature, similarity, similar_pairs), redaction (redact_text: the rules of blind
judging; names: spellings and forms of names), juror_pdf (the juror's generated file).
Import the submodules directly; this package imports nothing heavy on its own.
"""
