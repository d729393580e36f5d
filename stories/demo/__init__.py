"""Fictional demo content for the stories app (voices, consent, testimonies, perspectives)."""
