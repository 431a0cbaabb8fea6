"""Views of planning/, one module per area: years, plans, meetings, calendar, documents."""
