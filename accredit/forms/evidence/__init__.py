"""Forms for evidence: the library, asking for a pack, and checking a pack or certificate."""
