"""transcriptions typed by people for entries read from photos or scans; entries the
organizer entered for a pupil (paper or e-mail) and their claims

Revision ID: b13_transcription
Revises: i11_redaction
Create Date: 2026-11-29 22:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b13_transcription'
down_revision = 'b11_margins_refill'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'transcription',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('entry_id', sa.Integer(), nullable=False),
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.Column('ocr_text', sa.Text(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('created_by', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['entry_id'], ['entry.id'], name=op.f('fk_transcription_entry_id_entry'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['version_id'], ['entry_version.id'],
                                name=op.f('fk_transcription_version_id_entry_version'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['created_by'], ['user.id'], name=op.f('fk_transcription_created_by_user'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_transcription')),
    )
    with op.batch_alter_table('transcription', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transcription_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_transcription_version_id'), ['version_id'], unique=False)
    op.create_table(
        'paper_entry',
        sa.Column('entry_id', sa.Integer(), nullable=False),
        sa.Column('contest_id', sa.Integer(), nullable=False),
        sa.Column('channel', sa.String(length=16), nullable=False),
        sa.Column('contact', sa.String(length=254), nullable=False),
        sa.Column('claim_key', sa.String(length=16), nullable=False),
        sa.Column('entered_by', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('claimed_by', sa.Integer(), nullable=True),
        sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['entry_id'], ['entry.id'], name=op.f('fk_paper_entry_entry_id_entry'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['contest_id'], ['contest.id'], name=op.f('fk_paper_entry_contest_id_contest'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['entered_by'], ['user.id'], name=op.f('fk_paper_entry_entered_by_user'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['claimed_by'], ['user.id'], name=op.f('fk_paper_entry_claimed_by_user'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('entry_id', name=op.f('pk_paper_entry')),
    )
    with op.batch_alter_table('paper_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_paper_entry_contest_id'), ['contest_id'], unique=False)


def downgrade():
    with op.batch_alter_table('paper_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_paper_entry_contest_id'))
    op.drop_table('paper_entry')
    with op.batch_alter_table('transcription', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transcription_version_id'))
        batch_op.drop_index(batch_op.f('ix_transcription_entry_id'))
    op.drop_table('transcription')
