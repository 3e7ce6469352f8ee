"""Running notebooks into client reports: execution, HTML export, index pages.

The runner knows notebooks and files, not business rules.
"""
