"""Grounding: how Discreet decides that a passage bears on a question and that a
source sentence backs a claim.

Every heuristic behind relevance, support and abstention lives here, so that a
threshold has one meaning and one place: the vocabulary and stems (`vocabulary`),
citation markers (`markers`), the relevance score and the question it is measured
against (`relevance`), and the tuned constants with how each was measured
(`thresholds`). It sits below the index (whose keyword search stems the same way) and
knows nothing of libraries or prompts.
"""
