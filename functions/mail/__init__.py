"""Email: composing the weekly digests and daily reminders, the transports, and sending each once.

``compose`` turns the derived sheets into complete messages (``Outgoing``), ``transport``
delivers them (an outbox folder of ``.eml`` files locally, SMTP in production) and ``sender``
keeps the Terkirim log so that every email goes out exactly once; ``limits`` holds the
provider's limits as rules (each account's day, the reminders' share, the seven days of a week's
mail), ``jobs`` runs the weekly and reminder jobs, and ``rencana`` tells the operator what the
limits mean for a week's mail.
"""
