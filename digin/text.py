"""The translatable string type shared by the model, the catalogs and the templates."""
from __future__ import annotations


class Text(str):
    """A translatable string that knows its stable key (the PO msgctxt) and its source.

    `lang` is the language of the text itself: the edition's language once translated,
    or the source language where a draft build fell back to it.
    """

    key: str
    source: str
    lang: str

    def __new__(cls, value: str, key: str, source: str = "", lang: str = "en") -> "Text":
        text = super().__new__(cls, value)
        text.key, text.source, text.lang = key, source, lang
        return text

    @property
    def where(self) -> tuple[str, int]:
        """(file, line) where the string is written."""
        file, _, line = self.source.rpartition(":")
        return file, int(line)

    def with_value(self, value: str, lang: str) -> "Text":
        return Text(value, self.key, self.source, lang)

    def __reduce__(self):  # keep key and source when pickled (worker processes)
        return (Text, (str(self), self.key, self.source, self.lang))
