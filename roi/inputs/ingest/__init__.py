"""Reading real exports into scenario inputs whose source is the file.

- :mod:`roi.inputs.ingest.incidents`: incident history CSV (PagerDuty, Opsgenie, Jira Service
  Management, incident.io, GoAlert, generic) -> incidents per month and MTTR per severity;
- :mod:`roi.inputs.ingest.traces`: trace exports (Jaeger v1/v3, OTLP/JSON, Zipkin v2) -> spans per
  request, bytes per span, span volume per service;
- :mod:`roi.inputs.ingest.latency`: Prometheus API JSON or CSV -> P95 per endpoint.

Each module only reads the file it is given and returns plain data (a JSON-ready summary and a
scenario fragment); writing files is the command line's job. Formats and their pitfalls:
``FORMATS.md`` of the project notes.
"""
