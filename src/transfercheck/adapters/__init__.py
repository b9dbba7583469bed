"""Adapters: everything that touches a database, a file, the network or the clock."""
