"""Members of the public: registration, My account, consent, export and erasure.

The models live in ``accounts.models``; this package holds the member-facing code.
"""
