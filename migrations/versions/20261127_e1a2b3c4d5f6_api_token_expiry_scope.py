"""api token expiry and scope

Revision ID: e1a2b3c4d5f6
Revises: d4a7b2c8e1f6
Create Date: 2026-11-27 09:00:00

An API token may expire (expires_at, optional) and may be limited to reading
(scope 'read'; 'write' is the default and what tokens made before this had).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e1a2b3c4d5f6'
down_revision = 'd4a7b2c8e1f6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column('scope', sa.String(length=10), nullable=False, server_default='write')
        )
        batch_op.create_check_constraint('scope_known', "scope IN ('read', 'write')")


def downgrade():
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_api_token_scope_known'), type_='check')
        batch_op.drop_column('scope')
        batch_op.drop_column('expires_at')
