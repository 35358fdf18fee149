"""Cheap language guesses: by stopword counts over jusText's stoplists, and from a page's URL.

Used to pick jusText's stoplist for a text, and to break the trafilatura-eval figures down by language.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from urllib.parse import urlsplit

_WORD = re.compile(r"\w+")

# jusText stoplist name -> ISO 639-1 code, for the languages we report by name.
ISO = {
    "English": "en", "German": "de", "French": "fr", "Spanish": "es", "Italian": "it", "Portuguese": "pt",
    "Dutch": "nl", "Polish": "pl", "Czech": "cs", "Slovak": "sk", "Swedish": "sv", "Danish": "da",
    "Norwegian_Bokmal": "no", "Norwegian_Nynorsk": "no", "Finnish": "fi", "Hungarian": "hu", "Russian": "ru",
    "Ukrainian": "uk", "Greek": "el", "Turkish": "tr", "Romanian": "ro", "Korean": "ko", "Arabic": "ar",
    "Catalan": "ca", "Croatian": "hr", "Serbian": "sr", "Slovenian": "sl", "Bulgarian": "bg",
    "Indonesian": "id", "Vietnamese": "vi", "Hebrew": "he", "Persian": "fa", "Hindi": "hi",
}
STOPLIST = {}  # ISO code -> jusText stoplist name (first one wins)
for _name, _code in ISO.items():
    STOPLIST.setdefault(_code, _name)

@lru_cache(maxsize=1)
def _index() -> dict[str, tuple[str, ...]]:
    """word -> the stoplists it is in."""
    import justext

    idx: dict[str, list[str]] = {}
    for name in justext.get_stoplists():
        if name not in ISO:
            continue
        for w in justext.get_stoplist(name):
            idx.setdefault(w, []).append(name)
    return {w: tuple(v) for w, v in idx.items()}


def guess_stoplist(text: str, min_hits: int = 5, max_chars: int = 200_000) -> tuple[str, int]:
    """(jusText stoplist name, number of stopword hits) for a text; English when fewer than `min_hits`.

    Only the stoplists of the languages in ISO are candidates (the long tail of jusText's lists is noisy:
    its Finnish list holds 'und' and 'der'). Each running word of two or more letters that is in k candidate
    stoplists gives each of them 1/k point; the top score wins. Cheap: one pass over the distinct words,
    looked up in an inverted index of the stoplists.
    """
    idx = _index()
    counts = Counter(w.lower() for w in _WORD.findall(text[:max_chars]) if len(w) > 1 and not w.isdigit())
    score: Counter = Counter()
    hits: Counter = Counter()
    for w, n in counts.items():
        names = idx.get(w, ())
        for name in names:
            score[name] += n / len(names)
            hits[name] += n
    if not score:
        return "English", 0
    name = max(score, key=lambda k: (score[k], k == "English"))
    if hits[name] < min_hits:
        return "English", hits[name]
    return name, hits[name]


# Country-code TLD -> language, where one language dominates the web of that country.
TLD_LANG = {
    "de": "de", "at": "de", "pl": "pl", "fr": "fr", "it": "it", "uk": "en", "ie": "en", "au": "en", "nz": "en",
    "us": "en", "es": "es", "mx": "es", "ar": "es", "cl": "es", "pe": "es", "uy": "es", "bo": "es", "py": "es",
    "ve": "es", "co": "es", "ec": "es", "hn": "es", "gt": "es", "cu": "es", "br": "pt", "pt": "pt", "jp": "ja",
    "kr": "ko", "se": "sv", "no": "no", "dk": "da", "fi": "fi", "hu": "hu", "nl": "nl", "cz": "cs", "sk": "sk",
    "ru": "ru", "ua": "uk", "gr": "el", "tr": "tr", "ro": "ro", "cn": "zh", "tw": "zh",
}


def host_of(url: str) -> str:
    """The host of a page URL, seeing through web.archive.org wrappers and 'hard::site.tld-name.html' ids."""
    url = url or ""
    if "web.archive.org/web/" in url:
        rest = url.split("web.archive.org/web/", 1)[1].split("/", 1)
        url = rest[1] if len(rest) > 1 else ""
    if "::" in url and "://" not in url:
        url = url.split("::", 1)[1]
        m = re.match(r"((?:[a-z0-9-]+\.)+?(?:[a-z]{2,3}))(?=[.\-_/]|$)", url.lower())
        return m.group(1) if m else ""
    if "://" not in url:
        url = "http://" + url
    return (urlsplit(url).hostname or "").lower()


def tld_of(url: str) -> str:
    host = host_of(url)
    return host.rsplit(".", 1)[-1] if "." in host else ""


def guess_page_language(url: str, text: str) -> str:
    """ISO code of a page's language: the text's stopword guess when it is clear, else the URL's ccTLD.

    'clear' means at least 20 stopword hits; below that (short or non-Latin pages) a country TLD decides, then
    the weak text guess, then English.
    """
    name, hits = guess_stoplist(text, min_hits=1)
    code = ISO.get(name, name.lower())
    if hits >= 20:
        return code
    tld_lang = TLD_LANG.get(tld_of(url))
    if tld_lang:
        return tld_lang
    return code if hits else "en"
