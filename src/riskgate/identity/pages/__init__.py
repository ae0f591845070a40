"""Console pages of identity: sign-in, the user's own account, users and organisations."""
