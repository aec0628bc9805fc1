"""The words of the generated archive: headlines, summaries, datelines and bodies.

Pure Python, no database: `compose(serial)` writes article number `serial`
the same way every time, from word lists and sentence templates written for
this project. Places mix real capitals (where diplomats meet) with the demo's
fictional countries and towns; every person, quotation and event is invented.
The vocabulary is what readers search for: places, institutions, topics and
names, with a few rare words sprinkled thinly so that some searches find a
handful of articles and others thousands.
"""

import random
import uuid
from dataclasses import dataclass, field

# (place, country) pairs; the place is the dateline.
PLACES = [
    ("Geneva", "Switzerland"),
    ("Brussels", "Belgium"),
    ("Nairobi", "Kenya"),
    ("Lisbon", "Portugal"),
    ("Jakarta", "Indonesia"),
    ("Montevideo", "Uruguay"),
    ("Oslo", "Norway"),
    ("Tbilisi", "Georgia"),
    ("Accra", "Ghana"),
    ("Hanoi", "Vietnam"),
    ("Quito", "Ecuador"),
    ("Vienna", "Austria"),
    ("Reykjavik", "Iceland"),
    ("Dakar", "Senegal"),
    ("Manila", "the Philippines"),
    ("Valparaiso", "Chile"),
    ("Port Halvard", "Estravia"),
    ("Halder", "Estravia"),
    ("Vellmar", "Estravia"),
    ("Tarsa", "Tarsania"),
    ("Orvik", "Tarsania"),
    ("Dunmore Bay", "Tarsania"),
    ("Serra Alta", "Ardeni"),
    ("Casmir", "Ardeni"),
    ("Lowmere", "the Lowmere Islands"),
    ("Keshet", "Keshet"),
    ("Hallam", "Northmark"),
    ("Brennholt", "Northmark"),
    ("Quarrowby", "Northmark"),
    ("Saltgate", "Northmark"),
]

INSTITUTIONS = [
    "the central bank",
    "the health ministry",
    "the port authority",
    "the supreme court",
    "parliament",
    "the electoral commission",
    "the national weather service",
    "the state rail operator",
    "the teachers' union",
    "the coastguard",
    "the city council",
    "the competition regulator",
    "the finance ministry",
    "the European Commission",
    "the World Health Organization",
    "the UN refugee agency",
    "the African Union",
    "the International Monetary Fund",
    "the water utility",
    "the national grid operator",
]

FIRST_NAMES = [
    "Anna", "Birgit", "Carlos", "Dmitri", "Elif", "Farah", "Goran", "Hana", "Ilse", "Jorge",
    "Kwame", "Lena", "Mateo", "Nadia", "Oskar", "Petra", "Rafael", "Sana", "Teodor", "Una",
    "Viktor", "Wanjiru", "Yusuf", "Zofia", "Ines", "Marek", "Leila", "Tobias", "Aiko", "Bruno",
]  # fmt: skip
LAST_NAMES = [
    "Abara", "Berglund", "Castellano", "Duarte", "Eriksen", "Faulkner", "Grieve", "Haddad",
    "Ivanova", "Jaramillo", "Kessler", "Lindgren", "Mbeki", "Novak", "Oyelaran", "Petrescu",
    "Quint", "Rasmussen", "Sandoval", "Takahashi", "Ulloa", "Varga", "Whitlow", "Yilmaz",
    "Zeller", "Moreau", "Achterberg", "Halloran", "Nkemelu", "Storvik",
]  # fmt: skip
ROLES = [
    "a spokesperson for {institution}",
    "deputy director at {institution}",
    "an economist in {place}",
    "a shopkeeper in {place}",
    "the mayor of {place}",
    "a nurse at the main hospital in {place}",
    "a professor of public policy",
    "a union organiser",
    "a fisherman from {place}",
    "an engineer who has worked on the project for a decade",
    "an opposition member of parliament",
    "a senior official who asked not to be named",
]
AGENCIES = ["Meridian Wire", "Northwire", "Capital Press Service"]
MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
# Each in about one article in a few hundred: what a "rare word" search finds.
RARE_WORDS = [
    "astrolabe", "marmalade", "zeppelin", "quagga", "harpsichord", "obsidian", "kestrel",
    "sundial", "tapestry", "walrus", "xylophone", "lighthouse-keeper", "samovar", "trebuchet",
]  # fmt: skip


@dataclass(frozen=True)
class Topic:
    """One strand of the news: its tags, the words it uses and its headlines."""

    key: str
    tags: tuple[str, ...]
    subjects: tuple[str, ...]  # noun phrases: "the rail strike"
    headlines: tuple[str, ...]
    facts: tuple[str, ...]  # topic sentences for the body
    institutions: tuple[str, ...] = ()  # who is in charge of it, besides INSTITUTIONS
    off_beat: bool = False


TOPICS = [
    Topic(
        "elections",
        ("Elections", "Politics"),
        ("the run-off vote", "the coalition talks", "the snap election", "the new electoral map"),
        (
            "{country} heads to a run-off as turnout reaches {number} per cent",
            "Opposition leads early count in {place} after a tense campaign",
            "Coalition talks in {country} stall over the budget",
            "{institution_cap} orders a recount in {number} districts around {place}",
        ),
        (
            "Turnout in {place} reached {number} per cent, the highest in two decades.",
            "Observers said voting was orderly, though queues stretched for hours in the suburbs.",
            "The ballots from {number} polling stations will be counted again by hand.",
        ),
        institutions=("the electoral commission", "parliament", "the supreme court"),
    ),
    Topic(
        "floods",
        ("Floods", "Climate", "Emergencies"),
        ("the flood defences", "the river levels", "the evacuation", "the storm surge"),
        (
            "Floods cut roads around {place} as the river rises {number} centimetres overnight",
            "Thousands leave their homes in {country} as storm surge nears",
            "{institution_cap} warns of more rain after floods in {place}",
            "Flood barriers hold in {place}, but farms downstream are under water",
        ),
        (
            "The river at {place} rose {number} centimetres in a single night.",
            "Sandbags ran out in two villages before the army brought more.",
            "Insurers say the damage may be the worst since the floods of the last decade.",
        ),
        institutions=("the national weather service", "the coastguard", "the city council"),
    ),
    Topic(
        "economy",
        ("Economy", "Inflation", "Central banks"),
        ("interest rates", "the inflation figures", "the budget deficit", "the price of bread"),
        (
            "{institution_cap} raises rates to {number} per cent as prices keep climbing",
            "Inflation in {country} slows for the {ordinal} month in a row",
            "Budget gap widens in {country} as tax receipts fall short",
            "Why the price of bread in {place} has doubled",
        ),
        (
            "Consumer prices rose {number} per cent over the year, faster than forecast.",
            "Mortgage holders in {place} will feel the change within weeks.",
            "Economists had expected a pause, and markets fell on the news.",
        ),
        institutions=(
            "the central bank",
            "the finance ministry",
            "the International Monetary Fund",
        ),
    ),
    Topic(
        "strike",
        ("Labour", "Trade", "Shipping"),
        ("the dockers' strike", "the wage talks", "the walkout", "the picket lines"),
        (
            "Dockers in {place} walk out over pay, stranding {many} containers",
            "Rail strike in {country} enters its {ordinal} day",
            "Talks to end the {place} port strike collapse after {number} hours",
            "Unions and employers in {country} reach a deal to end the walkout",
        ),
        (
            "About {many} workers joined the walkout on its first morning.",
            "Ships queued outside the harbour, and supermarkets warned of empty shelves.",
            "The union wants pay to keep pace with prices; employers offered less than half.",
        ),
        institutions=("the port authority", "the state rail operator", "the teachers' union"),
    ),
    Topic(
        "health",
        ("Health", "Hospitals", "Vaccines"),
        ("the vaccination campaign", "hospital waiting lists", "the measles outbreak"),
        (
            "Measles outbreak in {place} prompts a vaccination drive in schools",
            "{institution_cap} says hospital waiting lists in {country} are the longest on record",
            "Nurses in {place} warn wards are {number} staff short",
            "New clinic opens in {place} after a ten-year campaign by residents",
        ),
        (
            "Doctors in {place} reported {number} new cases in a week.",
            "Mobile clinics will visit villages that have no pharmacy.",
            "Waiting times for routine operations have grown by a third since last year.",
        ),
        institutions=("the health ministry", "the World Health Organization", "the city council"),
    ),
    Topic(
        "energy",
        ("Energy", "Infrastructure", "Climate"),
        ("the power grid", "the wind farm", "the blackout", "the gas pipeline"),
        (
            "Blackout leaves {many} homes in {place} without power",
            "{country} approves its largest offshore wind farm",
            "{institution_cap} plans a new link to carry power from the coast to {place}",
            "Gas pipeline to {country} reopens after repairs",
        ),
        (
            "The outage began just after dusk and lasted {number} hours.",
            "Engineers traced the fault to a substation flooded the week before.",
            "The turbines will supply power for about {number} thousand homes.",
        ),
        institutions=(
            "the national grid operator",
            "the European Commission",
            "the competition regulator",
        ),
    ),
    Topic(
        "rail",
        ("Rail", "Transport", "Infrastructure"),
        ("the new rail tunnel", "the high-speed line", "the timetable change", "the night train"),
        (
            "Tunnel under the hills near {place} opens {number} months late",
            "Night train returns between {place} and {place2} after {number} years",
            "{institution_cap} cancels {number} services a day to fix ageing track",
            "Commuters in {place} face a summer of closures",
        ),
        (
            "The journey between {place} and {place2} will take {number} minutes less.",
            "Passenger numbers have grown by a fifth since fares were cut.",
            "The last section of track was laid in {month}.",
        ),
        institutions=("the state rail operator", "the city council", "the European Commission"),
    ),
    Topic(
        "diplomacy",
        ("Diplomacy", "Security", "Trade"),
        ("the ceasefire talks", "the trade agreement", "the summit", "the sanctions"),
        (
            "Ministers meet in {place} to rescue the ceasefire",
            "{country} and its neighbours sign a trade pact in {place}",
            "Summit in {place} ends without a joint statement",
            "Sanctions on {country} eased after prisoner exchange",
        ),
        (
            "Delegations from {number} countries attended the talks in {place}.",
            "The draft text was rewritten twice overnight.",
            "Diplomats said the hardest questions were left for another round.",
        ),
        institutions=("the African Union", "the European Commission", "the UN refugee agency"),
    ),
    Topic(
        "drought",
        ("Drought", "Agriculture", "Food prices"),
        ("the drought", "the harvest", "the water rationing", "the irrigation canals"),
        (
            "Drought in {country} cuts the wheat harvest by {number} per cent",
            "Water rationing begins in {place} as reservoirs fall",
            "Farmers around {place} sell cattle they can no longer water",
            "{institution_cap} promises aid to farmers hit by the drought",
        ),
        (
            "The reservoirs above {place} are at {number} per cent of capacity.",
            "Wells that served villages for generations have run dry.",
            "The price of animal feed has tripled since spring.",
        ),
        institutions=("the water utility", "the national weather service", "the finance ministry"),
    ),
    Topic(
        "fisheries",
        ("Oceans", "Fisheries", "Environment"),
        ("the fishing quotas", "the marine reserve", "the cod stocks", "the harbour"),
        (
            "Fishing fleet in {place} ties up as quotas are cut",
            "{country} creates a marine reserve the size of {number} football pitches",
            "Cod return to the waters off {place}, scientists say",
            "Trawler crews in {place} protest new limits",
        ),
        (
            "The catch landed at {place} fell by {number} per cent last season.",
            "Scientists counted more young fish than at any time in ten years.",
            "Crews say the limits were set without asking them.",
        ),
        institutions=("the coastguard", "the port authority", "the European Commission"),
    ),
    Topic(
        "courts",
        ("Courts", "Justice", "Politics"),
        ("the ruling", "the trial", "the appeal", "the corruption case"),
        (
            "{institution_cap} strikes down the surveillance law",
            "Former minister goes on trial in {place} over contracts worth {number} million",
            "Appeal court in {place} frees journalist held for {number} days",
            "Judges in {country} order an inquiry into the land sales",
        ),
        (
            "The court sat for {number} days before giving its ruling.",
            "Lawyers for the defence said they would appeal.",
            "The case turned on emails found on a laptop seized in {month}.",
        ),
        institutions=("the supreme court", "parliament", "the competition regulator"),
    ),
    Topic(
        "technology",
        ("Internet", "Technology", "Infrastructure"),
        ("the undersea cable", "the data centre", "the broadband rollout", "the cyber attack"),
        (
            "Undersea cable cut leaves {place} offline for {number} hours",
            "Cyber attack on {institution} disrupts payments across {country}",
            "Broadband reaches the last {number} villages in {country}",
            "Data centre plan near {place} divides residents over water use",
        ),
        (
            "Repair ships took {number} days to reach the break.",
            "Card payments failed across the capital for most of the morning.",
            "The operator says the new cable will carry ten times the traffic.",
        ),
        institutions=("the competition regulator", "the central bank", "the city council"),
    ),
    Topic(
        "science",
        ("Science", "Natural hazards", "Volcanoes"),
        ("the volcano", "the earthquake", "the research station", "the comet"),
        (
            "Volcano near {place} rumbles back to life after {number} years",
            "Earthquake of magnitude {small} shakes {place}",
            "Scientists in {place} map a glacier that is shrinking faster than expected",
            "Telescope on the hills above {place} records its first images",
        ),
        (
            "Instruments recorded {number} small tremors in a single day.",
            "The observatory raised its alert level to orange on {weekday}.",
            "Researchers will return in {month} to collect the sensors.",
        ),
        institutions=("the national weather service", "the coastguard", "the city council"),
    ),
    Topic(
        "housing",
        ("Housing", "Cities", "Economy"),
        ("the housing shortage", "rents", "the new homes", "the empty offices"),
        (
            "Rents in {place} rise {number} per cent in a year",
            "{institution_cap} plans {many} new homes on the old docks",
            "Empty offices in {place} to become flats",
            "Young families leave {place} as house prices soar",
        ),
        (
            "A two-room flat in central {place} now costs a teacher's monthly salary.",
            "Building permits fell by {number} per cent last year.",
            "The council owns the land and says building can start in {month}.",
        ),
        institutions=("the city council", "the finance ministry", "the central bank"),
    ),
    Topic(
        "animals",
        ("Animals", "Off-beat", "Community"),
        ("the runaway goat", "the ferry cat", "the stranded seal", "the parrot"),
        (
            "Runaway goat leads police on a {number}-hour chase through {place}",
            "Ferry cat of {place} retires after {number} crossings",
            "Seal found in a supermarket car park in {place} returned to the sea",
            "Parrot that learned the bus timetable becomes a local celebrity in {place}",
        ),
        (
            "Neighbours said the animal had been seen on the quay for {number} days.",
            "A vet checked it over and declared it in fine health.",
            "The town's social media pages have talked of little else.",
        ),
        institutions=("the city council", "the coastguard", "the port authority"),
        off_beat=True,
    ),
    Topic(
        "gardening",
        ("Gardening", "Records", "Off-beat"),
        ("the giant pumpkin", "the allotment", "the marrow contest", "the village show"),
        (
            "Pumpkin weighing {many} kilograms sets a record in {place}",
            "Allotment holders in {place} win a ten-year fight to keep their plots",
            "Village show in {place} cancelled after the marrows go missing",
            "{age}-year-old gardener in {place} grows a carrot as long as a bicycle",
        ),
        (
            "The judges weighed the entry {number} times to be sure.",
            "Seeds from the winning plant are already being traded online.",
            "Rivals accused each other of watering in secret by torchlight.",
        ),
        institutions=("the city council", "the parish council", "the horticultural society"),
        off_beat=True,
    ),
    Topic(
        "heritage",
        ("Heritage", "Craft", "Off-beat"),
        ("the town clock", "the old lighthouse", "the library book", "the bell foundry"),
        (
            "Town clock in {place} strikes again after {number} silent years",
            "Library book returned to {place} {number} years late",
            "Last bell foundry in {country} takes on an apprentice",
            "Old lighthouse near {place} opens as a museum",
        ),
        (
            "Volunteers spent {number} weekends cleaning the mechanism.",
            "The fine, the library said, has been waived.",
            "Visitors queued round the harbour on the first morning.",
        ),
        institutions=("the city council", "the heritage trust", "the national library"),
        off_beat=True,
    ),
]

SECTION_SHARES = [("world", 45), ("analysis", 20), ("features", 20), ("off-beat", 15)]
ANALYSIS_HEADLINES = (
    "Analysis: what {subject} in {place} means for {country}",
    "Why it matters: {subject} in {place}",
    "Explainer: {subject}, and what happens next",
    "Five questions about {subject} in {country}",
)
FEATURE_HEADLINES = (
    "A week on the front line of {subject} in {place}",
    "The people of {place} who live with {subject}",
    "Inside {subject}: a year in {place}",
    "Letter from {place}: {subject} and the long wait",
)
SUMMARIES = (
    "{fact} {institution_cap} says more will be known by {weekday}.",
    "Residents of {place} describe how {subject} changed their lives. {fact}",
    "{fact} Critics say {institution} moved too slowly.",
    "What we know so far about {subject} in {country}, and what comes next.",
)
PARAGRAPHS = (
    "{fact} Officials in {place} said they were watching the situation closely, "
    "and that {institution} would publish new figures on {weekday}.",
    "For many in {place}, {subject} is not an abstraction. \u201cWe have waited long enough,\u201d "
    "one resident said, standing outside the town hall on a cold {month} morning.",
    "{institution_cap} has been criticised for its handling of {subject}. "
    "A report published in {month} found that warnings had gone unheeded for {number} months.",
    "The numbers tell part of the story. {fact} But people in {place2} say the figures "
    "leave out those who were never counted.",
    "Neighbouring {country2} is watching closely: its own experience of {subject} "
    "a few years ago shaped how it prepares today.",
    "{person}, {role}, said the decision would be reviewed. "
    "\u201cNobody is pretending this is finished,\u201d {pronoun} said.",
    "The debate reached parliament on {weekday}, where members argued for {number} hours "
    "over who should pay.",
    "Back in {place}, life goes on. The market opened as usual, the ferries ran, "
    "and talk in the cafes turned, as it always does, to {subject}.",
    "Similar questions have been asked in {place2}, where {subject} led to a change "
    "of policy after {number} weeks of protests.",
    "None of this is new. {fact} What has changed, campaigners say, is that people "
    "are now paying attention.",
)
SUBHEADINGS = (
    "What happens next",
    "How we got here",
    "The view from {place}",
    "Who pays",
    "A question of trust",
    "The numbers",
    "Lessons from {place2}",
)
QUOTES = (
    "We have done everything that was asked of us, and it still was not enough.",
    "This is the moment to decide what kind of {noun} we want to be.",
    "People here are patient, but patience is not the same as agreement.",
    "Nobody in {place} will forget this year in a hurry.",
    "The figures are clear. What we do about them is a political choice.",
    "I have lived here all my life and I have never seen anything like it.",
    "We will keep going until the work is done, however long that takes.",
    "There is no single answer, and anyone who tells you otherwise is selling something.",
)
ORDINALS = ["second", "third", "fourth", "fifth", "sixth", "seventh", "tenth"]


@dataclass
class ArticleText:
    """One generated article, ready to be written to the database."""

    title: str
    summary: str
    section: str
    dateline_place: str
    dateline_agency: str
    byline_agency: str
    tags: list[str]
    author_count: int  # 0 for an agency byline alone
    body: list[dict] = field(default_factory=list)
    short_title: str = ""


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _pick_section(rng: random.Random) -> str:
    roll = rng.uniform(0, sum(share for _slug, share in SECTION_SHARES))
    for slug, share in SECTION_SHARES:
        roll -= share
        if roll <= 0:
            return slug
    return SECTION_SHARES[-1][0]


class _Writer:
    """Fills templates for one article: one set of places, people and numbers throughout."""

    def __init__(self, rng: random.Random, topic: Topic):
        self.rng = rng
        self.topic = topic
        (self.place, self.country), (self.place2, self.country2) = rng.sample(PLACES, 2)
        # Mostly whoever is in charge of the topic; now and then anyone.
        pool = topic.institutions if topic.institutions and rng.random() < 0.8 else INSTITUTIONS
        self.institution = rng.choice(pool)
        self.subject = rng.choice(topic.subjects)

    def person(self) -> tuple[str, str]:
        rng = self.rng
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        role = rng.choice(ROLES).format(place=self.place, institution=self.institution)
        return name, role

    def fill(self, template: str) -> str:
        rng = self.rng
        values = {
            "place": self.place,
            "place2": self.place2,
            "country": self.country,
            "country2": self.country2,
            "institution": self.institution,
            "institution_cap": _capitalised(self.institution),
            "subject": self.subject,
            "number": rng.choice((3, 4, 6, 8, 12, 15, 20, 24, 36, 40, 55, 70, 120, 300)),
            "many": f"{rng.choice((180, 450, 1200, 2500, 4800, 12000)):,}",
            "age": rng.randint(9, 97),
            "small": f"{rng.uniform(4.1, 6.9):.1f}",
            "ordinal": rng.choice(ORDINALS),
            "month": rng.choice(MONTHS),
            "weekday": rng.choice(WEEKDAYS),
            "noun": rng.choice(("country", "city", "town", "community")),
        }
        if "{fact}" in template:
            values["fact"] = self.fill(rng.choice(self.topic.facts))
        if "{person}" in template:
            values["person"], values["role"] = self.person()
            values["pronoun"] = rng.choice(("she", "he"))
        return template.format(**values)


def _block(rng: random.Random, block_type: str, value) -> dict:
    return {"type": block_type, "value": value, "id": str(uuid.UUID(int=rng.getrandbits(128)))}


def compose(serial: int) -> ArticleText:
    """Article number `serial` of the archive, the same every time it is asked for."""
    rng = random.Random(f"newsdesk-archive-{serial}")
    section = _pick_section(rng)
    topics = [t for t in TOPICS if t.off_beat == (section == "off-beat")]
    topic = rng.choice(topics)
    writer = _Writer(rng, topic)
    if section == "analysis":
        title = writer.fill(rng.choice(ANALYSIS_HEADLINES))
    elif section == "features":
        title = writer.fill(rng.choice(FEATURE_HEADLINES))
    else:
        title = writer.fill(rng.choice(topic.headlines))
    title = _capitalised(title)

    body = []
    paragraphs = rng.sample(PARAGRAPHS, rng.randint(4, 7))
    for number, template in enumerate(paragraphs):
        text = writer.fill(template)
        if rng.random() < 0.002:  # each rare word ends up in about one article in 1,500
            text += f" Even the old {rng.choice(RARE_WORDS)} in the town square was mentioned."
        if number == 2:
            body.append(_block(rng, "subheading", writer.fill(rng.choice(SUBHEADINGS))))
        if number == 3 and rng.random() < 0.7:
            speaker, role = writer.person()
            quote = {"text": writer.fill(rng.choice(QUOTES)), "speaker": speaker, "role": role}
            body.append(_block(rng, "quote", quote))
        body.append(_block(rng, "paragraph", f"<p>{text}</p>"))

    agency = rng.choice(AGENCIES) if section == "world" and rng.random() < 0.3 else ""
    byline_agency = agency if agency and rng.random() < 0.5 else ""
    tags = list(topic.tags[: rng.randint(1, len(topic.tags))])
    if rng.random() < 0.5:
        tags.append(writer.country.removeprefix("the "))
    return ArticleText(
        title=title[:250],
        summary=writer.fill(rng.choice(SUMMARIES))[:400],
        section=section,
        dateline_place=writer.place if section != "analysis" else "",
        dateline_agency=agency,
        byline_agency=byline_agency,
        tags=tags,
        # An agency byline stands alone half the time; otherwise one or two of ours.
        author_count=0 if byline_agency and rng.random() < 0.5 else rng.choice((1, 1, 1, 2)),
        body=body,
    )
