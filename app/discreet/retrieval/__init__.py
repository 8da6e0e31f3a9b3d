"""Finding the passages that answer a query: the fourth layer."""
