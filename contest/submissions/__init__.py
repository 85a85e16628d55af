"""Submissions: entries, their file versions, receipts, and extraction results."""
