"""documents after the results: per-tier titles, signatory spellings, supervisors, letters
and protocols as generalized diploma rows

Revision ID: i16_documents
Revises: i15_outreach
Create Date: 2026-11-29 19:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'i16_documents'
down_revision = 'i15_outreach'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contest', schema=None) as batch_op:
        batch_op.add_column(sa.Column('documents', sa.JSON(), nullable=False, server_default='{}'))
    with op.batch_alter_table('award_tier', schema=None) as batch_op:
        batch_op.add_column(sa.Column('document_title', sa.JSON(), nullable=False, server_default='{}'))
    with op.batch_alter_table('signatory', schema=None) as batch_op:
        batch_op.add_column(sa.Column('names', sa.JSON(), nullable=False, server_default='{}'))
    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('supervisor', sa.String(length=200), nullable=False, server_default=''))
    with op.batch_alter_table('publication', schema=None) as batch_op:
        batch_op.add_column(sa.Column('frozen', sa.JSON(), nullable=False, server_default='{}'))
    with op.batch_alter_table('diploma', schema=None) as batch_op:
        batch_op.add_column(sa.Column('slot', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('user_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('holder', sa.String(length=200), nullable=False, server_default=''))
    # Every existing row is a student's document: its slot is its entry.
    op.execute("UPDATE diploma SET slot = 'entry:' || CAST(entry_id AS VARCHAR(20))")
    with op.batch_alter_table('diploma', schema=None) as batch_op:
        batch_op.alter_column('slot', existing_type=sa.String(length=40), nullable=False)
        batch_op.alter_column('entry_id', existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column('language', existing_type=sa.String(length=2), type_=sa.String(length=8),
                              existing_nullable=False)
        batch_op.drop_constraint('uq_diploma_entry_id', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_diploma_contest_id'), ['contest_id', 'slot'])
        batch_op.create_index(batch_op.f('ix_diploma_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_diploma_user_id'), ['user_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_diploma_user_id_user'), 'user', ['user_id'], ['id'],
                                    ondelete='CASCADE')


def downgrade():
    op.execute("DELETE FROM diploma WHERE entry_id IS NULL OR slot NOT LIKE 'entry:%'")
    with op.batch_alter_table('diploma', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_diploma_user_id_user'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_diploma_user_id'))
        batch_op.drop_index(batch_op.f('ix_diploma_entry_id'))
        batch_op.drop_constraint(batch_op.f('uq_diploma_contest_id'), type_='unique')
        batch_op.create_unique_constraint('uq_diploma_entry_id', ['entry_id'])
        batch_op.alter_column('language', existing_type=sa.String(length=8), type_=sa.String(length=2),
                              existing_nullable=False)
        batch_op.alter_column('entry_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('holder')
        batch_op.drop_column('user_id')
        batch_op.drop_column('slot')
    with op.batch_alter_table('publication', schema=None) as batch_op:
        batch_op.drop_column('frozen')
    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.drop_column('supervisor')
    with op.batch_alter_table('signatory', schema=None) as batch_op:
        batch_op.drop_column('names')
    with op.batch_alter_table('award_tier', schema=None) as batch_op:
        batch_op.drop_column('document_title')
    with op.batch_alter_table('contest', schema=None) as batch_op:
        batch_op.drop_column('documents')
