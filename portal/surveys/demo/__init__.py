"""The demo resident survey: its wording (content), and seeding it with synthetic answers (seed)."""
