"""quiz reveal_answers

Revision ID: d4a7b2c8e1f6
Revises: c9e4f2a1b3d5
Create Date: 2026-11-27 00:30:00

When a quiz result shows the right answers: 'after_pass' (once passed, or no attempts left;
the default, also for quizzes synced before this setting existed) or 'always'.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4a7b2c8e1f6'
down_revision = 'c9e4f2a1b3d5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('quiz', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'reveal_answers', sa.String(length=20), nullable=False, server_default='after_pass'
            )
        )
        batch_op.create_check_constraint(
            'reveal_answers_known', "reveal_answers IN ('after_pass', 'always')"
        )


def downgrade():
    with op.batch_alter_table('quiz', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_quiz_reveal_answers_known'), type_='check')
        batch_op.drop_column('reveal_answers')
