"""The residents answer a survey: pages, skip logic, state in the signed cookie, the send."""
