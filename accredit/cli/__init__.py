"""The command line: every `flask`/`accredit` command is registered in ``commands``; each group
of commands has its own module.
"""
