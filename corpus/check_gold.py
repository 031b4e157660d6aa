#!/usr/bin/env python3
"""Check corpus/gold.json: theme and agency counts, case-type split, and (with
--pdf) that every gold text can be found in pdftotext output of its PDF.

Exit status 0 when every check holds, 1 otherwise.  Stdlib only.
"""
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))

THEMES = ["risk_assessment", "information_sharing", "referral_pathways", "record_keeping", "training", "policy",
          "professional_curiosity", "multi_agency_working", "public_awareness", "language_culture", "mental_health",
          "substance_misuse", "specialist_services", "vulnerable_adults", "perpetrator_management", "assurance"]
AGENCIES = ["police", "probation", "primary_care", "acute_health", "mental_health_services", "ambulance",
            "health_commissioners", "adult_social_care", "childrens_services", "housing", "specialist_da",
            "substance_services", "partnership", "national", "other", "unknown"]
HO_THEMES = ["technology_systems", "identification_of_risk", "training", "policy", "multi_agency_working",
             "record_keeping", "awareness_raising", "other"]
HO_AGENCIES = ["police", "social_services", "health_services", "idva_da_support", "probation", "housing", "school",
               "employer", "other_education", "religious_institution", "military", "community_safety_partnership",
               "other", "unknown"]
EXACT = {"training": 38, "policy": 32, "risk_assessment": 36, "information_sharing": 36}
TOTAL = 153
CASES = {"homicide": 12, "homicide_suicide": 1, "suicide": 5}   # 11 IPH (incl. 1 homicide-suicide) + 2 familial
FOOTER = re.compile(r"^(.*DHR \d{4}/\d+ Overview Report.*|Page \d+ of \d+.*|RESTRICTED|OFFICIAL(-SENSITIVE)?)$")


def norm(s):
    s = unicodedata.normalize("NFKC", s)
    s = s.replace("\u2010", "-").replace("\u2011", "-").replace("\u00ad", "").replace("\u2212", "-")
    s = re.sub(r"-\s*\n\s*", "", s)          # hyphenated line ends
    s = s.replace("-", "")
    return re.sub(r"\s+", " ", s).strip()


def pdf_text(path):
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], capture_output=True, text=True, check=True).stdout
    lines = [l for l in out.replace("\f", "\n").splitlines() if not FOOTER.match(l.strip())]
    return norm("\n".join(lines))


def main():
    check_pdf = "--pdf" in sys.argv
    gold = json.load(open(os.path.join(HERE, "gold.json"), encoding="utf-8"))
    docs = gold["documents"]
    ok = True
    themes = collections.Counter()
    agencies = collections.Counter()
    scopes = collections.Counter()
    types = collections.Counter(d["case_type"] for d in docs)
    n = 0
    for d in docs:
        for r in d["recommendations"]:
            n += 1
            for t in r["themes"]:
                if t not in THEMES:
                    print(f"unknown theme {t!r} in {d['file']}"); ok = False
            if len(set(r["themes"])) != len(r["themes"]):
                print(f"duplicate theme in {d['file']}: {r['text'][:60]}"); ok = False
            themes.update(r["themes"])
            if r["agency"] not in AGENCIES:
                print(f"unknown agency {r['agency']!r} in {d['file']}"); ok = False
            agencies[r["agency"]] += 1
            scopes[r["scope"]] += 1
            lab = r.get("labels", {})
            ho = lab.get("ho_theme")
            if not isinstance(ho, list) or not ho or any(t not in HO_THEMES for t in ho) or len(set(ho)) != len(ho) \
                    or ("other" in ho and len(ho) > 1):
                print(f"bad labels.ho_theme {ho!r} in {d['file']}: {r['text'][:60]}"); ok = False
            if lab.get("ho_agency") not in HO_AGENCIES:
                print(f"bad labels.ho_agency {lab.get('ho_agency')!r} in {d['file']}"); ok = False
    print(f"documents: {len(docs)}  recommendations: {n}  case types: {dict(types)}")
    print("themes:   " + ", ".join(f"{t} {themes[t]}" for t in THEMES))
    print("agencies: " + ", ".join(f"{a} {agencies[a]}" for a in AGENCIES))
    print("scopes:   " + ", ".join(f"{k} {v}" for k, v in scopes.items()))
    if len(docs) != 18: print("FAIL: expected 18 documents"); ok = False
    if n != TOTAL: print(f"FAIL: expected {TOTAL} recommendations"); ok = False
    if dict(types) != CASES: print(f"FAIL: case types {dict(types)} != {CASES}"); ok = False
    for t, v in EXACT.items():
        if themes[t] != v: print(f"FAIL: {t} = {themes[t]}, expected {v}"); ok = False
    for t in THEMES:
        if t not in EXACT and themes[t] < 6: print(f"FAIL: {t} = {themes[t]} < 6"); ok = False
    for a in AGENCIES:
        if agencies[a] < 3: print(f"FAIL: agency {a} = {agencies[a]} < 3"); ok = False
    if check_pdf:
        if not shutil.which("pdftotext"):
            print("pdftotext not installed: skipping the text check")
        else:
            missing = 0
            for d in docs:
                text = pdf_text(os.path.join(HERE, d["file"]))
                for r in d["recommendations"]:
                    if norm(r["text"]) not in text:
                        print(f"NOT FOUND in {d['file']}: {r['text'][:90]}")
                        missing += 1
            print(f"text check: {missing} gold texts not found")
            ok = ok and missing == 0
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
