"""Pages of the applications app, one module per concept (see urls.py)."""
