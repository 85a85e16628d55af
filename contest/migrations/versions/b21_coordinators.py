"""school coordinators: pupils entered by a teacher, with consent; per-contest caps

Revision ID: b21_coordinators
Revises: i11_redaction
Create Date: 2026-11-29 23:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b21_coordinators'
down_revision = 'b13_transcription'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'pupil',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('coordinator_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('contact_email', sa.String(length=254), nullable=False),
        sa.Column('email_consent', sa.Boolean(), nullable=False),
        sa.Column('guardian_name', sa.String(length=200), nullable=False),
        sa.Column('consent_recorded_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('consent_recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['coordinator_id'], ['user.id'], name=op.f('fk_pupil_coordinator_id_user'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_pupil_user_id_user'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['consent_recorded_by_id'], ['user.id'],
                                name=op.f('fk_pupil_consent_recorded_by_id_user'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pupil')),
        sa.UniqueConstraint('user_id', name=op.f('uq_pupil_user_id')),
    )
    op.create_index(op.f('ix_pupil_coordinator_id'), 'pupil', ['coordinator_id'], unique=False)
    op.create_table(
        'coordinator_limit',
        sa.Column('contest_id', sa.Integer(), nullable=False),
        sa.Column('max_pupils', sa.Integer(), nullable=False),
        sa.Column('max_entries', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['contest_id'], ['contest.id'], name=op.f('fk_coordinator_limit_contest_id_contest'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('contest_id', name=op.f('pk_coordinator_limit')),
    )


def downgrade():
    op.drop_table('coordinator_limit')
    op.drop_index(op.f('ix_pupil_coordinator_id'), table_name='pupil')
    op.drop_table('pupil')
