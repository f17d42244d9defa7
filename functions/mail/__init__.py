"""Email: composing the weekly digests and daily reminders, the transports, and sending each once.

``compose`` turns the derived sheets into complete messages (``Outgoing``), ``transport``
delivers them (an outbox folder of ``.eml`` files locally, SMTP in production) and ``sender``
keeps the Terkirim log so that every email goes out exactly once.
"""
