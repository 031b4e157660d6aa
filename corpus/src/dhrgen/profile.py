"""The case profile of a report: the facts the reference review counts, phrased as reports do.

Each case file has the facts (victim, perpetrator, death, district) and a
"profile" with the rest (method, location, living situation, agency contact,
children, care needs, outcome). This module writes them into a report's
introduction and background in one of several phrasings per fact, chosen by
the case number so that every phrasing occurs in several reports, and mixes in
ages, places, years and relatives that are not the victim's (children's ages,
a sister's age and home, the victim's age at an earlier incident, the
perpetrator's age), as real reports do. gold() gives the true profile for
corpus/gold.json.
"""
import datetime as dt

from . import world

BANDS = [(0, 20, "under 20"), (21, 30, "21-30"), (31, 40, "31-40"), (41, 50, "41-50"), (51, 60, "51-60"),
         (61, 200, "61+")]

REL = {"husband": "husband", "wife": "wife", "partner": "partner", "ex-partner": "ex-partner",
       "ex-husband": "ex-husband", "son": "son", "step-father": "step-father"}
REL_WORDS = {"ex-partner": ["former partner", "ex-partner"], "step-father": ["stepfather", "step-father"],
             "ex-husband": ["ex-husband", "former husband"]}

TENURE = {
    "private_rented": ["a privately rented flat", "a house rented from a private landlord", "a private tenancy"],
    "social_rented": ["a housing association property", "a council tenancy", "social housing"],
    "owner": ["a home they owned", "an owner-occupied house", "a house they had bought together"],
    "no_fixed_abode": ["no fixed abode"],
}

NUMBER_WORDS = ["no", "one", "two", "three", "four", "five"]


def band(age):
    if age is None:
        return "unknown"
    for lo, hi, name in BANDS:
        if lo <= age <= hi:
            return name
    return "unknown"


def subtypology(c):
    return "familial" if c["subtype"].startswith("familial") else "intimate_partner"


def gold(c):
    """The true profile of case c, as corpus/gold.json records it."""
    v, p, pr = c["victim"], c["perpetrator"], c["profile"]
    year = dt.date.fromisoformat(c["death"]["date"]).year
    yn = lambda b: "yes" if b else "no"
    return {
        "victim_sex": "female" if v["sex"] == "F" else "male",
        "victim_age": v["age"],
        "victim_age_band": band(v["age"]),
        "victim_ethnicity": v["ethnicity"],
        "perpetrator_sex": "female" if p["sex"] == "F" else "male",
        "perpetrator_age_band": band(p["age"]) if pr["perpetrator_age_stated"] else "unknown",
        "relationship": p["relation"].replace("-", "_"),
        "subtypology": subtypology(c),
        "method": pr["method"],
        "location": pr["location"],
        "year_of_death": year,
        "area": c["district"].replace("-", "_"),
        "living_situation": pr["living_situation"],
        "known_specialist_da": yn(pr["known_specialist_da"]),
        "known_marac": yn(pr["known_marac"]),
        "prior_da": yn(pr["prior_da"]),
        "perp_mental_health": yn(pr["perp_mental_health"]),
        "perp_substance": yn(pr["perp_substance"]),
        "dependent_children": yn(pr["dependent_children"]),
        "care_support_needs": yn(pr["care_support_needs"]),
        "outcome": pr["outcome"],
    }


def check(c, events):
    """The profile must agree with what the generated chronology says happened (events: (key, template))."""
    pr = c["profile"]
    keys = {k for k, _ in events}
    want = {
        "known_specialist_da": "idva" in keys,
        "known_marac": "marac" in keys,
        "perp_mental_health": ("mh_assessment", 0) in events or pr["perp_mental_health"],
        "perp_substance": ("substance", 0) in events or pr["perp_substance"],
    }
    for k, w in want.items():
        if bool(pr[k]) != bool(w):
            raise ValueError(f"case {c['id']}: profile {k}={pr[k]} but the chronology says {w}")


class Writer:
    """Phrases one case's profile; `k` (the case number) picks the phrasing of each fact."""

    def __init__(self, c):
        self.c = c
        self.k = int(c["id"])
        v, p = c["victim"], c["perpetrator"]
        self.V, self.PA = v["name"], p.get("ref", p["name"])
        f = v["sex"] == "F"
        self.vs, self.vo, self.vp = ("she", "her", "her") if f else ("he", "him", "his")
        self.ps = "she" if p["sex"] == "F" else "he"
        self.woman = "woman" if f else "man"
        self.female = "female" if f else "male"
        self.pman = "woman" if p["sex"] == "F" else "man"
        self.suicide = c["case_type"] == "suicide"
        others = [d for d in world.DISTRICTS.values() if d["name"] != world.DISTRICTS[c["district"]]["name"]]
        self.elsewhere = others[self.k % len(others)]["name"]

    def pick(self, options, salt=0):
        return options[(self.k + salt) % len(options)]

    def rel(self, salt=0):
        r = self.c["perpetrator"]["relation"]
        return self.pick(REL_WORDS.get(r, [REL[r]]), salt)

    # ---------------------------------------------------------------- the victim
    def victim(self):
        c, V, vs, vo, vp = self.c, self.V, self.vs, self.vo, self.vp
        age, eth = c["victim"]["age"], c["victim"]["ethnicity"]
        forms = [
            f"{V} was a {age}-year-old {eth} {self.woman}.",
            f"{c['victim']['adult']}, known in this report as {V}, was a {eth} {self.woman}. {V} was {age} years old when {vs} died.",
            f"{V} ({age}) was a {self.woman} of {eth} heritage.",
            f"{V}, a {eth} {self.female}, was aged {age} at the time of {vp} death.",
            f"{V} was {age} when {vs} died. {V} identified as {eth}, and friends described {vo} as a private {self.woman}.",
        ]
        out = [self.pick(forms)]
        sister = age + (3 if self.k % 2 else -4)
        extra = [
            f"{V}’s sister, who is {sister}, lives in {self.elsewhere} and was a source of support.",
            f"In {int(c['death']['date'][:4]) - 3}, when {V} was {age - 3}, {vs} spent some months with a friend in {self.elsewhere}.",
            f"{V}’s brother, aged {age + 2}, took part in the review.",
        ]
        out.append(self.pick(extra, 1))
        return " ".join(out)

    # ---------------------------------------------------------------- household and perpetrator
    def household(self):
        c, pr, V, PA, vs, vp = self.c, self.c["profile"], self.V, self.PA, self.vs, self.vp
        page = c["perpetrator"]["age"]
        rel = self.rel()
        out = []
        if pr["perpetrator_age_stated"]:
            forms = [
                f"{PA}, {V}’s {rel}, was {page} years old.",
                f"The perpetrator, {PA} ({page}), was {vp} {rel}.",
                f"{PA} was a {page}-year-old {self.pman} and was {V}’s {rel}.",
                f"{PA}, aged {page}, was {V}’s {rel}.",
            ]
        else:
            forms = [f"{PA} was {V}’s {rel}; the Panel does not know {PA}’s exact age.",
                     f"The abusive {'partner' if 'partner' in rel or rel in ('husband', 'wife') else 'relative'}, {PA}, was {vp} {rel}.",
                     f"{PA}, {V}’s {rel}, did not take part in the review."]
        out.append(self.pick(forms, 2))
        if c["perpetrator"]["relation"] in ("partner", "ex-partner"):
            # the relationship word does not say the perpetrator's sex: reports say it some other way
            pp = "his" if self.ps == "he" else "her"
            met = dt.date.fromisoformat(c["death"]["date"]).year - 4 - self.k % 3
            out.append(self.pick([f"{V} met {PA}, a {self.pman} from {self.elsewhere}, in {met}.",
                                  f"{PA} is a {self.pman} who had worked in {self.elsewhere} before the relationship began.",
                                  f"{PA}, a {self.pman} with no children of {pp} own, moved in with {V} in {met}."], 12))
        # children (the victim's, or others' in the household)
        kids = pr.get("children")
        if kids:
            n = NUMBER_WORDS[len(kids)] if len(kids) < len(NUMBER_WORDS) else str(len(kids))
            ages = ", ".join(str(a) for a in kids[:-1]) + (" and " if len(kids) > 1 else "") + str(kids[-1])
            forms = [f"{V} had {n} {'child' if len(kids) == 1 else 'children'}, aged {ages}.",
                     f"{V} was the parent of {n} dependent {'child' if len(kids) == 1 else 'children'} (aged {ages}).",
                     f"At the time of {vp} death {V} was caring for {n} {'child' if len(kids) == 1 else 'children'} under 18, then aged {ages}."]
            out.append(self.pick(forms, 3))
        elif pr.get("baby"):
            out.append(f"{V} had given birth to a daughter three weeks before {vs} died; the baby was {V}’s first child.")
        elif pr.get("adult_children"):
            n = NUMBER_WORDS[pr["adult_children"]]
            out.append(self.pick([f"{V} had {n} adult {'child' if n == 'one' else 'children'}, who lived independently; there were no dependent children.",
                                  f"{V} had no dependent children; {vp} {'son was' if n == 'one' else 'children were'} grown up."], 3))
        elif pr.get("siblings"):
            a, b = pr["siblings"]
            out.append(f"{V} had no children. {vp.capitalize()} half-brothers were aged {a} and {b}.")
        else:
            out.append(self.pick([f"{V} had no children.", f"There were no children in the household, and {V} had none of {vp} own."], 3))
        # where and how they lived
        liv = pr["living_situation"]
        if liv == "no_fixed_abode":
            out.append(f"{V} was of no fixed abode at the time of {vp} death and had been staying with friends; "
                       f"{PA} held a council tenancy in {world.DISTRICTS[c['district']]['name']}.")
        elif liv != "unknown":
            t = self.pick(TENURE[liv], 4)
            forms = [f"{V} lived in {t}.", f"At the time of {vp} death {V} was living in {t}."]
            if not c["perpetrator"]["relation"].startswith("ex"):
                forms.append(f"The home {V} shared with {PA} was {t}.")
            out.append(self.pick(forms, 5))
            if self.k % 3 == 0:
                out.append(f"{V}’s sister rents a flat in {self.elsewhere}.")
        # care and support needs
        if pr["care_support_needs"]:
            out.append(self.pick([f"{V} had care and support needs under the Care Act 2014.",
                                  f"{V} was assessed as having eligible care and support needs.",
                                  f"{V} needed help with personal care and had care and support needs within the meaning of the Care Act 2014."], 6))
        else:
            out.append(self.pick([f"{V} had no care and support needs.",
                                  f"There was no indication that {V} had care and support needs.",
                                  f"{V} did not have care and support needs within the meaning of the Care Act 2014."], 6))
        return " ".join(out)

    # ---------------------------------------------------------------- agency contact
    def agencies(self):
        c, pr, V, PA, vo, vp = self.c, self.c["profile"], self.V, self.PA, self.vo, self.vp
        mh, drug = world.ORGS["mental_health_services"], world.ORGS["substance_services"]
        out = []
        if pr["known_specialist_da"]:
            out.append(self.pick([f"{V} was known to specialist domestic abuse services.",
                                  f"The IDVA service had contact with {V} before {vp} death.",
                                  f"{V} had been supported by an IDVA from {world.ORGS['specialist_da']}."], 7))
        else:
            out.append(self.pick([f"{V} was not known to specialist domestic abuse services.",
                                  f"No specialist domestic abuse service had any contact with {V}.",
                                  f"{V} had never been in contact with the IDVA service or any other specialist domestic abuse service."], 7))
        if pr["known_marac"]:
            out.append(self.pick([f"{V} had been discussed at MARAC.", f"The case of {V} was heard at MARAC.",
                                  f"{V} was known to MARAC as a high-risk victim."], 8))
        else:
            out.append(self.pick([f"{V} was never discussed at MARAC.", f"The case of {V} was never heard at MARAC.",
                                  f"{V} was not known to MARAC."], 8))
        if pr["prior_da"]:
            out.append(self.pick([f"Agencies had recorded domestic abuse by {PA} against {V} before {vp} death.",
                                  f"There had been previous incidents of domestic abuse between {PA} and {V}.",
                                  f"{V} had disclosed domestic abuse by {PA} to agencies before."], 9))
        if pr["perp_mental_health"]:
            out.append(self.pick([f"{PA} was known to mental health services.", f"{PA} had been assessed by {mh}.",
                                  f"{PA} had contact with secondary mental health services."], 10))
        else:
            out.append(self.pick([f"{PA} was not known to mental health services.",
                                  f"{PA} had no contact with mental health services."], 10))
            if self.suicide:
                out.append(f"{V} had been in contact with mental health services.")
        if pr["perp_substance"]:
            out.append(self.pick([f"{PA} was known to drug and alcohol services.", f"{PA} had been referred to {drug}.",
                                  f"{PA} had been in treatment with {drug} for alcohol misuse."], 11))
        else:
            out.append(self.pick([f"{PA} was not known to drug and alcohol services.",
                                  f"{PA} had never been referred to drug and alcohol services."], 11))
        return " ".join(out)
