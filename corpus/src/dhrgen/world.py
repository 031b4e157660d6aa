"""The fictional county in which every case of the corpus is set.

Northmere is a fictional shire county with five district councils and one
neighbouring unitary authority (Petersford), modelled on the kind of area
covered by the reference ten-year review.
"""

COUNTY = "Northmere"
PARTNERSHIP = "Northmere and Petersford Domestic Abuse and Sexual Violence Partnership"
PARTNERSHIP_SHORT = "DASV Partnership"

DISTRICTS = {
    "petersford": {"name": "Petersford", "csp": "Safer Petersford Partnership",
                   "csp_short": "SPP", "council": "Petersford City Council",
                   "hospital": "Petersford City Hospital NHS Trust", "hosp_short": "PCH"},
    "fenmoor": {"name": "Fenmoor", "csp": "Fenmoor Community Safety Partnership",
                "csp_short": "Fenmoor CSP", "council": "Fenmoor District Council",
                "hospital": "Queen Eleanor Hospital, Wisbridge", "hosp_short": "QEH"},
    "hunsbury": {"name": "Hunsbury", "csp": "Hunsbury Community Safety Partnership",
                 "csp_short": "Hunsbury CSP", "council": "Hunsbury District Council",
                 "hospital": "Hunsbury and Northmere Hospitals NHS Foundation Trust",
                 "hosp_short": "HNH"},
    "south-northmere": {"name": "South Northmere", "csp": "South Northmere Community Safety Partnership",
                        "csp_short": "SNCSP", "council": "South Northmere District Council",
                        "hospital": "Northmere University Hospitals NHS Foundation Trust",
                        "hosp_short": "NUH"},
    "east-fenmoor": {"name": "East Fenmoor", "csp": "East Fenmoor Community Safety Partnership",
                     "csp_short": "EFCSP", "council": "East Fenmoor District Council",
                     "hospital": "Northmere University Hospitals NHS Foundation Trust",
                     "hosp_short": "NUH"},
    "northmere-city": {"name": "Northmere City", "csp": "Northmere City Community Safety Partnership",
                       "csp_short": "NCCSP", "council": "Northmere City Council",
                       "hospital": "Northmere University Hospitals NHS Foundation Trust",
                       "hosp_short": "NUH"},
}

# County-wide organisations (display names used in narrative and action plans)
ORGS = {
    "police": "Northmere Constabulary",
    "probation": "National Probation Service",
    "crc": "Northmere and Petersford Community Rehabilitation Company",
    "mental_health_services": "Northmere and Petersford NHS Foundation Trust",
    "mh_short": "NPFT",
    "ambulance": "Eastern Counties Ambulance Service NHS Trust",
    "amb_short": "ECAS",
    "health_commissioners": "Northmere and Petersford Clinical Commissioning Group",
    "ccg_short": "the CCG",
    "adult_social_care": "Northmere County Council Adult Social Care",
    "childrens_services": "Northmere Children's Services",
    "specialist_da": "Northmere Domestic Abuse Service (IDVA Service)",
    "refuge": "Haven Northmere",
    "substance_services": "Compass Recovery Northmere",
    "partnership": PARTNERSHIP,
    "national": "Home Office",
}

GLOSSARY = [
    ("A&E", "Accident and Emergency Department"),
    ("ASC", "Adult Social Care"),
    ("CCG", "Clinical Commissioning Group"),
    ("CRC", "Community Rehabilitation Company"),
    ("CSP", "Community Safety Partnership"),
    ("DASH", "Domestic Abuse, Stalking and Harassment and Honour Based Violence risk identification checklist"),
    ("DASV", "Domestic Abuse and Sexual Violence"),
    ("DHR", "Domestic Homicide Review"),
    ("DVDS", "Domestic Violence Disclosure Scheme (Clare's Law)"),
    ("DVPN / DVPO", "Domestic Violence Protection Notice / Order"),
    ("GP", "General Practitioner"),
    ("IDVA", "Independent Domestic Violence Advisor"),
    ("IMR", "Individual Management Review"),
    ("IRIS", "Identification and Referral to Improve Safety (GP practice programme)"),
    ("MAPPA", "Multi-Agency Public Protection Arrangements"),
    ("MARAC", "Multi-Agency Risk Assessment Conference"),
    ("MASH", "Multi-Agency Safeguarding Hub"),
    ("NPS", "National Probation Service"),
    ("PNC", "Police National Computer"),
    ("SIO", "Senior Investigating Officer"),
]
