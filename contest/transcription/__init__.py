"""Transcription by people: the organizer types or corrects the text of an entry that OCR
could not read well, beside its page images. The OCR text is kept; every save is audited."""
