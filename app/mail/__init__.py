"""E-mail through an outbox: pages queue messages; they are sent after the response or by cron."""
