"""Accounts: users, passwords, sign-in, access tokens and the users' management screen."""
