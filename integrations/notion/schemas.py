"""Every database of DESIGN.md, declared once. Add properties freely; keep the contract ones."""

from __future__ import annotations

from .schema import DatabaseSchema, Prop

HEALTH = ("On track", "At risk", "Late", "Done")
TASK_STATUS = ("Not started", "In progress", "Done")
STAGES = ("mandiri", "dokumen", "interviu", "visitasi", "final")
FRAMEWORKS = ("permenpanrb-59-2020", "permenpanrb-5-2018")
TECHNIQUES = (
    "hidden-links", "hidden-content", "cloaking-user-agent", "cloaking-referrer", "injected-page",
    "meta-hijack", "gambling-links", "js-injection", "redirect", "sitemap-injection",
)
VERDICTS = ("infected", "suspicious", "clean", "error")

PROJECTS = DatabaseSchema(
    key="projects",
    title="Projects",
    natural_key="Name",
    props=(
        Prop("Name", "title"),
        Prop("Status", "status", ("Not started", "In progress", "Done")),
        Prop("Owner", "people"),
        Prop("Start", "date"),
        Prop("Due", "date"),
        Prop("Progress", "number", number_format="percent"),
        Prop("Health", "select", HEALTH),
        Prop("Public", "checkbox"),
        Prop("Milestones", "rich_text"),
        Prop("Progress Page", "url"),
    ),
)

TASKS = DatabaseSchema(
    key="tasks",
    title="Tasks",
    props=(
        Prop("Name", "title"),
        Prop("Project", "relation", relation_to="projects"),
        Prop("Assignee", "people"),
        Prop("Status", "status", TASK_STATUS),
        Prop("Weight", "number"),
        Prop("Start", "date"),
        Prop("Due", "date"),
        Prop("Completed", "date"),
        Prop("Milestone", "checkbox"),
    ),
)

SPBE_INDICATORS = DatabaseSchema(
    key="spbe_indicators",
    title="SPBE Indicators",
    natural_key="Key",
    props=(
        Prop("Name", "title"),
        Prop("Key", "rich_text"),  # "{framework}#{number}"
        Prop("Framework", "select", FRAMEWORKS),
        Prop("Number", "number"),
        Prop("Domain", "select"),
        Prop("Aspect", "select"),
        Prop("Weight", "number"),
        Prop("Scale", "select", ("proses", "fungsi teknis", "kebijakan", "tata kelola", "layanan")),
        Prop("Level 0", "rich_text"),  # PermenPANRB 5/2018 only
        Prop("Level 1", "rich_text"),
        Prop("Level 2", "rich_text"),
        Prop("Level 3", "rich_text"),
        Prop("Level 4", "rich_text"),
        Prop("Level 5", "rich_text"),
    ),
)

SPBE_ASSESSMENTS = DatabaseSchema(
    key="spbe_assessments",
    title="SPBE Assessments",
    natural_key="Name",
    props=(
        Prop("Name", "title"),  # "{year} #{number} {indicator name}"
        Prop("Year", "number"),
        Prop("Framework", "select", FRAMEWORKS),
        Prop("Indicator Number", "number"),
        Prop("Indicator", "relation", relation_to="spbe_indicators"),
        Prop("Self Level", "number"),
        Prop("Document Level", "number"),
        Prop("Final Level", "number"),
        Prop("Target Level", "number"),
        Prop("Effort", "number"),  # effort per level step for the planner (default 1)
        Prop("Evidence", "url"),
        Prop("Justification", "rich_text"),
        Prop("PIC", "people"),
        Prop("Stage", "select", STAGES),
    ),
)

SPBE_INDEX_RESULTS = DatabaseSchema(
    key="spbe_index_results",
    title="SPBE Index Results",
    natural_key="Name",
    props=(
        Prop("Name", "title"),  # "Indeks SPBE {year}"
        Prop("Year", "number"),
        Prop("Framework", "select", FRAMEWORKS),
        Prop("Index", "number"),
        Prop("Predikat", "select", ("Memuaskan", "Sangat Baik", "Baik", "Cukup", "Kurang")),
        Prop("Level", "select", ("indicators", "aspects", "domains", "total")),
        *(Prop(f"D{i}", "number") for i in range(1, 5)),
        *(Prop(f"A{i}", "number") for i in range(1, 9)),
        Prop("Report", "url"),
    ),
)

ASSETS = DatabaseSchema(
    key="assets",
    title="Assets",
    natural_key="URL",
    props=(
        Prop("Name", "title"),
        Prop("URL", "url"),
        Prop("Owner OPD", "rich_text"),
        Prop("In Scope", "checkbox"),
        Prop("Type", "select", ("web", "api", "mobile", "other")),
        Prop("Scope Hosts", "rich_text"),  # more in-scope hosts, comma-separated; "*.x.go.id" ok
    ),
)

RESEARCHERS = DatabaseSchema(
    key="researchers",
    title="Researchers",
    natural_key="Key",
    props=(
        Prop("Name", "title"),
        Prop("Key", "rich_text"),  # keyed hash of the email: no address in Notion
        Prop("University", "rich_text"),
        Prop("Student ID", "rich_text"),
        Prop("Points", "number"),
        Prop("Valid Reports", "number"),
        Prop("Validity", "number", number_format="percent"),
        Prop("Hall of Fame", "checkbox"),  # the researcher agreed to be named publicly
    ),
)

BOUNTY_STATUSES = ("New", "Triaged", "Needs More Info", "Valid", "Fixed", "Retest", "Closed",
                   "Duplicate", "Informative", "Not Applicable", "Out of Scope", "Spam")

BUG_REPORTS = DatabaseSchema(
    key="bug_reports",
    title="Bug Reports",
    natural_key="Report ID",
    props=(
        Prop("Title", "title"),
        Prop("Report ID", "rich_text"),
        Prop("Status", "select", BOUNTY_STATUSES),
        Prop("Asset", "relation", relation_to="assets"),
        Prop("Endpoint", "rich_text"),  # as typed by the reporter: never fetched, never a link
        Prop("In Scope", "checkbox"),  # the endpoint's host is on an in-scope asset
        Prop("VRT", "rich_text"),
        Prop("VRT Name", "rich_text"),
        Prop("Priority", "select", ("P1", "P2", "P3", "P4", "P5")),
        Prop("CWE", "rich_text"),
        Prop("CVSS Vector", "rich_text"),
        Prop("CVSS Score", "number"),
        Prop("Severity", "select", ("None", "Low", "Medium", "High", "Critical")),
        Prop("Reporter", "relation", relation_to="researchers"),
        Prop("Duplicate Of", "relation", relation_to="bug_reports"),
        Prop("Possible Duplicates", "relation", relation_to="bug_reports"),
        Prop("Summary", "rich_text"),  # start of the description, for duplicate matching
        Prop("Submitted", "date"),
        Prop("Acknowledged", "date"),
        Prop("Triaged", "date"),
        Prop("SLA", "select", ("OK", "Ack overdue", "Triage overdue", "Ack late", "Triage late")),
        Prop("Course Code", "rich_text"),
        Prop("Lecturer", "rich_text"),
        Prop("Attachments", "files"),
    ),
)

SITES = DatabaseSchema(
    key="sites",
    title="Sites",
    natural_key="URL",
    props=(
        Prop("Name", "title"),
        Prop("URL", "url"),
        Prop("OPD", "rich_text"),
        Prop("Last Scan", "date"),
        Prop("Verdict", "select", VERDICTS),
    ),
)

SCAN_FINDINGS = DatabaseSchema(
    key="scan_findings",
    title="Scan Findings",
    natural_key="Fingerprint",
    props=(
        Prop("Title", "title"),
        Prop("Site", "relation", relation_to="sites"),
        Prop("URL", "url"),  # the first affected URL
        Prop("URLs", "rich_text"),  # every affected URL, one per line (issue #10)
        Prop("URL Count", "number"),
        Prop("Technique", "select", TECHNIQUES),
        Prop("Status", "select", ("Open", "Notified", "Fixed", "Reopened")),
        Prop("First Seen", "date"),
        Prop("Last Seen", "date"),
        Prop("Evidence", "rich_text"),
        Prop("Fingerprint", "rich_text"),
        Prop("Run", "rich_text"),  # the scan run that last changed the status (report counts)
    ),
)

KNOWLEDGE_BASE = DatabaseSchema(
    key="knowledge_base",
    title="Knowledge Base",
    natural_key="Key",
    props=(
        Prop("Question", "title"),  # the English question (Indonesian when there is none)
        Prop("Question ID", "rich_text"),  # the Indonesian question
        Prop("Answer EN", "rich_text"),
        Prop("Answer ID", "rich_text"),
        Prop("Variants", "rich_text"),  # more phrasings, one per line, either language
        Prop("Source", "rich_text"),
        Prop("Status", "select", ("Draft", "Approved")),
        Prop("Key", "rich_text"),  # the entry id (`entry_id` of the chatbot's replies)
        Prop("Verification", "rich_text"),  # e.g. "official", "unverified - handover"
        Prop("Handover", "checkbox"),  # matched entries go to a person
        Prop("Frequency", "number"),  # how often the question was asked (history, digest)
        Prop("Origin", "select", ("seed", "faq-page", "history", "digest", "manual")),
    ),
)

POSITION_STATUS = ("Draft", "Open", "Closed")
CANDIDATE_STATUS = ("Applied", "Screened", "Test", "Interview", "Offer", "Rejected")
EDUCATION_LEVELS = ("SMA", "D3", "D4", "S1", "S2", "S3")

POSITIONS = DatabaseSchema(
    key="positions",
    title="Positions",
    natural_key="Slug",
    props=(
        Prop("Name", "title"),
        Prop("Slug", "rich_text"),  # the <position> of /careers/<position>/apply
        Prop("Unit", "rich_text"),
        Prop("Requirements", "rich_text"),
        Prop("Opens", "date"),
        Prop("Closes", "date"),
        Prop("Quota", "number"),
        Prop("Status", "select", POSITION_STATUS),
        Prop("Rubric", "rich_text"),  # JSON (workflows/recruitment/rubric.py), pay table named inside
        Prop("Rubric Applied", "rich_text"),  # the rubric last scored with: a change re-scores
        Prop("Shortlist", "url"),
    ),
)

CANDIDATES = DatabaseSchema(
    key="candidates",
    title="Candidates",
    natural_key="Application Id",
    props=(
        Prop("Name", "title"),
        Prop("Position", "relation", relation_to="positions"),
        Prop("Application Id", "rich_text"),  # SHA-256 of the private status token
        Prop("Status", "select", CANDIDATE_STATUS),
        Prop("Applied", "date"),
        Prop("Email", "email"),
        Prop("Phone", "phone_number"),
        Prop("Education", "select", EDUCATION_LEVELS),
        Prop("Major", "rich_text"),
        Prop("Years Experience", "number"),
        Prop("Certifications", "rich_text"),  # one per line
        Prop("Portfolio URL", "url"),
        Prop("Portfolio Score", "number"),
        Prop("Test Score", "number"),
        Prop("Interview Score", "number"),
        Prop("Qualification Score", "number"),
        Prop("Score", "number"),
        Prop("Grade", "select"),
        Prop("Outcome", "select", ("pass", "pending", "fail", "TMS")),
        Prop("Band", "select"),  # the proposed remuneration band: "IX · TIK-1"
        Prop("Proposed Pay", "number", number_format="rupiah"),
        Prop("Rank", "number"),
        Prop("Explanation", "rich_text"),
        Prop("CV", "files"),
        Prop("Consent", "date"),  # when the applicant consented (UU 27/2022)
    ),
)

SCHEMAS: dict[str, DatabaseSchema] = {
    s.key: s
    for s in (
        PROJECTS, TASKS, SPBE_INDICATORS, SPBE_ASSESSMENTS, SPBE_INDEX_RESULTS, ASSETS,
        RESEARCHERS, BUG_REPORTS, SITES, SCAN_FINDINGS, KNOWLEDGE_BASE, POSITIONS, CANDIDATES,
    )
}
