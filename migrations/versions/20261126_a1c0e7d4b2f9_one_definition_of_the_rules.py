"""one definition of the rules: certificates as records, re-certification, session time rules

Revision ID: a1c0e7d4b2f9
Revises: 46b842768a8e
Create Date: 2026-11-26 23:00:00

A certificate keeps the trainer's name it was issued with (backfilled from today's names); a
revoked certificate may stand beside its successor (one valid per person and course); an admin
may reopen a closed session, with who and why.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1c0e7d4b2f9'
down_revision = '46b842768a8e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('trainer_name', sa.String(length=200), nullable=True))
        batch_op.drop_constraint('uq_certificate_user_id_course_id', type_='unique')
        batch_op.create_index(
            'uq_certificate_valid', ['user_id', 'course_id'], unique=True,
            sqlite_where=sa.text('revoked_at IS NULL'),
            postgresql_where=sa.text('revoked_at IS NULL'),
        )
    op.execute(
        'UPDATE certificate SET trainer_name = '
        '(SELECT name FROM "user" WHERE "user".id = certificate.trainer_id) '
        'WHERE trainer_id IS NOT NULL'
    )

    with op.batch_alter_table('training_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reopened_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reopened_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column('reopen_reason', sa.Text(), nullable=False, server_default='')
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_training_session_reopened_by_id_user'), 'user', ['reopened_by_id'],
            ['id'],
        )


def downgrade():
    with op.batch_alter_table('training_session', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_training_session_reopened_by_id_user'), type_='foreignkey'
        )
        batch_op.drop_column('reopen_reason')
        batch_op.drop_column('reopened_by_id')
        batch_op.drop_column('reopened_at')

    # Only one certificate per person and course fits the old constraint: keep the newest of
    # each (the valid one, where there is one) and drop its revoked predecessors.
    op.execute(
        'DELETE FROM certificate WHERE EXISTS ('
        'SELECT 1 FROM certificate AS newer WHERE newer.user_id = certificate.user_id '
        'AND newer.course_id = certificate.course_id AND newer.id > certificate.id)'
    )
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_index(
            'uq_certificate_valid',
            sqlite_where=sa.text('revoked_at IS NULL'),
            postgresql_where=sa.text('revoked_at IS NULL'),
        )
        batch_op.create_unique_constraint(
            'uq_certificate_user_id_course_id', ['user_id', 'course_id']
        )
        batch_op.drop_column('trainer_name')
