"""The one place where a mention (a name, surname, title, role noun or pronoun) is resolved to a person or an
organisation, with the entity key that joins it across tables and articles.

- `lexicon`: every word set that says what a mention is (pronouns, gender markers, honorifics, role nouns, labels).
- `keys`: `entity_key`, one normalised key per real-world source.
- `speakers`: a quote's speaker mention -> its source (`resolve`, `speaker_span`), over a per-document index.
- `namebook`: an event participant's head -> its words and the key of the article's source (`NameBook`).

The two resolvers differ (the speaker one follows the previous speaker and reads genders; the participant one
takes a governing clause's subject or the nearest earlier name) and both give the output the tables hold today.
The package may import `transforms.nlp` and spaCy; `transforms.quotes` and `transforms.events` call it.
"""
