"""The carebase feedback service: an ASGI app (Starlette) that stores the site's events."""
