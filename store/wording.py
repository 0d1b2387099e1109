"""Words that messages build from a name: the article goes with the sound, not the letter."""

from __future__ import annotations

import re

#: Words written with a vowel that sound like a consonant ("a user", "a one-line", "a euro").
_CONSONANT_SOUND = re.compile(r"^(?:u[bcdfgjklmnpqrstvwxyz][aeiou]|uni|use|eu|one\b|once)", re.IGNORECASE)
#: Words written with a consonant that sound like a vowel ("an hour").
_VOWEL_SOUND = re.compile(r"^(?:hour|honest|honou?r|heir)", re.IGNORECASE)
#: Letters whose spoken name starts with a vowel sound: "an HTML block", "an SRE", but "a URL".
_VOWEL_LETTERS = "AEFHILMNORSX"


def article(noun: str) -> str:
    """`a` or `an` for `noun`: "an action", "a note", "an HTML block", "a URL", "an hour"."""
    word = noun.strip().split(" ", 1)[0]
    if len(word) > 1 and word.isupper():  # an initialism, spoken letter by letter
        return "an" if word[0] in _VOWEL_LETTERS else "a"
    if _VOWEL_SOUND.match(word):
        return "an"
    if _CONSONANT_SOUND.match(word):
        return "a"
    return "an" if word[:1].lower() in "aeiou" else "a"


def with_article(noun: str) -> str:
    """`noun` after its article: "an action", "a hypothesis"."""
    return f"{article(noun)} {noun}"
