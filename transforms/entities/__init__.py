"""The one place where a mention (a name, surname, title, role noun, pronoun or group noun) is resolved to a person
or an organisation, with the entity key that joins it across tables and articles.

- `article`: the entity layer of one article (`ArticleEntities`, built once per document): every mention found and
  resolved once, with the rule that did it; quote speakers, sources, event participants and the mentions table
  all read it.
- `index`: what the article says about its people, read once (names, roles, genders and their evidence).
- `first_names`: a gender estimate from a first name alone (an offline name list), kept apart from the article's.
- `lexicon`: every word set that says what a mention is (pronouns, gender markers, honorifics, role nouns, labels).
- `keys`: `entity_key`, one normalised key per real-world source.
- `namebook`: an event participant's head -> its words and its entity's key, through the article layer.

The package may import `transforms.nlp` and spaCy; `transforms.quotes` and `transforms.events` call it.
"""
