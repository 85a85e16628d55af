"""redaction records and the organizer's redaction terms

Revision ID: i11_redaction
Revises: i14_schools
Create Date: 2026-11-29 19:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'i11_redaction'
down_revision = 'i14_schools'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'entry_redaction',
        sa.Column('entry_id', sa.Integer(), nullable=False),
        sa.Column('contest_id', sa.Integer(), nullable=False),
        sa.Column('version_id', sa.Integer(), nullable=True),
        sa.Column('status', sa.Enum('pending', 'done', name='redactionstatus', native_enum=False, length=24),
                  nullable=False),
        sa.Column('generation', sa.Integer(), nullable=False),
        sa.Column('keep', sa.JSON(), nullable=False),
        sa.Column('spans', sa.JSON(), nullable=False),
        sa.Column('doubts', sa.JSON(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['contest_id'], ['contest.id'], name=op.f('fk_entry_redaction_contest_id_contest'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['entry_id'], ['entry.id'], name=op.f('fk_entry_redaction_entry_id_entry'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['version_id'], ['entry_version.id'],
                                name=op.f('fk_entry_redaction_version_id_entry_version'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('entry_id', name=op.f('pk_entry_redaction')),
    )
    with op.batch_alter_table('entry_redaction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_entry_redaction_contest_id'), ['contest_id'], unique=False)
    op.create_table(
        'redaction_term',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('contest_id', sa.Integer(), nullable=False),
        sa.Column('entry_id', sa.Integer(), nullable=True),
        sa.Column('term', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['contest_id'], ['contest.id'], name=op.f('fk_redaction_term_contest_id_contest'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['entry_id'], ['entry.id'], name=op.f('fk_redaction_term_entry_id_entry'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_redaction_term')),
    )
    with op.batch_alter_table('redaction_term', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_redaction_term_contest_id'), ['contest_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_redaction_term_entry_id'), ['entry_id'], unique=False)


def downgrade():
    with op.batch_alter_table('redaction_term', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_redaction_term_entry_id'))
        batch_op.drop_index(batch_op.f('ix_redaction_term_contest_id'))
    op.drop_table('redaction_term')
    with op.batch_alter_table('entry_redaction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entry_redaction_contest_id'))
    op.drop_table('entry_redaction')
