"""assignment index on (contest, round, juror, entry): cheap loads and plan fingerprints

Revision ID: h24_preview_jobs
Revises: b20_rounds
Create Date: 2026-11-30 02:00:00

"""
from alembic import op


revision = 'h24_preview_jobs'
down_revision = 'b20_rounds'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.create_index('ix_assignment_contest_round_juror',
                              ['contest_id', 'round_no', 'juror_id', 'entry_id'], unique=False)


def downgrade():
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.drop_index('ix_assignment_contest_round_juror')
