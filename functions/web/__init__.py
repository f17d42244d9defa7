"""Everything HTTP: the app factory and web plumbing, the pages of each role, the scheduled endpoints.

Handlers parse the request, call one domain function and map the result to a response; ``main.py`` and the local
app (``app.create_app``) call the very same handlers.
"""
