"""The domain events: every signal one domain sends for another to act on, declared here.

A lower domain sends an event; a higher one subscribes (the stairs go one way: the sender
never imports its subscribers). Each event is sent **inside the sender's transaction** and its
subscribers write in that same transaction, so the sender's one commit saves the action and
everything that follows from it, or nothing at all. Subscribers never commit. What reaches
outside the database (mail is sent after the response, a job is enqueued after its row is
committed) happens only once the transaction has committed.

Subscribers connect when their module is imported; `app.init_subscribers` imports them all.
"""

from blinker import Namespace

_events = Namespace()

lesson_viewed = _events.signal("lesson-viewed")
"""Sent by `courses.services.record_lesson_view` the first time a learner opens a lesson.
Sender: the learner (User); `course`: the lesson's Course. Subscriber: `progress.subscribers`
records the module and course completions that now hold."""

quiz_passed = _events.signal("quiz-passed")
"""Sent by `quizzes.services.submit_attempt` when a submitted attempt passes. Sender: the learner
(User); `course`: the quiz's Course; `attempt`: the QuizAttempt. Subscriber:
`progress.subscribers` records the completions that now hold (and so the certificate)."""

practice_saved = _events.signal("practice-saved")
"""Sent by `practice.services.save_practice` after a learner ticks or unticks practice tasks.
Sender: the learner (User); `course`: the Course. Subscriber: `progress.subscribers`."""

attendance_marked = _events.signal("attendance-marked")
"""Sent by `training.services` when attendance is marked or a person checks in. Sender: the
TrainingSession; `attended`: ids of people marked present; `absent_after_all`: ids marked
absent who were present before; `by`: the marker (User). Subscriber: `progress.subscribers`
completes the courses attending can complete and withdraws what rested on an absence."""

practice_confirmed = _events.signal("practice-confirmed")
"""Sent by `training.services.confirm_practice` when the trainer confirms practice at a follow-up
meeting. Sender: the TrainingSession; `user_ids`: the newly confirmed. Subscriber:
`progress.subscribers` completes the agent course for those it now holds for."""

certificate_revoked = _events.signal("certificate-revoked")
"""Sent by `certificates.services` when an agent's certificate is revoked (by hand or because
they stopped being an active agent). Sender: the holder (User); `revoked_at`; `by` (User or
None). Subscriber: `progress.subscribers` withdraws completions at their sessions that start
afterwards (those sessions will never count)."""

agent_role_ended = _events.signal("agent-role-ended")
"""Sent by `municipalities` when someone stops being an active agent (role changed, moved or
deactivated). Sender: the User; `by`: who made the change (None: the command line).
Subscriber: `certificates.services` revokes the agent certificate."""

account_link_issued = _events.signal("account-link-issued")
"""Sent by `auth.services` when a person gets a personal link (activation or password reset).
Sender: the User; `purpose`: the `auth.links.LinkPurpose`; `link`: the address. Subscriber:
`mail.subscribers` queues the e-mail in the sender's transaction (sent after the response)."""

course_completed = _events.signal("course-completed")
"""Sent by `progress.completion.complete_course` for new completions and for agents
re-certified by a new follow-up meeting. Sender: the Course; `completions`: the
CourseCompletions; `live`: happening now (False for history the demo data records afterwards).
Subscriber: `certificates.services` issues the certificates and, when live, queues the e-mail."""

completion_withdrawn = _events.signal("completion-withdrawn")
"""Sent by `progress.completion` when completions no longer hold (marked absent after all, or
the session will not count). Sender: the Course; `completions`; `by` (User or None).
Subscriber: `certificates.services` revokes the certificates that rested on them."""
