"""Chancery: diplomatic-training programmes, from school outreach to internships."""
