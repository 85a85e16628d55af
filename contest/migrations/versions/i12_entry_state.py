"""entry state version (compare-and-set), worker time and language shares per version

Revision ID: i12_entry_state
Revises: i16_documents
"""
from alembic import op
import sqlalchemy as sa


revision = 'i12_entry_state'
down_revision = 'i16_documents'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state_version', sa.Integer(), nullable=False, server_default='0'))
    with op.batch_alter_table('entry_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('extraction_seconds', sa.Double(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('language_shares', sa.JSON(), nullable=False, server_default='{}'))


def downgrade():
    with op.batch_alter_table('entry_version', schema=None) as batch_op:
        batch_op.drop_column('language_shares')
        batch_op.drop_column('extraction_seconds')
    with op.batch_alter_table('entry', schema=None) as batch_op:
        batch_op.drop_column('state_version')
