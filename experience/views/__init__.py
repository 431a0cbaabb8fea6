"""Views of experience/, one module per area; each lists its own `urls`."""
