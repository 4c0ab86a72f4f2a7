"""Personal activity plans (ADR 019): the conversation about being active, a gradual weekly
plan the service user keeps through a signed link, and the progress both of them see."""
