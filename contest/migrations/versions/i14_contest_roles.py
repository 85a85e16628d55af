"""roles per contest and site administrators

Existing data: every existing organizer becomes an owner of every existing contest (before
this change every organizer saw and managed every contest, so nobody loses access), and the
earliest organizer account becomes the site administrator.

Revision ID: i14_roles
Revises: 6407e999d113
"""
from alembic import op
import sqlalchemy as sa
import contest.db


revision = 'i14_roles'
down_revision = '6407e999d113'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_admin', sa.Boolean(), nullable=False, server_default=sa.false()))
    member = op.create_table('contest_member',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('contest_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.Enum('owner', 'co_organizer', 'observer', 'jury_chair', name='contestrole',
                                  native_enum=False, length=24), nullable=False),
        sa.Column('created_at', contest.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['contest_id'], ['contest.id'], name=op.f('fk_contest_member_contest_id_contest'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_contest_member_user_id_user'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_contest_member')),
        sa.UniqueConstraint('contest_id', 'user_id', name=op.f('uq_contest_member_contest_id')),
    )
    with op.batch_alter_table('contest_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contest_member_contest_id'), ['contest_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contest_member_user_id'), ['user_id'], unique=False)
    _existing_organizers_own_existing_contests(member)


def _existing_organizers_own_existing_contests(member):
    conn = op.get_bind()
    user = sa.table('user', sa.column('id', sa.Integer), sa.column('role', sa.String),
                    sa.column('is_admin', sa.Boolean))
    contest_t = sa.table('contest', sa.column('id', sa.Integer))
    organizers = [row[0] for row in conn.execute(
        sa.select(user.c.id).where(user.c.role == 'organizer').order_by(user.c.id))]
    contests = [row[0] for row in conn.execute(sa.select(contest_t.c.id))]
    if organizers:
        conn.execute(user.update().where(user.c.id == organizers[0]).values(is_admin=True))
    now = contest.db.utcnow()
    rows = [{'contest_id': c, 'user_id': u, 'role': 'owner', 'created_at': now}
            for c in contests for u in organizers]
    if rows:
        op.bulk_insert(member, rows)


def downgrade():
    with op.batch_alter_table('contest_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contest_member_user_id'))
        batch_op.drop_index(batch_op.f('ix_contest_member_contest_id'))
    op.drop_table('contest_member')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('is_admin')
