"""Background jobs, on the ground floor because every domain hands long work to them: the
`Job` row (state, progress, file) and the queue (RQ on REDIS_URL, else a thread of the app).
The job page and `flask jobs work` are the jobs domain's (`app.jobs`)."""
