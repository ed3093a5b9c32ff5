"""Extensions of the cleancrawl project."""
