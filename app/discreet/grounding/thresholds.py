"""The tuned numbers behind relevance, support and abstention, each with how it was
chosen. Fitted on the tuning half of a shared set (`bench/`) unless said otherwise;
the figures in the issues' closing notes come from the other half.

What a user or an administrator may reasonably tune is a setting instead, with its
description (`AskSettings.min_relevance`: the best passage's cosine below which the
answer is "Not found"; `AskSettings.min_support`: the support below which a citation
is flagged). Everything here is a constant because moving it alone breaks the
balance it was fitted in.
"""

from __future__ import annotations

# --- relevance (grounding.relevance) ---------------------------------------------
# Recall and cosine count equally. Not fitted: an equal mean, on which min_support
# (0.45, fitted on CUAD answers: supported claims 0.55-0.9, wrong sources < 0.35) and
# the margins below were then fitted.
RECALL_WEIGHT = 0.5

# --- answers (tasks.answer_revision, tasks.answer_routes) -------------------------
# Both set by hand on the CUAD tuning questions; no sweep was recorded, so
# bench/answers.py is the check after any change. How far the text an answer cites may
# trail the best source sentence's relevance before the answer is taken to be about
# something else:
OFF_TOPIC_MARGIN = 0.25
# A source sentence this relevant to the question plainly answers it: an answer that
# misses it is revised, and a yes/no question whose sources all fall below it is left
# unsettled.
CLEAR_ANSWER = 0.55

# --- citations (tasks.citations) ---------------------------------------------------
# Set by hand on CUAD answers (no sweep recorded; bench/answers.py's citation hit rate
# is the check).
# Support another source must gain before Discreet overrides the model's own marker.
REATTRIBUTE_MARGIN = 0.1
# A quote shorter than this is a heading ("6.5 Governing Law; Venue."), not a statement,
# and the next sentence is quoted with it.
MIN_QUOTE_WORDS = 8

# --- verdicts (tasks.verdicts.verdict) ------------------------------------------------------
# Set by hand on the PubMedQA tuning half; they choose what is quoted, not the verdict.
EVIDENCE = 3  # sentences quoted under a verdict ...
EVIDENCE_MARGIN = 0.15  # ... beyond the first two, only as relevant as the best less this

# --- extraction (tasks.fields) -----------------------------------------------------
MIN_CUSTOM_RELEVANCE = 0.5  # a custom field's clause must be this relevant to its question

# --- follow-up questions (tasks.followup) ------------------------------------------
# The rewrite's best source must bear on the question as asked at least this much
# (cosine, MiniLM). Fitted on bench/conversation.py's tuning half: the follow-ups' best
# sources scored 0.04 to 0.42 against the bare follow-up (8 of 10 above 0.1), the
# unrelated question that leans on a pronoun ("Is it going to rain in London
# tomorrow?") -0.02; unrelated topics sit near zero.
MIN_INTENT = 0.1

# --- retrieval (retrieval.hybrid) --------------------------------------------------
MAX_TERMS = 8  # BM25 scores at most this many of the query's rarest words ...
COMMON_TERM = 0.3  # ... and skips words found in more than this share of chunks ...
# ... and reads at most this many postings, rarest words first: on 1M chunks all eight
# words of a question read ~1M postings (178 ms); the rarest within 20,000 take ~14 ms.
# Below 2,500 chunks eight words never reach it, so small libraries rank as before.
BM25_POSTINGS = 20_000
OPENING_CHARS = 1500  # a contract's preamble (title, date, parties) fits in this much
# Pages searched for a preamble when the first has none: a cover page and a table of
# contents before it (chosen by how contracts are laid out, not fitted)
PREAMBLE_PAGES = 4
MAX_MERGED_CHARS = 2400  # about three chunks: enough for a clause split across a cut
