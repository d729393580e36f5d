"""Visitor contributions (the debate arena): the public form, moderation and clean-up.

The models are in :mod:`stories.models.contributions`; the admin in
:mod:`stories.contribution_admin`.
"""
