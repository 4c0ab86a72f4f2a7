"""The measures a service lead is judged on, one module per topic. Each selector takes a
service and a period (anything with `start` and `end` dates) and aggregates in the database:
Python only ever sees a handful of grouped rows."""
