"""Quote attribution over a spaCy Doc: who said what, with the cue, the speaker mention and the resolved name.

The entry point is `rows.attribute_article(doc)`: the quote and source rows, each quote's rule (for evaluation)
and the article's entity layer (`rows.attribute(doc) -> (quotes, sources)` is the two tables alone). Every step is linear in the tokens; spaCy's parse does the heavy lifting:

1. `marks`: quotation spans, paired per paragraph from the double marks in the text (curly, straight, or the NYT
   archive's two apostrophes; single marks only appear nested, so they stay inside). A paragraph that opens a
   mark and never closes it continues into the next: a multi-paragraph quote, one row per paragraph, one speaker;
   a quotation can also close in the next paragraph.
2. `cues`: the reporting verbs of `lexicon.SPEECH_VERBS` outside quotations (a quoted phrase or colon lead-in is
   attributed only through a verb of speech, thought or attitude, `lexicon.REPORTING_VERBS`), "according to", and reporting nouns
   with their own clause ("his claim that ...", "Trump's promise to build"), each with its speaker head, which
   `speaker` decides: the cue's subject, or the subject of the verb it hangs from ("..., saying", "and added",
   "by citing"), or the agent of a passive ("as reported by X"); a relative pronoun stays the mention.
3. `indirect` (with `content`): the reported content of each cue: its clausal complements (indirect; mixed when
   they hold a quotation), the clause a parenthetical cue interrupts ("The plan, he said, is dead"), the object of
   a naming or judging verb ("criticised Kiev's push"), the topic of "comment on"/"respond to", quoted fragments in
   the verb's own phrase (partial), the rest of the sentence for "according to X", and repairs for the small
   model's parse (a clause run over a paragraph break keeps its cue's paragraph, "<content>, police said." with the
   content misattached takes the words before the comma, "Asked if ...", "called for X to Y", "said no").
4. `direct`: quotations left over take the cue of their own sentence (`cues.cue_for_quote`): right after them
   ("...," he said), right before (He said: "..."; the lead-in may end the previous paragraph), or between two
   halves. A quoted phrase governed by any verb with a subject is a partial quote; a quoted sentence with no cue
   continues the previous speaker (floating); one the author finishes in their own words is mixed. Transcript
   turns ("FALLIN: Well, ...") are the labelled person's words. Quoted titles, names and headings are no one's
   words and are skipped.
5. `speaker`: speakers resolve in reading order through the entity layer (`entities.article`), since a pronoun's
   best antecedent is often the previous speaker. `rows` turns the attributions into quote and source rows; each quote's confidence
   is its rule's precision on PolNeAR train (`rows.RULE_PRECISION`).

The package may import `transforms.entities`, `transforms.nlp` and spaCy.
"""
