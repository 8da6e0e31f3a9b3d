"""Contract review: every CUAD clause category scored on a document's passages.

A learned room, not a rule book: the clause model, the contract-type classifier and the
question router are linear heads fitted on 333 lawyer-labelled CUAD contracts by
`tools/train_review.py`, shipped hashed in `resources/models.toml`.
"""
