"""DOCX header/footer text on versions (for redaction doubts); a refill waiting for redaction

Revision ID: b11_margins_refill
Revises: i11_redaction
"""
from alembic import op
import sqlalchemy as sa


revision = 'b11_margins_refill'
down_revision = 'i11_redaction'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (no batch copy): entry_version is a parent table on SQLite.
    op.add_column('entry_version', sa.Column('margin_text', sa.Text(), nullable=True))
    op.add_column('entry_redaction', sa.Column('refill_pending', sa.Boolean(), nullable=False,
                                               server_default=sa.false()))


def downgrade():
    op.drop_column('entry_redaction', 'refill_pending')
    op.drop_column('entry_version', 'margin_text')
