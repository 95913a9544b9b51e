"""Forms for HEE review: judging criteria, returning or accepting, and audits."""
