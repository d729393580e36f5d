# Voices, testimonies, consent and contributions arrive with the Stories issue.
