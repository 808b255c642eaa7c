"""Consultation rounds: settings, criteria, questionnaires, invitations and participants."""
