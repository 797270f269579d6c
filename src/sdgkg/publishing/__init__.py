"""Linked Data: every IRI under the base in the format asked for, the ontology and shapes
documents, VoID and DCAT with the dumps, and the SPARQL service description.

It picks the representation and the data; ``sdgkg.web`` renders the HTML (docs/architecture.md).
"""
