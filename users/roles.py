"""Staff roles, kept as Wagtail groups so administrators can adjust them in the admin.

Later work gives each role its permissions; here every role may log in to the admin.
"""

ROLES = {
    "curator": "Curators",
    "registrar": "Registrars",
    "ethics_reviewer": "Ethics reviewers",
    "educator": "Educators",
    "translator": "Translators",
    "venue_coordinator": "Venue coordinators",
}
