"""Paragraph banks and the procedural chronology.

Every report's long middle (chronology, analysis) is generated from the
case's facts with a per-case seeded random generator, so a rebuild gives the
same text.  The banks deliberately talk about training, policy, risk,
referrals, information sharing and assessments, and use "recommend" in
sentences that are not recommendations, as real narrative does.
"""
import datetime as dt

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def fdate(d):
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def mdate(d):
    return f"{MONTHS[d.month - 1]} {d.year}"


class Ctx(dict):
    """Placeholders for templates; missing keys raise to catch typos early."""

    def fill(self, template, **extra):
        import re
        d = dict(self)
        d.update(extra)
        notes = []

        def keep(m):
            notes.append(m.group(0))
            return "\x00%d\x00" % (len(notes) - 1)
        t = re.sub(r"\{\{fn:.+?\}\}", keep, template)
        t = t.format(**d)
        return re.sub("\x00(\\d+)\x00", lambda m: notes[int(m.group(1))], t)


# ---------------------------------------------------------------- chronology
# Each event: (agency needed, list of templates).  {d} is the date.
EVENTS = {
    "gp_low_mood": ("primary_care", [
        "On {d} {V} attended {gp} and saw a GP about low mood and poor sleep. {Vs} described feeling 'worn down' at home but gave no further detail. Antidepressant medication was prescribed and a review was booked for four weeks. The consultation notes do not record whether {V} was seen alone or whether the GP asked about {vp} relationship.",
        "On {d} {V} had a telephone consultation with a practice nurse at {gp}, asking for a repeat prescription and a fit note. {Vs} mentioned stress at home. The nurse signposted {vo} to the self-referral talking therapies service. No routine enquiry about domestic abuse was made, which the GP practice IMR accepts was a missed opportunity.",
        "{V} saw a locum GP on {d}, reporting headaches, anxiety and weight loss. {PA} was present during the consultation and answered several questions on {vp} behalf. The locum did not record who accompanied {V}; the practice has since reviewed its guidance on recording this.",
    ]),
    "gp_injury": ("primary_care", [
        "On {d} {V} attended {gp} with bruising to {vp} upper arm and wrist, which {vs} said had happened when {vs} fell against a door. The GP documented the injury and examined the wrist but did not ask how the fall had occurred or whether {vs} felt safe at home.",
        "{V} was seen by a GP on {d} with a cut above {vp} eye that had been glued at a minor injuries unit two days earlier. {Vs} said {vs} had slipped in the kitchen. The GP recorded 'explanation consistent with injury'. The IMR author notes that the practice had not yet adopted the IRIS programme at that time.",
    ]),
    "police_medium": ("police", [
        "On {d} {police} received a 999 call from a neighbour reporting shouting and a woman screaming at {V}'s address. Officers attended within twenty minutes. {V} had a red mark to {vp} neck; {PA} had left before officers arrived. A DASH risk assessment was completed and graded as medium risk, with eleven 'yes' answers. {V} declined to make a statement and the matter was recorded as a non-crime domestic incident. A referral was made to the IDVA service by secondary notification.",
        "Police were called by {V} on {d} after {PA} refused to leave the house and damaged {vp} mobile telephone. The attending officer completed a DASH checklist, which was scored as medium risk. {PA} was arrested for criminal damage, interviewed and released with no further action after {V} withdrew support for a prosecution. The officer's notes record that {V} 'did not want to get him into trouble'.",
        "On {d} {V} reported to {police} by telephone that {PA} had been sending abusive text messages and turning up at {vp} workplace. An officer visited the following day and completed a DASH risk assessment, graded medium. Advice was given about harassment and {V} was given details of the local domestic abuse helpline. No referral to a specialist service was made because {V} did not consent.",
    ]),
    "police_standard": ("police", [
        "On {d} officers attended a verbal argument between {V} and {PA} reported by {PA} himself. Both parties were calm on arrival and the incident was recorded as a standard-risk verbal domestic. The DASH questions were asked in the presence of both parties, contrary to force guidance, and most answers were recorded as 'not known'.",
        "A further domestic incident was logged on {d}, when {V}'s daughter called police to say that {PA} was 'kicking off' after drinking. By the time officers arrived {PA} had gone to bed. The DASH was recorded as standard risk. Information about the incident was passed to children's services via the MASH as a notification only.",
    ]),
    "police_high": ("police", [
        "On {d} {V} called 999 to report that {PA} had put his hands around {vp} throat during an argument and threatened to kill {vo}. Officers attended and arrested {PA} for assault by beating. The DASH risk assessment was graded high risk, with strangulation, threats to kill and escalation all recorded. A referral was made to MARAC and to the IDVA service. {PA} was released on police bail with conditions not to contact {V} or attend the address.",
        "On {d} police were called to the address after {V} fled to a neighbour's house. {Vs} disclosed a history of controlling behaviour, including {PA} taking {vp} bank card and monitoring {vp} phone. The DASH was scored at 15 'yes' answers and graded high risk. The case was referred to MARAC and the MASH. A Domestic Violence Protection Notice was considered but not authorised by the duty inspector, a decision the police IMR examines in detail.",
    ]),
    "marac": ("specialist_da", [
        "The case was heard at the {district} MARAC on {d}. Agencies present shared what they knew and an action plan was agreed: a flag on the police address, a housing assessment, a referral to the Sanctuary scheme and IDVA support. The GP practice was not represented and did not receive the minutes, so the information never reached {V}'s medical record.",
        "On {d} the MARAC discussed {V} for the first time. The minutes record that {PA} was 'not known to probation' although he had been supervised by the CRC two years earlier. Actions were allocated to police, housing and the IDVA service; no action was given to health agencies.",
    ]),
    "idva": ("specialist_da", [
        "An IDVA contacted {V} by telephone on {d}, following the police referral. {Vs} agreed to a safety plan, including a code word with a friend and keeping {vp} phone charged, but declined a referral to refuge. The IDVA recorded that {V} was 'minimising' and agreed to call back within a week.",
        "On {d} the IDVA service made three attempts to contact {V} by telephone without success. In line with its procedure at that time the case was closed after the third attempt and a letter was sent. The letter was sent to the shared home address, which the IDVA service now recognises was a risk.",
    ]),
    "ae": ("acute_health", [
        "On {d} {V} attended the Emergency Department at {hospital} with a fractured finger, which {vs} said had been caught in a car door. {PA} accompanied {vo} and remained in the cubicle throughout. The triage nurse did not ask the routine domestic abuse question because {V} was not seen alone. A discharge letter was sent to the GP.",
        "{V} attended the Emergency Department at {hospital} on {d} after taking an overdose of paracetamol and alcohol. {Vs} was assessed by the liaison psychiatry team, who recorded relationship difficulties and 'arguments with partner' as the trigger. {Vs} was discharged the following morning with a plan for GP follow-up. No DASH risk assessment was completed and no referral was made to the hospital IDVA.",
        "On {d} an ambulance conveyed {V} to {hospital} with facial injuries. {Vs} told staff that {vs} had been assaulted by an unknown man in the street. The safeguarding team were not informed. The acute trust IMR author notes that the pattern of injury was typical of domestic assault and that the explanation should have been explored further.",
    ]),
    "ambulance": ("ambulance", [
        "The ambulance service was called to the address on {d} by {PA}, who reported that {V} had collapsed after drinking. The crew found {V} conscious with a cut to {vp} head. {Vs} refused conveyance. The crew completed a safeguarding referral form but it was routed to the wrong local authority and was not followed up.",
        "On {d} {amb} attended a call to {V}, who was having a panic attack. The crew noted that the couple were arguing and that {PA} was 'very controlling', but did not raise a safeguarding concern because {V} said {vs} was fine.",
    ]),
    "housing_app": ("housing", [
        "On {d} {V} approached {council} housing options service asking to be rehoused because of 'relationship breakdown'. {Vs} was advised to register on the housing register and was placed in band C. The housing officer did not ask whether domestic abuse was a factor, and the council's domestic abuse policy, which would have allowed a higher banding, was not applied.",
        "{V} completed a homelessness application with {council} on {d}. {Vs} disclosed that {PA} had been violent in the past. The officer recommended that {vs} stay with family while the application was assessed, and recorded the disclosure in the case notes but did not complete a DASH or refer to MARAC.",
        "On {d} the housing association that managed the tenancy received a complaint from a neighbour about shouting and banging at night. A tenancy officer wrote to both tenants about anti-social behaviour. The housing IMR accepts that the complaint was treated as noise nuisance rather than a possible domestic abuse incident.",
    ]),
    "mh_assessment": ("mental_health_services", [
        "On {d} {PA} was assessed by the First Response Service of {mh} after telling a GP he was having thoughts of harming himself. He described stress, jealousy and heavy drinking. The assessment did not explore whether he posed a risk to others, and the presence of a partner at home was not recorded. He was discharged to primary care with advice.",
        "{V} was assessed by the community mental health team on {d}. {Vs} described intrusive thoughts and said {vp} partner 'controls everything'. The practitioner completed a risk assessment focused on self-harm and recorded risk as low. There was no consideration of domestic abuse risk or referral to a specialist service.",
        "On {d} {V} was referred to the psychological therapies service by {vp} GP. {Vs} attended an initial assessment by telephone and disclosed that {vs} was frightened of {vp} ex-partner. The therapist offered guided self-help for anxiety. The service's policy was to complete a DASH where abuse was disclosed, but this was not done.",
    ]),
    "substance": ("substance_services", [
        "{PA} was referred to {drug} on {d} following an arrest for a drink-driving offence. At assessment he scored 27 on the AUDIT tool and reported drinking daily. He mentioned 'rows with the missus' but this was not explored. He attended two key-work sessions and then disengaged; the case was closed after a standard letter.",
        "On {d} {V} self-referred to {drug} for support with {vp} alcohol use. The recovery worker recorded that {vs} was in a relationship and that there were 'difficulties at home'. Domestic abuse screening questions were part of the assessment form but were left blank.",
    ]),
    "asc": ("adult_social_care", [
        "A safeguarding concern about {V} was raised with adult social care on {d} by a district nurse who had seen bruising and felt that {vs} was afraid of {PA}. The concern was screened and closed within two days as not meeting the criteria for a section 42 enquiry, because {V} was deemed to have capacity and said {vs} did not want any help.",
        "On {d} adult social care carried out a care and support needs assessment for {V}. {PA} was recorded as {vp} main carer and was present throughout the assessment. A carer's assessment was offered to {PA} but declined. The social worker did not speak to {V} on {vp} own.",
    ]),
    "childrens": ("childrens_services", [
        "On {d} children's services received a notification from police via the MASH about a domestic incident at which {V}'s children were present. The referral was assessed as not meeting the threshold for statutory intervention and was passed to Early Help. A letter was sent to the family offering support, which was not taken up.",
        "{V}'s youngest child's school contacted the MASH on {d} after the child said that 'mummy was crying because daddy hit the wall'. The designated safeguarding lead spoke to {V}, who said everything was fine. The case was recorded on the school's safeguarding system and monitored.",
    ]),
    "probation": ("probation", [
        "{PA} was sentenced on {d} to a twelve-month community order with a requirement to attend a domestic abuse perpetrator programme. He was supervised by the CRC. The initial OASys assessment rated him as medium risk of serious harm to a known adult. No home visit was carried out.",
        "On {d} {PA}'s offender manager recorded that he had a new partner, {V}. Police domestic abuse call-out checks were requested but the result was not received for five weeks. No safeguarding enquiry was made about {V}, and {vs} was not given information about his history.",
    ]),
    "dvds": ("police", [
        "On {d} {V}'s sister made an application under the Domestic Violence Disclosure Scheme ('right to ask'), concerned about {PA}'s behaviour. The application was not progressed within the 35-day timescale. When a disclosure was eventually made to {V} it was done by telephone.",
    ]),
    "employer": ("other", [
        "{V}'s line manager noticed on {d} that {vs} had arrived at work with a bruised face and seemed anxious. {Vs} said that {vs} had walked into a cupboard. The employer had no domestic abuse policy at the time and the manager did not know where to signpost {vo}.",
    ]),
    "missed_appt": ("primary_care", [
        "{V} did not attend a booked review at {gp} on {d}. This was the third missed appointment in four months. The practice's 'was not brought / did not attend' process applied only to children, so no follow-up was made.",
    ]),
    "perp_gp": ("primary_care", [
        "On {d} {PA} saw his GP complaining of stress, poor sleep and anger. He said he was 'snapping' at his partner. The GP prescribed medication and referred him for counselling. The GP did not consider whether his partner might be at risk, or ask about abuse.",
    ]),
}


# ---------------------------------------------------------------- analysis
ANALYSIS = {
    "Risk assessment": [
        "The DASH risk identification checklist was completed on {n_dash} occasions during the period under review. On each occasion the risk was graded at medium or standard, although the answers recorded included several of the factors most associated with homicide: separation, jealousy, escalation and, on one occasion, non-fatal strangulation. The Panel considered that professional judgement should have been used to raise the level of risk. Research consistently shows that practitioners rely too heavily on the numerical score.{{fn:SafeLives, DASH risk checklist practice guidance for professionals.}}",
        "A risk assessment is only as good as the information on which it is based. On the evidence available to the Panel, the officers who completed the DASH did not have access to the previous history held by other agencies, and {V} was not asked the questions on {vp} own. The police IMR author noted that force policy requires the victim to be spoken to separately, and that this was not followed.",
        "None of the health agencies that saw {V} completed a risk assessment for domestic abuse. The GP practice did not use a risk identification tool at that time; the mental health trust assessed risk to self but not risk from others. The Panel heard that this distinction between clinical risk assessment and domestic abuse risk assessment is common and is understood differently by different professions.",
        "The Panel noted that safety planning with {V} was limited to general advice. There is no evidence that a safety plan was written down, shared with {vo}, or reviewed when circumstances changed, for example when {PA} was released from custody.",
        "Risk was assessed by each agency in isolation. No agency was in a position to see the cumulative picture, and the Panel has reflected on whether the repeat incident criteria for MARAC would have been met had the incidents been counted together.",
    ],
    "Information sharing": [
        "There were several points at which information held by one agency would have changed the response of another. The police knew of the assaults; the GP knew of the low mood and the injuries; the housing service knew that {V} wanted to move. None of this was brought together. The Panel considered whether consent was a barrier, and concluded that in most instances agencies had a lawful basis to share without consent where there was a risk of serious harm.",
        "The MARAC minutes were not shared with the GP practice because, at the time, the GP was not a standing member of the MARAC and there was no agreed route for notifying primary care. This has been raised in previous reviews in {county} and the Panel was told that a process is now in place.",
        "Information sharing within agencies was also weak. Within the acute trust, the Emergency Department record and the maternity record were held on separate systems, and the safeguarding team were unaware of the earlier attendance.",
        "The Panel heard that practitioners were uncertain about what they could share and with whom. Several IMR authors said that staff believed that information could not be shared without the victim's consent. This belief is widespread and is not supported by data protection law or by the Information Commissioner's guidance.",
    ],
    "Referrals and pathways": [
        "Only one referral to a specialist domestic abuse service was made during the period under review. Other opportunities arose at the Emergency Department, at the GP practice and through the housing service. Practitioners told the Panel that they were not sure of the referral route or the threshold for the IDVA service.",
        "The referral to adult social care was screened out on the basis that {V} had capacity. The Panel considered that the decision focused on capacity rather than on the coercion that {V} was living with, and that the referral should have prompted a safeguarding enquiry.",
        "The IDVA service received the referral by secure email but the referral form did not include the DASH score or the details of the incident. The IDVA service has since revised its referral form.",
    ],
    "Professional curiosity": [
        "The Panel repeatedly saw examples of professionals accepting explanations at face value. Injuries were attributed to falls, low mood to work stress, and missed appointments to forgetfulness. Professional curiosity is the capacity to look beyond what is presented and to ask questions; it takes time, confidence and an environment in which the victim can be seen alone.",
        "{PA} was present at most of {V}'s health appointments. His presence was noted by several practitioners but was not recognised as a possible sign of control. There is no record that any practitioner tried to arrange to see {V} on {vp} own.",
        "The GP did not ask {V} directly about domestic abuse, although {vs} presented on several occasions with symptoms that NICE guidance PH50 identifies as indicators.{{fn:NICE (2014) Domestic violence and abuse: multi-agency working, public health guideline PH50.}} The guidance recommends that practitioners ask about abuse when such indicators are present.",
    ],
    "Training and awareness": [
        "IMR authors reported that most staff involved had completed basic domestic abuse awareness training, usually through e-learning. The Panel was not assured that e-learning alone gives practitioners the confidence to ask about abuse or to recognise coercive control. Several staff told IMR authors that they had not had training on coercive control or on the DASH practice guidance.",
        "The learning from this review will be shared with practitioners through the DASV Champions network and a seven-minute briefing. The Panel noted that the partnership's training offer has expanded considerably since the events under review, and it has not repeated learning that has already been acted upon.",
        "Training for call handlers in recognising domestic abuse in third-party calls was described by the police IMR author as limited at the time; it has since been incorporated into the force's vulnerability training programme.",
    ],
    "Policy and procedure": [
        "Most agencies involved had a domestic abuse policy in place at the time. However, the Panel found that policies were not always known to staff, were not always followed, and in some cases were out of date. The housing provider's policy, for example, had not been reviewed since 2009.",
        "The GP practice did not have a domestic abuse policy of its own and relied on the CCG's safeguarding adults policy, which mentions domestic abuse only briefly. The practice has since adopted the CCG's model policy.",
        "The Panel considered the police policy on positive action and arrest, and was told that it was applied correctly on the occasion when {PA} was arrested. On the other occasions the rationale for not arresting was not recorded, which is required by force policy.",
    ],
    "Mental health": [
        "{V}'s mental health deteriorated over the period under review. {Vs} was prescribed antidepressants and was referred for psychological therapy. The link between {vp} low mood and the abuse {vs} was experiencing was not explored by any practitioner. National research has found that domestic abuse is a significant factor in suicide among women.{{fn:Walby, S. (2004) The Cost of Domestic Violence; Aitken, R. and Munro, V. (2018) Domestic abuse and suicide: exploring the links with Refuge’s client base and work force.}}",
        "{PA} had a history of depression and had expressed suicidal thoughts on two occasions. Neither the GP nor the mental health service considered whether this increased the risk to {V}. The Panel was aware that suicidal ideation in a perpetrator is recognised as a risk factor for domestic homicide, including homicide followed by suicide.",
    ],
    "Substance misuse": [
        "Alcohol was a feature of almost every incident attended by police. {PA}'s drinking was known to the GP and to the substance misuse service. The Panel was careful not to treat alcohol as a cause of the abuse; it is better understood as something that can increase the severity and frequency of abuse that is already happening.",
        "The substance misuse service's assessment form includes questions about domestic abuse, but they were not completed. The Panel was told that recovery workers are expected to ask about domestic abuse at assessment and review; practice in this case did not meet that expectation.",
    ],
    "Housing": [
        "{V}'s contacts with the housing service were an opportunity to identify that {vs} was trying to leave an abusive relationship. The housing IMR identified that the officer did not ask the question and did not use the council's domestic abuse procedure, which would have allowed priority banding and a referral to the Sanctuary scheme.",
        "The Panel noted that the tenancy was in joint names. Practitioners did not give {V} advice about the options available to {vo}, including an occupation order, and {vs} told a friend that {vs} felt {vs} could not leave because {vs} would lose {vp} home.",
    ],
    "Equality and diversity": [
        "The Panel considered each of the protected characteristics under the Equality Act 2010. {V} was {age} at the time of {vp} death and was of {ethnicity} heritage. The Panel considered whether {vp} {diversity_note} affected the service {vs} received.",
        "The Panel found that {diversity_finding}",
    ],
    "Older people and carers": [
        "Agencies saw {V} primarily as a carer, or as an older person with health needs, rather than as a potential victim of abuse. Research into domestic homicides of older people shows that abuse in later life is often hidden behind caring roles and that agencies are less likely to ask older people about abuse.",
        "The carer's assessment did not consider the relationship between the carer and the person cared for. The Panel considered that the Care Act 2014 requires carers' assessments to consider the carer's own wellbeing, which includes safety in the relationship.",
    ],
    "Perpetrator management": [
        "{PA} was known to police as a perpetrator of domestic abuse in a previous relationship. This information was on police systems but was not linked to {V}'s address. Had it been, the DASH grading might have been higher and a disclosure under the Domestic Violence Disclosure Scheme could have been considered.",
        "The decision not to seek a Domestic Violence Protection Order was taken by a duty inspector who recorded that the victim 'did not support' the application. DVPOs do not require the victim's support, and the Panel considered that an application should have been made.",
    ],
}

NOT_RECS = [
    "The Panel considered recommending that the GP practice adopt a new appointment system, but was told that this had already been done, so no recommendation is made.",
    "The police IMR author recommended that the learning be discussed at the force's domestic abuse practitioner forum; this has been completed and is not repeated here.",
    "Statutory guidance recommends that the review is completed within six months; this review took longer because of the criminal trial.",
    "NICE guidance recommends that staff in health settings are trained to ask about domestic abuse; the Panel notes the guidance but has not made a separate recommendation on this point.",
    "The housing officer recommended that {V} contact the Sanctuary scheme, but did not make the referral on {vp} behalf.",
    "An earlier internal review by the acute trust had recommended changes to the triage form; the Panel was shown the revised form.",
    "The Panel does not recommend any change to the MARAC operating protocol, which was revised in full during the period of this review.",
]

LESSONS = [
    "Victims may present to universal services many times before they disclose abuse; every contact is an opportunity to ask.",
    "A medium risk grading does not mean that the risk is low; escalation, strangulation and separation should prompt professional judgement.",
    "The presence of a partner at appointments can be a sign of control, and practitioners should find ways to see the person alone.",
    "Agencies cannot assess risk well when they hold only part of the picture.",
    "Coercive and controlling behaviour can be harder to see than physical violence, but it is as dangerous.",
    "Suicidal ideation in either partner should be considered as part of domestic abuse risk.",
    "Family and friends often know more than agencies, and need to know where to turn.",
    "Language and cultural barriers can prevent victims from seeking help, and using family members as interpreters can put victims at risk.",
    "Older victims of abuse are less likely to be asked, and abuse in caring relationships is easily mistaken for carer stress.",
    "Alcohol and drug use by the perpetrator increases the severity of abuse but does not explain it.",
]
