"""The SPARQL 1.1 Protocol as the service speaks it: content negotiation, conditional GET,
compression and the safety checks a query passes before it runs.

https://www.w3.org/TR/sparql11-protocol/ . The bottom of the service's parts: it knows no other
(docs/architecture.md).
"""
