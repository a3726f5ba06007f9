"""Reports: plain functions ``(con, **parameters) -> DataFrame`` with the columns SPEC.md gives.

Each report module that the command line offers has ``CLI_REPORTS``: report name ->
``(add_arguments(parser), run(con, args) -> DataFrame)``. ``CLI_MODULES`` lists those modules, in the
order ``report --help`` shows them.
"""

CLI_MODULES = ("sales", "forecast", "changes", "plan_fact", "clients", "segments", "summary")
