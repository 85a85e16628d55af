"""judging rounds, shortlist, round numbers on assignments and criteria

Revision ID: b20_rounds
Revises: i11_redaction
Create Date: 2026-11-29 22:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b20_rounds'
down_revision = 'b21_coordinators'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'judging_round',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('contest_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('mode', sa.Enum('k', 'panel', name='roundmode', native_enum=False, length=24), nullable=False),
        sa.Column('reviews_per_entry', sa.Integer(), nullable=True),
        sa.Column('juror_ids', sa.JSON(), nullable=False),
        sa.Column('state', sa.Enum('pending', 'open', 'closed', name='roundstate', native_enum=False, length=24),
                  nullable=False),
        sa.Column('closed_reason', sa.String(length=1000), nullable=False),
        sa.Column('previous_weight', sa.Double(), nullable=False),
        sa.Column('shortlist_rule', sa.JSON(), nullable=False),
        sa.Column('shortlist_confirmed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['contest_id'], ['contest.id'], name=op.f('fk_judging_round_contest_id_contest'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_judging_round')),
        sa.UniqueConstraint('contest_id', 'number', name=op.f('uq_judging_round_contest_id')),
    )
    with op.batch_alter_table('judging_round', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_judging_round_contest_id'), ['contest_id'], unique=False)
    op.create_table(
        'shortlist_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('contest_id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('entry_id', sa.Integer(), nullable=False),
        sa.Column('category_id', sa.Integer(), nullable=False),
        sa.Column('place', sa.Integer(), nullable=False),
        sa.Column('score', sa.Double(), nullable=False),
        sa.Column('by_rule', sa.Boolean(), nullable=False),
        sa.Column('selected', sa.Boolean(), nullable=False),
        sa.Column('reason', sa.String(length=1000), nullable=False),
        sa.Column('notified_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['contest_id'], ['contest.id'], name=op.f('fk_shortlist_entry_contest_id_contest'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['entry_id'], ['entry.id'], name=op.f('fk_shortlist_entry_entry_id_entry'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['round_id'], ['judging_round.id'],
                                name=op.f('fk_shortlist_entry_round_id_judging_round'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_shortlist_entry')),
        sa.UniqueConstraint('round_id', 'entry_id', name=op.f('uq_shortlist_entry_round_id')),
    )
    with op.batch_alter_table('shortlist_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shortlist_entry_contest_id'), ['contest_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shortlist_entry_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shortlist_entry_round_id'), ['round_id'], unique=False)
    # assignment is no parent table (nothing references it): a batch rebuild is safe on SQLite.
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('round_no', sa.Integer(), server_default='1', nullable=False))
        batch_op.drop_constraint('uq_assignment_entry_id', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_assignment_entry_id'), ['entry_id', 'juror_id', 'round_no'])
    op.add_column('criterion', sa.Column('round_no', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    op.drop_column('criterion', 'round_no')
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.drop_constraint('uq_assignment_entry_id', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_assignment_entry_id'), ['entry_id', 'juror_id'])
        batch_op.drop_column('round_no')
    op.drop_table('shortlist_entry')
    op.drop_table('judging_round')
