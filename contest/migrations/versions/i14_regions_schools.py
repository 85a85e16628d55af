"""regions from a fixed list, schools per region

Existing data: each user's free-text region is normalised to a code of
contest/schools/regions.json where it names exactly one region ("Актюбинская обл." ->
"aktobe"); text that names none is kept as it was (shown as is, and the person picks from the
list next time). Each distinct (region, school) gets a school row, and users point at it.

Revision ID: i14_schools
Revises: i12_entry_state
"""
from alembic import op
import sqlalchemy as sa
import contest.db


revision = 'i14_schools'
down_revision = 'i12_entry_state'
branch_labels = None
depends_on = None


def upgrade():
    school = op.create_table('school',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('region', sa.String(length=40), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('created_at', contest.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_school')),
        sa.UniqueConstraint('region', 'key', name=op.f('uq_school_region')),
    )
    with op.batch_alter_table('school', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_school_region'), ['region'], unique=False)
    if op.get_bind().dialect.name == 'sqlite':
        # Not batch mode: recreating "user" would drop the old table, and with foreign keys on
        # that deletes every row pointing at a user (ON DELETE CASCADE). SQLite adds a
        # nullable column with its reference in place.
        op.execute('ALTER TABLE "user" ADD COLUMN school_id INTEGER '
                   'REFERENCES school (id)')
    else:
        op.add_column('user', sa.Column('school_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_user_school_id_school'), 'user', 'school', ['school_id'], ['id'])
    op.create_index(op.f('ix_user_school_id'), 'user', ['school_id'], unique=False)
    _normalise(school)


def _normalise(school):
    from contest.schools.names import clean_name, school_key
    from contest.schools.regions import normalize

    conn = op.get_bind()
    user = sa.table('user', sa.column('id', sa.Integer), sa.column('region', sa.String),
                    sa.column('school', sa.String), sa.column('school_id', sa.Integer))
    now = contest.db.utcnow()
    ids: dict[tuple[str, str], int] = {}
    for uid, region, name in conn.execute(sa.select(user.c.id, user.c.region, user.c.school)).all():
        code = normalize(region) or (region or "")
        key = school_key(name or "")
        values = {'region': code}
        if key:
            if (code, key) not in ids:
                ids[(code, key)] = conn.execute(school.insert().values(
                    region=code[:40], name=clean_name(name), key=key, created_at=now)).inserted_primary_key[0]
            values['school_id'] = ids[(code, key)]
        conn.execute(user.update().where(user.c.id == uid).values(**values))


def downgrade():
    op.drop_index(op.f('ix_user_school_id'), table_name='user')
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE "user" DROP COLUMN school_id')  # SQLite >= 3.35
    else:
        op.drop_constraint(op.f('fk_user_school_id_school'), 'user', type_='foreignkey')
        op.drop_column('user', 'school_id')
    with op.batch_alter_table('school', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_school_region'))
    op.drop_table('school')
