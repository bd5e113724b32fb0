"""PLOVER events of a parsed article: `rows.find_events(doc, published_at, entities)` gives its events-table rows.

triggers   the words that report an event, and its type and mode, from the trigger lexicon
clause     the trigger's clause chain, the verb that lends an event noun its actor, and the place named
modality   negated, future and hypothetical flags
dates      date expressions, the trigger each attaches to, and the period each names
participants  the heads of actors and recipients in the dependency parse (entities.namebook names them through the article's entity layer)
plover     the codebook tables (quad class, CAMEO roots) and the trigger lexicon, shipped in data/
rows       one Doc -> event rows

May import: spaCy, transforms.nlp, transforms.entities and transforms.schema; never quotes, extract or flows.
"""
