"""The users' pages: one's own page and password (pages), the administrators' pages for users and roles
(pages) and for personal data (personal_data)."""
