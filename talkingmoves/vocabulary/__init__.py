"""Every fixed list the product speaks, once: values as stored, labels as shown.

One module per topic, plain Python and Django choices only. It sits below every app: any app
may import it, and it imports none of them. Mapping tables for outside vocabularies
(OpenActive concepts, spreadsheet words) map onto these members, never onto re-typed labels;
tests/test_vocabulary.py fails when a label is typed again anywhere else.
"""
