"""sso providers: a municipality's own OpenID Connect provider, chosen by email domain

Revision ID: b7d3e1f0a2c4
Revises: a1c0e7d4b2f9
Create Date: 2026-11-26 23:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7d3e1f0a2c4'
down_revision = 'a1c0e7d4b2f9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sso_provider',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('issuer', sa.String(length=500), nullable=False),
    sa.Column('client_id', sa.String(length=255), nullable=False),
    sa.Column('client_secret', sa.String(length=500), nullable=False),
    sa.Column('email_domains', sa.JSON(), nullable=False),
    sa.Column('create_unknown', sa.Boolean(), nullable=False),
        sa.Column('trusts_domain_emails', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(
        ['municipality_id'], ['municipality.id'],
        name=op.f('fk_sso_provider_municipality_id_municipality'),
    ),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sso_provider')),
    sa.UniqueConstraint('municipality_id', name=op.f('uq_sso_provider_municipality_id'))
    )


def downgrade():
    op.drop_table('sso_provider')
