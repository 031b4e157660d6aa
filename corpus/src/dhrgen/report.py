"""Build the document model of one report from its case file.

The model is a dict: title, header, classification, blocks.  Blocks are dicts
with a "kind": cover, toc, h, p, quote, label, small, letterhead, num,
bullets, table, pagebreak, landscape, portrait.  fodt.py and groff.py render
the same model.  Also returns the gold recommendations of the report.
"""
import datetime as dt
import random

from . import profile, prose, world
from .prose import fdate, mdate

PRON = {"F": ("she", "her", "her", "She", "Her"), "M": ("he", "him", "his", "He", "His")}
LETTERS = "abcdefghijklmnop"

AGENCY_LEAD = {
    "police": lambda c: world.ORGS["police"],
    "probation": lambda c: "National Probation Service" if c["year"] >= 2021 else world.ORGS["crc"] if c["year"] >= 2015 else "Northmere Probation Trust",
    "primary_care": lambda c: "GP practices (via Named GP for Safeguarding)",
    "acute_health": lambda c: c["D"]["hospital"],
    "mental_health_services": lambda c: world.ORGS["mental_health_services"],
    "ambulance": lambda c: world.ORGS["ambulance"],
    "health_commissioners": lambda c: world.ORGS["health_commissioners"],
    "adult_social_care": lambda c: world.ORGS["adult_social_care"],
    "childrens_services": lambda c: world.ORGS["childrens_services"],
    "housing": lambda c: c["D"]["council"] + " Housing Services",
    "specialist_da": lambda c: world.ORGS["specialist_da"],
    "substance_services": lambda c: world.ORGS["substance_services"],
    "partnership": lambda c: c["D"]["csp"],
    "national": lambda c: "Home Office",
    "other": lambda c: "See recommendation",
    "unknown": lambda c: "To be agreed",
}

THEME_ACTIONS = {
    "training": "Design and deliver the session; record attendance; evaluate with a follow-up survey after three months.",
    "policy": "Review the current document, consult with partners, publish the revised version and notify staff.",
    "risk_assessment": "Revise the practice standard on risk identification; dip-sample completed assessments.",
    "information_sharing": "Agree the process with partners; amend the information-sharing agreement where needed.",
    "referral_pathways": "Map the current route, publish the revised pathway and monitor referral numbers.",
    "record_keeping": "Amend the record template and brief staff; audit a sample of records.",
    "professional_curiosity": "Include case examples in supervision and team meetings.",
    "multi_agency_working": "Task and finish group to be convened with partner agencies.",
    "public_awareness": "Develop materials with community partners and distribute through agreed channels.",
    "language_culture": "Work with community organisations; commission translation and interpreting as required.",
    "mental_health": "Joint work with the suicide prevention lead; amend assessment guidance.",
    "substance_misuse": "Update assessment paperwork and brief recovery workers.",
    "specialist_services": "Prepare a business case; identify funding through the commissioning cycle.",
    "vulnerable_adults": "Update adult safeguarding procedures; brief care management teams.",
    "perpetrator_management": "Review the use of orders and disclosures; report figures to the partnership.",
    "assurance": "Report progress to the partnership board every six months until completed.",
}

OUTCOMES = ["Completed", "Completed – evidence provided to the DHR panel", "Ongoing", "Completed; audit scheduled",
            "Partially complete", "Completed – briefing circulated", "In progress"]


def rec_gold_text(r):
    parts = [r["text"]]
    for i, it in enumerate(r.get("items", [])):
        if r.get("item_style", "bullet") == "letter":
            parts.append(f"{LETTERS[i]}) {it}")
        else:
            parts.append(f"\u2022 {it}")
    return " ".join(parts)


def item_texts(r):
    out = []
    for i, it in enumerate(r.get("items", [])):
        out.append(f"{LETTERS[i]}) {it}" if r.get("item_style", "bullet") == "letter" else f"\u2022 {it}")
    return out


class Builder:
    def __init__(self, case):
        self.c = case
        self.D = world.DISTRICTS[case["district"]]
        case["D"] = self.D
        self.rng = random.Random("dhr-" + case["id"])
        self.blocks = []
        self.toc = []
        self.chapter = 0
        self.para = 0
        self.numbered = case.get("para_numbers", False)
        v, p = case["victim"], case["perpetrator"]
        vs, vo, vp, Vs, Vp = PRON[v["sex"]]
        ps, po, pp_, Ps, Pp = PRON[p["sex"]]
        self.ctx = prose.Ctx(
            ps=ps, po=po, pp=pp_, Ps=Ps, Pp=Pp,
            V=v["name"], VA=v["adult"], P=p["name"], PA=p.get("ref", p["name"]),
            vs=vs, vo=vo, vp=vp, Vs=Vs, Vp=Vp,
            police=world.ORGS["police"], gp=case.get("gp", "the GP practice"),
            hospital=self.D["hospital"], mh=world.ORGS["mental_health_services"],
            amb=world.ORGS["ambulance"], council=self.D["council"],
            drug=world.ORGS["substance_services"], district=self.D["name"], county=world.COUNTY,
            n_dash=case.get("n_dash", "three"), age=v["age"], ethnicity=v["ethnicity"],
            diversity_note=case.get("diversity_note", "age and sex"),
            diversity_finding=case.get("diversity_finding", "no evidence that any protected characteristic affected the services provided."),
        )

    # -------------------------------------------------------------- helpers
    def add(self, kind, **kw):
        kw["kind"] = kind
        self.blocks.append(kw)

    def h1(self, title, pagebreak=False):
        self.chapter += 1
        self.para = 0
        text = f"{self.chapter}. {title}"
        if pagebreak:
            self.add("pagebreak")
        self.add("h", level=1, text=text)
        self.toc.append((1, text))
        return self.chapter

    def h2(self, title, toc=False):
        self.add("h", level=2, text=title)
        if toc:
            self.toc.append((2, title))

    def p(self, text):
        text = self.ctx.fill(text)
        if self.numbered:
            self.para += 1
            self.add("num", label=f"{self.chapter}.{self.para}", text=text, bold_label=False)
        else:
            self.add("p", text=text)

    def fill(self, t):
        return self.ctx.fill(t)

    def bank(self, t, **kw):
        """Fill a paragraph-bank template; bare he/him/his there mean the perpetrator."""
        import re
        t = re.sub(r"\bhimself\b", "{po}self", t)
        t = re.sub(r"\bhe\b", "{ps}", t)
        t = re.sub(r"\bHe\b", "{Ps}", t)
        t = re.sub(r"\bhis\b", "{pp}", t)
        t = re.sub(r"\bHis\b", "{Pp}", t)
        t = re.sub(r"\bhim\b", "{po}", t)
        return self.ctx.fill(t, **kw)

    # -------------------------------------------------------------- sections
    def build(self):
        c = self.c
        v, pp = c["victim"], c["perpetrator"]
        title = f"Domestic Homicide Review into the death of {v['adult']} (‘{v['name']}’)"
        self.title = title
        cover_lines = [self.D["csp"], "Overview Report", f"Report into the death of {v['adult']}",
                       f"{mdate(dt.date.fromisoformat(c['death']['date']))}",
                       f"Independent Chair and Author: {c['chair']}",
                       f"Date of completion: {c['completed']}",
                       c["classification"]]
        self.add("cover", title="Domestic Homicide Review", lines=cover_lines)
        toc_at = len(self.blocks)
        self.add("pagebreak")
        feats = set(c.get("features", []))
        if "exec_summary" in feats:
            self.exec_summary()
        for key in self.chapter_list()[:-1]:
            getattr(self, "ch_" + key[0])(*key[1:])
        self.recommendations()
        if "glossary" in feats:
            self.glossary()
        if c.get("action_plan", True):
            self.action_plan()
        if "ho_letter" in feats:
            self.ho_letter()
        profile.check(c, self.events)
        self.blocks.insert(toc_at + 1, {"kind": "toc", "entries": self.toc})
        self.blocks.insert(toc_at + 2, {"kind": "pagebreak"})
        header = f"{self.D['csp_short']} DHR {c['ref']} Overview Report"
        return {"title": title, "header": header, "classification": c["classification"],
                "author": c["chair"], "blocks": self.blocks}

    def exec_summary(self):
        c = self.c
        self.add("h", level=1, text="Executive Summary")
        self.toc.append((1, "Executive Summary"))
        self.add("p", text=self.fill(c.get("summary") or c["what"] + " " + c.get("outcome", "")))
        self.add("p", text=self.fill("The review examined the contact that agencies had with {V} and {PA} and considered whether "
                                      "there were opportunities to identify the risk and to intervene. The Panel’s conclusions and the "
                                      "learning identified are set out in full in the Overview Report."))
        self.add("h", level=2, text="Summary of recommendations")
        self.add("p", text="The recommendations of the review are summarised below. The wording in the main body of the report takes precedence.")
        for r in self.recs:
            t = r.get("summary") or r["text"]
            if r.get("number"):
                self.add("num", label=self.label(r), text=t, items=item_texts(r) if not r.get("summary") else [])
            else:
                self.add("bullets", items=[f"{self.agency_name(r)}: {t}"])
        self.add("pagebreak")

    def introduction(self):
        c = self.c
        self.h1("Introduction")
        for t in c.get("intro") or [f"This report examines the responses of agencies to {{V}}, who lived in {self.D['name']}, before {{vp}} death on {fdate(dt.date.fromisoformat(c['death']['date']))}. " + c["what"]]:
            self.p(t)
        self.p(profile.Writer(c).victim())
        gy = "2016" if c["year"] >= 2016 else "2011"
        self.p(f"This review was commissioned by {self.D['csp']} in accordance with section 9 of the Domestic Violence, Crime and Victims Act 2004."
               f"{{{{fn:Home Office ({gy}) Multi-agency Statutory Guidance for the Conduct of Domestic Homicide Reviews.}}}} "
               f"The decision to hold a review was taken on {c['decision_date']} after the case was notified by {{police}}, and the Home Office was informed.")
        self.p("The Panel offers its sincere condolences to {V}’s family and friends. The family chose the pseudonym ‘{V}’; {PA} is used for the perpetrator. Other people are referred to by their relationship to {V} to protect their identity.")
        self.p("The purpose of a Domestic Homicide Review is to establish what lessons are to be learned from the death regarding the way in which local professionals and organisations work individually and together to safeguard victims. It is not an inquiry into how the victim died or into who is to blame; that is a matter for the coroner and the criminal courts.")
        self.p(c["death_text"])
        self.p("The review began on " + c["start_date"] + ". It was delayed by the criminal proceedings and by the availability of some IMR authors; the Panel kept the Home Office informed of the revised timescales.")

    def terms_of_reference(self, title="Terms of Reference"):
        c = self.c
        self.h1(title)
        self.p("The review covers the period from {s} to the death of {V} on {d}. Agencies were also asked to summarise any relevant contact before that period.".replace("{s}", fdate(dt.date.fromisoformat(c["period_start"]))).replace("{d}", fdate(dt.date.fromisoformat(c["death"]["date"]))))
        self.p("The key lines of enquiry agreed by the Panel were:")
        self.add("bullets", items=[self.fill(x) for x in [
            "What did each agency know about domestic abuse in the relationship between {V} and {PA}, and how did it respond?",
            "Were risk assessments completed where they should have been, and were they shared with partners?",
            "Were referrals made to MARAC, the IDVA service, adult or children’s social care where thresholds were met?",
            "Did agencies follow their own policies and procedures, and were those policies fit for purpose?",
            "Had staff received training appropriate to their role, and did they use it?",
            "How effective was information sharing between and within agencies?",
            "Were there any issues of equality and diversity, including language and culture, that affected access to services?",
        ]])
        self.p("The Panel also agreed to consider any previous reviews in {county} whose learning was relevant, and to consider whether the recommendations of those reviews had been implemented.")

    def methodology(self, sub=False):
        c = self.c
        if sub:
            self.h2("Methodology")
        else:
            self.h1("Methodology")
        self.p("Individual Management Reviews (IMRs) were requested from the agencies that had significant contact with {V} or {PA}. Each IMR author was independent of the line management of the staff involved. Agencies with limited contact provided a summary report. The IMRs and a combined chronology formed the basis of the Panel’s analysis.")
        names = [self.agency_display(a) for a in c["imr_agencies"]]
        self.add("bullets", items=names)
        self.p("The Panel met on {n} occasions. The Chair also met IMR authors individually to clarify points of detail. Draft IMRs were quality assured by the Chair against the Home Office guidance and returned for amendment where necessary.".replace("{n}", str(c.get("panel_meetings", 5))))
        rows = [[c["chair"], "Independent Chair and Author", "Independent"]]
        roles = {"police": ("Detective Inspector, Public Protection", world.ORGS["police"]),
                 "primary_care": ("Named GP for Safeguarding Adults", world.ORGS["health_commissioners"]),
                 "acute_health": ("Head of Safeguarding", self.D["hospital"]),
                 "mental_health_services": ("Safeguarding Lead", world.ORGS["mental_health_services"]),
                 "housing": ("Housing Needs Manager", self.D["council"]),
                 "specialist_da": ("IDVA Service Manager", world.ORGS["specialist_da"]),
                 "adult_social_care": ("Head of Adult Safeguarding", world.ORGS["adult_social_care"]),
                 "childrens_services": ("Service Manager, MASH", world.ORGS["childrens_services"]),
                 "substance_services": ("Service Manager", world.ORGS["substance_services"]),
                 "probation": ("Senior Probation Officer", AGENCY_LEAD["probation"](c)),
                 "ambulance": ("Safeguarding Specialist Practitioner", world.ORGS["ambulance"]),
                 "partnership": ("DASV Partnership Manager", world.PARTNERSHIP)}
        first = ["J. Allerton", "S. Baptiste", "R. Chaudhry", "K. Dunmore", "L. Everett", "M. Fairbairn", "A. Grzelak",
                 "T. Hollis", "P. Ibekwe", "D. Jankauskas", "N. Kowalczyk", "H. Lister", "B. Mahmood", "C. Norland"]
        self.rng.shuffle(first)
        for i, a in enumerate(c["imr_agencies"] + ["partnership"]):
            if a in roles:
                rows.append([first[i % len(first)], roles[a][0], roles[a][1]])
        self.p("Panel membership is shown in the table below. No member of the Panel had direct involvement in the case or line management responsibility for those who did.")
        self.add("table", name="Panel", header=["Name", "Role", "Agency"], rows=rows, widths=[3, 5, 6])

    def family(self):
        c = self.c
        self.h1("Involvement of Family, Friends and Others")
        for t in c.get("family") or [DEFAULT_FAMILY]:
            self.p(t)
        self.p("The Chair wrote to the family at the start of the review, enclosing the Home Office leaflet for families and information about advocacy from Advocacy After Fatal Domestic Abuse (AAFDA). The family were offered the opportunity to read the report before publication.")

    def background(self):
        c = self.c
        self.h1("Background and Personal Information")
        for t in c["background"]:
            self.p(t)
        w = profile.Writer(c)
        self.p(w.household())
        self.p(w.agencies())

    def chronology(self):
        c = self.c
        self.h1("Chronology", pagebreak=False)
        self.p("This chapter summarises the contact that agencies had with {V} and {PA}, drawn from the combined chronology. Entries are summarised; the full chronology was available to the Panel.")
        start = dt.date.fromisoformat(c["period_start"])
        death = dt.date.fromisoformat(c["death"]["date"])
        events = []
        self.events = []
        for ev in c.get("key_events", []):
            events.append((dt.date.fromisoformat(ev[0]), ev[1]))
        pool = c.get("event_types") or [k for k, (ag, _) in prose.EVENTS.items() if ag in c["imr_agencies"] or ag == "other"]
        n = c.get("chron_events", 30)
        span = (death - start).days - 20
        used = {}
        for i in range(n):
            k = self.rng.choice(pool)
            d = start + dt.timedelta(days=self.rng.randrange(max(span, 30)))
            events.append((d, k))
        events.sort()
        year = None
        for d, k in events:
            if d.year != year:
                year = d.year
                self.h2(f"Events in {year}")
            if k in prose.EVENTS:
                tmpls = prose.EVENTS[k][1]
                idx = used.get(k, self.rng.randrange(len(tmpls)))
                used[k] = idx + 1
                t = tmpls[idx % len(tmpls)]
                self.events.append((k, idx % len(tmpls)))
                text = self.bank(t, d=fdate(d))
                if used[k] > len(tmpls):  # a repeat: add a distinguishing sentence
                    text += " " + self.bank(self.rng.choice(FOLLOWUPS))
            else:
                text = self.ctx.fill(k, d=fdate(d))
            self.p(text)
        self.h2("The homicide" if c["case_type"] != "suicide" else f"The death of {c['victim']['name']}")
        self.p(c["death_text"])
        if c["profile"].get("death_note"):
            self.p(c["profile"]["death_note"])
        if c["case_type"] == "homicide_suicide":
            self.p("{PA} was found dead at the address by police later the same day. The coroner recorded that he took his own life after killing {V}. As a result there were no criminal proceedings.")

    def analysis(self):
        c = self.c
        self.h1("Analysis")
        self.p("This chapter analyses the involvement of agencies against the terms of reference. It draws on the IMRs, the chronology, the contributions of {V}’s family and discussion at Panel meetings. The Panel has tried to avoid hindsight bias and to consider what practitioners knew, or could reasonably have known, at the time.")
        for topic in c["analysis_topics"]:
            self.h2(topic, toc=True)
            for t in prose.ANALYSIS[topic]:
                self.p(self.bank(t))
            if self.rng.random() < 0.6:
                self.p(self.bank(self.rng.choice(prose.NOT_RECS)))
        for extra in c.get("analysis_extra", []):
            self.p(extra)
        if c.get("earlier_review"):
            self.h2("Learning from previous reviews", toc=True)
            self.earlier_review()

    def earlier_review(self):
        er = self.c["earlier_review"]
        self.p(er["intro"])
        n = len(er["recs"])
        for i, t in enumerate(er["recs"], 1):
            self.add("quote", text=("‘" if i == 1 else "") + f"{i}. {t}" + ("’" if i == n else ""))
        self.p(er["outro"])

    def conclusions(self, title="Conclusions"):
        c = self.c
        self.h1(title)
        for t in c.get("conclusions") or DEFAULT_CONCLUSIONS[c["case_type"]]:
            self.p(t)

    def lessons(self, sub=False):
        if sub:
            self.h2("Lessons learned")
        else:
            self.h1("Lessons Learned")
        self.p("The Panel identified the following lessons. Lessons describe what the review has learned; the recommendations that follow describe the actions the Panel asks agencies to take.")
        ls = self.rng.sample(prose.LESSONS, 5)
        self.add("bullets", items=ls)

    # -------------------------------------------------------------- recommendations
    @property
    def recs(self):
        if not hasattr(self, "_recs"):
            self._number()
        return self._recs

    def agency_display(self, a):
        return AGENCY_LEAD[a](self.c) if a not in ("primary_care",) else (self.c.get("gp") or "GP practice").replace("the ", "", 1)

    def agency_name(self, r):
        return r.get("section") or r.get("lead") or AGENCY_LEAD[r["agency"]](self.c)

    def _number(self):
        c = self.c
        fmt = c["rec_format"]
        self.rec_chapter = None
        recs = [dict(r) for r in c["recommendations"]]
        panel = [r for r in recs if r.get("kind", "panel") == "panel"]
        ch = c.get("rec_chapter_hint")  # chapter number is known only when built; precomputed
        ch = self._rec_chapter_number()
        secs = []
        subs = {}
        for i, r in enumerate(panel, 1):
            sec = r.get("section", "")
            if sec not in secs:
                secs.append(sec)
            s = secs.index(sec) + 1
            if fmt == "recommendation_colon":
                r["number"] = str(i); r["_label"] = f"Recommendation {i}:"
            elif fmt == "recommendation_heading":
                r["number"] = str(i); r["_label"] = f"Recommendation {i}"
            elif fmt == "dot":
                r["number"] = str(i); r["_label"] = f"{i}."
            elif fmt == "paren":
                r["number"] = str(i); r["_label"] = f"{i})"
            elif fmt == "chapter":
                r["number"] = f"{ch}.{i}"
            elif fmt == "r":
                r["number"] = f"R{i}"
            elif fmt == "chapter3":
                k = sum(1 for x in panel[:i] if x.get("section", "") == sec)
                r["number"] = f"{ch}.{s + c.get('rec_sec_offset', 0)}.{k}"
            elif fmt == "chapter4":
                sub = r.get("sub", "")
                key = (sec, sub)
                subs.setdefault(sec, [])
                if sub not in subs[sec]:
                    subs[sec].append(sub)
                a = subs[sec].index(sub) + 1
                k = sum(1 for x in panel[:i] if x.get("section", "") == sec and x.get("sub", "") == sub)
                r["number"] = f"{ch}.{s}.{a}.{k}"
            elif fmt == "letter":
                k = sum(1 for x in panel[:i] if x.get("section", "") == sec)
                sp = " " if c.get("letter_space", True) else ""
                r["number"] = f"{ch}.{s}{sp}{LETTERS[k - 1]}"
            else:
                raise ValueError(fmt)
            r.setdefault("_label", r["number"])
        for r in recs:
            if r.get("kind") == "single":
                r["number"] = None
                r["_label"] = None
        self._recs = recs
        self._secs = secs

    def chapter_list(self):
        c = self.c
        keys = [("introduction",)]
        for i, _ in enumerate(c.get("extra_front", [])):
            keys.append(("extra", i))
        if c.get("compact"):
            keys.append(("tor_method",))
        else:
            keys += [("terms_of_reference",), ("methodology",)]
        keys += [("family",), ("background",), ("chronology",)]
        if c.get("analysis_chapters"):
            keys += [("topic", t) for t in c["analysis_topics"]]
            if c.get("earlier_review"):
                keys.append(("earlier",))
        else:
            keys.append(("analysis",))
        if c.get("compact"):
            keys.append(("concl_lessons",))
        else:
            keys += [("conclusions",), ("lessons",)]
        keys.append(("recommendations",))
        return keys

    def _rec_chapter_number(self):
        return len(self.chapter_list())

    def ch_introduction(self):
        self.introduction()

    def ch_extra(self, i):
        t, paras = self.c["extra_front"][i]
        self.h1(t)
        for x in paras:
            self.p(x)

    def ch_terms_of_reference(self):
        self.terms_of_reference()

    def ch_methodology(self):
        self.methodology()

    def ch_tor_method(self):
        self.terms_of_reference(title="Terms of Reference and Methodology")
        self.methodology(sub=True)

    def ch_family(self):
        self.family()

    def ch_background(self):
        self.background()

    def ch_chronology(self):
        self.chronology()

    def ch_analysis(self):
        self.analysis()

    def ch_topic(self, t):
        if t == self.c["analysis_topics"][0]:
            self.topic_intro = True
        self.h1(t)
        for x in prose.ANALYSIS[t]:
            self.p(self.bank(x))
        if self.rng.random() < 0.6:
            self.p(self.bank(self.rng.choice(prose.NOT_RECS)))

    def ch_earlier(self):
        self.h1("Learning from Previous Reviews")
        self.earlier_review()

    def ch_conclusions(self):
        self.conclusions()

    def ch_lessons(self):
        self.lessons()

    def ch_concl_lessons(self):
        self.conclusions(title="Conclusions and Lessons Learned")
        self.lessons(sub=True)

    def label(self, r):
        return r["_label"]

    def recommendations(self):
        c = self.c
        ch = self.h1("Recommendations", pagebreak=c.get("recs_pagebreak", True))
        assert ch == self._rec_chapter_number(), (ch, self._rec_chapter_number())
        numbered = self.numbered
        self.numbered = numbered and bool(c.get("rec_sec_offset"))
        for t in c.get("rec_intro", ["The Panel makes the following recommendations. Each recommendation has been accepted by the agency concerned and is included in the action plan at the end of this report."]):
            self.p(t)
        self.numbered = False
        fmt = c["rec_format"]
        panel = [r for r in self.recs if r.get("kind", "panel") == "panel"]
        single = [r for r in self.recs if r.get("kind") == "single"]
        if single and c.get("panel_heading", True):
            self.h2(c.get("panel_heading_text", "Panel recommendations"), toc=True)
        cur_sec = None
        cur_sub = None
        for r in panel:
            sec = r.get("section", "")
            if fmt in ("chapter3", "chapter4", "letter") and sec != cur_sec:
                cur_sec = sec
                cur_sub = None
                s = self._secs.index(sec) + 1 + (c.get("rec_sec_offset", 0) if fmt == "chapter3" else 0)
                self.h2(f"{ch}.{s} {sec}")
            elif fmt not in ("chapter3", "chapter4", "letter") and sec and sec != cur_sec:
                cur_sec = sec
                self.add("label", text=sec)
            if fmt == "chapter4" and r.get("sub", "") != cur_sub:
                cur_sub = r.get("sub", "")
                a = ".".join(r["number"].split(".")[:3])
                self.add("h", level=3, text=f"{a} {cur_sub}")
            if fmt == "recommendation_heading":
                self.add("h", level=3, text=r["_label"])
                self.add("p", text=r["text"])
                for it in item_texts(r):
                    self.add("p", text=it)
            else:
                self.add("num", label=r["_label"], text=r["text"], items=item_texts(r))
        if single:
            self.h2(c.get("single_heading", "Single agency recommendations"), toc=True)
            self.add("p", text=c.get("single_intro", "The following recommendations were made by IMR authors for their own agencies. The Panel endorses them and has included them in the action plan."))
            cur = None
            for r in single:
                nm = self.agency_name(r)
                if nm != cur:
                    cur = nm
                    self.add("h", level=3, text=nm)
                self.add("bullets", items=[rec_gold_text(r)])
        self.numbered = numbered

    def glossary(self):
        self.h1("Glossary", pagebreak=True)
        self.add("table", name="Glossary", header=["Acronym", "Meaning"], rows=[list(x) for x in world.GLOSSARY], widths=[1, 4])

    def action_plan(self):
        c = self.c
        title = "Appendix A: Action Plan"
        if c["producer"] == "lo":
            self.add("landscape", text=title)
        else:
            self.add("pagebreak")
            self.add("h", level=1, text=title)
        self.toc.append((1, title))
        self.add("p", text="The action plan below was agreed by the Panel and the agencies concerned. Progress is monitored by the " + self.D["csp"] + ".")
        year = c["year"]
        rows = []
        cur = None
        for r in self.recs:
            grp = r.get("plan_group")
            if grp and grp != cur:
                rows.append({"group": grp})
                cur = grp
            t = r.get("plan") or rec_gold_text(r)
            rec_cell = f"{r['number']} {t}" if r.get("number") else t
            scope = (r.get("scope") or "").capitalize() or "Not stated"
            action = r.get("action") or " ".join(THEME_ACTIONS[x] for x in r["themes"][:2]) or "Agency to confirm action."
            lead = r.get("lead") or AGENCY_LEAD[r["agency"]](c)
            tm = self.rng.choice([3, 6, 6, 9, 12])
            cy = int(c["completed"].split()[-1])
            target = mdate(dt.date(cy + (tm > 6), tm, 1))
            outcome = self.rng.choice(OUTCOMES)
            rows.append([rec_cell, scope, action, lead, target, outcome])
        if c["producer"] == "lo":
            widths = [7, 2, 6, 3.5, 2.2, 3.5]
        else:
            widths = [6, 1.9, 4.6, 3.2, 2.1, 2.6]
        self.add("table", name="ActionPlan",
                 header=["Recommendation", "Scope", "Action to take", "Lead agency", "Target date", "Outcome"],
                 rows=rows, widths=widths)
        if c["producer"] == "lo" and "ho_letter" in c.get("features", []):
            pass

    def ho_letter(self):
        c = self.c
        if c["producer"] == "lo":
            self.add("portrait", text="Appendix B: Home Office Quality Assurance Panel feedback")
        else:
            self.add("pagebreak")
            self.add("h", level=1, text="Appendix B: Home Office Quality Assurance Panel feedback")
        self.toc.append((1, "Appendix B: Home Office Quality Assurance Panel feedback"))
        self.add("letterhead", text="Interpersonal Abuse Unit")
        self.add("letterhead", text="2 Marsham Street")
        self.add("letterhead", text="London SW1P 4DF")
        self.add("letterhead", text=c["ho_letter"]["date"])
        self.add("p", text=f"Dear {c['ho_letter']['to']},")
        self.add("p", text=f"Thank you for submitting the Domestic Homicide Review report (Adult {c['victim']['adult'].split()[-1]}) for {self.D['csp']} to the Home Office Quality Assurance (QA) Panel. The report was considered at the QA Panel meeting on {c['ho_letter']['panel']}. I apologise for the delay in responding to you.")
        self.add("p", text="The QA Panel would like to thank you for conducting this review and for providing them with the final report. The Panel felt this was a thorough and sensitive report, with good engagement with the family, and that the recommendations and action plan reflect the learning identified.")
        self.add("p", text="There were, however, some aspects of the report which the Panel felt may benefit from further analysis, or be revised, which you will wish to consider. The areas for final development are:")
        for i, t in enumerate(c["ho_letter"]["areas"], 1):
            self.add("num", label=f"{i}.", text=t, bold_label=False)
        self.add("p", text="The Panel does not need to see another version of the report, but I would be grateful if you could include our letter as an appendix to the report when it is published. Please send a digital copy of the final report to the DHR inbox once published.")
        self.add("p", text="On behalf of the QA Panel, I would like to thank you, the report chair and author, and other colleagues for the considerable work that you have put into this review.")
        self.add("p", text="Yours sincerely,")
        self.add("p", text="Home Office DHR Quality Assurance Panel")

    def gold(self):
        out = []
        for r in self.recs:
            out.append({"text": rec_gold_text(r), "themes": r["themes"], "agency": r["agency"],
                        "scope": r.get("scope") if self.c.get("action_plan", True) else None,
                        "number": r.get("number")})
        return out


FOLLOWUPS = [
    "The record was reviewed by a supervisor the following week, who agreed with the decision.",
    "A letter summarising the contact was sent to the GP.",
    "No further action was recorded.",
    "The IMR author considers that this contact should have prompted a discussion with a manager.",
    "{V} did not mention {PA} during this contact.",
    "This information was not shared with any other agency.",
    "A follow-up call was planned but did not take place because of staff sickness.",
    "The case notes for this contact are brief and do not record the rationale for the decision.",
]


DEFAULT_FAMILY = ("The Chair and a member of the Panel met {V}’s family on two occasions, supported by an advocate. "
                  "They spoke warmly about {vo} and described the changes they had seen in {vo} after {vs} met {PA}: "
                  "{vs} saw less of friends, stopped answering the telephone when {PA} was at home, and seemed anxious about money. "
                  "The family’s contribution has been central to the Panel’s understanding of {V}’s life and of the abuse {vs} experienced.")

DEFAULT_CONCLUSIONS = {
    "homicide": ["The Panel concluded that the homicide could not have been predicted from the information held by any single agency. "
                 "Taken together, however, the information showed a pattern of abuse and control that was not recognised, and there were "
                 "missed opportunities to assess the risk, to share information and to offer {V} specialist support.",
                 "The Panel cannot say that {V}’s death was preventable, but it is clear that a more curious and joined-up response "
                 "might have changed the course of events."],
    "homicide_suicide": ["The Panel concluded that the homicide and the suicide that followed could not have been predicted by any single agency. "
                         "The perpetrator’s suicidal thoughts, his jealousy and the recent separation were each known to someone, "
                         "but no agency held the whole picture and the combination of risk factors was never recognised."],
    "suicide": ["The Panel concluded that {V} died by suicide after a prolonged period of domestic abuse, and that the abuse was a significant "
                "factor in the decline of {vp} mental health. Agencies responded to {vp} low mood, and in some cases to {vp} self-harm, without "
                "recognising the abuse that lay behind it.",
                "The Panel cannot say that {V}’s death was preventable. It considers that earlier recognition of the abuse, and a "
                "response that linked {vp} mental health to {vp} experience of coercive control, might have made a difference."],
}
