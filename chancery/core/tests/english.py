"""English prose on a page that should read in another language, whatever wrote it.

The catalogue check (a text equal to a translated msgid) only finds what was marked for
translation. A string nobody marked (a template's text, a form's label, a reason an engine
returns, a service's message, a record's text in one language) is found by its words: two
adjacent Latin-script words that are both frequent English words ("Select an", "of Foreign",
"is already") make an English phrase. A single word, a person's name ("Dinara Mussabalina"),
a brand or project name ("Jas Diplomat", "Model UN"), a code in capitals ("MFA", "JPO 2011"),
an e-mail address or a URL is not a phrase.

The word list holds words frequent in English prose and in this application's interface; it
leaves out words that are also names here (given or family names of the demo's people).
"""

import re

# Function words, then verbs, then the interface's and the domain's nouns and adjectives.
_WORDS = """
a about above after again against all already also although am an and another any are as at
be because been before being below between both but by can cannot could did do does done down
during each either else enough even ever every few for from further had has have having he her
here hers him his how however i if in into is it its itself just least less let like many may
me might more most much must my neither never no nobody none nor not nothing now of off on once
one only onto or other others our out over own per please rather same she should since so some
still such than that the their them then there these they this those though through till to too
two three four five under until up upon us very was we were what whatever when where whether
which while who whom whose why will with within without would yet you your
accept accepted add added agree allow allowed answer answered apply applied ask asked attend
attended become begin began begins belong build built call called cancel change changed check
checked choose chosen click close closed come comes confirm confirmed continue count counted
create created delete deleted describe draw drawn edit edited end ended ends enter entered erase
expire expired fill filled find found finish finished follow get gets give given go going got
happen has have hide hold held include included issue issued join joined keep kept know learn
learnt learned leave left list listed look made make mark marked meet move name named need
needed open opened pass passed pick place placed prepare prepared print publish published read
receive received record recorded remove removed reply request requested require required retire
retired review reviewed roll run save saved search see seen select selected send sent set show
shown sign signed sort start started stop submit submitted take taken tell tick ticked try turn
update updated upload uploaded use used view wait waiting want withdraw write written
able absent academy access account accounts action actions active address affairs agency agenda
agreement agreements already applicant application applications attendance available back
background blank button calendar candidate certificate chair change changes choice citizen city
class closing code column committee complete completed conference consent consents contact country
countries current data date dates day days default delegation delegations department details
diplomats document documents draft duplicate edition editions eligible email embassy
embassies empty ending english enrolment enrolments entry error errors evaluation event events
export field fields file files filter first floor foreign form full general guardian help here
history home host hosts ineligible inbox information internship invalid job jobs language last
launch lecture level link links list lists login long main media meeting member members message
messages minister ministry missing month months motion new next note notes notice
notification notifications number office officer old open option options organisation
organisations organization page pages pairing pairings part participant partner password past
pending people period person personal phone placement placements possible presentation previous
programme programmes program public pupil pupils reason reasons recent record records region
rejected remaining report reports result results role roles round rounds rule rules school
schools season second section selection session settings short signatory speaker speakers
state status student students summary supervisor table teacher term testimonial text time
title today total training university unknown user users valid value visit vote votes week
year years
"""
COMMON_WORDS = frozenset(_WORDS.split())

WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
# Not prose: e-mail addresses, URLs and paths, identifiers written in code (snake_case).
NOT_PROSE = re.compile(r"\S+@\S+|https?://\S+|(?<!\w)/[\w/.\-?=&%]*|\w*_\w*")
# Only punctuation and spaces between two words keep them in one phrase.
JOINED = re.compile(r"[\s,;:.!?()\"'«»“”‘’\-–—/]*")


def _is_common(word: str) -> bool:
    """A frequent English word; a word in capitals is a code or an acronym, not prose."""
    return not (len(word) > 1 and word.isupper()) and word.lower() in COMMON_WORDS


def english_phrases(text: str) -> list[str]:
    """The English phrases in a text: runs of two or more adjacent frequent English words."""
    prose = NOT_PROSE.sub(" | ", text)  # a masked address ends a phrase
    phrases: list[str] = []
    run: list[re.Match[str]] = []

    def close() -> None:
        if len(run) >= 2:
            phrases.append(prose[run[0].start() : run[-1].end()])
        run.clear()

    for match in WORD.finditer(prose):
        joined = bool(run) and JOINED.fullmatch(prose, run[-1].end(), match.start()) is not None
        if not joined:
            close()
        if _is_common(match.group()):
            run.append(match)
        else:
            close()
    close()
    return phrases
